package org.sparksaliency.job.input;

import java.io.IOException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.sparksaliency.job.image.DecodeResult;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.image.QuarantineReason;

/**
 * Turns input rows into model inputs, the same way for every stage that runs the model (explain,
 * layer statistics, sanity check), in two steps so that the explain stage can skip decoding a file
 * whose heatmaps it keeps: {@link #read} gives a row's bytes, from its {@code content} column or
 * else the file at its {@code path}, within --max-file-bytes; {@link #decode} gives the normalised
 * image, from a file's bytes or from the raw pixels of Spark's image struct. A row that cannot be
 * used gives the quarantine reason and message that the explain stage writes; the other stages skip
 * it.
 */
public final class ImageLoader {
  private final ImageDecoder decoder;
  private final long maxFileBytes;
  private final Configuration conf;

  /**
   * @param conf the Hadoop configuration that files are read with
   */
  public ImageLoader(ImageDecoder decoder, long maxFileBytes, Configuration conf) {
    this.decoder = decoder;
    this.maxFileBytes = maxFileBytes;
    this.conf = conf;
  }

  /** The row's bytes; a file above --max-file-bytes is not read past the limit. */
  public RowBytes read(ImageRow row) {
    long declared = row.declaredLength();
    if (declared > maxFileBytes) {
      return tooLarge(declared);
    }
    byte[] bytes;
    try {
      byte[] content = row.content();
      bytes = content != null ? content : InputFiles.readAtMost(row.path(), conf, maxFileBytes);
    } catch (IOException | RuntimeException e) {
      return new RowBytes.Unreadable(
          declared, QuarantineReason.READ_FAILED, "cannot read file: " + e);
    }
    return bytes.length > maxFileBytes ? tooLarge(bytes.length) : new RowBytes.Read(bytes);
  }

  /**
   * The model input from the bytes that {@link #read} gave for {@code row}. Never throws for bad
   * data.
   */
  public DecodeResult decode(ImageRow row, byte[] bytes) {
    if (row.hasPixels()) {
      return decoder.decodePixels(row.pixelWidth(), row.pixelHeight(), row.pixelType(), bytes);
    }
    return decoder.decode(bytes);
  }

  /** Both steps: the row's image, or empty for a row that the explain stage quarantines. */
  public Optional<LoadedImage> load(ImageRow row) {
    if (read(row) instanceof RowBytes.Read read
        && decode(row, read.bytes()) instanceof DecodedImage image) {
      return Optional.of(
          new LoadedImage(row, InputFiles.sha256(read.bytes()), read.bytes().length, image));
    }
    return Optional.empty();
  }

  private RowBytes tooLarge(long size) {
    return new RowBytes.Unreadable(
        size,
        QuarantineReason.TOO_LARGE,
        String.format("file has %d bytes, more than --max-file-bytes %d", size, maxFileBytes));
  }
}
