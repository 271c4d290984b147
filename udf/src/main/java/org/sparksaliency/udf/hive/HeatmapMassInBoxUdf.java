package org.sparksaliency.udf.hive;

import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/**
 * {@code heatmap_mass_in_box(h, x0, y0, x1, y1)}: share of the |v| mass inside a normalised box.
 */
public final class HeatmapMassInBoxUdf extends HeatmapUdf {
  private transient HiveHeatmap h;
  private transient HiveBox box;

  public HeatmapMassInBoxUdf() {
    super(HeatmapSql.MASS_IN_BOX, "h, x0, y0, x1, y1");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    requireArguments(arguments, 5);
    h = heatmap(arguments, 0);
    box = HiveBox.of(this, arguments, 1);
    return PrimitiveObjectInspectorFactory.javaDoubleObjectInspector;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    EncodedHeatmap e = h.read(arguments[0].get());
    double[] b = box.read(arguments, 1);
    return e == null || b == null ? null : HeatmapSql.massInBox(e, b[0], b[1], b[2], b[3]);
  }
}
