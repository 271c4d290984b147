package org.sparksaliency.job.image;

import java.io.IOException;
import java.util.Iterator;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

/**
 * Finds the ImageIO reader for a stream by its content (the format's signature), never by a file
 * name: manifests and file extensions lie.
 */
final class FormatProbe {
  private FormatProbe() {}

  /**
   * What the probe found.
   *
   * @param format the accepted format, or {@code null}
   * @param provider the reader provider for {@code format}, or {@code null}
   * @param otherFormat the name of a recognised but not accepted format (such as "tif"), or {@code
   *     null}
   */
  record Match(ImageFormat format, ImageReaderSpi provider, String otherFormat) {}

  /** Probes the stream and leaves it at position 0. */
  static Match probe(ImageInputStream in) throws IOException {
    String other = null;
    // Asking the registry for providers (rather than ImageIO.getImageReaders) instantiates only the
    // reader that
    // is used: the JPEG reader allocates native memory as soon as it exists.
    Iterator<ImageReaderSpi> providers =
        IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, true);
    while (providers.hasNext()) {
      ImageReaderSpi provider = providers.next();
      if (!canDecode(provider, in)) {
        continue;
      }
      ImageFormat format = ImageFormat.fromReaderFormatNames(provider.getFormatNames());
      if (format != null) {
        return new Match(format, provider, null);
      }
      if (other == null && provider.getFormatNames().length > 0) {
        other = provider.getFormatNames()[0];
      }
    }
    return new Match(null, null, other);
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
}
