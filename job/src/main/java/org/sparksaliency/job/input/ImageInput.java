package org.sparksaliency.job.input;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.FractionalType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.option.ConfigException;

/**
 * Checks a Dataset of images against {@link ImageColumns} (on the driver, from the schema alone)
 * and selects it into the rows the explain stage reads ({@link ImageRows}), with column expressions
 * only: no extra pass over the images.
 */
public final class ImageInput {
  /** The fields of Spark's image struct that are read (nChannels follows from mode). */
  private static final Map<String, DataType> IMAGE_STRUCT = new LinkedHashMap<>();

  static {
    IMAGE_STRUCT.put("origin", DataTypes.StringType);
    IMAGE_STRUCT.put("height", DataTypes.IntegerType);
    IMAGE_STRUCT.put("width", DataTypes.IntegerType);
    IMAGE_STRUCT.put("mode", DataTypes.IntegerType);
    IMAGE_STRUCT.put("data", DataTypes.BinaryType);
  }

  private static final String IMAGE_STRUCT_TEXT =
      "Spark's image struct (origin, height, width, nChannels, mode, data)";

  /** Spark's image source writes this mode (with no pixels) for a file it could not decode. */
  private static final int UNDEFINED_MODE = -1;

  private static final List<String> BOX =
      List.of(ImageRows.BOX_X0, ImageRows.BOX_Y0, ImageRows.BOX_X1, ImageRows.BOX_Y1);

  private enum Kind {
    FILE_CONTENT,
    FILE_PATH,
    PIXELS
  }

  private ImageInput() {}

  /** Throws a one-line {@link ConfigException} naming the parameter if the schema does not fit. */
  public static void check(StructType schema, ImageColumns columns, Target target) {
    kind(schema, columns);
    label(schema, columns, target);
    boxes(schema);
  }

  /**
   * The rows for {@link org.sparksaliency.job.run.Saliency#explain}, after {@link #check}.
   *
   * @param classNames the labels file's names (empty without one), for labels given as class
   *     indices
   */
  public static Dataset<Row> adapt(
      Dataset<Row> images, ImageColumns columns, Target target, List<String> classNames) {
    StructType schema = images.schema();
    List<Column> out = new ArrayList<>();
    Column input = col(quote(columns.input()));
    switch (kind(schema, columns)) {
      case FILE_CONTENT -> {
        out.add(nonNullPath(col(quote(columns.path()))));
        out.add(input.as(ImageRows.CONTENT));
      }
      case FILE_PATH -> {
        out.add(nonNullPath(input));
        StructField length = field(schema, ImageRows.LENGTH);
        if (length != null && length.dataType().equals(DataTypes.LongType)) {
          out.add(
              col(ImageRows.LENGTH)); // lets a file above --max-file-bytes be quarantined without
          // opening it
        }
      }
      case PIXELS -> {
        // A struct the image source could not decode (or one without pixels) is explained from its
        // origin file
        // instead, which gives the command line's heatmap or quarantine reason for it.
        Column usable =
            input
                .getField("mode")
                .notEqual(UNDEFINED_MODE)
                .and(input.getField("data").isNotNull())
                .and(input.getField("width").isNotNull())
                .and(input.getField("height").isNotNull());
        out.add(nonNullPath(hadoopPath(input.getField("origin"))));
        out.add(when(usable, input.getField("data")).as(ImageRows.CONTENT));
        out.add(when(usable, input.getField("mode")).as(ImageRows.PIXEL_TYPE));
        out.add(input.getField("width").as(ImageRows.PIXEL_WIDTH));
        out.add(input.getField("height").as(ImageRows.PIXEL_HEIGHT));
      }
    }
    StructField label = label(schema, columns, target);
    if (label != null) {
      out.add(
          labelText(col(quote(label.name())), label.dataType(), classNames).as(ImageRows.LABEL));
    }
    if (boxes(schema)) {
      for (String b : BOX) {
        out.add(col(b).cast(DataTypes.DoubleType).as(b));
      }
    }
    // --incremental: the heatmaps the output already holds for each path (see IncrementalOutput).
    if (field(schema, ImageRows.DONE_IMAGE_ID) != null
        && field(schema, ImageRows.DONE_METHODS) != null) {
      out.add(col(ImageRows.DONE_IMAGE_ID));
      out.add(col(ImageRows.DONE_METHODS));
    }
    return images.select(out.toArray(Column[]::new));
  }

