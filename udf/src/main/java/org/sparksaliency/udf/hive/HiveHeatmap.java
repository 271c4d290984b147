package org.sparksaliency.udf.hive;

import java.util.List;
import org.apache.hadoop.hive.ql.exec.UDFArgumentTypeException;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.ObjectInspectorFactory;
import org.apache.hadoop.hive.serde2.objectinspector.StructField;
import org.apache.hadoop.hive.serde2.objectinspector.StructObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.BinaryObjectInspector;
import org.apache.hadoop.hive.serde2.objectinspector.primitive.PrimitiveObjectInspectorFactory;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/**
 * The heatmap struct {@code h} in Hive's object-inspector terms: checked once, then read per row.
 */
final class HiveHeatmap {
  /** Inspector of an {@code h} result, built from {@code Object[]} as {@link #struct} makes. */
  static final StructObjectInspector RESULT =
      ObjectInspectorFactory.getStandardStructObjectInspector(
          HeatmapSql.FIELDS,
          List.of(
              PrimitiveObjectInspectorFactory.javaByteArrayObjectInspector,
              PrimitiveObjectInspectorFactory.javaFloatObjectInspector,
              PrimitiveObjectInspectorFactory.javaFloatObjectInspector,
              PrimitiveObjectInspectorFactory.javaIntObjectInspector,
              PrimitiveObjectInspectorFactory.javaIntObjectInspector));

  private final String function;
  private final StructObjectInspector inspector;
  private final List<? extends StructField> fields;
  private final BinaryObjectInspector bytes;
  private final HiveNumber[] numbers = new HiveNumber[4];

  private HiveHeatmap(String function, StructObjectInspector inspector)
      throws UDFArgumentTypeException {
    this.function = function;
    this.inspector = inspector;
    this.fields = inspector.getAllStructFieldRefs();
    this.bytes = (BinaryObjectInspector) fields.get(0).getFieldObjectInspector();
    for (int i = 1; i < fields.size(); i++) {
      numbers[i - 1] =
          HiveNumber.of(
              function, fields.get(i).getFieldName(), 0, fields.get(i).getFieldObjectInspector());
    }
  }

  /**
   * @param position 0-based argument position, for the error message
   * @throws UDFArgumentTypeException if the argument is not a struct of {@link HeatmapSql#FIELDS}
   *     in order with a binary first field
   */
  static HiveHeatmap of(String function, int position, ObjectInspector argument)
      throws UDFArgumentTypeException {
    if (argument instanceof StructObjectInspector) {
      List<? extends StructField> fields =
          ((StructObjectInspector) argument).getAllStructFieldRefs();
      boolean named = fields.size() == HeatmapSql.FIELDS.size();
      for (int i = 0; named && i < fields.size(); i++) {
        named = fields.get(i).getFieldName().equalsIgnoreCase(HeatmapSql.FIELDS.get(i));
      }
      if (named && fields.get(0).getFieldObjectInspector() instanceof BinaryObjectInspector) {
        return new HiveHeatmap(function, (StructObjectInspector) argument);
      }
    }
    throw new UDFArgumentTypeException(
        position,
        String.format(
            "Cannot compute %s: argument %d must be struct(%s) in this order, a %s (got %s)",
            function,
            position + 1,
            String.join(", ", HeatmapSql.FIELDS),
            HeatmapSql.H_TYPE,
            argument.getTypeName()));
  }

  /** The heatmap in {@code value}, or null when it or one of its fields is null. */
  EncodedHeatmap read(Object value) {
    if (value == null) {
      return null;
    }
    Object[] v = new Object[fields.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = inspector.getStructFieldData(value, fields.get(i));
      if (v[i] == null) {
        return null;
      }
    }
    return HeatmapSql.heatmap(
        function,
        bytes.getPrimitiveJavaObject(v[0]),
        numbers[0].read(v[1]),
        numbers[1].read(v[2]),
        numbers[2].read(v[3]),
        numbers[3].read(v[4]));
  }

  /** {@code h} for a heatmap, as {@link #RESULT} reads it. */
  static Object[] struct(EncodedHeatmap heatmap) {
    return new Object[] {
      heatmap.bytes(), heatmap.min(), heatmap.max(), heatmap.height(), heatmap.width()
    };
  }
}
