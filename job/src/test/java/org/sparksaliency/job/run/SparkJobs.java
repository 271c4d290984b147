package org.sparksaliency.job.run;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;

/** The Spark jobs a session starts, for tests that assert how many a step runs. */
public final class SparkJobs {
  private final SparkSession spark;
  private final AtomicInteger started = new AtomicInteger();

  private SparkJobs(SparkSession spark) {
    this.spark = spark;
  }

  /** Starts counting the jobs {@code spark} starts from now on. */
  public static SparkJobs count(SparkSession spark) {
    SparkJobs jobs = new SparkJobs(spark);
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onJobStart(SparkListenerJobStart jobStart) {
                jobs.started.incrementAndGet();
              }
            });
    return jobs;
  }

  /** Jobs started so far (the listener bus delivers events asynchronously: this waits for it). */
  public int started() throws TimeoutException {
    spark.sparkContext().listenerBus().waitUntilEmpty();
    return started.get();
  }
}
