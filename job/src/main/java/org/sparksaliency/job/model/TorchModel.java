package org.sparksaliency.job.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A TorchScript module loaded through DJL's PyTorch engine, in eval mode, with parameter gradients off:
 * autograd reaches inputs and activations only. Not thread-safe: only its {@link ModelOwner} thread
 * calls it.
 */
public final class TorchModel implements AutoCloseable {
  private final String uri;
  private final PtNDManager manager;
  private final PtSymbolBlock block;
  private final Set<String> methodNames;

  private TorchModel(String uri, PtNDManager manager, PtSymbolBlock block, Set<String> methodNames) {
    this.uri = uri;
    this.manager = manager;
    this.block = block;
    this.methodNames = methodNames;
  }

  /** Loads the module at {@code path} onto {@code device} ("cpu" or "gpu:N"). */
  public static TorchModel load(String uri, Path path, String device) {
    Engine engine = Engine.getEngine("PyTorch");
    PtNDManager manager = (PtNDManager) engine.newBaseManager(toDevice(device));
    try {
      // trainParam=true: weights loaded as ordinary tensors; otherwise they are inference tensors and
      // backward through them fails. Parameter gradients are then switched off: only inputs need them.
      PtSymbolBlock block = JniUtils.loadModule(manager, path, true, new String[0], new String[0], true);
      NDList params = JniUtils.moduleGetParams(block, manager);
      for (NDArray p : params) {
        p.setRequiresGradient(false);
      }
      params.close();
      Set<String> names = new TreeSet<>(Arrays.asList(JniUtils.getMethodNames(block)));
      return new TorchModel(uri, manager, block, names);
    } catch (RuntimeException e) {
      manager.close();
      throw new ModelException(uri, "it is not a loadable TorchScript file (" + firstLine(e.getMessage()) + ")", e);
    }
  }

  static Device toDevice(String device) {
    if ("cpu".equals(device)) {
      return Device.cpu();
    }
    if (device.startsWith("gpu:")) {
      return Device.gpu(Integer.parseInt(device.substring(4)));
    }
    throw new IllegalArgumentException("Cannot use device '" + device + "': expected cpu or gpu:N");
  }

  /** URI the model was loaded from, for messages. */
  public String uri() {
    return uri;
  }

  /** The manager owning the module; callers open a sub-manager per batch and close it. */
  public NDManager manager() {
    return manager;
  }

  public boolean hasMethod(String name) {
    return methodNames.contains(name);
  }

  /** Fails with a message naming the model and the missing methods. */
  public void requireMethods(List<String> required, String forWhat) {
    List<String> missing = required.stream().filter(m -> !methodNames.contains(m)).toList();
    if (!missing.isEmpty()) {
      throw new ModelException(
          uri,
          String.format(
              "%s needs the model to export %s (missing: %s); export them with @torch.jit.export, "
                  + "see sample-data/README.md",
              forWhat, String.join(" and ", required), String.join(", ", missing)),
          null);
    }
  }

  /**
   * Runs a TorchScript method with autograd enabled, keeping the module in eval mode. The result lives in
   * the input's manager. No graph is built unless the input requires a gradient.
   */
  public NDArray call(String method, NDArray input) {
    NDManager m = input.getManager();
    try (NDArray marker = m.create(0f)) {
      marker.setName("module_method:" + method);
      NDList out = IValueUtils.forward(block, new NDList(input, marker), true);
      return out.singletonOrThrow();
    }
  }

  /**
   * Runs a TorchScript method with any number of tensor arguments (none is fine) and returns every tensor of
   * its result, a tuple flattened in order, attached to {@code scope}. Autograd as in {@link #call}.
   */
  public NDList callAll(String method, NDManager scope, NDArray... inputs) {
    try (NDArray marker = scope.create(0f)) {
      marker.setName("module_method:" + method);
      // The first array's manager receives the outputs, so the marker goes first.
      NDList in = new NDList(inputs.length + 1);
      in.add(marker);
      in.addAll(Arrays.asList(inputs));
      return IValueUtils.forward(block, in, true);
    }
  }

  /** Back-propagates a scalar. */
  public static void backward(NDArray scalar) {
    try (NDArray seed = scalar.onesLike()) {
      JniUtils.backward((PtNDArray) scalar, (PtNDArray) seed, false, false);
    }
  }

  @Override
  public void close() {
    block.close();
    manager.close();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "no message";
    }
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }
}
