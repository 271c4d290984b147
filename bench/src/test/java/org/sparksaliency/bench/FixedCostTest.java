package org.sparksaliency.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FixedCostTest {
  /**
   * The bench tells a run that records the class-data archive by the line bin/saliency prints for
   * it: if that line changed, such a run would be timed as the fixed cost without a word.
   */
  @Test
  void theLauncherPrintsTheLineThatMarksARecordingRun() throws IOException {
    String launcher = Files.readString(Path.of("..", "bin", "saliency"), StandardCharsets.UTF_8);
    assertThat(launcher).contains(FixedCost.RECORDING);
  }
}
