package org.sparksaliency.job.input;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Reading input images from any Hadoop filesystem, and the content hash that names them ({@code
 * image_id}).
 */
public final class InputFiles {
  private InputFiles() {}

  /**
   * At most {@code maxBytes + 1} bytes of {@code path}: a result longer than {@code maxBytes} tells
   * the caller the file is too large without reading the rest of it.
   */
  public static byte[] readAtMost(String path, Configuration conf, long maxBytes)
      throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    try (InputStream in = fs.open(p)) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    }
  }

  /** {@link #readAtMost}, failing with "larger than --max-file-bytes" when the file is larger. */
  public static byte[] read(String path, Configuration conf, long maxBytes) throws IOException {
    byte[] bytes = readAtMost(path, conf, maxBytes);
    if (bytes.length > maxBytes) {
      throw new IOException("larger than --max-file-bytes");
    }
    return bytes;
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
