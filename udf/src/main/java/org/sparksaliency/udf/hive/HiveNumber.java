package org.sparksaliency.udf.hive;

import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.PrimitiveObjectInspector.PrimitiveCategory;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorUtils;

/** A numeric argument of any SQL numeric type (Spark passes literals such as 0.25 as decimals). */
final class HiveNumber {
  private static final Set<PrimitiveCategory> NUMERIC =
      EnumSet.of(
          PrimitiveCategory.BYTE,
          PrimitiveCategory.SHORT,
          PrimitiveCategory.INT,
          PrimitiveCategory.LONG,
          PrimitiveCategory.FLOAT,
          PrimitiveCategory.DOUBLE,
          PrimitiveCategory.DECIMAL);

  private final PrimitiveObjectInspector inspector;

  private HiveNumber(PrimitiveObjectInspector inspector) {
    this.inspector = inspector;
  }

  /**
   * @throws UDFArgumentTypeException if the argument is not numeric
   */
  static HiveNumber of(String function, String name, int position, ObjectInspector argument)
      throws UDFArgumentTypeException {
    if (argument instanceof PrimitiveObjectInspector
        && NUMERIC.contains(((PrimitiveObjectInspector) argument).getPrimitiveCategory())) {
      return new HiveNumber((PrimitiveObjectInspector) argument);
    }
    throw new UDFArgumentTypeException(
        position,
        String.format(
            "Cannot compute %s: %s must be a number (got %s)",
            function, name, argument.getTypeName()));
  }

  /** The value, or null for SQL null. */
  Double read(Object value) {
    return value == null ? null : PrimitiveObjectInspectorUtils.getDouble(value, inspector);
  }
}
