package org.sparksaliency.job.input;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Manifest files for the tests: the given lines, UTF-8. */
final class ManifestFiles {
  private ManifestFiles() {}

  /** Writes {@code lines} to {@code dir/name} and returns the file's path. */
  static String write(Path dir, String name, String... lines) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, List.of(lines), StandardCharsets.UTF_8);
    return p.toString();
  }
}
