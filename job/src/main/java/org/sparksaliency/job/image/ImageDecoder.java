package org.sparksaliency.job.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.Serializable;
import java.util.Objects;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes untrusted image bytes into the normalised model input: RGB, EXIF-oriented, resized to
 * imageSize × imageSize (squashed whole, or resized and centre-cropped: {@link Resize}), scaled to
 * [0, 1] and normalised per channel.
 *
 * <p>Accepts JPEG (including CMYK/YCCK and EXIF orientation), PNG, GIF (first frame), BMP, WBMP,
 * TIFF (first page) and lossless WebP (first frame), recognised by content ({@link ImageFormat}
 * names the reader of each). Bad data never throws: it becomes a {@link DecodeFailure} with a
 * {@link QuarantineReason}. How colours are converted (alpha dropped, ICC profiles ignored...) is
 * described on {@link RgbConverter} and {@link CmykConverter}; how the image is resized on {@link
 * BilinearResampler}, and how it becomes the model input on {@link InputNormaliser}; how failures
 * read on {@link DecodeMessages}.
 *
 * <p>The pixel count declared by the header is checked before any pixel is decoded, so memory per
 * call is bounded by {@code maxPixels}; an {@link OutOfMemoryError} is therefore not expected and
 * is not caught.
 *
 * <p>Thread-safe: the instance is immutable and every call creates its own reader. Serializable so
 * that Spark can ship it to executors.
 */
