package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.model.ModelOwner;

/**
 * Several targets per image ({@code --target top:K}, {@code class:...}) expand the batch into
 * (image, target) pairs: with one sample per model pass each pair's maps, completeness error and
 * prediction are byte for byte those of a run that explains that class alone; with larger
 * micro-batches they agree within the micro-batch tolerance of {@link MicroBatchInvarianceTest}.
 */
class MultiTargetTest {
  private static final List<String> IDS = List.of("a", "b", "c");
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  /** Settings that give every sampling method several samples on the 16 × 16 tiny model. */
  private static final MethodOptions SAMPLING =
      MethodOptions.DEFAULTS
          .with(IntegratedGradientsMethod.STEPS, 6)
          .with(SmoothGradMethod.SAMPLES, 3)
          .with(SmoothGradMethod.SIGMA, 0.2f)
          .with(Seeds.SEED, 3L)
          .with(OcclusionMethod.WINDOW, 8)
          .with(OcclusionMethod.STRIDE, 8)
          .with(RiseMethod.MASKS, 6)
          .with(RiseMethod.GRID, 3);

  private static List<float[]> images() {
    return List.of(TinyModel.input(0), TinyModel.input(1), TinyModel.input(2));
  }

  /** The methods the tiny model (features/head, no guided_gradient) can run. */
  private static List<String> cnnMethods() {
    return MethodRegistry.names().stream()
        .filter(
            n ->
                List.of("features", "head")
                    .containsAll(MethodRegistry.create(n).requiredModelMethods()))
        .toList();
  }

  /**
   * Warmed up as the job warms it up: TorchScript's profiling executor runs its first passes
   * unoptimised, which round differently from the optimised ones that follow.
   */
  private static BatchExplainer explainer(List<String> methods, int microBatch) {
    BatchExplainer e =
        new BatchExplainer(
            methods, SAMPLING, TinyModel.SIZE, microBatch, MEAN, STD, MicroBatchRunner.DIRECT);
    TinyModel.owner()
        .call(
            m -> {
              e.warmUp(m);
              return null;
            });
    return e;
  }

  private static List<int[]> same(int images, int... wanted) {
    return Collections.nCopies(images, wanted);
  }

  private static void assertIdentical(ImageExplanation a, ImageExplanation b, String what) {
    assertThat(a.target()).as("%s: target", what).isEqualTo(b.target());
    assertThat(a.prediction().topClasses()).as(what).isEqualTo(b.prediction().topClasses());
    assertThat(a.prediction().probabilities()).as(what).isEqualTo(b.prediction().probabilities());
    assertThat(a.maps().keySet()).as(what).containsExactlyElementsOf(b.maps().keySet());
    // Grad-CAM's ReLU may zero a runner-up class's map; most maps must hold values to compare.
    long nonZero = a.maps().values().stream().filter(v -> TinyModel.maxAbs(v) > 0f).count();
    assertThat(nonZero).as("%s: maps with values", what).isPositive();
    for (Map.Entry<String, float[]> e : a.maps().entrySet()) {
      assertThat(e.getValue())
          .as("%s: %s map byte for byte", what, e.getKey())
          .isEqualTo(b.maps().get(e.getKey()));
    }
    assertThat(a.completenessErrors()).as(what).isEqualTo(b.completenessErrors());
  }

  @Test
  void topThreeGivesEachRankTheMapsOfItsClassExplainedAlone() {
    ModelOwner owner = TinyModel.owner();
    List<String> methods = cnnMethods();
    assertThat(methods).hasSize(17);
    BatchExplainer e = explainer(methods, 1);
    List<float[]> images = images();
    List<List<ImageExplanation>> top =
        owner.call(
            m ->
                e.explainTargets(
                    m,
                    images,
                    same(
                        3,
                        BatchExplainer.ranked(1),
                        BatchExplainer.ranked(2),
                        BatchExplainer.ranked(3)),
                    IDS));
    assertThat(top).hasSize(3).allSatisfy(l -> assertThat(l).hasSize(3));
    for (int rank = 1; rank <= 3; rank++) {
      int[] classes = new int[3];
      for (int i = 0; i < 3; i++) {
        ImageExplanation x = top.get(i).get(rank - 1);
        assertThat(x.targetRank()).isEqualTo(rank);
        assertThat(x.target()).isEqualTo(x.prediction().topClasses()[rank - 1]);
        classes[i] = x.target();
      }
      List<ImageExplanation> alone = owner.call(m -> e.explain(m, images, classes, IDS));
      for (int i = 0; i < 3; i++) {
        assertIdentical(top.get(i).get(rank - 1), alone.get(i), "image " + i + " rank " + rank);
        assertThat(alone.get(i).rank()).isEmpty();
      }
    }
    // Rank 1 is --target predicted, rank included.
    int[] predicted = {
      BatchExplainer.PREDICTED, BatchExplainer.PREDICTED, BatchExplainer.PREDICTED
    };
    List<ImageExplanation> one = owner.call(m -> e.explain(m, images, predicted, IDS));
    for (int i = 0; i < 3; i++) {
      assertIdentical(top.get(i).get(0), one.get(i), "image " + i + " predicted");
      assertThat(one.get(i).targetRank()).isEqualTo(1);
    }
  }

