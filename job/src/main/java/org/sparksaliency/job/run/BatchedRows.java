package org.sparksaliency.job.run;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;

/**
 * A partition's result rows, made lazily a batch at a time: {@code nextBatch} reads at most one
 * batch of input rows and adds the rows they give to {@code ready}; it runs again only once those
 * have all been handed on, so a task holds one batch of images at a time, however large its
 * partition.
 */
final class BatchedRows implements Iterator<Row> {
  private final Iterator<Row> input;
  private final Queue<Row> ready;
  private final Consumer<Iterator<Row>> nextBatch;
  private final FaultInjection fault;
  private long emitted;

  BatchedRows(
      Iterator<Row> input,
      Queue<Row> ready,
      Consumer<Iterator<Row>> nextBatch,
      FaultInjection fault) {
    this.input = input;
    this.ready = ready;
    this.nextBatch = nextBatch;
    this.fault = fault;
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && input.hasNext()) {
      nextBatch.accept(input);
    }
    boolean more = !ready.isEmpty();
    fault.check(emitted, more);
    return more;
  }

  @Override
  public Row next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    emitted++;
    return ready.poll();
  }
}