  private static Kind kind(StructType schema, ImageColumns columns) {
    StructField input = field(schema, columns.input());
    if (input == null) {
      throw new ConfigException(
          String.format(
              "Cannot use inputCol: the images have no column '%s' (columns: %s)",
              columns.input(), names(schema)));
    }
    DataType type = input.dataType();
    if (type instanceof BinaryType) {
      StructField path = field(schema, columns.path());
      if (path == null || !(path.dataType() instanceof StringType)) {
        throw new ConfigException(
            String.format(
                "Cannot use pathCol: binary input '%s' needs a string column '%s' naming each image (columns: %s)",
                columns.input(), columns.path(), names(schema)));
      }
      return Kind.FILE_CONTENT;
    }
    if (type instanceof StringType) {
      return Kind.FILE_PATH;
    }
    if (type instanceof StructType struct) {
      for (Map.Entry<String, DataType> f : IMAGE_STRUCT.entrySet()) {
        StructField got = field(struct, f.getKey());
        if (got == null || !got.dataType().equals(f.getValue())) {
          throw new ConfigException(
              String.format(
                  "Cannot use inputCol: struct column '%s' has no %s field '%s'; expected %s",
                  columns.input(), f.getValue().simpleString(), f.getKey(), IMAGE_STRUCT_TEXT));
        }
      }
      return Kind.PIXELS;
    }
    throw new ConfigException(
        String.format(
            "Cannot use inputCol: column '%s' is %s; expected binary (file content), string (file path) or %s",
            columns.input(), type.simpleString(), IMAGE_STRUCT_TEXT));
  }

  /** The label column, or null when there is none and none is needed. */
  private static StructField label(StructType schema, ImageColumns columns, Target target) {
    StructField label = field(schema, columns.label());
    if (label == null) {
      if (target.needsLabel()) {
        throw new ConfigException(
            String.format(
                "Cannot use target: 'label' needs a label column '%s' in the images (columns: %s)",
                columns.label(), names(schema)));
      }
      return null;
    }
    if (!(label.dataType() instanceof StringType) && !(label.dataType() instanceof NumericType)) {
      throw new ConfigException(
          String.format(
              "Cannot use labelCol: column '%s' is %s; expected a class name (string) or class index (number)",
              columns.label(), label.dataType().simpleString()));
    }
    return label;
  }

  /** Whether the images have a box (all four columns, numeric); a partial box is an error. */
  private static boolean boxes(StructType schema) {
    List<String> present = BOX.stream().filter(b -> field(schema, b) != null).toList();
    if (present.isEmpty()) {
      return false;
    }
    for (String b : BOX) {
      StructField f = field(schema, b);
      if (f == null || !(f.dataType() instanceof NumericType)) {
        throw new ConfigException(
            String.format(
                "Cannot use the box columns: %s needs a number column '%s' too (columns: %s)",
                present, b, names(schema)));
      }
    }
    return true;
  }

  /**
   * Labels as the explain stage reads them: a class name, or (without a labels file) a class index
   * as digits. A number is a class index: with a labels file it becomes that class's name, so that
   * {@code label} reads like the command line's. Spark ML keeps class indices in double columns, so
   * a whole 2.0 counts as 2; 2.5, NaN or an index past the labels stay as they are and so name no
   * class.
   */
  private static Column labelText(Column label, DataType type, List<String> classNames) {
    if (!(type instanceof NumericType)) {
      return label;
    }
    Column whole = label.equalTo(floor(label)).and(label.geq(0));
    if (type instanceof FractionalType) {
      whole = whole.and(not(isnan(label)));
    }
    Column digits =
        when(whole, label.cast(DataTypes.LongType).cast(DataTypes.StringType))
            .otherwise(label.cast(DataTypes.StringType));
    if (classNames.isEmpty()) {
      return digits;
    }
    Column names = array(classNames.stream().map(functions::lit).toArray(Column[]::new));
    return when(
            whole.and(label.lt(classNames.size())),
            element_at(names, label.cast(DataTypes.IntegerType).plus(1)))
        .otherwise(digits);
  }

  /**
   * The image source names files as URIs ({@code file:///data/a.png}); Hadoop paths, and so {@code
   * binaryFile} and the command line, print an empty authority as {@code file:/data/a.png}. Same
   * spelling, same rows.
   */
  private static Column hadoopPath(Column origin) {
    return regexp_replace(origin, "^([A-Za-z][A-Za-z0-9+.-]*):///", "$1:/");
  }

  /** The result's path is never null; a row without one is quarantined as unreadable under "". */
  private static Column nonNullPath(Column path) {
    return coalesce(path, lit("")).as(ImageRows.PATH);
  }

  private static StructField field(StructType schema, String name) {
    return Arrays.stream(schema.fields())
        .filter(f -> f.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  private static String names(StructType schema) {
    return String.join(", ", schema.fieldNames());
  }

  private static String quote(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
