package org.sparksaliency.bench;

/**
 * One explain stage of the job: its images and seconds (the log's "Explained N files and wrote
 * heatmaps in S s") and the model owner's clocks over it ({@code OwnerClock}).
 *
 * @param images files explained
 * @param seconds the explain stage's wall-clock seconds
 * @param busySeconds the owner thread's busy time
 * @param passSeconds the part of it spent in model passes (the engine)
 */
record StageFigures(long images, double seconds, double busySeconds, double passSeconds) {

  double imagesPerSecond() {
    return images / seconds;
  }

  /** Share of the stage's wall clock the owner thread was busy. */
  double busyShare() {
    return busySeconds / seconds;
  }

  /** Share of the owner's busy time spent outside the model passes. */
  double outsidePassesShare() {
    return busySeconds > 0 ? (busySeconds - passSeconds) / busySeconds : Double.NaN;
  }
}
