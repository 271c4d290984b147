package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.sparksaliency.job.option.ConfigException;

/**
 * --run-id names the tables' run_id=<id> folders, so it must read back from a folder name as text.
 */
class RunIdOptionTest {
  private static JobConfig parse(String runId) {
    return JobOptions.parse(
        "--input", "in/", "--model", "m.pt", "--output", "out/", "--run-id", runId);
  }

  @Test
  void idsStartingWithALetterAreAccepted() {
    for (String id :
        new String[] {"sample", "nightly-2024-01-01", "db-123", "r1.2_b", "NaNo", "Infinity2"}) {
      assertThat(parse(id).output().runId()).isEqualTo(id);
    }
  }

  @Test
  void idsThatSparkWouldReadAsNumbersOrDatesAreRejected() {
    for (String id :
        new String[] {"2024-01-01", "42", "1e5", "NaN", "Infinity", "-1", "_x", "a/b", "a b"}) {
      assertThatThrownBy(() -> parse(id))
          .as(id)
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "Cannot use --run-id: '"
                  + id
                  + "' must start with a letter, then letters, digits, '.', '_' or '-'"
                  + " (at most 128), and not be NaN or Infinity (it names the run_id=<id> folders, read back as text)");
    }
  }
}
