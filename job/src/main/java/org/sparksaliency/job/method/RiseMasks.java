package org.sparksaliency.job.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * RISE masks (Petsiuk et al. 2018): each a grid × grid binary grid (a cell kept with probability
 * p), upsampled bilinearly to (grid + 1) · ceil(size / grid) pixels and cropped to size × size at a
 * random offset below one cell. Drawn once from --seed and kept per executor JVM (one byte per
 * pixel, so 1000 masks of 224 × 224 take 50 MB), then shared by every image and task; the stored
 * 8-bit masks are the masks used.
 */
final class RiseMasks {
  /** The last few mask sets; one run uses one. */
  private static final int CACHED = 2;

  private static final Map<Key, RiseMasks> CACHE =
      new LinkedHashMap<>(4, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, RiseMasks> eldest) {
          return size() > CACHED;
        }
      };

  private record Key(long seed, int count, int grid, float probability, int size) {}

  private final int count;
  private final int size;
  private final byte[] masks;
  private final double[] coverage;

  private RiseMasks(int count, int size, byte[] masks) {
    this.count = count;
    this.size = size;
    this.masks = masks;
    int plane = size * size;
    this.coverage = new double[plane];
    for (int m = 0; m < count; m++) {
      for (int p = 0; p < plane; p++) {
        coverage[p] += value(m, p);
      }
    }
  }

  /** The masks for these settings, generated on first use in this JVM. */
  static RiseMasks of(long seed, int count, int grid, float probability, int size) {
    Key key = new Key(seed, count, grid, probability, size);
    synchronized (CACHE) {
      return CACHE.computeIfAbsent(
          key, k -> generate(k.seed(), k.count(), k.grid(), k.probability(), k.size()));
    }
  }

  private static RiseMasks generate(long seed, int count, int grid, float probability, int size) {
    Random r = new Random(Seeds.of(seed, "rise", "", 0));
    int cell = (size + grid - 1) / grid;
    int up = (grid + 1) * cell;
    int plane = size * size;
    byte[] masks = new byte[count * plane];
    float[] cells = new float[grid * grid];
    for (int m = 0; m < count; m++) {
      for (int i = 0; i < cells.length; i++) {
        cells[i] = r.nextFloat() < probability ? 1f : 0f;
      }
      float[] big = BilinearUpsampler.resize(cells, grid, grid, up, up);
      int dy = r.nextInt(cell);
      int dx = r.nextInt(cell);
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          masks[m * plane + y * size + x] = (byte) Math.round(big[(y + dy) * up + x + dx] * 255f);
        }
      }
    }
    return new RiseMasks(count, size, masks);
  }

  /** The 8-bit masks as a [N, 1, S, S] uint8 array in {@code manager} (on its device). */
  NDArray upload(NDManager manager) {
    return manager.create(ByteBuffer.wrap(masks), new Shape(count, 1, size, size), DataType.UINT8);
  }

  /** Mask values in [0, 1] as float32, from 8-bit masks as {@link #upload} gives them. */
  static NDArray values(NDArray masks) {
    return masks.toType(DataType.FLOAT32, false).div(255f);
  }

  int count() {
    return count;
  }

  int size() {
    return size;
  }

  /** Mask {@code mask} at pixel {@code pixel} (row-major), in [0, 1]. */
  float value(int mask, int pixel) {
    return (masks[mask * size * size + pixel] & 0xFF) / 255f;
  }

  /** sum over masks of the mask value at {@code pixel}. */
  double coverage(int pixel) {
    return coverage[pixel];
  }
}
