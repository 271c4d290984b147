package org.sparksaliency.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;

/**
 * The bench's JPEGs through the job's decoder (ImageIO, resize, ImageNet normalisation), and its
 * speed.
 */
final class BenchDecoding {
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};
  private static final long MAX_PIXELS = 50_000_000L;

  private BenchDecoding() {}

  /** Each file as the model's CHW input of {@link BenchRun#IMAGE_SIZE}. */
  static List<float[]> decodeAll(List<Path> files) throws IOException {
    ImageDecoder decoder = decoder();
    List<float[]> images = new ArrayList<>(files.size());
    for (Path f : files) {
      images.add(((DecodedImage) decoder.decode(Files.readAllBytes(f))).chw());
    }
    return images;
  }

  /**
   * Decode speed of the job's decoder in one thread, as a task thread does it, after one warm-up
   * pass.
   */
  static String note(List<Path> files) throws IOException {
    ImageDecoder decoder = decoder();
    List<byte[]> bytes = new ArrayList<>();
    for (Path f : files) {
      bytes.add(Files.readAllBytes(f));
    }
    for (byte[] b : bytes) {
      decoder.decode(b);
    }
    long start = System.nanoTime();
    for (byte[] b : bytes) {
      decoder.decode(b);
    }
    double ips = bytes.size() / ((System.nanoTime() - start) / 1e9);
    return String.format(
        Locale.ROOT,
        "decode + resize + normalise of a 224x224 JPEG (ImageDecoder, ImageIO): %.0f images/s in one task thread",
        ips);
  }

  private static ImageDecoder decoder() {
    return new ImageDecoder(BenchRun.IMAGE_SIZE, MEAN, STD, MAX_PIXELS);
  }
}
