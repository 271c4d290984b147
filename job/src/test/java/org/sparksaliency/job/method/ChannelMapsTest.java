package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The channel reductions against the same reductions written out on the host. */
class ChannelMapsTest {
  private static final int SIZE = 5;
  private static final int PLANE = SIZE * SIZE;

  @Test
  void maxAbsIsEachPixelsLargestMagnitudeOverTheChannels() {
    int n = 2;
    float[] v = new float[n * 3 * PLANE];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) (Math.sin(0.71 * i) * (1 + i % 7));
    }
    v[1] = Float.NaN; // image 0, channel 0, pixel 1
    v[3 * PLANE + 2 * PLANE + 4] = -0f; // image 1, channel 2, pixel 4
    float[] device;
    float[] single;
    try (NDManager m = NDManager.newBaseManager()) {
      device = ChannelMaps.maxAbs(m.create(v, new Shape(n, 3, SIZE, SIZE))).toFloatArray();
      float[] image1 = java.util.Arrays.copyOfRange(v, 3 * PLANE, 6 * PLANE);
      single = ChannelMaps.maxAbs(m.create(image1, new Shape(3, SIZE, SIZE))).toFloatArray();
    }
    assertThat(device).hasSize(n * PLANE);
    for (int b = 0; b < n; b++) {
      for (int p = 0; p < PLANE; p++) {
        int at = b * 3 * PLANE + p;
        float host =
            Math.max(
                Math.max(Math.abs(v[at]), Math.abs(v[at + PLANE])), Math.abs(v[at + 2 * PLANE]));
        assertThat(Float.compare(device[b * PLANE + p], host))
            .as("image %d pixel %d", b, p)
            .isZero();
      }
    }
    assertThat(device[1]).as("a NaN channel makes the pixel NaN").isNaN();
    assertThat(single).containsExactly(java.util.Arrays.copyOfRange(device, PLANE, 2 * PLANE));
  }

  @Test
  void sumAddsTheChannelsInOrder() {
    float[] v = {1e8f, 1f, -1e8f}; // (c0 + c1) + c2 = 0 in float32; c0 + (c1 + c2) would not be
    try (NDManager m = NDManager.newBaseManager()) {
      assertThat(ChannelMaps.sum(m.create(v, new Shape(3, 1, 1))).toFloatArray())
          .containsExactly(0f);
    }
  }
}
