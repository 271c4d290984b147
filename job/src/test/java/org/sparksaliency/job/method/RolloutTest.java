package org.sparksaliency.job.method;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attention rollout on a hand-built attention tensor of 2 layers × 2 heads × 3 tokens (the class
 * token and a 1 × 2 patch grid), against values worked out by hand in the comments. No model is
 * involved; the head fusion runs on NDArrays, the rollout in plain Java.
 */
class RolloutTest {
  private static final float Q = 0.25f;

  // Layer 1, head 1 and head 2 (rows: from token; columns: to token [cls, p1, p2]).
  private static final float[][] L1H1 = {{0.5f, Q, Q}, {0.5f, 0.5f, 0}, {0, 0.5f, 0.5f}};
  private static final float[][] L1H2 = {{0.5f, Q, Q}, {0, 1, 0}, {0.5f, 0, 0.5f}};
  // Layer 2.
  private static final float[][] L2H1 = {{0, 1, 0}, {0.5f, 0.5f, 0}, {0.5f, 0, 0.5f}};
  private static final float[][] L2H2 = {{0, 0.5f, 0.5f}, {0.5f, 0.5f, 0}, {0.5f, 0, 0.5f}};
  private static final float T = 1f / 3;
  private static final float[][] UNIFORM = {{T, T, T}, {T, T, T}, {T, T, T}};
  private static final PatchGrid ONE_BY_TWO = new PatchGrid(1, 2);

  private static NDManager manager;

