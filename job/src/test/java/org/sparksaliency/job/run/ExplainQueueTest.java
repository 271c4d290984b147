package org.sparksaliency.job.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;

/**
 * The model owner merges concurrent tasks' small batches into one model batch, and every task gets
 * its own images' results, as it would alone.
 */
class ExplainQueueTest {
  private static final int SIZE = 16;
  private static final Path MODEL = Path.of("src/test/resources/models/tiny_smooth.pt");
  private static final List<String> METHODS = List.of("gradient", "smoothgrad", "occlusion");
  private static ModelOwner owner;

  @BeforeAll
  static void open() {
    String uri = MODEL.toAbsolutePath().normalize().toUri().toString();
    ModelFiles.sha256(uri, new Configuration());
    owner = ModelOwner.open(uri, MODEL.toAbsolutePath(), "cpu", 1, m -> {});
  }

  @AfterAll
  static void close() {
    owner.close();
  }

  private static float[] image(int k) {
    float[] x = new float[3 * SIZE * SIZE];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Math.cos(0.07 * (k + 1) * i + k);
    }
    return x;
  }

  private static List<int[]> predicted(int n) {
    return java.util.Collections.nCopies(n, new int[] {BatchExplainer.PREDICTED});
  }

  @Test
  void twoTasksSmallBatchesRunAsOneAndEachGetsItsOwnResults() throws Exception {
    // Batch size 4, two tasks of 2 images: the owner waits (up to 10 s) for the second.
    ExplainQueue queue = ExplainQueue.of(owner, "merge-test", 4, 10_000);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService tasks = Executors.newFixedThreadPool(2);
    List<Future<List<List<ImageExplanation>>>> results = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      List<float[]> images = List.of(image(2 * t), image(2 * t + 1));
      List<String> ids = List.of("t" + t + "a", "t" + t + "b");
      BatchExplainer explainer = new BatchExplainer(METHODS, SIZE, 8);
      results.add(
          tasks.submit(
              () -> {
                start.await();
                return queue.explain(owner, explainer, images, predicted(2), ids);
              }));
    }
    start.countDown();
    List<List<ImageExplanation>> got = new ArrayList<>();
    for (Future<List<List<ImageExplanation>>> f : results) {
      got.add(f.get().stream().map(targets -> targets.get(0)).toList());
    }
    tasks.shutdown();
    assertThat(queue.mergedBatches()).as("model batches holding both tasks' images").isEqualTo(1);

    BatchExplainer alone = new BatchExplainer(METHODS, SIZE, 8);
    for (int t = 0; t < 2; t++) {
      List<float[]> images = List.of(image(2 * t), image(2 * t + 1));
      List<String> ids = List.of("t" + t + "a", "t" + t + "b");
      List<ImageExplanation> expected =
          owner.call(m -> alone.explainTargets(m, images, predicted(2), ids)).stream()
              .map(targets -> targets.get(0))
              .toList();
      assertThat(got.get(t)).hasSize(2);
      for (int i = 0; i < 2; i++) {
        ImageExplanation a = got.get(t).get(i);
        ImageExplanation e = expected.get(i);
        assertThat(a.target()).isEqualTo(e.target());
        for (String method : METHODS) {
          float[] ma = a.maps().get(method);
          float[] me = e.maps().get(method);
          double scale = 0;
          double diff = 0;
          for (int p = 0; p < me.length; p++) {
            scale = Math.max(scale, Math.abs(me[p]));
            diff = Math.max(diff, Math.abs(ma[p] - me[p]));
          }
          assertThat(scale).as("%s of task %d image %d", method, t, i).isGreaterThan(0);
          assertThat(diff / scale).as("%s of task %d image %d", method, t, i).isLessThan(1e-5);
        }
      }
    }
  }

  @Test
  void aFailureReachesTheTaskThatAsked() {
    ExplainQueue queue = ExplainQueue.of(owner, "failure-test", 4, 0);
    BatchExplainer explainer = new BatchExplainer(METHODS, SIZE, 8);
    List<float[]> wrongSize = List.of(new float[7]);
    assertThatThrownBy(
            () -> queue.explain(owner, explainer, wrongSize, predicted(1), List.of("bad")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot explain image 0: 7 values");
  }
}
