package org.sparksaliency.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;
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

  /**
   * The WebP reader that the job brings works from the shaded jar alone (its TwelveMonkeys
   * dependencies included) and is listed in the jar's merged ImageIO service file.
   */
  @Test
  void theWebpReaderWorksFromTheJarAlone() throws Exception {
    Path jar = Path.of(System.getProperty("saliency.it.jar"));
    String provider = "com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi";
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry services = zip.getEntry("META-INF/services/javax.imageio.spi.ImageReaderSpi");
      assertThat(services).as("ImageIO service file in %s", jar.getFileName()).isNotNull();
      try (InputStream in = zip.getInputStream(services)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains(provider);
      }
    }
    byte[] webp = Files.readAllBytes(Path.of("src/test/resources/formats/webp_lossless.webp"));
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      ImageReaderSpi spi =
          (ImageReaderSpi) loader.loadClass(provider).getConstructor().newInstance();
      ImageReader reader = spi.createReaderInstance();
      try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(webp))) {
        reader.setInput(in);
        BufferedImage image = reader.read(0);
        assertThat(image.getWidth()).isEqualTo(20);
        assertThat(image.getHeight()).isEqualTo(20);
      } finally {
        reader.dispose();
      }
    }
  }
}
