package org.sparksaliency.job.run;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.Tuple4;
import scala.collection.Iterator;

/**
 * The partial values of two accumulators in tasks still running, from the executors' heartbeats
 * ({@code spark.executor.heartbeatInterval}, 10 s by default). The driver's accumulator holds only
 * finished tasks' values; this adds what running tasks have counted so far. A task's partial value
 * is dropped when the task ends (its final value is then in the accumulator), and a heartbeat that
 * arrives after that is ignored.
 */
final class RunningTaskCounts extends SparkListener {
  private final long doneId;
  private final long quarantinedId;
  private final Map<Long, long[]> running = new HashMap<>();
  private final Set<Long> ended = new HashSet<>();

  RunningTaskCounts(long doneId, long quarantinedId) {
    this.doneId = doneId;
    this.quarantinedId = quarantinedId;
  }

  @Override
  public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    // Scala 2.12 types the updates scala.collection.Seq, 2.13 scala.collection.immutable.Seq: the
    // wildcard
    // compiles against both Spark lines.
    Iterator<
            ? extends
                Tuple4<Object, Object, Object, ? extends scala.collection.Seq<AccumulableInfo>>>
        tasks = update.accumUpdates().iterator();
    while (tasks.hasNext()) {
      Tuple4<Object, Object, Object, ? extends scala.collection.Seq<AccumulableInfo>> t =
          tasks.next();
      long taskId = (Long) t._1();
      if (ended.contains(taskId)) {
        continue;
      }
      long[] counts = running.computeIfAbsent(taskId, k -> new long[2]);
      Iterator<AccumulableInfo> infos = t._4().iterator();
      while (infos.hasNext()) {
        AccumulableInfo info = infos.next();
        if (info.update().isDefined() && info.update().get() instanceof Long v) {
          if (info.id() == doneId) {
            counts[0] = v;
          } else if (info.id() == quarantinedId) {
            counts[1] = v;
          }
        }
      }
    }
  }

  @Override
  public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
    ended.add(end.taskInfo().taskId());
    running.remove(end.taskInfo().taskId());
  }

  synchronized long filesDone() {
    return running.values().stream().mapToLong(c -> c[0]).sum();
  }

  synchronized long filesQuarantined() {
    return running.values().stream().mapToLong(c -> c[1]).sum();
  }
}
