package org.sparksaliency.job.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The report's folder on any Hadoop filesystem: emptied first, so a rerun of a run id leaves no
 * stale image.
 */
final class ReportFiles {
  private final FileSystem fs;
  private final Path folder;

  private ReportFiles(FileSystem fs, Path folder) {
    this.fs = fs;
    this.folder = folder;
  }

  /** The folder, with whatever an earlier report of this run left there deleted. */
  static ReportFiles replace(String folder, Configuration conf) {
    Path p = new Path(folder);
    try {
      FileSystem fs = p.getFileSystem(conf);
      fs.delete(p, true);
      return new ReportFiles(fs, p);
    } catch (IOException e) {
      throw new IllegalStateException(
          "Cannot write report to " + folder + ": " + e.getMessage(), e);
    }
  }

  void write(String relative, byte[] bytes) {
    Path p = new Path(folder, relative);
    try (OutputStream out = fs.create(p, true)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot write report file " + p + ": " + e.getMessage(), e);
    }
  }

  void write(String relative, String text) {
    write(relative, text.getBytes(StandardCharsets.UTF_8));
  }
}
