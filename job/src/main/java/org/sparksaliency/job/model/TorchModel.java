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
 * A TorchScript module loaded through DJL's PyTorch engine, in eval mode, with parameter gradients
 * off: autograd reaches inputs and activations only. Not thread-safe: only its {@link ModelOwner}
 * thread calls it.
 */
public final class TorchModel implements AutoCloseable {
  private final java.util.concurrent.atomic.AtomicLong forwardRows =
      new java.util.concurrent.atomic.AtomicLong();

  private final String uri;
  private final PtNDManager manager;
  private final PtSymbolBlock block;
  private final Set<String> methodNames;

  private TorchModel(
      String uri, PtNDManager manager, PtSymbolBlock block, Set<String> methodNames) {
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
      // trainParam=true: weights loaded as ordinary tensors; otherwise they are inference tensors
      // and
      // backward through them fails. Parameter gradients are then switched off: only inputs need
      // them.
      PtSymbolBlock block =
          JniUtils.loadModule(manager, path, true, new String[0], new String[0], true);
      NDList params = JniUtils.moduleGetParams(block, manager);
      for (NDArray p : params) {
        p.setRequiresGradient(false);
      }
      params.close();
      Set<String> names = new TreeSet<>(Arrays.asList(JniUtils.getMethodNames(block)));
      return new TorchModel(uri, manager, block, names);
    } catch (RuntimeException e) {
      manager.close();
      throw new ModelException(
          uri, "it is not a loadable TorchScript file (" + firstLine(e.getMessage()) + ")", e);
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
    requireMethods(
        required, forWhat, "export them with @torch.jit.export, see sample-data/README.md");
  }

  /** Fails with a message naming the model, the missing methods and {@code howToExport}. */
  public void requireMethods(List<String> required, String forWhat, String howToExport) {
    List<String> missing = required.stream().filter(m -> !methodNames.contains(m)).toList();
    if (!missing.isEmpty()) {
      throw new ModelException(
          uri,
          String.format(
              "%s needs the model to export %s (missing: %s); %s",
              forWhat, String.join(" and ", required), String.join(", ", missing), howToExport),
          null);
    }
  }

  /**
   * Runs a TorchScript method with autograd enabled, keeping the module in eval mode. The result
   * lives in the input's manager. No graph is built unless the input requires a gradient.
   */
  public NDArray call(String method, NDArray input) {
    return run(method, input).singletonOrThrow();
  }

  /** As {@link #call(String, NDArray)}, for a method with several tensor arguments, in order. */
  public NDArray call(String method, NDArray first, NDArray... more) {
    NDArray[] args = new NDArray[more.length + 1];
    args[0] = first;
    System.arraycopy(more, 0, args, 1, more.length);
    return run(method, args).singletonOrThrow();
  }

  /**
   * As {@link #call(String, NDArray)}, for a method that returns a {@code Dict[str, Tensor]}: one
   * array per entry, named by its key, in no particular order.
   */
  public NDList callForNamed(String method, NDArray input) {
    return run(method, input);
  }

  /**
   * Input rows this model's {@code forward} and {@code features} have run on, since it was loaded:
   * what the model work of a batch cost, in passes of one sample.
   */
  public long forwardRows() {
    return forwardRows.get();
  }

  private NDList run(String method, NDArray... inputs) {
    if (method.equals("forward") || method.equals("features")) {
      forwardRows.addAndGet(inputs[0].getShape().get(0));
    }
    NDManager m = inputs[0].getManager();
    try (NDArray marker = m.create(0f)) {
      marker.setName("module_method:" + method);
      NDList args = new NDList(inputs.length + 1);
      args.addAll(java.util.Arrays.asList(inputs));
      args.add(marker);
      return IValueUtils.forward(block, args, true);
    }
  }

  /**
   * Runs {@code work} with gradients switched on for the module's parameters, given as one array
   * per parameter named by its path (e.g. {@code body.0.weight}), then zeroes their gradients and
   * switches them off again. Gradients accumulate across backward passes: {@code work} calls {@link
   * #zeroGradient} between samples. Only the owner thread may call this: every method shares the
   * parameters, and all others rely on them not requiring gradients.
   */
  public <T> T withParameterGradients(java.util.function.Function<NDList, T> work) {
    try (NDManager scope = manager.newSubManager()) {
      NDList params = JniUtils.moduleGetParams(block, (PtNDManager) scope);
      try {
        for (NDArray p : params) {
          p.setRequiresGradient(true);
        }
        return work.apply(params);
      } finally {
        for (NDArray p : params) {
          zeroGradient(p);
          p.setRequiresGradient(false);
        }
      }
    }
  }

  /**
   * Runs {@code work} with the module's parameters, one array per parameter named by its path, in
   * the module's registration order, gradients off. The arrays share the module's storage: writing
   * into them changes the model for every later call (see {@link ParameterRandomisation}, which
   * restores them). Only the owner thread may call this.
   */
  public <T> T withParameters(java.util.function.Function<NDList, T> work) {
    try (NDManager scope = manager.newSubManager()) {
      return work.apply(JniUtils.moduleGetParams(block, (PtNDManager) scope));
    }
  }

  /**
   * Sets a parameter's accumulated gradient to zero in place. libtorch keeps the gradient tensor of
   * a parameter (DJL cannot reset it to undefined), so the memory of one gradient per parameter
   * stays allocated after the first parameter backward pass.
   */
  public static void zeroGradient(NDArray parameter) {
    try (NDArray g = parameter.getGradient()) {
      g.muli(0f);
    }
  }

  /**
   * Runs a TorchScript method with autograd off, for forward-only work: no graph is recorded
   * whatever the input, so nothing is kept for a backward pass. The result lives in the input's
   * manager.
   */
  public NDArray callWithoutGraph(String method, NDArray input) {
    boolean was = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return call(method, input);
    } finally {
      JniUtils.setGradMode(was);
    }
  }

  /**
   * Runs a TorchScript method with any number of tensor arguments (none is fine) and returns every
   * tensor of its result, a tuple flattened in order, attached to {@code scope}. Autograd as in
   * {@link #call}.
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

  /**
   * Back-propagates a scalar and keeps the graph, so that another output of it can be
   * back-propagated.
   */
  public static void backwardKeepingGraph(NDArray scalar) {
    try (NDArray seed = scalar.onesLike()) {
      JniUtils.backward((PtNDArray) scalar, (PtNDArray) seed, true, false);
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
