package org.sparksaliency.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FLOP counter of sample-data/export_resnet.py on a network small enough to count by hand. */
class FlopCountTest {

  @Test
  void tinyNetworkCountMatchesAHandComputation() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of(Python.EXECUTABLE)),
        "needs " + Python.EXECUTABLE + " with torch");
    Path home = Path.of("..").toAbsolutePath().normalize();
    String line;
    try {
      line = Python.run(home, List.of("sample-data/export_resnet.py", "--tiny"));
    } catch (java.io.IOException e) {
      assumeTrue(false, "python3 cannot run the export script (no torch?): " + e.getMessage());
      return;
    }
    JsonNode tiny = new ObjectMapper().readTree(line);

    // Conv2d 3->4, 3x3, padding 1, on 8x8: 8*8 positions x 4 outputs x (3 x 3 x 3) weights = 6912
    // MACs.
    long conv = 8 * 8 * 4 * (3 * 3 * 3);
    // Linear 256 -> 10: 2560 MACs.
    long linear = 256 * 10;
    assertThat(tiny.get("macs_per_image").asLong()).isEqualTo(conv + linear).isEqualTo(9472);
    assertThat(tiny.get("flops_per_image").asLong()).isEqualTo(2 * (conv + linear));
  }
}
