package org.sparksaliency.job.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.min;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code --max-quarantine-ratio}: a run that quarantined more than this share of its input files
 * fails, after it has written every table and run.json, with one line naming the count and the most
 * common reasons.
 */
public final class QuarantineRatioCheck {
  private static final int TOP = 3;

  private QuarantineRatioCheck() {}

  /** The share of input files with at least one quarantine row. */
  public static double ratio(RunSummary s) {
    return s.inputFiles() == 0 ? 0 : (double) s.quarantinedFiles() / s.inputFiles();
  }

  /**
   * Throws {@link QuarantineRatioException} when {@link #ratio} is above {@code maxRatio}.
   *
   * @param quarantine the written quarantine table, read for the top reasons only when the check
   *     fails
   */
  public static void check(RunSummary s, double maxRatio, Dataset<Row> quarantine) {
    double ratio = ratio(s);
    if (ratio <= maxRatio) {
      return;
    }
    List<Row> top =
        quarantine
            .groupBy(col("reason"))
            .agg(countDistinct(col("path")).as("files"), min(col("message")).as("example"))
            .orderBy(col("files").desc(), col("reason"))
            .limit(TOP)
            .collectAsList();
    List<String> reasons = new ArrayList<>();
    for (Row r : top) {
      reasons.add(r.getString(0) + " " + r.getLong(1));
    }
    String example =
        top.isEmpty()
            ? ""
            : String.format(
                " (%s: \"%s\")", top.get(0).getString(0), oneLine(top.get(0).getString(2)));
    throw new QuarantineRatioException(
        s,
        String.format(
            Locale.ROOT,
            "Cannot complete run %s: %d of %d input files (%.1f%%) were quarantined, more than --max-quarantine-ratio"
                + " %s; top reasons: %s%s; every table and run.json were written to %s",
            s.runId(),
            s.quarantinedFiles(),
            s.inputFiles(),
            100 * ratio,
            trim(maxRatio),
            String.join(", ", reasons),
            example,
            s.output()));
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }
}
