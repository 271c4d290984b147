package org.sparksaliency.udf.spark;

import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/** The heatmap struct {@code h} as Spark hands it to a function ({@link Row}) and takes it back. */
public final class HeatmapRows {
  /** {@link HeatmapSql#H_TYPE}. */
  public static final StructType TYPE =
      new StructType()
          .add(HeatmapSql.FIELDS.get(0), DataTypes.BinaryType)
          .add(HeatmapSql.FIELDS.get(1), DataTypes.FloatType)
          .add(HeatmapSql.FIELDS.get(2), DataTypes.FloatType)
          .add(HeatmapSql.FIELDS.get(3), DataTypes.IntegerType)
          .add(HeatmapSql.FIELDS.get(4), DataTypes.IntegerType);

  private HeatmapRows() {}

  /**
   * The heatmap in {@code h}, or null when {@code h} or one of its fields is null.
   *
   * @throws IllegalArgumentException if the struct's fields are not {@link HeatmapSql#FIELDS} in
   *     order
   */
  public static EncodedHeatmap heatmap(String function, Row h) {
    if (h == null) {
      return null;
    }
    if (h.schema() != null && !Arrays.asList(h.schema().fieldNames()).equals(HeatmapSql.FIELDS)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot compute %s: h must be struct(%s) in this order (got %s)",
              function, String.join(", ", HeatmapSql.FIELDS), h.schema().simpleString()));
    }
    for (int i = 0; i < HeatmapSql.FIELDS.size(); i++) {
      if (h.isNullAt(i)) {
        return null;
      }
    }
    if (!(h.get(0) instanceof byte[])) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot compute %s: the field heatmap must be binary (got %s)",
              function, h.get(0).getClass().getSimpleName()));
    }
    return HeatmapSql.heatmap(
        function,
        (byte[]) h.get(0),
        number(function, HeatmapSql.FIELDS.get(1), h.get(1)),
        number(function, HeatmapSql.FIELDS.get(2), h.get(2)),
        number(function, HeatmapSql.FIELDS.get(3), h.get(3)),
        number(function, HeatmapSql.FIELDS.get(4), h.get(4)));
  }

  /** {@code h} for a heatmap, in the field order of {@link #TYPE}. */
  public static Row row(EncodedHeatmap heatmap) {
    return RowFactory.create(
        heatmap.bytes(), heatmap.min(), heatmap.max(), heatmap.height(), heatmap.width());
  }

  /** A numeric argument of any SQL numeric type (Spark passes decimal literals as BigDecimal). */
  static double number(String function, String name, Object value) {
    if (!(value instanceof Number)) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot compute %s: %s must be a number (got %s)",
              function, name, value == null ? "null" : value.getClass().getSimpleName()));
    }
    return ((Number) value).doubleValue();
  }
}