public final class ImageDecoder implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Output side limit: 3 × size² floats must fit in one Java array with room to spare. */
  static final int MAX_IMAGE_SIZE = 16_384;

  /**
   * Images above this many pixels cannot be decoded at all: the JDK holds pixels in one Java array.
   * A larger {@code maxPixels} is accepted (it may come straight from configuration) and capped to
   * this.
   */
  static final long MAX_DECODABLE_PIXELS = Integer.MAX_VALUE - 8;

  private final InputNormaliser input;

  /**
   * The whole image squashed to imageSize × imageSize ({@link Resize#SQUASH}).
   *
   * @param imageSize width and height of the model input, 1..16384
   * @param mean per-channel (R, G, B) mean subtracted after scaling to [0, 1]; 3 finite values
   * @param std per-channel standard deviation divided by after subtracting the mean; 3 finite
   *     values above 0
   * @param maxPixels images whose header declares more pixels than this are rejected as too large;
   *     above 0
   * @throws NullPointerException if {@code mean} or {@code std} is null
   * @throws IllegalArgumentException if any other argument is invalid
   */
  public ImageDecoder(int imageSize, float[] mean, float[] std, long maxPixels) {
    this(imageSize, Resize.SQUASH, mean, std, maxPixels);
  }

  /**
   * @param imageSize width and height of the model input, 1..16384
   * @param resize how an image becomes imageSize × imageSize; a crop's shorter side at least
   *     imageSize
   * @param mean per-channel (R, G, B) mean subtracted after scaling to [0, 1]; 3 finite values
   * @param std per-channel standard deviation divided by after subtracting the mean; 3 finite
   *     values above 0
   * @param maxPixels images whose header declares more pixels than this are rejected as too large;
   *     above 0
   * @throws NullPointerException if {@code resize}, {@code mean} or {@code std} is null
   * @throws IllegalArgumentException if any other argument is invalid
   */
  public ImageDecoder(int imageSize, Resize resize, float[] mean, float[] std, long maxPixels) {
    this(new InputNormaliser(imageSize, resize, mean, std, maxPixels));
  }

  private ImageDecoder(InputNormaliser input) {
    this.input = Objects.requireNonNull(input, "Cannot create image decoder: input is null");
  }

  /**
   * @return width and height of the model input, in pixels
   */
  public int imageSize() {
    return input.imageSize();
  }

  /**
   * Decodes one file. Never throws for bad input data (an {@link Error} such as running out of
   * memory still propagates).
   *
   * @param bytes the whole file; null is treated as an empty file
   * @return a {@link DecodedImage}, or a {@link DecodeFailure} saying why there is none
   */
  public DecodeResult decode(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return new DecodeFailure(
          QuarantineReason.EMPTY_FILE,
          bytes == null ? "file has no content (null)" : "file is empty (0 bytes)");
    }
    ImageFormat format = null;
    try {
      FormatProbe.Match match;
      try (ImageInputStream probe = new ByteArrayImageInputStream(bytes)) {
        match = FormatProbe.probe(probe);
      }
      format = match.format();
      if (format == null) {
        return new DecodeFailure(
            QuarantineReason.UNSUPPORTED_FORMAT,
            DecodeMessages.unrecognised(match.otherFormat(), bytes));
      }
      ImageReader reader = match.provider().createReaderInstance();
      try {
        return decode(reader, format, bytes);
      } finally {
        reader.dispose(); // the JPEG reader holds native memory until disposed
      }
    } catch (UnsupportedImageException e) {
      return new DecodeFailure(
          QuarantineReason.UNSUPPORTED_FORMAT,
          "Cannot decode " + DecodeMessages.name(format) + " image: " + e.getMessage());
    } catch (Exception e) {
      // ImageIO readers throw IIOException, EOFException, but also IllegalArgumentException,
      // IndexOutOfBoundsException, NegativeArraySizeException... on corrupt data: all mean the same
      // here.
      return new DecodeFailure(
          QuarantineReason.DECODE_FAILED,
          "Cannot decode " + DecodeMessages.name(format) + " image: " + DecodeMessages.describe(e));
    }
  }

  /**
   * Turns already decoded pixels into the model input with the same resize and normalisation as
   * files: raw interleaved 8-bit pixels in OpenCV's layout, as Spark's {@code image} data source
   * stores them (rows top to bottom, no padding; type 0 = CV_8UC1 grey, 16 = CV_8UC3
   * blue-green-red, 24 = CV_8UC4 blue-green-red-alpha, alpha dropped). There is no file, so no EXIF
   * orientation. Never throws for bad input data.
   *
   * @param width pixels per row
   * @param height rows
   * @param openCvType the OpenCV type code of the pixels
   * @param data width × height × channels bytes; null is treated as empty
   * @return a {@link DecodedImage}, or a {@link DecodeFailure} saying why there is none
   */
  public DecodeResult decodePixels(int width, int height, int openCvType, byte[] data) {
    OpenCvPixels layout = OpenCvPixels.ofType(openCvType);
    if (layout == null) {
      return new DecodeFailure(
          QuarantineReason.UNSUPPORTED_FORMAT,
          String.format(
              "Cannot decode raw pixels: OpenCV type %d is not accepted (accepted: %s)",
              openCvType, OpenCvPixels.accepted()));
    }
    if (width <= 0 || height <= 0) {
      return new DecodeFailure(
          QuarantineReason.DECODE_FAILED,
          String.format("Cannot decode raw pixels: size %d x %d is not positive", width, height));
    }
    DecodeFailure tooLarge = input.checkPixelCount(width, height);
    if (tooLarge != null) {
      return tooLarge;
    }
    long expected = (long) width * height * layout.channels();
    int given = data == null ? 0 : data.length;
    if (given != expected) {
      return new DecodeFailure(
          QuarantineReason.DECODE_FAILED,
          String.format(
              "Cannot decode raw pixels: %d bytes for %d x %d %s pixels, expected %d",
              given, width, height, layout.typeName(), expected));
    }
    return input.toModelInput(layout.toRgb(width, height, data), Orientation.TOP_LEFT);
  }

  private DecodeResult decode(ImageReader reader, ImageFormat format, byte[] bytes)
      throws IOException, UnsupportedImageException {
    JpegHeader jpeg = null;
    byte[] data = bytes;
    if (format == ImageFormat.JPEG) {
      jpeg = JpegHeader.scan(bytes);
      if (jpeg.iccProfile()) {
        data =
            JpegSegments.withoutIccProfiles(
                bytes); // see there: ICC profiles are ignored, as for PNG
      }
    } else if (format == ImageFormat.BMP) {
      BmpHeaderCheck.check(bytes);
    } else if (format == ImageFormat.WEBP) {
      WebpCheck.check(bytes);
    }
    try (ImageInputStream in = new ByteArrayImageInputStream(data)) {
      // Metadata is never used (EXIF is parsed by hand); skipping it spares the readers work on
      // untrusted data.
      reader.setInput(in, true, true);

      // The header alone, before a single pixel is allocated: this is what stops decompression
      // bombs.
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0) {
        return new DecodeFailure(
            QuarantineReason.DECODE_FAILED,
            String.format(
                "Cannot decode %s image: header declares %d x %d pixels",
                DecodeMessages.name(format), width, height));
      }
      DecodeFailure tooLarge = input.checkPixelCount(width, height);
      if (tooLarge != null) {
        return tooLarge;
      }

      RgbPixels pixels = jpeg == null ? read(reader) : readJpeg(reader, jpeg);
      // A reader might decode another size than its header's; the limit holds for what was actually
      // allocated.
      tooLarge = input.checkPixelCount(pixels.width(), pixels.height());
      if (tooLarge != null) {
        return tooLarge;
      }
      Orientation orientation = jpeg == null ? Orientation.TOP_LEFT : jpeg.orientation();
      return input.toModelInput(pixels, orientation);
    }
  }

  private static RgbPixels read(ImageReader reader) throws IOException, UnsupportedImageException {
    requireImageType(reader, "");
    return RgbConverter.convert(reader.read(0));
  }

  private static RgbPixels readJpeg(ImageReader reader, JpegHeader header)
      throws IOException, UnsupportedImageException {
    JpegDataLoss dataLoss = new JpegDataLoss();
    reader.addIIOReadWarningListener(dataLoss);
    if (header.components() == 4) {
      // CMYK/YCCK: read the stored components and convert them here (see CmykConverter).
      Raster raster = reader.readRaster(0, null);
      dataLoss.throwIfDataLost();
      return CmykConverter.convert(raster, header);
    }
    requireImageType(reader, " (" + header.components() + " colour components)");
    BufferedImage image = reader.read(0);
    dataLoss.throwIfDataLost();
    return RgbConverter.convert(image);
  }

  /**
   * A reader with no image type for a well-formed header (a 2-component JPEG, say) would fail with
   * "Unsupported Image Type": that is an unsupported layout, not corrupt data.
   */
  private static void requireImageType(ImageReader reader, String detail)
      throws IOException, UnsupportedImageException {
    if (!reader.getImageTypes(0).hasNext()) {
      throw new UnsupportedImageException(
          "the reader has no RGB or grey pixel layout for this image" + detail);
    }
  }

  /** Re-validates after Java deserialisation, which bypasses the constructor. */
  private Object readResolve() {
    return new ImageDecoder(input);
  }
}
