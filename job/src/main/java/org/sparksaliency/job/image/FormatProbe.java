package org.sparksaliency.job.image;

import java.io.IOException;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds the ImageIO reader for a stream by its content (the format's signature), never by a file
 * name: manifests and file extensions lie.
 *
 * <p>Each accepted format has one reader ({@link ImageFormat#readerProvider()}), found once per
 * JVM: in ImageIO's registry when it is there (the JDK's readers always are), else created from
 * this class's own class loader. The registry scans the class path of the thread that first uses
 * ImageIO, which on a Spark executor may be one that cannot see the job's jar: a plugin that the
 * job brings (WebP) must not depend on it, nor may another version of a reader that some other jar
 * registers change how images decode.
 */
final class FormatProbe {
  private static final Map<ImageFormat, ImageReaderSpi> READERS = readers();

  private FormatProbe() {}

  /**
   * What the probe found.
   *
   * @param format the accepted format, or {@code null}
   * @param provider the reader provider for {@code format}, or {@code null}
   * @param otherFormat the name of a recognised but not accepted format (such as "jpeg2000"), or
   *     {@code null}
   */
  record Match(ImageFormat format, ImageReaderSpi provider, String otherFormat) {}

  /** Probes the stream and leaves it at position 0. */
  static Match probe(ImageInputStream in) throws IOException {
    // Probing providers (rather than ImageIO.getImageReaders) instantiates only the reader that is
    // used: the JPEG reader allocates native memory as soon as it exists.
    for (Map.Entry<ImageFormat, ImageReaderSpi> e : READERS.entrySet()) {
      if (canDecode(e.getValue(), in)) {
        return new Match(e.getKey(), e.getValue(), null);
      }
    }
    Iterator<ImageReaderSpi> others =
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
    while (others.hasNext()) {
      ImageReaderSpi provider = others.next();
      if (provider.getFormatNames().length > 0
          && !READERS.containsValue(provider)
          && canDecode(provider, in)) {
        return new Match(null, null, provider.getFormatNames()[0]);
      }
    }
    return new Match(null, null, null);
  }

  private static boolean canDecode(ImageReaderSpi provider, ImageInputStream in)
      throws IOException {
    try {
      return provider.canDecodeInput(in);
    } catch (IOException | RuntimeException e) {
      // A probe that trips over garbage has not recognised its format.
      return false;
    } finally {
      // Probes mark and reset the stream, but one that failed half way may have left it anywhere.
      in.seek(0);
    }
  }

  private static Map<ImageFormat, ImageReaderSpi> readers() {
    Map<ImageFormat, ImageReaderSpi> readers = new EnumMap<>(ImageFormat.class);
    for (ImageFormat format : ImageFormat.values()) {
      readers.put(format, reader(format.readerProvider()));
    }
    return readers;
  }

  private static ImageReaderSpi reader(String className) {
    try {
      Class<? extends ImageReaderSpi> type =
          Class.forName(className, true, FormatProbe.class.getClassLoader())
              .asSubclass(ImageReaderSpi.class);
      ImageReaderSpi registered = IIORegistry.getDefaultInstance().getServiceProviderByClass(type);
      return registered != null ? registered : type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException(
          "Cannot load image reader " + className + ": " + e + " (is the job's jar complete?)", e);
    }
  }
}
