package org.sparksaliency.udf.hive;

import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/**
 * {@code heatmap_iou(h, q, x0, y0, x1, y1)}: IoU of a normalised box with the cells above the
 * q-quantile.
 */
public final class HeatmapIouUdf extends HeatmapUdf {
  private transient HiveHeatmap h;
  private transient HiveNumber q;
  private transient HiveBox box;

  public HeatmapIouUdf() {
    super(HeatmapSql.IOU, "h, q, x0, y0, x1, y1");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    requireArguments(arguments, 6);
    h = heatmap(arguments, 0);
    q = number(arguments, 1, "q");
    box = HiveBox.of(this, arguments, 2);
    return PrimitiveObjectInspectorFactory.javaDoubleObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    EncodedHeatmap e = h.read(arguments[0].get());
    Double quantile = q.read(arguments[1].get());
    double[] b = box.read(arguments, 2);
    return e == null || quantile == null || b == null
        ? null
        : HeatmapSql.iou(e, quantile, b[0], b[1], b[2], b[3]);
  }
}
