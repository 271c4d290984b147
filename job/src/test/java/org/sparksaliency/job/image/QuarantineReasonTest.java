package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class QuarantineReasonTest {
  @Test
  void codesAreStable() {
    // These strings are stored in the quarantine table: changing one breaks every query written
    // against it.
    assertThat(Arrays.stream(QuarantineReason.values()).map(QuarantineReason::code))
        .containsExactly(
            "empty_file",
            "unsupported_format",
            "decode_failed",
            "too_large",
            "read_failed",
            "non_finite");
  }

  @Test
  void codesRoundTrip() {
    for (QuarantineReason reason : QuarantineReason.values()) {
      assertThat(QuarantineReason.fromCode(reason.code())).isSameAs(reason);
    }
    assertThatThrownBy(() -> QuarantineReason.fromCode("EMPTY_FILE"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown quarantine reason code: EMPTY_FILE");
  }
}
