package org.sparksaliency.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a script of sample-data/ with the Debian python3 that has torch, as a child of this JVM. */
final class Python {
  static final String EXECUTABLE = System.getProperty("saliency.python", "/usr/bin/python3");

  private Python() {}

  /**
   * Runs the script and returns the last line of its stdout; stderr passes through. The script gets
   * this process's environment, less the OpenMP wait policy that bin/saliency sets for the job when
   * the user has set none: a PyTorch peer runs as a user would run it, with PyTorch's defaults.
   */
  static String run(Path home, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(EXECUTABLE);
    cmd.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(cmd)
            .directory(home.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    if ("1".equals(System.getenv("SALIENCY_DEFAULT_OMP_WAIT_POLICY"))) {
      builder.environment().remove("OMP_WAIT_POLICY");
    }
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    int code = p.waitFor();
    if (code != 0) {
      throw new IOException("Cannot run " + String.join(" ", cmd) + ": exit code " + code);
    }
    int nl = out.lastIndexOf('\n');
    return nl < 0 ? out : out.substring(nl + 1);
  }
}
