package org.sparksaliency.job.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TorchErrorsTest {

  @Test
  void theLastErrorLineOfATorchScriptTracebackIsTheCause() {
    String traceback =
        "The following operation failed in the TorchScript interpreter.\n"
            + "Traceback of TorchScript, serialized code (most recent call last):\n"
            + "  File \"code/__torch__.py\", line 10, in forward\n"
            + "    fc = self.fc\n"
            + "    return (fc).forward(torch.flatten(x, 1), )\n"
            + "RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x3072 and 768x3)\n";
    assertThat(
            TorchErrors.cause(
                new IllegalStateException("wrapper", new RuntimeException(traceback))))
        .isEqualTo("RuntimeError: mat1 and mat2 shapes cannot be multiplied (1x3072 and 768x3)");
  }

  @Test
  void aMessageWithoutAnErrorLineGivesItsFirstLine() {
    assertThat(TorchErrors.cause(new RuntimeException("first line\nsecond line")))
        .isEqualTo("first line");
    assertThat(TorchErrors.cause(new NullPointerException())).isEqualTo("NullPointerException");
  }
}
