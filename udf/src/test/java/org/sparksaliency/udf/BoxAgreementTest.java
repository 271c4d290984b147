package org.sparksaliency.udf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class BoxAgreementTest {
  // 2 x 2: the top-left cell is strong, the rest weak; the bottom-right is negative but large in
  // magnitude.
  private static final float[] MAP = {
    4, 1,
    1, -3
  };

  @Test
  void maskIsTheCellsAboveTheNearestRankQuantile() {
    // q = 0.5 of |v| = 1, 1, 3, 4: rank ceil(2) = 2 -> threshold 1; mask = {4, -3} (area 0.5).
    // The top-left quarter box (area 0.25) holds one mask cell: IoU 0.25 / (0.5 + 0.25 - 0.25).
    assertThat(BoxAgreement.iou(MAP, 2, 2, 0.5, 0, 0, 0.5, 0.5)).isCloseTo(0.5, within(1e-12));
    // q = 0.75: threshold 3, mask = {4}: the same box is the mask exactly.
    assertThat(BoxAgreement.iou(MAP, 2, 2, 0.75, 0, 0, 0.5, 0.5)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void cellsCutByTheBoxCountByArea() {
    // mask {4} (area 0.25); box [0.25, 0.75] x [0, 0.5] covers half of it: 0.125 / (0.25 + 0.25 -
    // 0.125)
    assertThat(BoxAgreement.iou(MAP, 2, 2, 0.75, 0.25, 0, 0.75, 0.5))
        .isCloseTo(1.0 / 3, within(1e-12));
  }

  @Test
  void theBoxIsClippedToTheImage() {
    // [-1, 0.5] x [-1, 0.5] is the top-left quarter inside the image.
    assertThat(BoxAgreement.iou(MAP, 2, 2, 0.75, -1, -1, 0.5, 0.5)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void anEmptyMaskOrFlatMapGivesZeroOverlap() {
    assertThat(BoxAgreement.iou(MAP, 2, 2, 1, 0, 0, 1, 1)).isZero();
    assertThat(BoxAgreement.iou(new float[] {2, 2, 2, 2}, 2, 2, 0.5, 0, 0, 1, 1)).isZero();
    assertThat(BoxAgreement.iou(MAP, 2, 2, 0.75, 0.5, 0.5, 0.5, 0.5)).isZero();
  }
}
