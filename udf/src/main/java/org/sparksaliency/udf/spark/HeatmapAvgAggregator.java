package org.sparksaliency.udf.spark;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapAccumulator;
import org.sparksaliency.udf.HeatmapSql;

/**
 * {@code heatmap_avg(h)} in Spark: the mean of the group's min-max normalised maps as a heatmap
 * struct of the same grid. Null maps are skipped. A group without maps gives a struct whose fields
 * are all null (which every heatmap function takes as a null map): Spark cannot encode a null
 * struct as an Aggregator's result.
 */
public final class HeatmapAvgAggregator extends Aggregator<Row, HeatmapAccumulator, Row> {
  private static final long serialVersionUID = 1L;

  /** The aggregate's input: one column, the struct {@code h}. */
  static final StructType INPUT = new StructType().add("h", HeatmapRows.TYPE);

  @Override
  public HeatmapAccumulator zero() {
    return new HeatmapAccumulator();
  }

  @Override
  public HeatmapAccumulator reduce(HeatmapAccumulator acc, Row input) {
    EncodedHeatmap h =
        HeatmapRows.heatmap(HeatmapSql.AVG, input.isNullAt(0) ? null : input.getStruct(0));
    if (h != null) {
      acc.add(h);
    }
    return acc;
  }

  @Override
  public HeatmapAccumulator merge(HeatmapAccumulator a, HeatmapAccumulator b) {
    a.merge(b);
    return a;
  }

  @Override
  public Row finish(HeatmapAccumulator acc) {
    EncodedHeatmap mean = acc.mean();
    return mean == null ? RowFactory.create(null, null, null, null, null) : HeatmapRows.row(mean);
  }

  @Override
  public Encoder<HeatmapAccumulator> bufferEncoder() {
    return Encoders.bean(HeatmapAccumulator.class);
  }

  @Override
  public Encoder<Row> outputEncoder() {
    return Encoders.row(HeatmapRows.TYPE);
  }
}
