package org.sparksaliency.job.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.TorchModel;

/**
 * Merges the batches that concurrent tasks of one run hand to an executor's model owner into full
 * batches ({@link org.sparksaliency.job.model.Coalescing}). A task enqueues its decoded batch and
 * asks the owner to drain the queue; the owner thread takes what is queued, waits up to the
 * configured time for more while it holds fewer than --batch-size images, explains them in one
 * {@link BatchExplainer#explainTargets} call and hands each task its own images' results. Every
 * request is followed by a drain, so none is left behind; a drain that finds the queue empty
 * (another drain took the request) returns at once. A failure fails every request of the merged
 * batch.
 *
 * <p>Results do not depend on which task's explainer runs a merged batch: every task of a run has
 * the same settings, and the engine verdict, once per JVM, applies to all of them.
 */
final class ExplainQueue {
  private static final Map<String, ExplainQueue> QUEUES = new ConcurrentHashMap<>();

  private final ConcurrentLinkedQueue<Request> pending = new ConcurrentLinkedQueue<>();
  private final int batchSize;
  private final long waitNanos;
  private final AtomicLong merged = new AtomicLong();

  private record Request(
      BatchExplainer explainer,
      List<float[]> images,
      List<int[]> targets,
      List<String> ids,
      CompletableFuture<List<List<ImageExplanation>>> result) {}

  private ExplainQueue(int batchSize, int waitMillis) {
    this.batchSize = batchSize;
    this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
  }

  /** The queue of run {@code runId} on {@code owner}. */
  static ExplainQueue of(ModelOwner owner, String runId, int batchSize, int waitMillis) {
    String key = System.identityHashCode(owner) + "/" + owner.device() + "/" + runId;
    return QUEUES.computeIfAbsent(key, k -> new ExplainQueue(batchSize, waitMillis));
  }

  /** Model passes that held the images of more than one task, since this queue was made. */
  long mergedBatches() {
    return merged.get();
  }

  /** Explains one task's batch on {@code owner}, possibly together with other tasks' batches. */
  List<List<ImageExplanation>> explain(
      ModelOwner owner,
      BatchExplainer explainer,
      List<float[]> images,
      List<int[]> targets,
      List<String> ids) {
    Request request = new Request(explainer, images, targets, ids, new CompletableFuture<>());
    pending.add(request);
    owner.call(this::drain);
    try {
      return request.result().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the model owner", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }

  /** On the owner thread: explains everything queued, in merged batches. */
  private Void drain(TorchModel model) {
    for (Request first = pending.poll(); first != null; first = pending.poll()) {
      List<Request> group = new ArrayList<>();
      group.add(first);
      int images = first.images().size();
      long deadline = System.nanoTime() + waitNanos;
      while (images < batchSize) {
        Request next = pending.poll();
        if (next != null) {
          group.add(next);
          images += next.images().size();
        } else if (System.nanoTime() < deadline) {
          LockSupport.parkNanos(100_000);
        } else {
          break;
        }
      }
      run(model, group, images);
    }
    return null;
  }

  private void run(TorchModel model, List<Request> group, int count) {
    List<float[]> images = new ArrayList<>(count);
    List<int[]> targets = new ArrayList<>(count);
    List<String> ids = new ArrayList<>(count);
    for (Request r : group) {
      images.addAll(r.images());
      targets.addAll(r.targets());
      ids.addAll(r.ids());
    }
    List<List<ImageExplanation>> results;
    try {
      results = group.get(0).explainer().explainTargets(model, images, targets, ids);
    } catch (RuntimeException | Error e) {
      for (Request r : group) {
        r.result().completeExceptionally(e);
      }
      return;
    }
    if (group.size() > 1) {
      merged.incrementAndGet();
    }
    int from = 0;
    for (Request r : group) {
      int to = from + r.images().size();
      r.result().complete(List.copyOf(results.subList(from, to)));
      from = to;
    }
  }
}
