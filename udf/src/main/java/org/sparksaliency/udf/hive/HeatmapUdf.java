package org.sparksaliency.udf.hive;

import org.apache.hadoop.hive.ql.exec.UDFArgumentLengthException;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.ql.udf.generic.GenericUDF;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector.PrimitiveCategory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorUtils;

/**
 * Base of the Hive-compatible scalar heatmap functions: argument checks with messages that name the
 * function, and Hive's display string. Subclasses convert arguments and call {@link
 * org.sparksaliency.udf.HeatmapSql}; their inspectors are transient because Spark initialises each
 * copy of the function where it runs.
 */
abstract class HeatmapUdf extends GenericUDF {
  private final String name;
  private final String signature;

  /**
   * @param name SQL name of the function
   * @param signature its arguments, e.g. {@code "h, n"}
   */
  HeatmapUdf(String name, String signature) {
    this.name = name;
    this.signature = signature;
  }

  String name() {
    return name;
  }

  void requireArguments(ObjectInspector[] arguments, int count) throws UDFArgumentLengthException {
    if (arguments.length != count) {
      throw new UDFArgumentLengthException(
          String.format(
              "Cannot compute %s: it takes %d arguments (%s), got %d",
              name, count, signature, arguments.length));
    }
  }

  HiveHeatmap heatmap(ObjectInspector[] arguments, int position) throws UDFArgumentTypeException {
    return HiveHeatmap.of(name, position, arguments[position]);
  }

  HiveNumber number(ObjectInspector[] arguments, int position, String argument)
      throws UDFArgumentTypeException {
    return HiveNumber.of(name, argument, position, arguments[position]);
  }

  PrimitiveObjectInspector primitive(
      ObjectInspector[] arguments, int position, String argument, PrimitiveCategory... categories)
      throws UDFArgumentTypeException {
    if (arguments[position] instanceof PrimitiveObjectInspector) {
      PrimitiveObjectInspector p = (PrimitiveObjectInspector) arguments[position];
      for (PrimitiveCategory c : categories) {
        if (p.getPrimitiveCategory() == c) {
          return p;
        }
      }
    }
    throw new UDFArgumentTypeException(
        position,
        String.format(
            "Cannot compute %s: %s must be %s (got %s)",
            name,
            argument,
            categories[0].name().toLowerCase(java.util.Locale.ROOT),
            arguments[position].getTypeName()));
  }

  static String string(Object value, PrimitiveObjectInspector inspector) {
    return value == null ? null : PrimitiveObjectInspectorUtils.getString(value, inspector);
  }

  static byte[] binary(Object value, PrimitiveObjectInspector inspector) {
    return value == null ? null : (byte[]) inspector.getPrimitiveJavaObject(value);
  }

  @Override
  public String getDisplayString(String[] children) {
    return getStandardDisplayString(name, children);
  }
}
