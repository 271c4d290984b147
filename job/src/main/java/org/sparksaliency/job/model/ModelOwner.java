package org.sparksaliency.job.model;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparksaliency.job.io.Redaction;

/**
 * The one thread of an executor JVM that touches a loaded model on one device. Task threads hand it
 * work and wait: libtorch grad mode and thread settings are per thread, concurrent first calls into
 * a fresh TorchScript module have crashed the JVM, and one device runs one batch at a time anyway.
 */
public final class ModelOwner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelOwner.class);

  private final String device;
  private final ExecutorService thread;
  private final TorchModel model;
  private final java.util.Map<String, EngineVerdict> verdicts = new java.util.HashMap<>();

  /**
   * Loads the model on a new owner thread and runs {@code warmUp} there before returning, so the
   * first task does not race the TorchScript profiling runs.
   */
  ModelOwner(
      String uri,
      java.nio.file.Path localPath,
      String device,
      int threads,
      Consumer<TorchModel> warmUp) {
    this.device = device;
    this.thread =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "saliency-model-owner-" + device);
              t.setDaemon(true);
              return t;
            });
    this.model =
        loadOrStop(
            thread.submit(
                () -> {
                  // Loads libtorch; JniUtils calls before this fail with UnsatisfiedLinkError.
                  ai.djl.engine.Engine.getEngine("PyTorch");
                  if (threads > 0) {
                    JniUtils.setNumThreads(threads);
                    // libtorch gives a thread its count at the thread's first parallel op, from the
                    // last count
                    // set in the process; reading it here fixes this owner's count before another
                    // owner loads.
                    JniUtils.getNumThreads();
                  }
                  JniUtils.setGradMode(true);
                  TorchModel m = TorchModel.load(uri, localPath, device);
                  try {
                    warmUp.accept(m);
                  } catch (RuntimeException e) {
                    m.close();
                    throw e;
                  }
                  return m;
                }));
    LOG.info(
        "Loaded model {} on {} with {} intra-op threads, {}={}",
        Redaction.uri(uri),
        device,
        threads,
        OpenMpWait.VARIABLE,
        OpenMpWait.policy());
    OpenMpWait.check(device);
  }

  /**
   * A new owner of the local TorchScript file {@code localPath} on {@code device} with {@code
   * threads} intra-op threads (0: libtorch's default), outside the executor cache: for tests and
   * tools that need several owners with different thread counts in one JVM. The caller closes it.
   */
  public static ModelOwner open(
      String uri,
      java.nio.file.Path localPath,
      String device,
      int threads,
      Consumer<TorchModel> warmUp) {
    return new ModelOwner(uri, localPath, device, threads, warmUp);
  }

  /**
   * The loaded model; if loading failed, the owner thread is stopped before the failure is
   * rethrown.
   */
  private TorchModel loadOrStop(Future<TorchModel> loading) {
    try {
      return await(loading);
    } catch (RuntimeException | Error e) {
      thread.shutdown();
      throw e;
    }
  }

  public String device() {
    return device;
  }

  /**
   * The verdict of the engine check named {@code key}, running {@code check} on the owner thread
   * the first time a task asks for it; every later task of this JVM gets the same verdict. A check
   * that throws is not remembered.
   */
  public synchronized EngineVerdict verdict(String key, Function<TorchModel, EngineVerdict> check) {
    EngineVerdict v = verdicts.get(key);
    if (v == null) {
      v = call(check);
      verdicts.put(key, v);
    }
    return v;
  }

  /** Runs {@code work} on the owner thread and returns its result; exceptions reach the caller. */
  public <T> T call(Function<TorchModel, T> work) {
    return await(thread.submit(() -> OwnerClock.busy(() -> work.apply(model))));
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      f.cancel(false);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the model owner", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new IllegalStateException(c);
    }
  }

  @Override
  public void close() {
    try {
      await(
          thread.submit(
              () -> {
                model.close();
                return null;
              }));
    } finally {
      thread.shutdown();
    }
  }
}
