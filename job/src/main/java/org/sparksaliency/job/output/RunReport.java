package org.sparksaliency.job.output;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.io.Redaction;
import scala.Tuple2;

/**
 * Writes {@code run.json}: the effective configuration (with the Spark and Hadoop settings, secrets
 * hidden), versions, model id, counts and timings.
 */
public final class RunReport {
  private RunReport() {}

  public static void write(String outputUri, Map<String, Object> report, Configuration conf) {
    Path p = new Path(outputUri, "run.json");
    try {
      FileSystem fs = p.getFileSystem(conf);
      try (OutputStream out = fs.create(p, true)) {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out, report);
      }
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write " + p + ": " + e.getMessage(), e);
    }
  }

  /** Every Spark setting of the running application, sorted, secrets hidden ({@link Redaction}). */
  public static Map<String, String> sparkConf(SparkSession spark) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (Tuple2<String, String> t : spark.sparkContext().getConf().getAll()) {
      entries.add(Map.entry(t._1(), t._2()));
    }
    return Redaction.settings(entries);
  }

  /**
   * The Hadoop settings that differ from Hadoop's built-in defaults (from *-site.xml files,
   * spark.hadoop.* or code), sorted, secrets hidden: the filesystem settings the run used.
   */
  public static Map<String, String> hadoopConf(Configuration conf) {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (Map.Entry<String, String> e : conf) {
      String[] sources = conf.getPropertySources(e.getKey());
      boolean builtIn =
          sources != null
              && sources.length > 0
              && Arrays.stream(sources).allMatch(RunReport::isDefaultResource);
      if (!builtIn) {
        entries.add(e);
      }
    }
    return Redaction.settings(entries);
  }

  private static boolean isDefaultResource(String source) {
    return source.endsWith("-default.xml");
  }

  /** A map that keeps insertion order, for readable JSON. */
  public static Map<String, Object> ordered() {
    return new LinkedHashMap<>();
  }
}
