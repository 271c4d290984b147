package org.sparksaliency.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar holds every class its relocated references name. A library that a Spark line
 * provides nearer than DJL does (commons-io on Spark 4) is left out of the jar by Maven, while the
 * shade plugin still rewrites the references to its relocated name: the jar then fails at run time,
 * on the cluster only.
 */
class ShadedJarIT {
  private static final Pattern RELOCATED =
      Pattern.compile("org/sparksaliency/shaded/[A-Za-z0-9_/$]+");

  @Test
  void everyRelocatedClassThatTheJarNamesIsInIt() throws IOException {
    Path jar = Path.of(System.getProperty("saliency.it.jar"));
    Set<String> classes = new TreeSet<>();
    Set<String> named = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry e : java.util.Collections.list(zip.entries())) {
        if (!e.getName().endsWith(".class")) {
          continue;
        }
        classes.add(e.getName().substring(0, e.getName().length() - ".class".length()));
        try (InputStream in = zip.getInputStream(e)) {
          // Class names in the constant pool are modified UTF-8; ASCII names read the same as
          // ISO-8859-1.
          Matcher m = RELOCATED.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
          while (m.find()) {
            named.add(m.group());
          }
        }
      }
    }
    // Class names start with a capital letter; the rest are packages and resource paths (codec's
    // language/bm/).
    named.removeIf(
        n -> n.endsWith("/") || !Character.isUpperCase(n.charAt(n.lastIndexOf('/') + 1)));
    assertThat(named)
        .as("relocated classes named in %s", jar.getFileName())
        .isNotEmpty()
        .isSubsetOf(classes);
  }
}
