package org.sparksaliency.udf.hive;

import java.util.List;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/**
 * {@code heatmap_peak(h)}: struct&lt;x double, y double&gt;, the peak cell's centre in normalised
 * coordinates.
 */
public final class HeatmapPeakUdf extends HeatmapUdf {
  private transient HiveHeatmap h;

  public HeatmapPeakUdf() {
    super(HeatmapSql.PEAK, "h");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    requireArguments(arguments, 1);
    h = heatmap(arguments, 0);
    return ObjectInspectorFactory.getStandardStructObjectInspector(
        List.of("x", "y"),
        List.of(
            PrimitiveObjectInspectorFactory.javaDoubleObjectInspector,
            PrimitiveObjectInspectorFactory.javaDoubleObjectInspector));
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    EncodedHeatmap e = h.read(arguments[0].get());
    if (e == null) {
      return null;
    }
    double[] p = HeatmapSql.peak(e);
    return new Object[] {p[0], p[1]};
  }
}
