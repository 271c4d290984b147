package org.sparksaliency.job.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparksaliency.job.io.Redaction;

/**
 * The executor JVM's model owners, one per (model, device, intra-op thread count), created on first
 * use and kept for the life of the JVM so that every later task and partition reuses the loaded
 * model. The thread count is part of the key because the owner thread sets it once, at load: a
 * later run in the same JVM (a notebook's second transform) that asks for other threads must not
 * get an owner set up for the first.
 */
public final class ExecutorModels {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
  private static final Map<String, ModelOwner> OWNERS = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ExecutorModels::closeAll, "saliency-model-owners-close"));
  }

  private ExecutorModels() {}

  /**
   * The owner of {@code spec} on {@code device} with the spec's intra-op threads (0: this JVM's
   * processors), loading the model (copied from its URI to local disk once, sha-256 checked, warmed
   * up by {@code warmUp}) if this JVM has none yet.
   */
  public static ModelOwner acquire(ModelSpec spec, String device, Consumer<TorchModel> warmUp) {
    int threads =
        spec.torchThreads() > 0 ? spec.torchThreads() : Runtime.getRuntime().availableProcessors();
    String key = spec.uri() + "|" + spec.sha256() + "|" + device + "|" + threads;
    return OWNERS.computeIfAbsent(
        key,
        k -> {
          ModelFiles.LocalModel local =
              ModelFiles.localCopy(spec.uri(), spec.hadoopConf().get(), cacheDir(), spec.sha256());
          ModelOwner owner = new ModelOwner(spec.uri(), local.path(), device, threads, warmUp);
          int n = LOADS.incrementAndGet();
          // One line per load, in a stable form: tests and operators count these per executor.
          LOG.warn(
              "saliency-model-load uri={} device={} loadsInThisJvm={}",
              Redaction.uri(spec.uri()),
              device,
              n);
          return owner;
        });
  }

  /** How many models this JVM has loaded. */
  public static int loadCount() {
    return LOADS.get();
  }

  static Path cacheDir() {
    String dir = System.getProperty("saliency.model.cache", System.getProperty("java.io.tmpdir"));
    return Path.of(dir, "spark-saliency-models");
  }

  /**
   * Closes and forgets every owner: at JVM exit, and between test classes that need a fresh cache.
   */
  static void closeAll() {
    for (ModelOwner owner : OWNERS.values()) {
      try {
        owner.close();
      } catch (RuntimeException e) {
        LOG.debug("Ignoring a failure to close a model owner at JVM exit", e);
      }
    }
    OWNERS.clear();
  }
}
