package org.sparksaliency.job.image;

import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;

/**
 * Turns the JPEG reader's "lost data" warnings into an error.
 *
 * <p>libjpeg does not fail on a truncated or corrupt scan: it warns, fills the missing blocks with
 * grey, and the JDK reader returns the image as if nothing happened. Those warnings are the only
 * sign of the damage. Harmless warnings — a missing EOI marker after complete data, padding bytes
 * before a marker, an ignored ICC profile — are common in real files that every viewer shows
 * correctly, so they are let through.
 */
final class JpegDataLoss implements IIOReadWarningListener {
  private String firstLoss;

  @Override
  public void warningOccurred(ImageReader source, String warning) {
    if (firstLoss == null && warning != null && meansDataLoss(warning)) {
      firstLoss = warning;
    }
  }

  /** Throws if any warning so far said that image data was missing or unreadable. */
  void throwIfDataLost() throws IIOException {
    if (firstLoss != null) {
      throw new IIOException(firstLoss);
    }
  }

  static boolean meansDataLoss(String warning) {
    String w = warning.toLowerCase(Locale.ROOT);
    // "Premature end of JPEG file", "Corrupt JPEG data: premature end of data segment"
    // (truncation),
    // "Corrupt JPEG data: bad Huffman code", "... found marker 0x.. instead of RST.." (corrupt
    // scan);
    // but not "Corrupt JPEG data: N extraneous bytes before marker 0x..", which loses nothing.
    return w.contains("premature end")
        || (w.startsWith("corrupt jpeg data") && !w.contains("extraneous bytes"));
  }
}