  @Test
  void aClassListExplainsItsClassesInOrderThroughThePredictingMethodsPass() {
    ModelOwner owner = TinyModel.owner();
    // gradcam first: its own pass gives the prediction, over the (image, class) pairs.
    BatchExplainer e = explainer(List.of("gradcam", "gradient"), 1);
    List<float[]> images = images();
    List<List<ImageExplanation>> listed =
        owner.call(m -> e.explainTargets(m, images, same(3, 2, 0), IDS));
    for (int i = 0; i < 3; i++) {
      assertThat(listed.get(i)).extracting(ImageExplanation::target).containsExactly(2, 0);
      assertThat(listed.get(i))
          .extracting(ImageExplanation::targetRank)
          .containsOnly(ImageExplanation.NO_RANK);
    }
    for (int k = 0; k < 2; k++) {
      int c = k == 0 ? 2 : 0;
      List<ImageExplanation> alone =
          owner.call(m -> e.explain(m, images, new int[] {c, c, c}, IDS));
      for (int i = 0; i < 3; i++) {
        assertIdentical(listed.get(i).get(k), alone.get(i), "image " + i + " class " + c);
      }
    }
  }

  /**
   * One model pass serves all targets of an image: the (image, target) pairs of a micro-batch share
   * their image's forward (and features) pass, with one backward per target.
   */
  @Test
  void theTargetsOfAnImageShareItsModelPasses() {
    ModelOwner owner = TinyModel.owner();
    BatchExplainer e = explainer(List.of("gradient", "gradcam", "smoothgrad", "occlusion"), 64);
    List<float[]> images = images();
    List<int[]> top3 =
        same(3, BatchExplainer.ranked(1), BatchExplainer.ranked(2), BatchExplainer.ranked(3));
    long rows =
        owner.call(
            m -> {
              long before = m.forwardRows();
              e.explainTargets(m, images, top3, IDS);
              return m.forwardRows() - before;
            });
    // 3 images: the ranking pass (3), gradient (3, not 9 pairs), gradcam's features (3),
    // smoothgrad's 3 noisy copies per image (9, not 27), occlusion's image + 4 windows (15, not
    // 45).
    assertThat(rows).isEqualTo(3 + 3 + 3 + 9 + 15);
  }

  @Test
  void severalTargetsGiveTheSameMapsForAnyMicroBatch() {
    ModelOwner owner = TinyModel.owner();
    List<String> methods = cnnMethods();
    List<float[]> images = images();
    List<int[]> wanted =
        List.of(
            new int[] {BatchExplainer.ranked(1), BatchExplainer.ranked(2)},
            new int[] {BatchExplainer.ranked(1), BatchExplainer.ranked(2)},
            new int[] {BatchExplainer.ranked(1), BatchExplainer.ranked(2)});
    List<List<List<ImageExplanation>>> runs = new ArrayList<>();
    for (int mb : new int[] {1, 5, 64}) {
      BatchExplainer e = explainer(methods, mb);
      runs.add(owner.call(m -> e.explainTargets(m, images, wanted, IDS)));
    }
    for (int r = 1; r < runs.size(); r++) {
      for (int i = 0; i < 3; i++) {
        for (int t = 0; t < 2; t++) {
          ImageExplanation a = runs.get(0).get(i).get(t);
          ImageExplanation b = runs.get(r).get(i).get(t);
          assertThat(b.target()).isEqualTo(a.target());
          for (String method : methods) {
            double tolerance = List.of("occlusion", "rise").contains(method) ? 1e-4 : 1e-5;
            // Scaled by the image's top-class map: a runner-up's Grad-CAM may be all zeros.
            float[] ma = a.maps().get(method);
            float[] mb = b.maps().get(method);
            double scale =
                Math.max(
                    TinyModel.maxAbs(ma),
                    TinyModel.maxAbs(runs.get(0).get(i).get(0).maps().get(method)));
            assertThat(scale).as("%s of image %d", method, i).isPositive();
            double d = 0;
            for (int p = 0; p < ma.length; p++) {
              d = Math.max(d, Math.abs((double) ma[p] - mb[p]));
            }
            assertThat(d / scale)
                .as("%s of image %d target %d, run %d", method, i, t, r)
                .isLessThanOrEqualTo(tolerance);
          }
        }
      }
    }
  }

  @Test
  void aRankPastTheModelsClassesFailsNamingIt() {
    ModelOwner owner = TinyModel.owner();
    BatchExplainer e = explainer(List.of("gradient"), 4);
    List<int[]> wanted = List.of(new int[] {BatchExplainer.ranked(1), BatchExplainer.ranked(4)});
    assertThatThrownBy(
            () ->
                owner.call(
                    m ->
                        e.explainTargets(
                            m, List.of(TinyModel.input(0)), wanted, IDS.subList(0, 1))))
        .hasStackTraceContaining(
            "Cannot explain the class ranked 4 (--target top:4): the model has 3 classes");
  }
}
