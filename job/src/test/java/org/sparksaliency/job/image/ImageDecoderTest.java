package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sparksaliency.job.image.TestImages.decoded;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Construction, thread safety and serialisation of the decoder. */
class ImageDecoderTest {
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  private static byte[] gradientJpeg(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, RgbPixels.pack(x * 255 / width, y * 255 / height, (x * y) & 0xff));
      }
    }
    return TestImages.jpeg(image);
  }

  @Test
  void rejectsInvalidArguments() {
    assertThatThrownBy(() -> new ImageDecoder(224, null, STD, 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("Cannot create image decoder: mean is null");
    assertThatThrownBy(() -> new ImageDecoder(224, MEAN, null, 1))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("Cannot create image decoder: std is null");
    assertThatThrownBy(() -> new ImageDecoder(0, MEAN, STD, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: imageSize must be in 1..16384, got 0");
    assertThatThrownBy(() -> new ImageDecoder(20_000, MEAN, STD, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: imageSize must be in 1..16384, got 20000");
    assertThatThrownBy(() -> new ImageDecoder(224, new float[] {0.5f, 0.5f}, STD, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: mean must have 3 values (R, G, B), got 2");
    assertThatThrownBy(() -> new ImageDecoder(224, MEAN, new float[] {1, 1, 1, 1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: std must have 3 values (R, G, B), got 4");
    assertThatThrownBy(() -> new ImageDecoder(224, MEAN, new float[] {1, 0, 1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: std[1] must be finite and above 0, got 0.0");
    assertThatThrownBy(() -> new ImageDecoder(224, MEAN, new float[] {1, 1, -2}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: std[2] must be finite and above 0, got -2.0");
    assertThatThrownBy(() -> new ImageDecoder(224, MEAN, new float[] {Float.NaN, 1, 1}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: std[0] must be finite and above 0, got NaN");
    assertThatThrownBy(
            () -> new ImageDecoder(224, new float[] {0, Float.POSITIVE_INFINITY, 0}, STD, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: mean[1] must be finite, got Infinity");
    assertThatThrownBy(() -> new ImageDecoder(224, MEAN, STD, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot create image decoder: maxPixels must be above 0, got 0");
  }

  @Test
  void copiesMeanAndStd() {
    float[] mean = MEAN.clone();
    ImageDecoder decoder = new ImageDecoder(4, mean, STD, TestImages.MAX_PIXELS);
    byte[] jpeg = gradientJpeg(8, 8);
    DecodeResult before = decoder.decode(jpeg);
    mean[0] = 100f;
    assertThat(decoder.decode(jpeg)).isEqualTo(before);
  }

  @Test
  void hugeMaxPixelsFromConfigurationIsAccepted() {
    ImageDecoder decoder = new ImageDecoder(4, MEAN, STD, Long.MAX_VALUE);
    assertThat(decoder.decode(gradientJpeg(8, 8))).isInstanceOf(DecodedImage.class);
    DecodeResult bomb = decoder.decode(TestImages.png(60_000, 60_000, 8, 2, new byte[16]));
    assertThat(bomb).isInstanceOf(DecodeFailure.class);
    DecodeFailure f = (DecodeFailure) bomb;
    assertThat(f.reason().code()).isEqualTo("too_large");
    assertThat(f.message())
        .isEqualTo("image is 60000 x 60000 = 3600000000 pixels, more than the limit of 2147483639");
  }

  @Test
  void decodedImagesCompareByContent() {
    ImageDecoder decoder = new ImageDecoder(4, MEAN, STD, TestImages.MAX_PIXELS);
    byte[] jpeg = gradientJpeg(10, 6);
    DecodedImage first = decoded(decoder.decode(jpeg));
    DecodedImage second = decoded(decoder.decode(jpeg));
    assertThat(first).isNotSameAs(second).isEqualTo(second).hasSameHashCodeAs(second);
    assertThat(first.toString()).isEqualTo("DecodedImage[width=10, height=6, chw=48 floats]");
  }

  @Test
  void concurrentDecodesOfTheSameBytesAgree() throws Exception {
    ImageDecoder decoder = new ImageDecoder(64, MEAN, STD, TestImages.MAX_PIXELS);
    List<byte[]> files =
        List.of(
            gradientJpeg(300, 200),
            TestImages.withExif(gradientJpeg(120, 80), 6, true),
            TestImages.write(
                TestImages.solid(50, 70, BufferedImage.TYPE_INT_ARGB, 0x80FF8040), "png"),
            TestImages.write(
                TestImages.solid(33, 21, BufferedImage.TYPE_BYTE_INDEXED, 0x00FF00), "gif"));
    List<DecodedImage> expected = new ArrayList<>();
    for (byte[] file : files) {
      expected.add(decoded(decoder.decode(file)));
    }

    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<DecodeResult>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<DecodeResult> results = new ArrayList<>();
                  for (int round = 0; round < 10; round++) {
                    for (byte[] file : files) {
                      results.add(decoder.decode(file));
                    }
                  }
                  return results;
                }));
      }
      start.countDown();
      for (Future<List<DecodeResult>> future : futures) {
        List<DecodeResult> results = future.get(60, TimeUnit.SECONDS);
        assertThat(results).as("10 rounds over every file").hasSize(10 * files.size());
        for (int i = 0; i < results.size(); i++) {
          assertThat(results.get(i)).isEqualTo(expected.get(i % files.size()));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void survivesJavaSerialisation() throws Exception {
    ImageDecoder decoder = new ImageDecoder(16, MEAN, STD, TestImages.MAX_PIXELS);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(decoder);
    }
    ImageDecoder copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (ImageDecoder) in.readObject();
    }
    byte[] jpeg = gradientJpeg(40, 30);
    assertThat(copy.imageSize()).isEqualTo(16);
    assertThat(copy.decode(jpeg)).isEqualTo(decoder.decode(jpeg));
  }
}
