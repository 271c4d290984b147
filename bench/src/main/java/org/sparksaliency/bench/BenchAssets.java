package org.sparksaliency.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The bench's inputs, generated once into the cache folder: ResNet TorchScript files and 224 × 224
 * JPEGs.
 */
final class BenchAssets {
  /** An exported model and its forward FLOPs per image. */
  record Model(String arch, Path file, double forwardFlops) {}

  private final Path home;
  private final Path cache;

  BenchAssets(Path home, Path cache) {
    this.home = home;
    this.cache = cache;
  }

  /**
   * The model, exported with /usr/bin/python3 sample-data/export_resnet.py if it is not in the
   * cache.
   */
  Model model(String arch) throws IOException, InterruptedException {
    return model(arch, "fp32");
  }

  /**
   * The near-free model of sample-data/export_tiny.py (conv 3 → 8, 8 × 8 at stride 8, ReLU, mean,
   * Linear), exported if it is not in the cache; its FLOPs are not counted.
   */
  Model tiny() throws IOException, InterruptedException {
    Path pt = cache.resolve("tiny.pt");
    if (!Files.exists(pt)) {
      Files.createDirectories(cache);
      Python.run(home, List.of("sample-data/export_tiny.py", "--out", pt.toString()));
    }
    return new Model("tiny", pt.toAbsolutePath(), Double.NaN);
  }

  /** The model in a variant of export_resnet.py: fp32, channels_last or bf16. */
  Model model(String arch, String variant) throws IOException, InterruptedException {
    String name = variant.equals("fp32") ? arch : arch + "-" + variant;
    Path pt = cache.resolve(name + ".pt");
    Path info = cache.resolve(name + ".json");
    if (!Files.exists(pt) || !Files.exists(info)) {
      Files.createDirectories(cache);
      Python.run(
          home,
          List.of(
              "sample-data/export_resnet.py",
              "--arch",
              arch,
              "--variant",
              variant,
              "--out-dir",
              cache.toString()));
    }
    double flops = new ObjectMapper().readTree(info.toFile()).get("flops_per_image").asDouble();
    return new Model(name, pt.toAbsolutePath(), flops);
  }

  /**
   * A folder holding exactly {@code count} JPEGs of 224 × 224 (smooth shapes on gradients, fixed
   * seed).
   */
  Path images(int count) {
    Path dir = cache.resolve("images-" + count);
    try {
      if (Files.isDirectory(dir)) {
        try (Stream<Path> s = Files.list(dir)) {
          if (s.count() == count) {
            return dir;
          }
        }
      }
      Files.createDirectories(dir);
      Random r = new Random(7);
      for (int i = 0; i < count; i++) {
        BufferedImage img = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(0, 0, randomColor(r), 224, 224, randomColor(r)));
        g.fillRect(0, 0, 224, 224);
        for (int k = 0; k < 6; k++) {
          g.setColor(randomColor(r));
          int w = 20 + r.nextInt(100);
          int h = 20 + r.nextInt(100);
          if (r.nextBoolean()) {
            g.fillOval(r.nextInt(200), r.nextInt(200), w, h);
          } else {
            g.fillRect(r.nextInt(200), r.nextInt(200), w, h);
          }
        }
        g.dispose();
        ImageIO.write(img, "jpg", dir.resolve(String.format("img%05d.jpg", i)).toFile());
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot generate the bench images in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The JPEG files of a folder, in name order. */
  static List<Path> files(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return new ArrayList<>(s.filter(p -> p.toString().endsWith(".jpg")).sorted().toList());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static Color randomColor(Random r) {
    return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
  }
}
