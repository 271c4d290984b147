package org.sparksaliency.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CpuPeakTest {
  private static String cpuinfo(int processors, String mhz, String flags) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < processors; i++) {
      sb.append("processor\t: ").append(i).append('\n');
      sb.append("model name\t: Intel(R) Xeon(R) Processor\n");
      if (mhz != null) {
        sb.append("cpu MHz\t\t: ").append(mhz).append('\n');
      }
      sb.append("flags\t\t: ").append(flags).append("\n\n");
    }
    return sb.toString();
  }

  @Test
  void avx512CoresClockAndTwoFmaUnitsGiveThePeak() {
    CpuPeak p =
        CpuPeak.parse(
            cpuinfo(2, "2000.000", "fpu sse4_2 avx avx2 fma avx512f avx512_bf16 amx_bf16"), 8);

    assertThat(p.cpus()).isEqualTo(2);
    assertThat(p.mhz()).isEqualTo(2000.0);
    assertThat(p.flopsPerCycle()).isEqualTo(64); // 2 FMA units x 16 fp32 lanes x 2 FLOP
    assertThat(p.bf16()).isTrue();
    assertThat(p.gflops()).isCloseTo(256.0, within(1e-9)); // 2 x 2.0 GHz x 64
    assertThat(p.gflops(1)).isCloseTo(128.0, within(1e-9));
    assertThat(p.describe(2))
        .isEqualTo(
            "2 CPUs x 2000 MHz x 64 fp32 FLOP/cycle (avx512f, 2 FMA units assumed) = 256.0 GFLOP/s");
  }

  @Test
  void avx2WithFmaIsHalfOfAvx512AndPlainAvxHasNoFma() {
    CpuPeak avx2 = CpuPeak.parse(cpuinfo(4, "3000.5", "sse4_2 avx avx2 fma"), 1);
    CpuPeak avx = CpuPeak.parse(cpuinfo(1, "2500", "sse4_2 avx"), 1);

    assertThat(avx2.flopsPerCycle()).isEqualTo(32);
    assertThat(avx2.bf16()).isFalse();
    assertThat(avx2.gflops()).isCloseTo(4 * 3.0005 * 32, within(1e-9));
    assertThat(avx.flopsPerCycle()).isEqualTo(16);
    assertThat(avx.isa()).isEqualTo("avx");
  }

  @Test
  void textWithoutProcessorsUsesTheFallbackCount() {
    CpuPeak p = CpuPeak.parse("cpu MHz : 1000\nflags : sse2\n", 3);

    assertThat(p.cpus()).isEqualTo(3);
    assertThat(p.flopsPerCycle()).isEqualTo(8);
    assertThat(p.gflops()).isCloseTo(24.0, within(1e-9));
  }

  @Test
  void modelNameIsTheFirstModelNameLine() {
    assertThat(CpuPeak.modelName(cpuinfo(2, "2000.000", "avx2 fma")))
        .isEqualTo("Intel(R) Xeon(R) Processor");
    assertThat(CpuPeak.modelName("processor : 0\ncpu MHz : 1000\n")).isEqualTo("unknown CPU");
  }

  @Test
  void textWithoutAClockIsRejected() {
    assertThatThrownBy(() -> CpuPeak.parse(cpuinfo(2, null, "avx2 fma"), 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot derive the CPU peak: cpuinfo has no 'cpu MHz' line");
  }

  @Test
  void residentMemoryIsReadFromVmRss() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t  2097152 kB\nThreads:\t40\n";

    assertThat(NativeMemory.parseRssMiB(status)).isEqualTo(2048.0);
    assertThatThrownBy(() -> NativeMemory.parseRssMiB("Name:\tjava\n"))
        .hasMessage("Cannot read the resident memory: no VmRSS line in /proc/self/status");
    assertThat(NativeMemory.rssMiB()).isGreaterThan(10.0); // this JVM, on Linux
  }
}
