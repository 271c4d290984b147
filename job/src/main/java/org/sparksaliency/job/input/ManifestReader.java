package org.sparksaliency.job.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.option.ConfigException;

/**
 * Reads the manifest CSV {@code path,label[,x0,y0,x1,y1]} as a Dataset keyed by fully qualified
 * path. A relative path is resolved against the manifest's folder; a path without scheme takes the
 * manifest's.
 */
public final class ManifestReader {
  static final List<String> REQUIRED = List.of("path", "label");
  static final List<String> BOX = List.of("x0", "y0", "x1", "y1");

  public static final StructType SCHEMA =
      new StructType()
          .add(ImageRows.PATH, DataTypes.StringType, false)
          .add(ImageRows.LABEL, DataTypes.StringType, true)
          .add(ImageRows.BOX_X0, DataTypes.DoubleType, true)
          .add(ImageRows.BOX_Y0, DataTypes.DoubleType, true)
          .add(ImageRows.BOX_X1, DataTypes.DoubleType, true)
          .add(ImageRows.BOX_Y1, DataTypes.DoubleType, true);

  private ManifestReader() {}

  /**
   * Checks the header on the driver, then reads the rows as a Dataset (never collected). The CSV
   * columns are the header's names as strings, given to Spark as the schema: without one, Spark
   * would run a job just to read the header line again.
   */
  public static Dataset<Row> read(SparkSession spark, String uri) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path manifest = new Path(uri);
    String base;
    List<String> columns;
    try {
      FileSystem fs = manifest.getFileSystem(conf);
      Path qualified = fs.makeQualified(manifest);
      base = qualified.getParent().toString();
      columns = checkHeader(uri, fs, qualified);
    } catch (IOException e) {
      throw ConfigException.of("manifest", "cannot read '%s' (%s)", uri, e.getMessage());
    }
    StructType csvSchema = new StructType();
    for (int i = 0; i < columns.size(); i++) {
      // An unnamed column gets the name Spark gives it when it reads the header itself.
      String name = columns.get(i).isEmpty() ? "_c" + i : columns.get(i);
      csvSchema = csvSchema.add(name, DataTypes.StringType, true);
    }
    Dataset<Row> csv =
        spark.read().schema(csvSchema).option("header", "true").option("mode", "FAILFAST").csv(uri);
    String baseUri = base;
    boolean box = columns.stream().anyMatch(BOX::contains);
    return csv.map((MapFunction<Row, Row>) r -> toRow(r, baseUri, box), Encoders.row(SCHEMA));
  }

  private static Row toRow(Row r, String base, boolean hasBox) {
    String path = r.getString(r.fieldIndex("path"));
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("Cannot read manifest row " + r + ": path is empty");
    }
    String label = r.getString(r.fieldIndex("label"));
    Double[] box = new Double[4];
    if (hasBox) {
      for (int i = 0; i < 4; i++) {
        String v = r.getString(r.fieldIndex(BOX.get(i)));
        box[i] = v == null || v.isBlank() ? null : Double.valueOf(v.trim());
      }
    }
    return RowFactory.create(
        resolve(base, path.trim()),
        label == null ? null : label.trim(),
        box[0],
        box[1],
        box[2],
        box[3]);
  }

  /**
   * The manifest path as the binaryFile source spells it (e.g. file:/data/a.jpg,
   * s3a://bucket/a.jpg).
   */
  static String resolve(String base, String path) {
    Path basePath = new Path(base);
    Path p = new Path(path);
    URI u = p.toUri();
    if (u.getScheme() == null) {
      URI b = basePath.toUri();
      p =
          p.isAbsolute()
              ? new Path(b.getScheme(), b.getAuthority(), u.getPath())
              : new Path(basePath, path);
    }
    return p.toString();
  }

  /** The header's column names, trimmed, after checking them. */
  private static List<String> checkHeader(String uri, FileSystem fs, Path p) throws IOException {
    String header;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
      header = r.readLine();
    }
    if (header == null) {
      throw ConfigException.of(
          "manifest", "'%s' is empty; expected a header path,label[,x0,y0,x1,y1]", uri);
    }
    List<String> cols = java.util.Arrays.stream(header.split(",", -1)).map(String::trim).toList();
    if (!cols.containsAll(REQUIRED)) {
      throw ConfigException.of(
          "manifest", "'%s' has header '%s'; expected path,label[,x0,y0,x1,y1]", uri, header);
    }
    boolean anyBox = cols.stream().anyMatch(BOX::contains);
    if (anyBox && !cols.containsAll(BOX)) {
      throw ConfigException.of(
          "manifest",
          "'%s' has a partial box header '%s'; expected all of x0,y0,x1,y1",
          uri,
          header);
    }
    for (String c : cols) {
      if ((REQUIRED.contains(c) || BOX.contains(c)) && cols.indexOf(c) != cols.lastIndexOf(c)) {
        throw ConfigException.of(
            "manifest", "'%s' has header '%s', which names column %s twice", uri, header, c);
      }
    }
    return cols;
  }
}
