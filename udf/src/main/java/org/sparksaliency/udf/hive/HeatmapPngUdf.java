package org.sparksaliency.udf.hive;

import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector.PrimitiveCategory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/** {@code heatmap_png(h, colormap)}: PNG bytes, one pixel per cell, colormap 'viridis' or 'jet'. */
public final class HeatmapPngUdf extends HeatmapUdf {
  private transient HiveHeatmap h;
  private transient PrimitiveObjectInspector colormap;

  public HeatmapPngUdf() {
    super(HeatmapSql.PNG, "h, colormap");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    requireArguments(arguments, 2);
    h = heatmap(arguments, 0);
    colormap =
        primitive(
            arguments,
            1,
            "colormap",
            PrimitiveCategory.STRING,
            PrimitiveCategory.VARCHAR,
            PrimitiveCategory.CHAR);
    return PrimitiveObjectInspectorFactory.javaByteArrayObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    EncodedHeatmap e = h.read(arguments[0].get());
    String name = string(arguments[1].get(), colormap);
    return e == null || name == null ? null : HeatmapSql.png(e, name);
  }
}
