package org.sparksaliency.udf.hive;

import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/** {@code heatmap_similarity(h1, h2)}: Spearman rank correlation of two maps of one size. */
public final class HeatmapSimilarityUdf extends HeatmapUdf {
  private transient HiveHeatmap h1;
  private transient HiveHeatmap h2;

  public HeatmapSimilarityUdf() {
    super(HeatmapSql.SIMILARITY, "h1, h2");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    requireArguments(arguments, 2);
    h1 = heatmap(arguments, 0);
    h2 = heatmap(arguments, 1);
    return PrimitiveObjectInspectorFactory.javaDoubleObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    EncodedHeatmap a = h1.read(arguments[0].get());
    EncodedHeatmap b = h2.read(arguments[1].get());
    return a == null || b == null ? null : HeatmapSql.similarity(a, b);
  }
}
