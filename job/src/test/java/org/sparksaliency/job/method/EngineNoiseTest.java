package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The SmoothGrad noise is PyTorch's CPU stream: torch.manual_seed(seed); torch.randn(shape), as
 * written by sample-data/make_noise_reference.py with Debian's PyTorch, drawn again here through
 * the job's libtorch on the model owner.
 */
class EngineNoiseTest {

  @Test
  void drawsAreTorchsCpuStreamForTheSeed() throws IOException {
    JsonNode ref =
        new ObjectMapper().readTree(Path.of("src/test/resources/reference/noise.json").toFile());
    JsonNode dims = ref.get("shape");
    Shape shape = new Shape(dims.get(0).asLong(), dims.get(1).asLong(), dims.get(2).asLong());
    assertThat(ref.get("draws")).hasSizeGreaterThan(3);
    TinyModel.owner()
        .call(
            m -> {
              try (NDManager scope = m.manager().newSubManager()) {
                for (JsonNode draw : ref.get("draws")) {
                  long seed = draw.get("seed").asLong();
                  float[] got = EngineNoise.normal(seed, shape, scope).toFloatArray();
                  float[] again = EngineNoise.normal(seed, shape, scope).toFloatArray();
                  assertThat(again).as("seed %d drawn twice", seed).containsExactly(got);
                  JsonNode values = draw.get("values");
                  assertThat(got).hasSize(values.size());
                  for (int i = 0; i < got.length; i++) {
                    assertThat(got[i])
                        .as("seed %d value %d", seed, i)
                        .isEqualTo((float) values.get(i).asDouble());
                  }
                }
              }
              return null;
            });
  }
}
