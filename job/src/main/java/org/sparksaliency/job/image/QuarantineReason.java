package org.sparksaliency.job.image;

/**
 * Why a file was set aside instead of explained. The {@link #code()} strings are written to the
 * quarantine Parquet table and queried by people, so they are part of the output format: never
 * rename one.
 */
public enum QuarantineReason {
  /** The file has no bytes. */
  EMPTY_FILE("empty_file"),
  /**
   * The bytes are not a JPEG, PNG, GIF, BMP or WBMP image, or use a pixel layout that cannot be
   * turned into RGB.
   */
  UNSUPPORTED_FORMAT("unsupported_format"),
  /** The format was recognised but the data is truncated or corrupt. */
  DECODE_FAILED("decode_failed"),
  /** The file, or the pixel count its header declares, is above the configured limit. */
  TOO_LARGE("too_large"),
  /**
   * The bytes could not be read from storage (reported by the reading stage, not by {@link
   * ImageDecoder}).
   */
  READ_FAILED("read_failed"),
  /** The model input, the model output or a heatmap holds NaN or infinity. */
  NON_FINITE("non_finite");

  private final String code;

  QuarantineReason(String code) {
    this.code = code;
  }

  /**
   * @return the stable lowercase code stored in the quarantine table
   */
  public String code() {
    return code;
  }

  /**
   * The reason with the given {@link #code()}.
   *
   * @param code a code as stored in the quarantine table
   * @return the reason whose {@link #code()} equals {@code code}
   * @throws IllegalArgumentException if no reason has that code
   */
  public static QuarantineReason fromCode(String code) {
    for (QuarantineReason reason : values()) {
      if (reason.code.equals(code)) {
        return reason;
      }
    }
    throw new IllegalArgumentException("Unknown quarantine reason code: " + code);
  }
}
