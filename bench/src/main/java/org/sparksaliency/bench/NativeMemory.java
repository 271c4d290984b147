package org.sparksaliency.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resident memory of this JVM (Java heap and libtorch's native allocations together), from
 * /proc/self/status.
 */
final class NativeMemory {
  private NativeMemory() {}

  /** VmRSS in MiB, or -1 where /proc is not available. */
  static double rssMiB() {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return -1;
    }
    try {
      return parseRssMiB(Files.readString(status));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read /proc/self/status", e);
    }
  }

  static double parseRssMiB(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring(6).trim().split("\\s+");
        return Long.parseLong(parts[0]) / 1024.0;
      }
    }
    throw new IllegalArgumentException(
        "Cannot read the resident memory: no VmRSS line in /proc/self/status");
  }
}
