package org.sparksaliency.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.scheduler.TaskLocality;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.Tuple4;
import scala.collection.JavaConverters;

/** Running tasks' partial counts from heartbeats: kept until the task ends, never after. */
class RunningTaskCountsTest {
  private static final long DONE = 7;
  private static final long QUARANTINED = 8;

  @Test
  void addsRunningTasksUntilTheyEndAndIgnoresLateHeartbeats() {
    RunningTaskCounts counts = new RunningTaskCounts(DONE, QUARANTINED);
    counts.onExecutorMetricsUpdate(heartbeat(1, 4, 1));
    counts.onExecutorMetricsUpdate(heartbeat(2, 6, 0));
    assertThat(counts.filesDone()).isEqualTo(10);
    assertThat(counts.filesQuarantined()).isEqualTo(1);

    counts.onExecutorMetricsUpdate(
        heartbeat(1, 8, 2)); // a later heartbeat replaces the task's value
    assertThat(counts.filesDone()).isEqualTo(14);

    counts.onTaskEnd(taskEnd(1)); // its final value is in the driver's accumulator now
    assertThat(counts.filesDone()).isEqualTo(6);
    counts.onExecutorMetricsUpdate(heartbeat(1, 9, 2)); // sent before the end, arrived after it
    assertThat(counts.filesDone()).isEqualTo(6);
    assertThat(counts.filesQuarantined()).isZero();
  }

  private static SparkListenerExecutorMetricsUpdate heartbeat(
      long taskId, long done, long quarantined) {
    List<AccumulableInfo> infos =
        List.of(
            info(DONE, done), info(QUARANTINED, quarantined), info(99, 1000)); // 99: someone else's
    Object task = new Tuple4<>(taskId, 0, 0, JavaConverters.asScalaBuffer(infos).toSeq());
    return new SparkListenerExecutorMetricsUpdate(
        "driver", seqOf(task), scala.collection.immutable.Map$.MODULE$.empty());
  }

  /**
   * A Scala Seq typed as the parameter it is passed to: scala.collection.Seq on Scala 2.12,
   * scala.collection.immutable.Seq on 2.13 (Buffer.toSeq returns the one of each version).
   */
  @SuppressWarnings("unchecked")
  private static <T> T seqOf(Object... elements) {
    return (T) JavaConverters.asScalaBuffer(List.of(elements)).toSeq();
  }

  private static AccumulableInfo info(long id, long value) {
    return new AccumulableInfo(
        id, Option.apply("a"), Option.apply(value), Option.empty(), false, false, Option.empty());
  }

  private static SparkListenerTaskEnd taskEnd(long taskId) {
    TaskInfo info =
        new TaskInfo(
            taskId, 0, 0, 0, 0L, "driver", "localhost", TaskLocality.PROCESS_LOCAL(), false);
    return new SparkListenerTaskEnd(0, 0, "ResultTask", Success$.MODULE$, info, null, null);
  }
}
