package org.sparksaliency.job.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes a folder holding every kind of file a bucket of images meets, generated here (nothing
 * binary is checked in), and says what the job must make of each: heatmaps of a given original
 * size, or a quarantine row with a given reason.
 *
 * <p>"Input file" means a file under the folder whose name matches the job's {@code --input-glob}
 * (by default image extensions). The folder also holds files that do not match ({@link
 * #NOT_INPUTS}): they are not input files and must appear in no table. The text file that
 * <em>is</em> an input is {@code notes.png}: text under an image name, as a broken upload leaves
 * it.
 */
public final class InputFolder {
  /** Size of the sparse {@code huge.jpg}: 0.5 GB, above the default --max-file-bytes of 256 MiB. */
  public static final long HUGE_BYTES = 512L << 20;

  /**
   * Files written beside the inputs that are not input files: names the default glob does not
   * match, and names starting with {@code _} or {@code .}, which Spark's file listing skips (its
   * convention for hidden and metadata files) whatever the glob.
   */
  public static final List<String> NOT_INPUTS =
      List.of("notes.txt", "README", "nested/_draft.jpg", "nested/.hidden.jpg");

  /**
   * What the job must make of one input file.
   *
   * @param file path relative to the folder
   * @param reason quarantine reason code, or null for "a heatmap per method"
   * @param width original width after EXIF orientation (heatmap files only)
   * @param height original height after EXIF orientation (heatmap files only)
   */
  public record Expected(String file, String reason, int width, int height) {
    public boolean heatmap() {
      return reason == null;
    }
  }

  private InputFolder() {}

  /** Writes every file into {@code dir} and returns the expectation for each input file. */
  public static List<Expected> write(Path dir) {
    List<Expected> out = new ArrayList<>();
    Random random = new Random(20240611);
    // Decodable: each becomes one heatmap per method.
    out.add(put(dir, "photo.jpg", TestImages.jpeg(scene(48, 32, 1)), 48, 32));
    out.add(put(dir, "UPPER.JPG", TestImages.jpeg(scene(30, 30, 2)), 30, 30));
    out.add(put(dir, "nested/photo.png", TestImages.write(scene(20, 28, 3), "png"), 20, 28));
    out.add(put(dir, "nested/deeper/photo.jpeg", TestImages.jpeg(scene(33, 17, 4)), 33, 17));
    out.add(put(dir, "name with spaces, 100% ü.jpg", TestImages.jpeg(scene(27, 19, 8)), 27, 19));
    out.add(put(dir, "grey.png", TestImages.write(grey(40, 30), "png"), 40, 30));
    out.add(put(dir, "palette.png", TestImages.write(palette(24, 24), "png"), 24, 24));
    out.add(put(dir, "grey16.png", TestImages.write(grey16(25, 20), "png"), 25, 20));
    out.add(put(dir, "alpha.png", TestImages.write(alpha(26, 22), "png"), 26, 22));
    out.add(put(dir, "cmyk.jpg", TestImages.jpeg(cmyk(32, 24)), 32, 24));
    out.add(put(dir, "animated.gif", animatedGif(), 18, 14));
    // Stored 40 × 20 with EXIF orientation 6 (rotate 90° clockwise to view): the image is 20 wide,
    // 40 high.
    out.add(
        put(
            dir,
            "rotated.jpg",
            TestImages.withExif(TestImages.jpeg(scene(40, 20, 5)), 6, true),
            20,
            40));
    out.add(put(dir, "image.bmp", TestImages.write(scene(21, 19, 6), "bmp"), 21, 19));
    out.add(put(dir, "scan.tif", TestImages.write(scene(23, 31, 7), "tiff"), 23, 31));
    out.add(put(dir, "pages.TIFF", formatSample("tiff_multipage.tif"), 20, 20));
    out.add(put(dir, "lossless.webp", formatSample("webp_alpha.webp"), 20, 20));
    // Not usable: each becomes one quarantine row with method null.
    out.add(put(dir, "empty.jpg", new byte[0], "empty_file"));
    byte[] noise = new byte[4096];
    random.nextBytes(noise);
    noise[0] = 0x35; // not 0x00: a WBMP probe could take that for a header
    out.add(put(dir, "random.jpg", noise, "unsupported_format"));
    out.add(
        put(
            dir,
            "notes.png",
            "Meeting notes\nBring the photos.\n".getBytes(StandardCharsets.UTF_8),
            "unsupported_format"));
    out.add(put(dir, "lossy.webp", formatSample("webp_lossy.webp"), "unsupported_format"));
    byte[] jpeg = TestImages.jpeg(noisy(64, 64, random));
    out.add(put(dir, "truncated.jpg", Arrays.copyOf(jpeg, jpeg.length * 6 / 10), "decode_failed"));
    byte[] png = TestImages.write(noisy(64, 64, random), "png");
    out.add(put(dir, "truncated.png", Arrays.copyOf(png, png.length / 2), "decode_failed"));
    out.add(put(dir, "bomb.png", TestImages.png(50_000, 50_000, 8, 2, new byte[64]), "too_large"));
    out.add(sparse(dir, "huge.jpg", HUGE_BYTES));
    for (String name : NOT_INPUTS) {
      writeFile(dir.resolve(name), ("not an input: " + name).getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  /**
   * Writes {@code count} good JPEGs {@code scene-<seed>.jpg} of different sizes and content, seeds
   * from {@code firstSeed}, and returns their paths.
   */
  public static List<Path> scenes(Path dir, int count, int firstSeed) {
    List<Path> out = new ArrayList<>();
    for (int seed = firstSeed; seed < firstSeed + count; seed++) {
      Path p = dir.resolve(String.format("scene-%03d.jpg", seed));
      writeFile(p, TestImages.jpeg(scene(24 + seed % 13, 20 + seed % 7, seed)));
      out.add(p);
    }
    return out;
  }

  /**
   * Writes a 20 × 20 PNG of colour {@code rgb} with a faint diagonal gradient (so maps are not
   * flat).
   */
  public static Path plain(Path file, int rgb) {
    BufferedImage image = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        int d = x + y;
        int r = Math.min(255, Math.max(0, ((rgb >> 16) & 0xFF) + d - 20));
        int g = Math.min(255, Math.max(0, ((rgb >> 8) & 0xFF) + d - 20));
        int b = Math.min(255, Math.max(0, (rgb & 0xFF) + d - 20));
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    writeFile(file, TestImages.write(image, "png"));
    return file;
  }

  private static Expected put(Path dir, String name, byte[] bytes, int width, int height) {
    writeFile(dir.resolve(name), bytes);
    return new Expected(name, null, width, height);
  }

  private static Expected put(Path dir, String name, byte[] bytes, String reason) {
    writeFile(dir.resolve(name), bytes);
    return new Expected(name, reason, 0, 0);
  }

  /**
   * A file of {@code size} bytes that takes no disk space: the job must quarantine it without
   * reading it.
   */
  private static Expected sparse(Path dir, String name, long size) {
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve(name).toFile(), "rw")) {
      f.setLength(size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Expected(name, "too_large", 0, 0);
  }

  /**
   * A file of {@code src/test/resources/formats}, written by sample-data/make_format_samples.py.
   */
  private static byte[] formatSample(String name) {
    try (java.io.InputStream in =
        java.util.Objects.requireNonNull(
            InputFolder.class.getResourceAsStream("/formats/" + name), name)) {
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read test resource formats/" + name, e);
    }
  }

  private static void writeFile(Path p, byte[] bytes) {
    try {
      Files.createDirectories(p.getParent());
      Files.write(p, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Smooth colour gradients with a bright disc, different for each seed, so that heatmaps are not
   * flat.
   */
  static BufferedImage scene(int width, int height, int seed) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    double cx = width * (0.3 + 0.07 * seed % 0.4);
    double cy = height * 0.5;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean disc = Math.hypot(x - cx, y - cy) < Math.min(width, height) / 4.0;
        int r = disc ? 240 : (x * 255 / width + 30 * seed) % 256;
        int g = disc ? 220 : (y * 255 / height) % 256;
        int b = (x + y + 40 * seed) % 256;
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return image;
  }

  private static BufferedImage noisy(int width, int height, Random random) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt());
      }
    }
    return image;
  }

  private static BufferedImage grey(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x * 6 + y * 3) % 256);
      }
    }
    return image;
  }

  private static BufferedImage grey16(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_USHORT_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x * 2500 + y * 700) % 65536);
      }
    }
    return image;
  }

  private static BufferedImage palette(int width, int height) {
    byte[] r = {(byte) 250, 0, 10, (byte) 255};
    byte[] g = {10, (byte) 128, 20, (byte) 255};
    byte[] b = {20, 0, (byte) 200, (byte) 255};
    BufferedImage image =
        new BufferedImage(
            width, height, BufferedImage.TYPE_BYTE_BINARY, new IndexColorModel(2, 4, r, g, b));
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, (x / 6 + y / 6) % 4);
      }
    }
    return image;
  }

  private static BufferedImage alpha(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int a = (x * 255 / width) & 0xFF;
        image.setRGB(x, y, (a << 24) | 0x2080C0 + y * 5);
      }
    }
    return image;
  }

  /** Four stored components (no Adobe segment): the JDK writes them as CMYK ink. */
  private static Raster cmyk(int width, int height) {
    WritableRaster raster =
        Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        raster.setPixel(x, y, new int[] {x * 8 % 256, y * 10 % 256, 60, 20});
      }
    }
    return raster;
  }

  private static byte[] animatedGif() {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      for (int frame = 0; frame < 3; frame++) {
        BufferedImage indexed = new BufferedImage(18, 14, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.getGraphics().drawImage(scene(18, 14, 7 + frame), 0, 0, null);
        writer.writeToSequence(new IIOImage(indexed, null, null), null);
      }
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
