package org.sparksaliency.job.input;

import java.io.Serializable;
import org.sparksaliency.job.option.ConfigException;

/**
 * Which columns of a Dataset of images the explainer reads.
 *
 * @param input the image: {@code binary} file content (Spark's {@code binaryFile} source), a {@code
 *     string} file path or URI that the tasks read, or Spark's {@code image} struct (origin,
 *     height, width, nChannels, mode, data)
 * @param path for binary input, the string column naming each image (the struct names it in {@code
 *     origin}, a string input is its own path)
 * @param label the label of each image, a class name (string) or class index (number); optional
 *     unless the target is the label
 */
public record ImageColumns(String input, String path, String label) implements Serializable {
  /**
   * {@code content}, {@code path}, {@code label}: a Dataset read with Spark's {@code binaryFile}
   * source.
   */
  public static final ImageColumns BINARY_FILE = new ImageColumns("content", "path", "label");

  /**
   * The file listing of the command line: {@code path} (read by the tasks), {@code length}, {@code
   * label}.
   */
  public static final ImageColumns FILE_PATHS = new ImageColumns("path", "path", "label");

  public ImageColumns {
    requireName("inputCol", input);
    requireName("pathCol", path);
    requireName("labelCol", label);
  }

  private static void requireName(String parameter, String name) {
    if (name == null || name.isBlank()) {
      throw new ConfigException("Cannot use " + parameter + ": it must name a column");
    }
  }
}
