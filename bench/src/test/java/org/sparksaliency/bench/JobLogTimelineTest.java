package org.sparksaliency.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobLogTimelineTest {
  private static List<JobLogTimeline.Line> sampleRun() {
    List<JobLogTimeline.Line> l = new ArrayList<>();
    l.add(line(1.0, "WARNING: Using incubator modules"));
    l.add(
        line(
            9.5,
            "06:10:32 INFO SaliencyJob: Listed 40 input files (0 more not matching --input-glob)"));
    l.add(line(10.0, "06:10:33 INFO SaliencyJob: Model m.pt has sha-256 7b8f"));
    l.add(line(12.0, "06:10:52 INFO ModelOwner: Loaded model m.pt on cpu with 2 intra-op threads"));
    l.add(
        line(12.5, "06:10:56 INFO EngineGate: Engine self-check passed: engine check 'load' on X"));
    l.add(
        line(
            13.0,
            "06:11:02 INFO EngineGate: Engine self-check passed: engine check 'first_batch' on X"));
    l.add(line(16.0, "06:11:32 INFO SaliencyJob: Explained 40 files and wrote heatmaps in 5.9 s"));
    l.add(
        line(
            16.1,
            "06:11:32 INFO SaliencyJob: Model owner: busy 2.078 s of the explain stage's 5.960 s,"
                + " 1.937 s of that in model passes"));
    l.add(line(17.0, "06:11:34 INFO TablesWriter: Wrote class_stats in 1.304 s"));
    l.add(line(17.5, "06:11:34 INFO SaliencyJob: Wrote run.json in 0.311 s"));
    l.add(line(17.6, "spark-saliency sample: 40 images in 8.0 s (6.8 images/s explained)"));
    return l;
  }

  private static JobLogTimeline.Line line(double seconds, String text) {
    return new JobLogTimeline.Line(seconds, text);
  }

  @Test
  void phasesRunFromOneLoggedLineToTheNext() {
    JobLogTimeline.Phases p = JobLogTimeline.parse(sampleRun(), 18.5);

    assertThat(p.seconds())
        .containsExactly(
            org.assertj.core.api.Assertions.entry(JobLogTimeline.START, 9.5),
            org.assertj.core.api.Assertions.entry(JobLogTimeline.DRIVER, 0.5),
            org.assertj.core.api.Assertions.entry(JobLogTimeline.MODEL, 3.0),
            org.assertj.core.api.Assertions.entry(JobLogTimeline.IMAGES, 3.0),
            org.assertj.core.api.Assertions.entry(JobLogTimeline.TABLES, 1.5),
            org.assertj.core.api.Assertions.entry(JobLogTimeline.EXIT, 1.0));
    assertThat(p.total()).isEqualTo(18.5);
    assertThat(p.fixed()).isCloseTo(15.5, within(1e-9));
  }

  @Test
  void explainStageAndOwnerFiguresComeFromTheirLines() {
    JobLogTimeline.Phases p = JobLogTimeline.parse(sampleRun(), 18.5);

    assertThat(p.files()).isEqualTo(40);
    assertThat(p.explainSeconds()).isEqualTo(5.9);
    assertThat(p.ownerBusy()).isEqualTo(2.078);
    assertThat(p.ownerPasses()).isEqualTo(1.937);
  }

  @Test
  void aMissingLineIsNamed() {
    List<JobLogTimeline.Line> lines = sampleRun();
    lines.removeIf(l -> l.text().contains("first_batch"));

    assertThatThrownBy(() -> JobLogTimeline.parse(lines, 18.5))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot time the run: its output has no line with 'engine check 'first_batch''");
  }
}
