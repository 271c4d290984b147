package org.sparksaliency.udf.hive;

import org.apache.hadoop.hive.ql.exec.UDFArgumentException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/** {@code heatmap_resize(h, n)}: the map area-resampled to n × n, as a heatmap struct. */
public final class HeatmapResizeUdf extends HeatmapUdf {
  private transient HiveHeatmap h;
  private transient HiveNumber n;

  public HeatmapResizeUdf() {
    super(HeatmapSql.RESIZE, "h, n");
  }

  @Override
  public ObjectInspector initialize(ObjectInspector[] arguments) throws UDFArgumentException {
    requireArguments(arguments, 2);
    h = heatmap(arguments, 0);
    n = number(arguments, 1, "n");
    return HiveHeatmap.RESULT;
  }

  @Override
  public Object evaluate(DeferredObject[] arguments) throws HiveException {
    EncodedHeatmap e = h.read(arguments[0].get());
    Double side = n.read(arguments[1].get());
    return e == null || side == null ? null : HiveHeatmap.struct(HeatmapSql.resize(e, side));
  }
}
