package org.sparksaliency.job.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The processor and libtorch build an executor computes on, named in engine-check verdicts and
 * warnings.
 */
public final class EngineInfo {
  private static final String CPU = readCpuModel();

  private EngineInfo() {}

  /** The processor's model name from /proc/cpuinfo (Linux), else the JVM's os.arch. */
  public static String cpuModel() {
    return CPU;
  }

  /**
   * The libtorch build DJL loaded: its native folder name (version, build date, flavour, platform,
   * e.g. {@code 2.7.1-20250812-cpu-linux-x86_64}). Call after the engine is loaded.
   */
  public static String libtorchBuild() {
    try {
      String path = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
      Path name = Path.of(path).getFileName();
      return name == null ? path : name.toString();
    } catch (RuntimeException | LinkageError e) {
      return "pytorch " + ai.djl.engine.Engine.getEngine("PyTorch").getVersion();
    }
  }

  private static String readCpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      for (String line : lines) {
        if (line.startsWith("model name")) {
          int colon = line.indexOf(':');
          return colon < 0 ? line.strip() : line.substring(colon + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux, or not readable: fall through to the architecture.
    }
    return System.getProperty("os.arch", "unknown");
  }
}
