package org.sparksaliency.job.sql;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.sparksaliency.udf.HeatmapSql;

/**
 * The udf jar for {@code USING JAR}: the built one when Maven's reactor put it on the classpath
 * ({@code mvn verify}), else a jar made here from the module's compiled classes ({@code mvn test},
 * before packaging).
 */
final class UdfJar {
  private UdfJar() {}

  static Path locate(Path scratch) throws IOException {
    Path location;
    try {
      location =
          Path.of(HeatmapSql.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    if (Files.isRegularFile(location)) {
      return location;
    }
    Path jar = scratch.resolve("saliency-udf.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> walk = Files.walk(location)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(location.relativize(p).toString().replace('\\', '/')));
        out.write(Files.readAllBytes(p));
        out.closeEntry();
      }
    }
    return jar;
  }

  /** Names of the class files in a jar, for checking that it holds what functions.sql names. */
  static List<String> entries(Path jar) throws IOException {
    try (java.util.jar.JarFile f = new java.util.jar.JarFile(jar.toFile())) {
      return f.stream().map(JarEntry::getName).toList();
    }
  }
}
