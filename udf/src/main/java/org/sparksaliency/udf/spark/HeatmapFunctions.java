package org.sparksaliency.udf.spark;

import static org.sparksaliency.udf.spark.HeatmapRows.heatmap;
import static org.sparksaliency.udf.spark.HeatmapRows.number;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.UDFRegistration;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapSql;

/**
 * Registers the heatmap SQL functions on a SparkSession, as temporary functions of that session:
 *
 * <pre>{@code
 * HeatmapFunctions.register(spark);
 * spark.sql("SELECT heatmap_peak(struct(heatmap, heatmap_min, heatmap_max, heatmap_height, heatmap_width)) FROM h");
 * }</pre>
 *
 * <p>Semantics are those of {@link HeatmapSql}; a null argument gives null. Numeric arguments may
 * be of any SQL numeric type. Sessions with Hive support can instead create the same functions
 * permanently from SQL with {@code conf/functions.sql}.
 */
public final class HeatmapFunctions {
  /** Result type of {@code heatmap_peak}. */
  public static final StructType PEAK_TYPE =
      new StructType().add("x", DataTypes.DoubleType, false).add("y", DataTypes.DoubleType, false);

  private HeatmapFunctions() {}

  /** Registers every function in {@link HeatmapSql#FUNCTIONS}, replacing any of the same name. */
  public static void register(SparkSession spark) {
    UDFRegistration udf = spark.udf();
    udf.register(
        HeatmapSql.DECODE,
        (UDF1<Row, float[]>) HeatmapFunctions::decode,
        DataTypes.createArrayType(DataTypes.FloatType, false));
    udf.register(
        HeatmapSql.RESIZE, (UDF2<Row, Object, Row>) HeatmapFunctions::resize, HeatmapRows.TYPE);
    udf.register(
        HeatmapSql.MASS_IN_BOX,
        (UDF5<Row, Object, Object, Object, Object, Double>) HeatmapFunctions::massInBox,
        DataTypes.DoubleType);
    udf.register(
        HeatmapSql.IOU,
        (UDF6<Row, Object, Object, Object, Object, Object, Double>) HeatmapFunctions::iou,
        DataTypes.DoubleType);
    udf.register(HeatmapSql.PEAK, (UDF1<Row, Row>) HeatmapFunctions::peak, PEAK_TYPE);
    udf.register(
        HeatmapSql.PNG, (UDF2<Row, String, byte[]>) HeatmapFunctions::png, DataTypes.BinaryType);
    udf.register(
        HeatmapSql.OVERLAY,
        (UDF3<byte[], Row, Object, byte[]>) HeatmapFunctions::overlay,
        DataTypes.BinaryType);
    udf.register(
        HeatmapSql.SIMILARITY,
        (UDF2<Row, Row, Double>) HeatmapFunctions::similarity,
        DataTypes.DoubleType);
    udf.register(
        HeatmapSql.AVG,
        functions.udaf(new HeatmapAvgAggregator(), Encoders.row(HeatmapAvgAggregator.INPUT)));
  }

  private static float[] decode(Row h) {
    EncodedHeatmap e = heatmap(HeatmapSql.DECODE, h);
    return e == null ? null : HeatmapSql.decode(e);
  }

  private static Row resize(Row h, Object n) {
    EncodedHeatmap e = heatmap(HeatmapSql.RESIZE, h);
    return e == null || n == null
        ? null
        : HeatmapRows.row(HeatmapSql.resize(e, number(HeatmapSql.RESIZE, "n", n)));
  }

  private static Double massInBox(Row h, Object x0, Object y0, Object x1, Object y1) {
    EncodedHeatmap e = heatmap(HeatmapSql.MASS_IN_BOX, h);
    if (e == null || anyNull(x0, y0, x1, y1)) {
      return null;
    }
    double[] box = box(HeatmapSql.MASS_IN_BOX, x0, y0, x1, y1);
    return HeatmapSql.massInBox(e, box[0], box[1], box[2], box[3]);
  }

  private static Double iou(Row h, Object q, Object x0, Object y0, Object x1, Object y1) {
    EncodedHeatmap e = heatmap(HeatmapSql.IOU, h);
    if (e == null || anyNull(q, x0, y0, x1, y1)) {
      return null;
    }
    double[] box = box(HeatmapSql.IOU, x0, y0, x1, y1);
    return HeatmapSql.iou(e, number(HeatmapSql.IOU, "q", q), box[0], box[1], box[2], box[3]);
  }

  private static Row peak(Row h) {
    EncodedHeatmap e = heatmap(HeatmapSql.PEAK, h);
    if (e == null) {
      return null;
    }
    double[] p = HeatmapSql.peak(e);
    return RowFactory.create(p[0], p[1]);
  }

  private static byte[] png(Row h, String colormap) {
    EncodedHeatmap e = heatmap(HeatmapSql.PNG, h);
    return e == null || colormap == null ? null : HeatmapSql.png(e, colormap);
  }

  private static byte[] overlay(byte[] image, Row h, Object alpha) {
    EncodedHeatmap e = heatmap(HeatmapSql.OVERLAY, h);
    return e == null || image == null || alpha == null
        ? null
        : HeatmapSql.overlay(image, e, number(HeatmapSql.OVERLAY, "alpha", alpha));
  }

  private static Double similarity(Row h1, Row h2) {
    EncodedHeatmap a = heatmap(HeatmapSql.SIMILARITY, h1);
    EncodedHeatmap b = heatmap(HeatmapSql.SIMILARITY, h2);
    return a == null || b == null ? null : HeatmapSql.similarity(a, b);
  }

  private static double[] box(String function, Object x0, Object y0, Object x1, Object y1) {
    return new double[] {
      number(function, "x0", x0),
      number(function, "y0", y0),
      number(function, "x1", x1),
      number(function, "y1", y1)
    };
  }

  private static boolean anyNull(Object... values) {
    for (Object v : values) {
      if (v == null) {
        return true;
      }
    }
    return false;
  }
}
