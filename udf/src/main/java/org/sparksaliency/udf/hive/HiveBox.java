package org.sparksaliency.udf.hive;

import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.ql.metadata.HiveException;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF.DeferredObject;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;

/** Four consecutive numeric arguments x0, y0, x1, y1: a box in normalised image coordinates. */
final class HiveBox {
  private static final String[] NAMES = {"x0", "y0", "x1", "y1"};
  private final HiveNumber[] corners;

  private HiveBox(HiveNumber[] corners) {
    this.corners = corners;
  }

  static HiveBox of(HeatmapUdf udf, ObjectInspector[] arguments, int first)
      throws UDFArgumentTypeException {
    HiveNumber[] corners = new HiveNumber[4];
    for (int i = 0; i < 4; i++) {
      corners[i] = udf.number(arguments, first + i, NAMES[i]);
    }
    return new HiveBox(corners);
  }

  /** {x0, y0, x1, y1}, or null if any is null. */
  double[] read(DeferredObject[] arguments, int first) throws HiveException {
    double[] box = new double[4];
    for (int i = 0; i < 4; i++) {
      Double v = corners[i].read(arguments[first + i].get());
      if (v == null) {
        return null;
      }
      box[i] = v;
    }
    return box;
  }
}
