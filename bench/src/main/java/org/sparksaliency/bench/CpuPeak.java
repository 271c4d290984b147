package org.sparksaliency.bench;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The machine's theoretical fp32 peak, derived from {@code /proc/cpuinfo}: logical CPUs × clock ×
 * FLOP per cycle per core. FLOP per cycle assumes two FMA units per core (two fused multiply-adds
 * per cycle): AVX-512 16 lanes → 64, AVX2 + FMA 8 lanes → 32, AVX without FMA 16, otherwise SSE 8.
 * The clock is the first "cpu MHz" line (the nominal clock in a VM; turbo, and CPUs with one
 * 512-bit FMA unit, make the real peak differ), so the bench also measures an attainable peak with
 * a large matrix product ({@link MatmulPeak}).
 *
 * @param cpus logical CPUs counted (processor lines, or the JVM's available processors if the text
 *     has none)
 * @param mhz clock in MHz
 * @param flopsPerCycle fp32 FLOP per cycle per CPU
 * @param isa the widest vector extension found, for the report
 * @param bf16 whether the CPU has AVX512-BF16 or AMX-BF16 (bf16 matrix instructions)
 */
public record CpuPeak(int cpus, double mhz, int flopsPerCycle, String isa, boolean bf16) {

  /** Parses cpuinfo text; {@code fallbackCpus} is used when it lists no processors. */
  public static CpuPeak parse(String cpuinfo, int fallbackCpus) {
    int cpus = 0;
    double mhz = 0;
    Set<String> flags = new HashSet<>();
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("processor")) {
        cpus++;
      } else if (key.equals("cpu MHz") && mhz == 0) {
        mhz = Double.parseDouble(value);
      } else if (key.equals("flags") && flags.isEmpty()) {
        flags.addAll(Arrays.asList(value.split("\\s+")));
      }
    }
    if (mhz <= 0) {
      throw new IllegalArgumentException(
          "Cannot derive the CPU peak: cpuinfo has no 'cpu MHz' line");
    }
    String isa;
    int perCycle;
    if (flags.contains("avx512f")) {
      isa = "avx512f";
      perCycle = 64;
    } else if (flags.contains("avx2") && flags.contains("fma")) {
      isa = "avx2+fma";
      perCycle = 32;
    } else if (flags.contains("avx")) {
      isa = "avx";
      perCycle = 16;
    } else {
      isa = "sse";
      perCycle = 8;
    }
    boolean bf16 = flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    return new CpuPeak(cpus > 0 ? cpus : fallbackCpus, mhz, perCycle, isa, bf16);
  }

  /** The first "model name" of cpuinfo text, or "unknown CPU". */
  public static String modelName(String cpuinfo) {
    for (String line : cpuinfo.split("\n")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return "unknown CPU";
  }

  /** Peak fp32 GFLOP/s of {@code cpus} of these CPUs. */
  public double gflops(int usedCpus) {
    return usedCpus * mhz / 1000.0 * flopsPerCycle;
  }

  /** Peak fp32 GFLOP/s of all CPUs. */
  public double gflops() {
    return gflops(cpus);
  }

  /** How the peak was derived, for the report. */
  public String describe(int usedCpus) {
    return String.format(
        Locale.ROOT,
        "%d CPUs x %.0f MHz x %d fp32 FLOP/cycle (%s, 2 FMA units assumed) = %.1f GFLOP/s",
        usedCpus,
        mhz,
        flopsPerCycle,
        isa,
        gflops(usedCpus));
  }
}
