package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sparksaliency.udf.AreaResampler;

/**
 * The maps the job stores are {@link AreaResampler}'s area averages of the computed maps, whether
 * the device takes block means (the grid divides the size) or the weight matrices (it does not).
 */
class MapGridTest {

  @ParameterizedTest
  @CsvSource({"224, 56", "16, 4", "16, 16", "20, 7", "13, 5", "5, 9"})
  void deviceMapsAreTheAreaAveragesOfTheHost(int size, int grid) {
    int n = 3;
    float[] maps = new float[n * size * size];
    for (int i = 0; i < maps.length; i++) {
      // Signed, several magnitudes, no pattern a block mean could hide.
      maps[i] = (float) (Math.sin(0.37 * i) * Math.exp(Math.cos(0.011 * i) * 3));
    }
    float[][] device;
    try (NDManager m = NDManager.newBaseManager()) {
      device = new MapGrid(size, grid).toHost(m.create(maps, new Shape(n, size, size)));
    }
    assertThat(device).hasNumberOfRows(n);
    for (int b = 0; b < n; b++) {
      float[] one = java.util.Arrays.copyOfRange(maps, b * size * size, (b + 1) * size * size);
      float[] host = AreaResampler.resample(one, size, size, grid, grid);
      assertThat(device[b]).hasSize(grid * grid);
      for (int c = 0; c < host.length; c++) {
        assertThat(device[b][c])
            .as("map %d cell %d, %d to %d", b, c, size, grid)
            .isCloseTo(host[c], within(1e-6f * Math.max(1f, Math.abs(host[c]))));
      }
    }
  }
}
