package org.sparksaliency.job.model;

import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;

/**
 * Chooses the device for a task: the first GPU address Spark assigned to it ({@code
 * spark.task.resource.gpu.amount}), else the CPU. Addresses are CUDA ordinals as printed by the
 * discovery script, which DJL names {@code gpu(N)}.
 */
public final class DeviceSelector {
  private DeviceSelector() {}

  /** "cpu" or "gpu:N" for the running task (or "cpu" outside a task). */
  public static String forCurrentTask() {
    TaskContext tc = TaskContext.get();
    return tc == null
        ? "cpu"
        : select(scala.collection.JavaConverters.mapAsJavaMap(tc.resources()));
  }

  /** "cpu" or "gpu:N" from a task's resource map. */
  public static String select(Map<String, ResourceInformation> resources) {
    ResourceInformation gpu = resources.get("gpu");
    if (gpu == null || gpu.addresses().length == 0) {
      return "cpu";
    }
    String address = gpu.addresses()[0].trim();
    try {
      int ordinal = Integer.parseInt(address);
      if (ordinal < 0) {
        throw new NumberFormatException();
      }
      return "gpu:" + ordinal;
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          "Cannot choose a GPU: Spark assigned address '"
              + address
              + "', which is not a CUDA ordinal (check the GPU discovery script)");
    }
  }
}
