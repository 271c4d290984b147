package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.sparksaliency.job.image.TestImages.decoded;
import static org.sparksaliency.job.image.TestImages.plainDecoder;
import static org.sparksaliency.job.image.TestImages.rgbAt;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;

/** Every pixel layout the accepted formats produce ends up as the same RGB values. */
class ImageDecoderColourTest {

  private static void assertRgb(float[] actual, double r, double g, double b, double tolerance) {
    assertThat((double) actual[0]).as("red").isCloseTo(r, within(tolerance));
    assertThat((double) actual[1]).as("green").isCloseTo(g, within(tolerance));
    assertThat((double) actual[2]).as("blue").isCloseTo(b, within(tolerance));
  }

  /**
   * Decodes at the image's own size, where resizing is the identity, and checks one pixel exactly.
   */
  private static void assertPixel(byte[] file, int size, int x, int y, int r, int g, int b) {
    DecodedImage image = decoded(plainDecoder(size).decode(file));
    assertRgb(rgbAt(image, size, x, y), r, g, b, 1e-3);
  }

  @Test
  void rgbPng() {
    byte[] png =
        TestImages.write(TestImages.solid(3, 2, BufferedImage.TYPE_INT_RGB, 0x0AC81E), "png");
    DecodedImage image = decoded(plainDecoder(2).decode(png));
    assertThat(image.width()).isEqualTo(3);
    assertThat(image.height()).isEqualTo(2);
    assertThat(image.chw()).hasSize(3 * 2 * 2);
    assertRgb(rgbAt(image, 2, 1, 1), 10, 200, 30, 1e-3);
  }

  @Test
  void greyPngIsCopiedToAllChannelsWithoutGammaChange() {
    BufferedImage grey = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
    grey.getRaster().setSample(0, 0, 0, 100);
    grey.getRaster().setSample(1, 1, 0, 250);
    byte[] png = TestImages.write(grey, "png");
    assertPixel(png, 2, 0, 0, 100, 100, 100);
    assertPixel(png, 2, 1, 1, 250, 250, 250);
    assertPixel(png, 2, 1, 0, 0, 0, 0);
  }

  @Test
  void greyAlphaPngDropsAlpha() {
    ColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            true,
            false,
            Transparency.TRANSLUCENT,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
    raster.setPixel(0, 0, new int[] {77, 0}); // fully transparent: its grey is kept, not blackened
    raster.setPixel(1, 0, new int[] {180, 128});
    byte[] png = TestImages.write(new BufferedImage(model, raster, false, null), "png");
    assertThat(png[25]).as("PNG colour type grey + alpha").isEqualTo((byte) 4);
    DecodedImage image =
        decoded(new ImageDecoder(2, TestImages.ZERO_MEAN, TestImages.UNIT_STD, 100).decode(png));
    assertRgb(rgbAt(image, 2, 0, 0), 77, 77, 77, 1e-3);
    assertRgb(rgbAt(image, 2, 1, 0), 180, 180, 180, 1e-3);
  }

