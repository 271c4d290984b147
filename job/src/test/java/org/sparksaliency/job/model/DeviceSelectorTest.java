package org.sparksaliency.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;

/** The address-to-device rule of GPU scheduling, with the resource maps Spark hands a task. */
class DeviceSelectorTest {
  private static ResourceInformation gpus(String... addresses) {
    return new ResourceInformation("gpu", addresses);
  }

  @Test
  void aTaskWithoutGpusRunsOnTheCpu() {
    assertThat(DeviceSelector.select(Map.of())).isEqualTo("cpu");
    assertThat(
            DeviceSelector.select(
                Map.of("fpga", new ResourceInformation("fpga", new String[] {"0"}))))
        .isEqualTo("cpu");
    assertThat(DeviceSelector.select(Map.of("gpu", gpus()))).isEqualTo("cpu");
  }

  @Test
  void theAssignedGpuAddressBecomesItsCudaOrdinal() {
    assertThat(DeviceSelector.select(Map.of("gpu", gpus("0")))).isEqualTo("gpu:0");
    assertThat(DeviceSelector.select(Map.of("gpu", gpus("3")))).isEqualTo("gpu:3");
    // Discovery scripts print addresses as JSON strings; stray blanks are not a different device.
    assertThat(DeviceSelector.select(Map.of("gpu", gpus(" 1 ")))).isEqualTo("gpu:1");
  }

  @Test
  void aTaskGivenSeveralGpusUsesTheFirst() {
    assertThat(DeviceSelector.select(Map.of("gpu", gpus("2", "5")))).isEqualTo("gpu:2");
  }

  @Test
  void tasksOnDifferentGpusOfOneExecutorGetDifferentDevices() {
    // One owner per (executor, device): two tasks with gpu.amount=0.5 on a 2-GPU executor share
    // nothing.
    assertThat(DeviceSelector.select(Map.of("gpu", gpus("0")))).isEqualTo("gpu:0");
    assertThat(DeviceSelector.select(Map.of("gpu", gpus("1")))).isEqualTo("gpu:1");
  }

  @Test
  void anAddressThatIsNotACudaOrdinalFailsWithTheDiscoveryScriptNamed() {
    for (String bad : new String[] {"GPU-5f3c2a1e", "-1", "", "0x1"}) {
      assertThatThrownBy(() -> DeviceSelector.select(Map.of("gpu", gpus(bad))))
          .as(bad)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage(
              "Cannot choose a GPU: Spark assigned address '"
                  + bad.trim()
                  + "', which is not a CUDA ordinal (check the GPU discovery script)");
    }
  }

  @Test
  void outsideATaskTheDeviceIsTheCpu() {
    assertThat(DeviceSelector.forCurrentTask()).isEqualTo("cpu");
  }
}