  @BeforeAll
  static void engine() {
    manager = Engine.getEngine("PyTorch").newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  /**
   * [layers=2, batch, heads=2, 3, 3]: sample 0 is the hand-built tensor, sample 1 (if any) uniform.
   */
  private static NDArray attentions(int batch) {
    float[][][][][] a = new float[2][batch][][][];
    a[0][0] = new float[][][] {L1H1, L1H2};
    a[1][0] = new float[][][] {L2H1, L2H2};
    if (batch == 2) {
      a[0][1] = new float[][][] {UNIFORM, UNIFORM};
      a[1][1] = new float[][][] {UNIFORM, UNIFORM};
    }
    float[] flat = new float[2 * batch * 2 * 9];
    int k = 0;
    for (float[][][][] layer : a) {
      for (float[][][] sample : layer) {
        for (float[][] head : sample) {
          for (float[] row : head) {
            for (float v : row) {
              flat[k++] = v;
            }
          }
        }
      }
    }
    return manager.create(flat, new Shape(2, batch, 2, 3, 3));
  }

  private static float[][] rollout(HeadFusion fusion, double discard, int batch) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = attentions(batch);
      a.attach(scope);
      return new Rollout(discard).heatmaps(fusion.fuse(a), ONE_BY_TWO, 1, 1, 2);
    }
  }

  @Test
  void meanFusionAddsIdentityRenormalisesAndMultipliesThroughTheLayers() {
    // Layer 1, mean of heads: [[.5 .25 .25] [.25 .75 0] [.25 .25 .5]]; + I and rows / 2:
    //   A1 = [[.75 .125 .125] [.125 .875 0] [.125 .125 .75]].
    // Layer 2, class row of the mean: [0 .75 .25]; + e0 and / 2: [.5 .375 .125].
    // Class row of A2·A1 = .5·A1[0] + .375·A1[1] + .125·A1[2] = [.4375 .40625 .15625]; patches:
    // [.40625 .15625].
    float[][] maps = rollout(HeadFusion.MEAN, 0, 1);
    assertThat(maps).hasNumberOfRows(1);
    assertThat(maps[0]).containsExactly(new float[] {0.40625f, 0.15625f}, within(1e-6f));
  }

  @Test
  void maxFusionTakesTheLargestHeadPerEntry() {
    // Layer 1, max of heads: [[.5 .25 .25] [.5 1 0] [.5 .5 .5]]; + I: rows sum 2, 2.5, 2.5:
    //   A1 = [[.75 .125 .125] [.2 .8 0] [.2 .2 .6]].
    // Layer 2, class row of the max: [0 1 .5]; + e0 and / 2.5: [.4 .4 .2].
    // Class row = .4·A1[0] + .4·A1[1] + .2·A1[2] = [.42 .41 .17]; patches: [.41 .17].
    float[][] maps = rollout(HeadFusion.MAX, 0, 1);
    assertThat(maps[0]).containsExactly(new float[] {0.41f, 0.17f}, within(1e-6f));
  }

  @Test
  void discardZeroesTheLowestShareButKeepsTheClassTokenOnItself() {
    // Discard 1/3: floor(9/3) = 3 entries per layer, lowest first, ties by position.
    // Layer 1 mean, flat: [.5 .25 .25 .25 .75 0 .25 .25 .5]: positions 5, 1, 2 go to zero:
    //   [[.5 0 0] [.25 .75 0] [.25 .25 .5]]; + I, rows / (1.5, 2, 2): A1 = [[1 0 0] [.125 .875 0]
    // [.125 .125 .75]].
    // Layer 2 mean, flat: [0 .75 .25 .5 .5 0 .5 0 .5]: positions 0, 5, 7; position 0 (class token
    // on itself)
    //   is kept, 5 and 7 are already 0, so the class row stays [.5 .375 .125].
    // Class row = .5·A1[0] + .375·A1[1] + .125·A1[2] = [.5625 .34375 .09375]; patches: [.34375
    // .09375].
    float[][] maps = rollout(HeadFusion.MEAN, 1.0 / 3, 1);
    assertThat(maps[0]).containsExactly(new float[] {0.34375f, 0.09375f}, within(1e-6f));
  }

  @Test
  void everySampleOfABatchIsRolledOutOnItsOwn() {
    // Sample 1 is uniform (1/3 everywhere): (U + I) / 2 has class row [2/3 1/6 1/6]; times (U + I)
    // / 2 again:
    //   (v·U + v) / 2 = ([1/3 1/3 1/3] + [2/3 1/6 1/6]) / 2 = [.5 .25 .25]; patches: [.25 .25].
    float[][] maps = rollout(HeadFusion.MEAN, 0, 2);
    assertThat(maps).hasNumberOfRows(2);
    assertThat(maps[0]).containsExactly(new float[] {0.40625f, 0.15625f}, within(1e-6f));
    assertThat(maps[1]).containsExactly(new float[] {0.25f, 0.25f}, within(1e-6f));
  }

  @Test
  void theClassRowOfTheProductIsAProbabilityVector() {
    // Rows of every renormalised layer sum to 1, so the rolled-out class row does too: [.4375
    // .40625 .15625].
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = attentions(1);
      a.attach(scope);
      double[] row = new Rollout(0).classRow(HeadFusion.MEAN.fuse(a).toFloatArray(), 2, 1, 3, 0);
      assertThat(row).containsExactly(new double[] {0.4375, 0.40625, 0.15625}, within(1e-7));
    }
  }

  @Test
  void theGridIsUpsampledBilinearlyToTheInput() {
    // 1 × 2 grid [.40625 .15625] to 1 × 4 with half-pixel centres: source x = (d + .5) / 2 - .5 =
    // -.25 (clamped
    // to 0), .25, .75, 1.25 (clamped to 1): [.40625, .34375, .21875, .15625].
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = attentions(1);
      a.attach(scope);
      float[][] maps = new Rollout(0).heatmaps(HeadFusion.MEAN.fuse(a), ONE_BY_TWO, 1, 1, 4);
      assertThat(maps[0])
          .containsExactly(new float[] {0.40625f, 0.34375f, 0.21875f, 0.15625f}, within(1e-6f));
    }
  }

  @Test
  void aDiscardShareOfOneOrMoreIsRejected() {
    assertThatThrownBy(
            () ->
                MethodOptions.DEFAULTS
                    .with(AttentionRolloutMethod.HEAD_FUSION, HeadFusion.MEAN)
                    .with(Rollout.DISCARD, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot use --rollout-discard: '1.0' must be at least 0 and below 1");
  }
}
