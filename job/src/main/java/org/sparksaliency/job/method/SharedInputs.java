package org.sparksaliency.job.method;

import java.util.HashMap;
import java.util.Map;

/**
 * The rows of a micro-batch grouped by identical input: with several targets per image (--target
 * top:K, class:...), the (image, target) pairs of one image have the same samples, so a probe runs
 * the model once per distinct input and back-propagates once per target ("slot") of each.
 *
 * @param unique per distinct input, the first row that holds it
 * @param group per row, its distinct input (an index into {@code unique})
 * @param slot per row, its position among the rows of its input (0, 1, ...)
 * @param slots the most rows that share one input
 */
record SharedInputs(int[] unique, int[] group, int[] slot, int slots) {

  /** Groups rows by {@code sources}: rows with equal sources have equal inputs. */
  static SharedInputs of(long[] sources) {
    int m = sources.length;
    Map<Long, Integer> seen = new HashMap<>();
    int[] unique = new int[m];
    int[] group = new int[m];
    int[] slot = new int[m];
    int[] count = new int[m];
    int distinct = 0;
    int slots = 0;
    for (int k = 0; k < m; k++) {
      Integer g = seen.get(sources[k]);
      if (g == null) {
        g = distinct;
        seen.put(sources[k], distinct);
        unique[distinct++] = k;
      }
      group[k] = g;
      slot[k] = count[g]++;
      slots = Math.max(slots, count[g]);
    }
    return new SharedInputs(java.util.Arrays.copyOf(unique, distinct), group, slot, slots);
  }

  /** Whether every row has its own input. */
  boolean none() {
    return unique.length == group.length;
  }

  /** Rows of slot {@code s}: per distinct input, its row in slot s, or -1. */
  int[] rowsOfSlot(int s) {
    int[] rows = new int[unique.length];
    java.util.Arrays.fill(rows, -1);
    for (int k = 0; k < group.length; k++) {
      if (slot[k] == s) {
        rows[group[k]] = k;
      }
    }
    return rows;
  }
}
