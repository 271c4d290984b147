package org.sparksaliency.bench;

import java.util.List;
import java.util.Locale;
import org.sparksaliency.job.method.ImageExplanation;

/**
 * How close a variant's heatmaps are to the fp32 ones: the accuracy check of a lower-precision
 * lever.
 */
final class MapAgreement {
  private MapAgreement() {}

  static String describe(
      String what,
      List<ImageExplanation> reference,
      List<ImageExplanation> variant,
      String method) {
    double sum = 0;
    double min = 1;
    int sameTop1 = 0;
    for (int i = 0; i < reference.size(); i++) {
      double r = pearson(reference.get(i).maps().get(method), variant.get(i).maps().get(method));
      sum += r;
      min = Math.min(min, r);
      if (reference.get(i).prediction().predicted() == variant.get(i).prediction().predicted()) {
        sameTop1++;
      }
    }
    return String.format(
        Locale.ROOT,
        "%s vs fp32 on %d images: top-1 agrees on %d, map Pearson correlation mean %.4f, min %.4f",
        what,
        reference.size(),
        sameTop1,
        sum / reference.size(),
        min);
  }

  /** Pearson correlation of two equally long arrays; 1 when both are constant and equal. */
  static double pearson(float[] a, float[] b) {
    int n = a.length;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    if (saa == 0 || sbb == 0) {
      return saa == sbb && ma == mb ? 1 : 0;
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
