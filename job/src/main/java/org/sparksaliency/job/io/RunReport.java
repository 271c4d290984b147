package org.sparksaliency.job.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Writes {@code run.json}: the effective configuration, versions, model id, counts and timings. */
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

  /** A map that keeps insertion order, for readable JSON. */
  public static Map<String, Object> ordered() {
    return new LinkedHashMap<>();
  }
}
