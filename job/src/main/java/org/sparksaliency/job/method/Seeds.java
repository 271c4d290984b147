package org.sparksaliency.job.method;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * Seeds for random draws, derived from (--seed, purpose, image_id, sample) alone: a sample's noise
 * is the same whichever micro-batch, task or rerun draws it.
 */
public final class Seeds {
  /**
   * Seeds every random draw together with the image_id (noise, paths, masks, curve ties, the sanity
   * sample).
   */
  public static final Option<Long> SEED =
      Option.of(
          "seed",
          OptionType.longInt(Long.MIN_VALUE, Long.MAX_VALUE),
          "0",
          Option.Scope.DATASET,
          "seed of every random draw, combined with the image_id");

  private Seeds() {}

  /** The first 8 bytes of sha-256("seed|purpose|imageId|sample"). */
  static long of(long seed, String purpose, String imageId, int sample) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] d =
          md.digest(
              (seed + "|" + purpose + "|" + imageId + "|" + sample)
                  .getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(d, 0, 8).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
