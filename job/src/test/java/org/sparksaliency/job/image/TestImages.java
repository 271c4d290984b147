package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Builds real image files in memory for the tests: nothing binary is checked in. */
final class TestImages {
  static final float[] ZERO_MEAN = {0f, 0f, 0f};
  static final float[] UNIT_STD = {1f, 1f, 1f};
  static final long MAX_PIXELS = 40_000_000L;

  private TestImages() {}

  /** A decoder whose output is simply value / 255, so tests can read pixels back. */
  static ImageDecoder plainDecoder(int size) {
    return new ImageDecoder(size, ZERO_MEAN, UNIT_STD, MAX_PIXELS);
  }

  static DecodedImage decoded(DecodeResult result) {
    assertThat(result).isInstanceOf(DecodedImage.class);
    return (DecodedImage) result;
  }

  /** Output pixel (x, y) of a {@link #plainDecoder} result, back in 0..255 units. */
  static float[] rgbAt(DecodedImage image, int size, int x, int y) {
    int plane = size * size;
    float[] chw = image.chw();
    int at = y * size + x;
    return new float[] {chw[at] * 255f, chw[plane + at] * 255f, chw[2 * plane + at] * 255f};
  }

  static BufferedImage solid(int width, int height, int type, int rgb) {
    BufferedImage image = new BufferedImage(width, height, type);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException(
            "No ImageIO writer for " + format + " and image type " + image.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A best-quality JPEG, so that solid colour blocks come back within a couple of levels. */
  static byte[] jpeg(BufferedImage image) {
    return jpeg(new IIOImage(image, null, null));
  }

  /**
   * A JPEG of a raster; for a 4-band raster the JDK writes the components as stored CMYK, no Adobe
   * segment.
   */
  static byte[] jpeg(Raster raster) {
    return jpeg(new IIOImage(raster, null, null));
  }

  private static byte[] jpeg(IIOImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(1f);
      writer.write(null, image, param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** Inserts a marker segment right after SOI. */
  static byte[] withSegment(byte[] jpeg, int marker, byte[] payload) {
    assertThat(jpeg[0] & 0xff).isEqualTo(0xFF);
    assertThat(jpeg[1] & 0xff).isEqualTo(0xD8);
    int length = payload.length + 2;
    byte[] out = new byte[jpeg.length + 2 + length];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xD8;
    out[2] = (byte) 0xFF;
    out[3] = (byte) marker;
    out[4] = (byte) (length >> 8);
    out[5] = (byte) length;
    System.arraycopy(payload, 0, out, 6, payload.length);
    System.arraycopy(jpeg, 2, out, 6 + payload.length, jpeg.length - 2);
    return out;
  }

  /**
   * An APP1 Exif payload whose IFD0 holds an unrelated tag (ImageWidth) and then Orientation, as
   * cameras write it.
   */
  static byte[] exifPayload(int orientation, boolean littleEndian) {
    ByteBuffer b = ByteBuffer.allocate(6 + 8 + 2 + 2 * 12 + 4);
    b.put("Exif".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put((byte) 0);
    b.order(littleEndian ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    b.put(littleEndian ? (byte) 'I' : (byte) 'M').put(littleEndian ? (byte) 'I' : (byte) 'M');
    b.putShort((short) 42).putInt(8); // IFD0 right after the TIFF header
    b.putShort((short) 2);
    b.putShort((short) 0x0100)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) 640)
        .putShort((short) 0);
    b.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) orientation)
        .putShort((short) 0);
    b.putInt(0); // no next IFD
    return b.array();
  }

  static byte[] withExif(byte[] jpeg, int orientation, boolean littleEndian) {
    return withSegment(jpeg, 0xE1, exifPayload(orientation, littleEndian));
  }

  /** An APP14 Adobe payload: "Adobe", version 100, two flag words, the colour transform. */
  static byte[] adobePayload(int transform) {
    return new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
  }

  /**
   * An APP2 payload embedding the JDK's linear-RGB ICC profile (which differs from sRGB) in one
   * chunk.
   */
  static byte[] iccPayload() {
    byte[] profile =
        java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData();
    ByteBuffer b = ByteBuffer.allocate(12 + 2 + profile.length);
    b.put("ICC_PROFILE".getBytes(StandardCharsets.US_ASCII))
        .put((byte) 0)
        .put((byte) 1)
        .put((byte) 1);
    return b.put(profile).array();
  }

  /** A PNG made by hand: signature, IHDR, one IDAT holding {@code idat} deflated, IEND. */
  static byte[] png(int width, int height, int bitDepth, int colourType, byte[] idat) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(width)
        .putInt(height)
        .put((byte) bitDepth)
        .put((byte) colourType)
        .put((byte) 0)
        .put((byte) 0)
        .put((byte) 0);
    chunk(out, "IHDR", ihdr.array());
    Deflater deflater = new Deflater();
    deflater.setInput(idat);
    deflater.finish();
    byte[] buffer = new byte[idat.length + 64];
    int n = deflater.deflate(buffer);
    deflater.end();
    chunk(out, "IDAT", java.util.Arrays.copyOf(buffer, n));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
