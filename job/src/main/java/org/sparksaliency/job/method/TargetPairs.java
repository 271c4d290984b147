package org.sparksaliency.job.method;

import java.util.ArrayList;
import java.util.List;

/**
 * A batch of images expanded into one (image, wanted target) pair per heatmap, so that every method
 * explains the pairs as it would explain images: a pair's sample is its image, seeded by the
 * image's id, so each target's map is the map a run with that target alone gives. A wanted target
 * is a class index, or a rank {@code -r} ({@link BatchExplainer#ranked}) resolved from the image's
 * prediction.
 */
final class TargetPairs {
  private final int[] image;
  private final int[] wanted;
  private final int[] first;

  /**
   * @param wanted per image, its wanted targets in row order (at least one)
   */
  TargetPairs(List<int[]> wanted) {
    int n = 0;
    for (int i = 0; i < wanted.size(); i++) {
      if (wanted.get(i).length == 0) {
        throw new IllegalArgumentException("Cannot explain image " + i + ": it has no target");
      }
      n += wanted.get(i).length;
    }
    this.image = new int[n];
    this.wanted = new int[n];
    this.first = new int[wanted.size()];
    int p = 0;
    for (int i = 0; i < wanted.size(); i++) {
      first[i] = p;
      for (int w : wanted.get(i)) {
        image[p] = i;
        this.wanted[p++] = w;
      }
    }
  }

  int size() {
    return image.length;
  }

  /** The image of pair {@code p}. */
  int image(int p) {
    return image[p];
  }

  /** The first pair of image {@code i}. */
  int first(int i) {
    return first[i];
  }

  /** Per pair, the wanted target (class index or {@code -rank}). */
  int[] wanted() {
    return wanted.clone();
  }

  /** The highest rank wanted, 0 when only classes are. */
  int maxRank() {
    int max = 0;
    for (int w : wanted) {
      max = Math.max(max, -w);
    }
    return max;
  }

  /** The asked-for rank of pair {@code p}, or {@link ImageExplanation#NO_RANK}. */
  int rank(int p) {
    return wanted[p] < 0 ? -wanted[p] : ImageExplanation.NO_RANK;
  }

  /** {@code perImage} repeated per pair (the same objects, not copies). */
  <T> List<T> perPair(List<T> perImage) {
    List<T> out = new ArrayList<>(image.length);
    for (int i : image) {
      out.add(perImage.get(i));
    }
    return out;
  }

  /**
   * Per pair, the class to explain: the wanted class, or the class the image's prediction ranks
   * there. Fails for a class or rank past the model's classes.
   */
  int[] resolve(Prediction[] predictions) {
    int[] out = new int[image.length];
    for (int p = 0; p < out.length; p++) {
      Prediction prediction = predictions[image[p]];
      int classes = prediction.probabilities().length;
      int rank = rank(p);
      if (rank > prediction.topClasses().length) {
        throw new IllegalArgumentException(
            String.format(
                "Cannot explain the class ranked %d (--target top:%d): the model has %d classes",
                rank, maxRank(), classes));
      }
      out[p] = rank > 0 ? prediction.topClasses()[rank - 1] : wanted[p];
      if (out[p] < 0 || out[p] >= classes) {
        throw new IllegalArgumentException(
            String.format("Cannot explain class %d: the model has %d classes", out[p], classes));
      }
    }
    return out;
  }

  /** Per-pair values grouped back by image, in pair order. */
  <T> List<List<T>> byImage(List<T> perPair) {
    List<List<T>> out = new ArrayList<>(first.length);
    for (int i = 0; i < first.length; i++) {
      int end = i + 1 < first.length ? first[i + 1] : image.length;
      out.add(List.copyOf(perPair.subList(first[i], end)));
    }
    return out;
  }

  /** Per pair, the image it belongs to. */
  int[] images() {
    int[] out = new int[size()];
    for (int p = 0; p < out.length; p++) {
      out[p] = image(p);
    }
    return out;
  }
}
