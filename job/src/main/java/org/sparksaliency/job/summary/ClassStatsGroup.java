package org.sparksaliency.job.summary;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sparksaliency.job.summary.SparkMeans.Average;
import org.sparksaliency.job.summary.SparkMeans.StddevSamp;
import org.sparksaliency.udf.HeatmapAverage;
import org.sparksaliency.udf.MeanHeatmap;

/**
 * The class_stats aggregates of one group (see {@link ClassStats#GROUP_BY}), fed heatmap rows one
 * at a time and merged with other partitions' groups: the same values {@link ClassStats#compute}
 * gives when rows and partitions come in the same order.
 */
final class ClassStatsGroup implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final HeatmapAverage MEAN_HEATMAP = new HeatmapAverage();

  private boolean seen;
  private String targetName;
  private Object heatmapHeight;
  private Object heatmapWidth;
  private Object runId;
  private long n;
  private final Average score = new Average();
  private final Average entropy = new Average();
  private final StddevSamp entropySpread = new StddevSamp();
  private final Average gini = new Average();
  private final StddevSamp giniSpread = new StddevSamp();
  private final Average agreement = new Average();
  private final Average pointing = new Average();
  private final Average boxMass = new Average();
  private final Average deletion = new Average();
  private final Average insertion = new Average();
  private HeatmapAverage.Sums heatmap = MEAN_HEATMAP.zero();

  void add(Row r, HeatmapColumns c) {
    first(r.getAs(c.targetName), r.get(c.heatmapHeight), r.get(c.heatmapWidth), r.get(c.runId));
    n++;
    score.add(r.isNullAt(c.targetScore) ? null : (double) r.getFloat(c.targetScore));
    Double e = (Double) r.get(c.entropy);
    entropy.add(e);
    entropySpread.add(e);
    Double g = (Double) r.get(c.gini);
    gini.add(g);
    giniSpread.add(g);
    agreement.add(c.labelAgrees(r));
    pointing.add(r.isNullAt(c.pointingHit) ? null : r.getBoolean(c.pointingHit) ? 1.0 : 0.0);
    boxMass.add((Double) r.get(c.boxMass));
    deletion.add((Double) r.get(c.deletionAuc));
    insertion.add((Double) r.get(c.insertionAuc));
    heatmap = MEAN_HEATMAP.reduce(heatmap, (byte[]) r.get(c.heatmap));
  }

  /** Adds {@code other}, the group's aggregates of a later partition. */
  void merge(ClassStatsGroup other) {
    if (other.seen) {
      first(other.targetName, other.heatmapHeight, other.heatmapWidth, other.runId);
    }
    n += other.n;
    score.merge(other.score);
    entropy.merge(other.entropy);
    entropySpread.merge(other.entropySpread);
    gini.merge(other.gini);
    giniSpread.merge(other.giniSpread);
    agreement.merge(other.agreement);
    pointing.merge(other.pointing);
    boxMass.merge(other.boxMass);
    deletion.merge(other.deletion);
    insertion.merge(other.insertion);
    heatmap = MEAN_HEATMAP.merge(heatmap, other.heatmap);
  }

  /**
   * {@code first(x)} keeps the first row's value, {@code first(target_name, true)} the first
   * non-null.
   */
  private void first(String name, Object height, Object width, Object run) {
    if (targetName == null) {
      targetName = name;
    }
    if (!seen) {
      seen = true;
      heatmapHeight = height;
      heatmapWidth = width;
      runId = run;
    }
  }

  /**
   * The class_stats row of this group, its key columns first (in {@link ClassStats#SCHEMA} order).
   */
  Row toRow(List<Object> key) {
    MeanHeatmap mean = MEAN_HEATMAP.finish(heatmap);
    List<Object> values = new ArrayList<>(key);
    values.add(targetName);
    values.add(n);
    values.add(score.value());
    values.add(entropy.value());
    values.add(entropySpread.value());
    values.add(gini.value());
    values.add(giniSpread.value());
    values.add(agreement.value());
    values.add(pointing.value());
    values.add(boxMass.value());
    values.add(deletion.value());
    values.add(insertion.value());
    values.add(heatmapHeight);
    values.add(heatmapWidth);
    values.add(mean == null ? null : mean.getHeatmap());
    values.add(mean == null ? null : mean.getMin());
    values.add(mean == null ? null : mean.getMax());
    values.add(runId);
    return RowFactory.create(values.toArray());
  }
}