  @Test
  void palettePngUsesPaletteColoursAndIgnoresTransparency() {
    byte[] reds = {(byte) 250, 0, 10, (byte) 255};
    byte[] greens = {10, (byte) 128, 20, (byte) 255};
    byte[] blues = {20, 0, (byte) 200, (byte) 255};
    byte[] alphas = {0, (byte) 255, (byte) 255, (byte) 255};
    IndexColorModel palette = new IndexColorModel(2, 4, reds, greens, blues, alphas);
    BufferedImage indexed = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_BINARY, palette);
    indexed.getRaster().setSample(0, 0, 0, 0);
    indexed.getRaster().setSample(1, 0, 0, 1);
    indexed.getRaster().setSample(0, 1, 0, 2);
    indexed.getRaster().setSample(1, 1, 0, 3);
    byte[] png = TestImages.write(indexed, "png");
    assertThat(png[25]).as("PNG colour type palette").isEqualTo((byte) 3);
    assertPixel(png, 2, 0, 0, 250, 10, 20);
    assertPixel(png, 2, 1, 0, 0, 128, 0);
    assertPixel(png, 2, 0, 1, 10, 20, 200);
    assertPixel(png, 2, 1, 1, 255, 255, 255);
  }

  @Test
  void sixteenBitGreyPngIsRoundedToEightBits() {
    BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    grey.getRaster().setSample(0, 0, 0, 0xFFFF);
    grey.getRaster().setSample(1, 0, 0, 0x8080); // 32896 / 257 = 128
    grey.getRaster().setSample(2, 0, 0, 1000); // 1000 / 257 = 3.89 -> 4
    byte[] png = TestImages.write(grey, "png");
    assertThat(png[24]).as("PNG bit depth").isEqualTo((byte) 16);
    DecodedImage image =
        decoded(new ImageDecoder(3, TestImages.ZERO_MEAN, TestImages.UNIT_STD, 100).decode(png));
    assertRgb(rgbAt(image, 3, 0, 0), 255, 255, 255, 1e-3);
    assertRgb(rgbAt(image, 3, 1, 0), 128, 128, 128, 1e-3);
    assertRgb(rgbAt(image, 3, 2, 0), 4, 4, 4, 1e-3);
  }

  @Test
  void sixteenBitRgbPng() {
    ColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(1, 1);
    raster.setPixel(0, 0, new int[] {65535, 257 * 100, 1000});
    byte[] png = TestImages.write(new BufferedImage(model, raster, false, null), "png");
    assertThat(png[24]).as("PNG bit depth").isEqualTo((byte) 16);
    assertThat(png[25]).as("PNG colour type RGB").isEqualTo((byte) 2);
    assertPixel(png, 1, 0, 0, 255, 100, 4);
  }

  @Test
  void rgbaPngDropsAlphaKeepingTheStoredColour() {
    BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    argb.setRGB(0, 0, 0x00C86432); // alpha 0
    argb.setRGB(1, 0, 0x80102030); // alpha 128
    byte[] png = TestImages.write(argb, "png");
    assertThat(png[25]).as("PNG colour type RGBA").isEqualTo((byte) 6);
    DecodedImage image =
        decoded(new ImageDecoder(2, TestImages.ZERO_MEAN, TestImages.UNIT_STD, 100).decode(png));
    assertRgb(rgbAt(image, 2, 0, 0), 200, 100, 50, 1e-3);
    assertRgb(rgbAt(image, 2, 1, 0), 16, 32, 48, 1e-3);
  }

  @Test
  void rgbJpeg() {
    byte[] jpeg = TestImages.jpeg(TestImages.solid(16, 16, BufferedImage.TYPE_3BYTE_BGR, 0x3C78B4));
    DecodedImage image = decoded(plainDecoder(4).decode(jpeg));
    assertThat(image.width()).isEqualTo(16);
    assertRgb(rgbAt(image, 4, 2, 2), 60, 120, 180, 3);
  }

  @Test
  void jpegIccProfileIsIgnoredLikeForPng() {
    // With the linear-RGB profile applied, the JDK would turn 128 into about 188.
    byte[] plain =
        TestImages.jpeg(TestImages.solid(16, 16, BufferedImage.TYPE_3BYTE_BGR, 0x8040C8));
    byte[] withProfile = TestImages.withSegment(plain, 0xE2, TestImages.iccPayload());
    assertThat(JpegHeader.scan(withProfile).iccProfile()).isTrue();
    assertThat(JpegHeader.scan(plain).iccProfile()).isFalse();
    DecodedImage image = decoded(plainDecoder(4).decode(withProfile));
    assertRgb(rgbAt(image, 4, 1, 1), 128, 64, 200, 3);
    assertThat(image).isEqualTo(plainDecoder(4).decode(plain));
  }

  @Test
  void iccSegmentsAreCutOutAndNothingElse() {
    byte[] plain =
        TestImages.jpeg(TestImages.solid(16, 16, BufferedImage.TYPE_3BYTE_BGR, 0x8040C8));
    byte[] twice =
        TestImages.withSegment(
            TestImages.withExif(
                TestImages.withSegment(plain, 0xE2, TestImages.iccPayload()), 6, true),
            0xE2,
            TestImages.iccPayload());
    assertThat(JpegSegments.withoutIccProfiles(twice))
        .isEqualTo(TestImages.withExif(plain, 6, true));
    assertThat(JpegSegments.withoutIccProfiles(plain)).isSameAs(plain);
  }

  @Test
  void greyJpeg() {
    BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        grey.getRaster().setSample(x, y, 0, 90);
      }
    }
    DecodedImage image = decoded(plainDecoder(4).decode(TestImages.jpeg(grey)));
    assertRgb(rgbAt(image, 4, 1, 1), 90, 90, 90, 2);
  }

  /** A 16 × 16 four-band raster holding the same stored components everywhere. */
  private static Raster fourBands(int a, int b, int c, int d) {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        raster.setPixel(x, y, new int[] {a, b, c, d});
      }
    }
    return raster;
  }

  @Test
  void cmykJpegWithoutAdobeSegmentStoresInk() {
    // C = 200, M = 0, Y = 0, K = 30 (of 255): R = 255 × (1 − 200/255) × (1 − 30/255) = 48.5, G = B
    // = 225
    byte[] jpeg = TestImages.jpeg(fourBands(200, 0, 0, 30));
    assertThat(JpegHeader.scan(jpeg).components()).isEqualTo(4);
    assertThat(JpegHeader.scan(jpeg).adobe()).isFalse();
    DecodedImage image = decoded(plainDecoder(4).decode(jpeg));
    assertThat(image.width()).isEqualTo(16);
    assertThat(image.height()).isEqualTo(16);
    assertRgb(rgbAt(image, 4, 1, 1), 48.5, 225, 225, 3);
  }

  @Test
  void adobeCmykJpegIsInverted() {
    // Adobe stores 255 − ink: stored (200, 0, 0, 30) is ink (55, 255, 255, 225),
    // so R = 200 × 30 / 255 = 23.5 and G = B = 0.
    byte[] jpeg =
        TestImages.withSegment(
            TestImages.jpeg(fourBands(200, 0, 0, 30)), 0xEE, TestImages.adobePayload(0));
    assertThat(JpegHeader.scan(jpeg).ycck()).isFalse();
    DecodedImage image = decoded(plainDecoder(4).decode(jpeg));
    assertRgb(rgbAt(image, 4, 2, 2), 23.5, 0, 0, 3);
  }

  @Test
  void ycckJpegIsConvertedThroughInvertedCmyk() {
    int luma = 100;
    int cb = 90;
    int cr = 200;
    int k = 200;
    byte[] jpeg =
        TestImages.withSegment(
            TestImages.jpeg(fourBands(luma, cb, cr, k)), 0xEE, TestImages.adobePayload(2));
    assertThat(JpegHeader.scan(jpeg).ycck()).isTrue();
    // By hand: Y/Cb/Cr to RGB (JFIF), that RGB is 255 − stored inverted CMY, so the ink of C is red
    // itself, and
    // the displayed red is (255 − ink) × (stored K) / 255.
    double red = luma + 1.402 * (cr - 128); // 200.9
    double green = luma - 0.344136 * (cb - 128) - 0.714136 * (cr - 128); // 61.7
    double blue = luma + 1.772 * (cb - 128); // 32.7
    DecodedImage image = decoded(plainDecoder(4).decode(jpeg));
    assertRgb(
        rgbAt(image, 4, 3, 3),
        (255 - red) * k / 255, // 42.2
        (255 - green) * k / 255, // 151.6
        (255 - blue) * k / 255, // 174.4
        4);
  }

  @Test
  void animatedGifUsesTheFirstFrame() throws IOException {
    BufferedImage red = TestImages.solid(8, 8, BufferedImage.TYPE_BYTE_INDEXED, 0xFF0000);
    BufferedImage blue = TestImages.solid(8, 8, BufferedImage.TYPE_BYTE_INDEXED, 0x0000FF);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      writer.writeToSequence(new IIOImage(red, null, null), null);
      writer.writeToSequence(new IIOImage(blue, null, null), null);
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    byte[] gif = out.toByteArray();
    try (var in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(gif))) {
      var reader = ImageIO.getImageReaders(in).next();
      reader.setInput(in);
      assertThat(reader.getNumImages(true)).as("frames written").isEqualTo(2);
      reader.dispose();
    }
    DecodedImage image = decoded(plainDecoder(4).decode(gif));
    assertThat(image.width()).isEqualTo(8);
    assertRgb(rgbAt(image, 4, 0, 0), 255, 0, 0, 1e-3);
    assertRgb(rgbAt(image, 4, 3, 3), 255, 0, 0, 1e-3);
  }

  @Test
  void bmpIsReadTopDown() {
    BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
    image.setRGB(0, 0, 0x0C2238);
    image.setRGB(1, 0, 0xFFFFFF);
    image.setRGB(0, 1, 0x000000);
    image.setRGB(1, 1, 0x808080);
    byte[] bmp = TestImages.write(image, "bmp"); // stored bottom-up
    assertPixel(bmp, 2, 0, 0, 12, 34, 56);
    assertPixel(bmp, 2, 1, 0, 255, 255, 255);
    assertPixel(bmp, 2, 0, 1, 0, 0, 0);
    assertPixel(bmp, 2, 1, 1, 128, 128, 128);
  }

  @Test
  void wbmp() {
    BufferedImage binary = new BufferedImage(16, 2, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 8; x++) {
        binary.getRaster().setSample(x, y, 0, 1); // left half white
      }
    }
    byte[] wbmp = TestImages.write(binary, "wbmp");
    // At its own width nothing is averaged (the rows are stretched from 2 to 16).
    DecodedImage image =
        decoded(new ImageDecoder(16, TestImages.ZERO_MEAN, TestImages.UNIT_STD, 100).decode(wbmp));
    assertThat(image.width()).isEqualTo(16);
    assertRgb(rgbAt(image, 16, 7, 0), 255, 255, 255, 1e-3);
    assertRgb(rgbAt(image, 16, 8, 15), 0, 0, 0, 1e-3);
  }
}
