package org.sparksaliency.job.input;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.sparksaliency.job.option.ConfigException;

/** Reads the class-name file (one name per line, in class-index order) on the driver. */
public final class LabelsReader {
  private static final int MAX_CLASSES = 1_000_000;

  private LabelsReader() {}

  public static List<String> read(String uri, Configuration conf) {
    Path p = new Path(uri);
    List<String> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(p.getFileSystem(conf).open(p), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (out.size() >= MAX_CLASSES) {
          throw ConfigException.of("labels", "'%s' has more than %d lines", uri, MAX_CLASSES);
        }
        out.add(line.strip());
      }
    } catch (IOException e) {
      throw ConfigException.of("labels", "cannot read '%s' (%s)", uri, e.getMessage());
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    if (out.isEmpty()) {
      throw ConfigException.of("labels", "'%s' has no class names", uri);
    }
    return out;
  }
}
