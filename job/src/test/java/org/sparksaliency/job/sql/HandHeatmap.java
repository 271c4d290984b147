package org.sparksaliency.job.sql;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;

/**
 * The tests' own reading of the heatmap encoding and of what each function should compute, written
 * from the definitions in docs/tables.md without the udf module, so the functions are checked
 * against something independent.
 */
final class HandHeatmap {
  final int height;
  final int width;
  final float min;
  final float max;
  final int[] bytes;

  HandHeatmap(int height, int width, float min, float max, byte[] stored) {
    this.height = height;
    this.width = width;
    this.min = min;
    this.max = max;
    this.bytes = IntStream.range(0, stored.length).map(i -> stored[i] & 0xFF).toArray();
  }

  /** From a row with the heatmaps table's columns. */
  static HandHeatmap of(Row r) {
    return new HandHeatmap(
        r.getInt(r.fieldIndex("heatmap_height")),
        r.getInt(r.fieldIndex("heatmap_width")),
        r.getFloat(r.fieldIndex("heatmap_min")),
        r.getFloat(r.fieldIndex("heatmap_max")),
        (byte[]) r.get(r.fieldIndex("heatmap")));
  }

  /** raw = min + v / 255 * (max - min), in double. */
  double[] raw() {
    return Arrays.stream(bytes).mapToDouble(v -> min + v / 255.0 * ((double) max - min)).toArray();
  }

  /** Half a quantisation step: how far a decoded value may be from the value before encoding. */
  double halfStep() {
    return ((double) max - min) / 255 / 2;
  }

  /**
   * Share of sum |raw| inside [x0, x1] × [y0, y1] (normalised), partial cells by area; a map
   * without mass counts as flat (the box's share of the cells' area).
   */
  double massInBox(double x0, double y0, double x1, double y1) {
    double[] v = raw();
    double total = 0;
    double inside = 0;
    double area = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double a = Math.abs(v[y * width + x]);
        double covered = cover(x, width, x0, x1) * cover(y, height, y0, y1);
        total += a;
        inside += a * covered;
        area += covered;
      }
    }
    return total == 0 ? area / (width * height) : inside / total;
  }

  /** IoU of the box with the cells whose |raw| exceeds the nearest-rank q-quantile. */
  double iou(double q, double x0, double y0, double x1, double y1) {
    double[] v = Arrays.stream(raw()).map(Math::abs).toArray();
    double[] sorted = v.clone();
    Arrays.sort(sorted);
    double t = sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    double cell = 1.0 / (width * height);
    double mask = 0;
    double inter = 0;
    for (int i = 0; i < v.length; i++) {
      if (v[i] > t) {
        mask += cell;
        inter += cell * cover(i % width, width, x0, x1) * cover(i / width, height, y0, y1);
      }
    }
    double box = (Math.min(1, x1) - Math.max(0, x0)) * (Math.min(1, y1) - Math.max(0, y0));
    return inter / (mask + box - inter);
  }

  /** Index of the first cell with the largest |raw|. */
  int peak() {
    double[] v = raw();
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (Math.abs(v[i]) > Math.abs(v[best])) {
        best = i;
      }
    }
    return best;
  }

  /** Spearman's rho of |raw|: Pearson correlation of mid-ranks. */
  static double spearman(HandHeatmap a, HandHeatmap b) {
    double[] ra = ranks(Arrays.stream(a.raw()).map(Math::abs).toArray());
    double[] rb = ranks(Arrays.stream(b.raw()).map(Math::abs).toArray());
    double ma = Arrays.stream(ra).average().orElseThrow();
    double mb = Arrays.stream(rb).average().orElseThrow();
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < ra.length; i++) {
      sab += (ra[i] - ma) * (rb[i] - mb);
      saa += (ra[i] - ma) * (ra[i] - ma);
      sbb += (rb[i] - mb) * (rb[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }

  private static double[] ranks(double[] v) {
    Integer[] order =
        IntStream.range(0, v.length)
            .boxed()
            .sorted(Comparator.comparingDouble(i -> v[i]))
            .toArray(Integer[]::new);
    double[] ranks = new double[v.length];
    for (int start = 0, end; start < v.length; start = end + 1) {
      end = start;
      while (end + 1 < v.length && v[order[end + 1]] == v[order[start]]) {
        end++;
      }
      for (int k = start; k <= end; k++) {
        ranks[order[k]] = (start + end) / 2.0 + 1;
      }
    }
    return ranks;
  }

  /** Fraction of cell i (of n along an axis) inside [lo, hi] given in normalised coordinates. */
  private static double cover(int i, int n, double lo, double hi) {
    return Math.max(0, Math.min(i + 1, hi * n) - Math.max(i, lo * n));
  }
}
