package org.sparksaliency.job.model;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads libtorch (DJL's PyTorch engine) on a background thread, for a driver whose JVM is also the
 * executor (local mode): the native library takes a second or more to load, and the first task
 * would otherwise start loading it only once Spark has started, listed the input and decoded its
 * first batch. The model owner asks for the same engine and waits for this load if it is still
 * under way. A failure here is left for the owner to meet and report.
 */
public final class EnginePreload {
  private static final Logger LOG = LoggerFactory.getLogger(EnginePreload.class);
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private EnginePreload() {}

  /** Starts loading the engine, once per JVM. */
  public static void start() {
    if (!STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              try {
                ai.djl.engine.Engine.getEngine("PyTorch");
              } catch (RuntimeException | LinkageError e) {
                LOG.debug("Engine preload failed; the model owner reports the failure", e);
              }
            },
            "saliency-engine-preload");
    t.setDaemon(true);
    t.start();
  }
}
