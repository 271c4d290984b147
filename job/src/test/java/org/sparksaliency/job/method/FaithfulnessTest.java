package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;

/** Deletion and insertion curves (--evaluate) with the real models. */
class FaithfulnessTest {
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  @Test
  void ordersBySignedSaliencyLargestFirstWithCounterEvidenceLast() {
    float[] map = {0.5f, -1f, 2f, 0f, -0f, 0.25f};
    int[] order = FaithfulnessPlan.order(map, 7L);
    assertThat(order[0]).isEqualTo(2);
    assertThat(order[1]).isEqualTo(0);
    assertThat(order[2]).isEqualTo(5);
    assertThat(new int[] {order[3], order[4]}).containsExactlyInAnyOrder(3, 4);
    assertThat(order[5]).isEqualTo(1);
  }

  @Test
  void breaksTiesInASeededRandomOrderNotByIndex() {
    float[] flat = new float[64];
    int[] a = FaithfulnessPlan.order(flat, 1L);
    assertThat(FaithfulnessPlan.order(flat, 1L)).isEqualTo(a);
    assertThat(FaithfulnessPlan.order(flat, 2L)).isNotEqualTo(a);
    assertThat(a).isNotEqualTo(java.util.stream.IntStream.range(0, 64).toArray());
    assertThat(a).containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 64).toArray());
  }

  @Test
  void aucIsTheTrapezoidOverTheFractionAxis() {
    assertThat(Faithfulness.auc(new double[] {1, 0})).isEqualTo(0.5);
    assertThat(Faithfulness.auc(new double[] {1, 1, 0, 0})).isCloseTo(0.5, within(1e-12));
    assertThat(Faithfulness.auc(new double[] {0.2, 0.4, 0.9}))
        .isCloseTo((0.3 + 0.65) / 2, within(1e-12));
    assertThatThrownBy(() -> Faithfulness.auc(new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot integrate a curve of 1 points: at least 2");
  }

  /**
   * The curves' ends are images the explainer can score on its own: deletion starts at the image
   * and ends at all zeros; insertion starts at the blurred image and ends at the image.
   */
  @Test
  void curveEndsAreTheImageTheBaselineAndTheBlurredImage() {
    int steps = 5;
    EvaluateOptions both = EvaluateOptions.NONE.withCurves(true, true, steps);
    BatchExplainer e =
        new BatchExplainer(
            List.of("gradient"),
            MethodOptions.DEFAULTS,
            TinyModel.SIZE,
            4,
            MEAN,
            STD,
            MicroBatchRunner.DIRECT,
            both,
            TinyModel.SIZE);
    BatchExplainer plain =
        new BatchExplainer(
            List.of("gradient"),
            MethodOptions.DEFAULTS,
            TinyModel.SIZE,
            4,
            MEAN,
            STD,
            MicroBatchRunner.DIRECT);
    float[] x = TinyModel.input(1);
    ImageExplanation r =
        TinyModel.owner()
            .call(m -> e.explain(m, List.of(x), new int[] {BatchExplainer.PREDICTED}, List.of("a")))
            .get(0);
    int t = r.target();
    ExplainBatch single =
        new ExplainBatch(
            List.of(x),
            new int[] {t},
            List.of("a"),
            TinyModel.SIZE,
            MEAN,
            STD,
            MethodOptions.DEFAULTS);
    float[] blurred = Baselines.of(IgBaseline.BLUR, single, 0);
    List<ImageExplanation> ends =
        TinyModel.owner()
            .call(
                m ->
                    plain.explain(
                        m,
                        List.of(new float[x.length], blurred),
                        new int[] {t, t},
                        List.of("z", "b")));
    Faithfulness f = r.faithfulness().get("gradient");
    assertThat(f.deletion()).hasSize(steps + 1);
    assertThat(f.insertion()).hasSize(steps + 1);
    double original = r.prediction().probabilities()[t];
    assertThat(f.deletion()[0]).isCloseTo(original, within(1e-5));
    assertThat(f.insertion()[steps]).isCloseTo(original, within(1e-5));
    assertThat(f.deletion()[steps])
        .isCloseTo(ends.get(0).prediction().probabilities()[t], within(1e-5));
    assertThat(f.insertion()[0])
        .isCloseTo(ends.get(1).prediction().probabilities()[t], within(1e-5));
    double trapezoid = 0;
    for (int k = 0; k < steps; k++) {
      trapezoid += (f.deletion()[k] + f.deletion()[k + 1]) / 2 / steps;
    }
    assertThat(f.deletionAuc()).isCloseTo(trapezoid, within(1e-12));
    assertThat(r.faithfulness()).containsOnlyKeys("gradient");
  }

  @Test
  void onlyTheAskedCurveIsComputed() {
    BatchExplainer e =
        new BatchExplainer(
            List.of("gradient"),
            MethodOptions.DEFAULTS,
            TinyModel.SIZE,
            4,
            MEAN,
            STD,
            MicroBatchRunner.DIRECT,
            EvaluateOptions.NONE.withCurves(false, true, 3),
            TinyModel.SIZE);
    ImageExplanation r =
        TinyModel.owner()
            .call(
                m ->
                    e.explain(
                        m,
                        List.of(TinyModel.input(0)),
                        new int[] {BatchExplainer.PREDICTED},
                        List.of("a")))
            .get(0);
    Faithfulness f = r.faithfulness().get("gradient");
    assertThat(f.deletionAuc()).isNull();
    assertThat(f.insertion()).hasSize(4);
    assertThat(f.insertionAuc()).isBetween(0.0, 1.0);
  }

  /**
   * On the sample model, Grad-CAM is more faithful than a random map: removing its pixels first
   * drops the target probability sooner (lower deletion AUC), revealing them first raises it sooner
   * (higher insertion).
   */
  @Test
  void gradCamBeatsARandomMapOnTheSample() throws IOException {
    int size = 128;
    int steps = 8;
    ImageDecoder decoder = new ImageDecoder(size, MEAN, STD, 50_000_000L);
    List<float[]> images = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String name = String.format("img_%03d.%s", i, i % 2 == 0 ? "jpg" : "png");
      images.add(
          ((DecodedImage)
                  decoder.decode(Files.readAllBytes(Path.of("../sample-data/images", name))))
              .chw());
      ids.add(name);
    }
    EvaluateOptions both = EvaluateOptions.NONE.withCurves(true, true, steps);
    BatchExplainer e =
        new BatchExplainer(
            List.of("gradcam"),
            MethodOptions.DEFAULTS,
            size,
            16,
            MEAN,
            STD,
            MicroBatchRunner.DIRECT,
            both,
            TinyModel.SIZE);
    int[] predicted = new int[images.size()];
    java.util.Arrays.fill(predicted, BatchExplainer.PREDICTED);
    List<ImageExplanation> results =
        TinyModel.sampleModelOwner().call(m -> e.explain(m, images, predicted, ids));
    int[] targets = results.stream().mapToInt(ImageExplanation::target).toArray();
    Random r = new Random(42);
    List<float[]> randomMaps = new ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      float[] map = new float[size * size];
      for (int p = 0; p < map.length; p++) {
        map[p] = r.nextFloat();
      }
      randomMaps.add(map);
    }
    ExplainBatch batch =
        new ExplainBatch(images, targets, ids, size, MEAN, STD, MethodOptions.DEFAULTS);
    FaithfulnessPlan random = new FaithfulnessPlan(batch, randomMaps, both);
    TinyModel.sampleModelOwner()
        .call(
            m -> {
              try (DeviceBatch device = DeviceBatch.upload(m, images, size)) {
                new SampleScheduler(16, MicroBatchRunner.DIRECT).run(device, random, targets);
              }
              return null;
            });
    double camDeletion = 0;
    double camInsertion = 0;
    double randomDeletion = 0;
    double randomInsertion = 0;
    for (int i = 0; i < images.size(); i++) {
      camDeletion += results.get(i).faithfulness().get("gradcam").deletionAuc() / images.size();
      camInsertion += results.get(i).faithfulness().get("gradcam").insertionAuc() / images.size();
      randomDeletion += random.curves(i).deletionAuc() / images.size();
      randomInsertion += random.curves(i).insertionAuc() / images.size();
    }
    System.out.printf(
        "faithfulness on 8 sample images, K=%d: gradcam deletion %.4f insertion %.4f; random deletion %.4f insertion %.4f%n",
        steps, camDeletion, camInsertion, randomDeletion, randomInsertion);
    assertThat(camDeletion).isLessThan(randomDeletion);
    assertThat(camInsertion).isGreaterThan(randomInsertion);
  }
}
