package org.sparksaliency.udf.hive;

import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector.PrimitiveCategory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/**
 * {@code heatmap_overlay(image_bytes, h, alpha)}: PNG of the image with the jet-coloured map
 * blended on.
 */
public final class HeatmapOverlayUdf extends HeatmapUdf {
  private transient PrimitiveObjectInspector image;
  private transient HiveHeatmap h;
  private transient HiveNumber alpha;

  public HeatmapOverlayUdf() {
    super(HeatmapSql.OVERLAY, "image_bytes, h, alpha");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    requireArguments(arguments, 3);
    image = primitive(arguments, 0, "image_bytes", PrimitiveCategory.BINARY);
    h = heatmap(arguments, 1);
    alpha = number(arguments, 2, "alpha");
    return PrimitiveObjectInspectorFactory.javaByteArrayObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    byte[] bytes = binary(arguments[0].get(), image);
    EncodedHeatmap e = h.read(arguments[1].get());
    Double a = alpha.read(arguments[2].get());
    return bytes == null || e == null || a == null ? null : HeatmapSql.overlay(bytes, e, a);
  }
}
