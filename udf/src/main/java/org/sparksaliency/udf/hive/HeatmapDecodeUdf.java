package org.sparksaliency.udf.hive;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/** {@code heatmap_decode(h)}: array&lt;float&gt; of raw values, row-major. */
public final class HeatmapDecodeUdf extends HeatmapUdf {
  private transient HiveHeatmap h;

  public HeatmapDecodeUdf() {
    super(HeatmapSql.DECODE, "h");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    requireArguments(arguments, 1);
    h = heatmap(arguments, 0);
    return ObjectInspectorFactory.getStandardListObjectInspector(
        PrimitiveObjectInspectorFactory.javaFloatObjectInspector);
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    EncodedHeatmap e = h.read(arguments[0].get());
    if (e == null) {
      return null;
    }
    float[] values = HeatmapSql.decode(e);
    List<Float> out = new ArrayList<>(values.length);
    for (float v : values) {
      out.add(v);
    }
    return out;
  }
}
