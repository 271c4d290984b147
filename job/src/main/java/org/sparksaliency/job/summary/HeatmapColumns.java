package org.sparksaliency.job.summary;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** Where the columns class_stats reads sit in a row of heatmap (or combined result) rows. */
final class HeatmapColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  final int[] groupBy;
  final int targetName;
  final int targetClass;
  final int targetScore;
  final int entropy;
  final int gini;
  final int label;
  final int pointingHit;
  final int boxMass;
  final int deletionAuc;
  final int insertionAuc;
  final int heatmapHeight;
  final int heatmapWidth;
  final int heatmap;
  final int runId;

  HeatmapColumns(StructType schema, List<String> groupBy) {
    this.groupBy = groupBy.stream().mapToInt(schema::fieldIndex).toArray();
    this.targetName = schema.fieldIndex("target_name");
    this.targetClass = schema.fieldIndex("target_class");
    this.targetScore = schema.fieldIndex("target_score");
    this.entropy = schema.fieldIndex("sal_entropy");
    this.gini = schema.fieldIndex("sal_gini");
    this.label = schema.fieldIndex("label");
    this.pointingHit = schema.fieldIndex("pointing_hit");
    this.boxMass = schema.fieldIndex("box_mass");
    this.deletionAuc = schema.fieldIndex("deletion_auc");
    this.insertionAuc = schema.fieldIndex("insertion_auc");
    this.heatmapHeight = schema.fieldIndex("heatmap_height");
    this.heatmapWidth = schema.fieldIndex("heatmap_width");
    this.heatmap = schema.fieldIndex("heatmap");
    this.runId = schema.fieldIndex("run_id");
  }

  /** {@link ClassStats#labelAgrees()} of one row. */
  Double labelAgrees(Row r) {
    if (r.isNullAt(label)) {
      return null;
    }
    String l = r.getString(label);
    boolean byName = !r.isNullAt(targetName) && l.equals(r.getString(targetName));
    boolean byIndex = !r.isNullAt(targetClass) && l.equals(String.valueOf(r.getInt(targetClass)));
    return byName || byIndex ? 1.0 : 0.0;
  }
}
