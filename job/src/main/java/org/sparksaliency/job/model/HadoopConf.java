package org.sparksaliency.job.model;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A Hadoop configuration that travels to executors with the task, so s3a and other settings reach
 * them. Read-only once made: tasks of one executor may share it.
 *
 * <p>Made with {@link #broadcast}, only a Spark broadcast handle travels with each task and an
 * executor deserialises the configuration once: a whole configuration (about a thousand properties,
 * each a gzip-compressed string in Hadoop's format) cost every task of the explain stage tens of
 * milliseconds, a third of its CPU time on small images.
 */
public final class HadoopConf implements Serializable {
  private static final long serialVersionUID = 2L;

  /** Null when this instance carries the configuration itself. */
  private final Broadcast<HadoopConf> shared;

  private transient volatile Configuration value;

  /** A copy of {@code value} that travels whole with every task that holds it. */
  public HadoopConf(Configuration value) {
    this.value = new Configuration(value);
    this.shared = null;
  }

  private HadoopConf(Broadcast<HadoopConf> shared) {
    this.shared = shared;
  }

  /** A copy of {@code value} that reaches each executor once, as a broadcast of {@code spark}. */
  public static HadoopConf broadcast(SparkContext spark, Configuration value) {
    return new HadoopConf(
        JavaSparkContext.fromSparkContext(spark).broadcast(new HadoopConf(value)));
  }

  public Configuration get() {
    Configuration v = value;
    if (v == null) {
      v = shared.value().get();
      value = v;
    }
    return v;
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    if (shared == null) {
      value.write(out);
    }
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    if (shared == null) {
      Configuration c = new Configuration(false);
      c.readFields(in);
      value = c;
    }
  }
}
