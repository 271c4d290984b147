package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Where the model input lies in an image, with torchvision's arithmetic ({@code
 * _compute_resized_output_size}: long side int(R × long / short); {@code center_crop}: offset
 * round((resized − N) / 2), Python rounding halves to even). Values worked out by hand for the
 * photographs of {@code TorchvisionEvalTransformTest}.
 */
class ResizeTest {

  @Test
  void landscapeShorterSideBecomesRAndTheCropIsCentred() {
    // 640 x 427: 256 x 640 / 427 = 383.7 -> 383; (383 - 224) / 2 = 79.5 -> 80 (even), (256 - 224)
    // / 2 = 16.
    assertThat(Resize.crop(256).region(224, 640, 427))
        .isEqualTo(new InputRegion(383, 256, 80, 16, 224));
    // 451 x 300: 384.85 -> 384; 80 and 16.
    assertThat(Resize.crop(256).region(224, 451, 300))
        .isEqualTo(new InputRegion(384, 256, 80, 16, 224));
  }

  @Test
  void portraitAndHalvesRoundToEven() {
    // 300 x 400: 341.33 -> 341; (341 - 224) / 2 = 58.5 -> 58.
    InputRegion r = Resize.crop(256).region(224, 300, 400);
    assertThat(r).isEqualTo(new InputRegion(256, 341, 16, 58, 224));
    assertThat(r.x0()).isEqualTo(16 / 256.0);
    assertThat(r.y1()).isEqualTo((58 + 224) / 341.0);
    assertThat(r.wholeImage()).isFalse();
  }

  @Test
  void squashIsTheWholeImage() {
    InputRegion r = Resize.SQUASH.region(224, 640, 427);
    assertThat(r.wholeImage()).isTrue();
    assertThat(new double[] {r.x0(), r.y0(), r.x1(), r.y1()}).containsExactly(0, 0, 1, 1);
  }

  @Test
  void theDefaultShorterSideIsTheImageNetRatio() {
    assertThat(Resize.defaultShorterSide(224)).isEqualTo(256);
    assertThat(Resize.defaultShorterSide(128)).isEqualTo(146); // 146.29
    assertThat(Resize.defaultShorterSide(384)).isEqualTo(439); // 438.86
  }

  @Test
  void aCropLargerThanTheResizedImageIsRefused() {
    assertThatThrownBy(() -> Resize.crop(200).region(224, 640, 427))
        .hasMessage("Cannot crop 224 pixels from a shorter side of 200");
    assertThatThrownBy(
            () -> new ImageDecoder(224, Resize.crop(200), new float[3], new float[] {1, 1, 1}, 1))
        .hasMessage(
            "Cannot create image decoder: the crop's shorter side 200 is below imageSize 224");
    assertThatThrownBy(() -> new Resize(ResizeMode.SQUASH, 256))
        .hasMessage(
            "Cannot create resize: shorter side 256 with mode squash (crop needs one above 0, squash"
                + " none)");
  }

  @Test
  void methodParamsNameTheModeAndTheCropSize() {
    assertThat(Resize.SQUASH.params()).containsExactly(java.util.Map.entry("resize", "squash"));
    assertThat(Resize.crop(256).params())
        .containsExactly(
            java.util.Map.entry("resize", "crop"), java.util.Map.entry("resize_size", "256"));
  }
}
