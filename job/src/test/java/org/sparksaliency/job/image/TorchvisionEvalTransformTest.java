package org.sparksaliency.job.image;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sparksaliency.job.method.Prediction;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelFiles;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;

/**
 * The model sees what torchvision's eval transform gives it: on four non-square photographs (JPEG,
 * PNG, TIFF, WebP in {@code sample-data/photos}), a ResNet-18 (1/8 width, seeded random weights)
 * gives the top-1 probability that PyTorch gives after {@code Resize(256, antialias=True),
 * CenterCrop(224)} within 2% (relative) with {@code --resize crop}, and after {@code Resize((224,
 * 224), antialias=True)} with {@code squash}. The references are committed, written by {@code
 * sample-data/make_preprocess_references.py} with Debian's python3-torchvision 0.14 and PIL.
 *
 * <p>The comparison means something: on the same photographs the two modes disagree by 13–72%, so a
 * decoder that squashed where torchvision crops (the job's old behaviour) fails it.
 */
class TorchvisionEvalTransformTest {
  private static final Path PHOTOS = Path.of("../sample-data/photos");
  private static final Path MODEL = Path.of("src/test/resources/models/resnet18_w8.pt");
  private static final Path REFERENCE =
      Path.of("src/test/resources/reference/photo_probabilities.csv");
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};
  private static final int SIZE = 224;
  private static final double TOLERANCE = 0.02;

  private static ModelOwner owner;

  record Photo(
      String file,
      int width,
      int height,
      int cropTop1,
      double cropProbability,
      int squashTop1,
      double squashProbability,
      double squashProbabilityOfCropTop1) {
    @Override
    public String toString() {
      return file;
    }
  }

  static List<Photo> photos() throws IOException {
    List<Photo> photos = new ArrayList<>();
    List<String> lines = Files.readAllLines(REFERENCE);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      photos.add(
          new Photo(
              f[0],
              Integer.parseInt(f[1]),
              Integer.parseInt(f[2]),
              Integer.parseInt(f[3]),
              Double.parseDouble(f[4]),
              Integer.parseInt(f[5]),
              Double.parseDouble(f[6]),
              Double.parseDouble(f[7])));
    }
    return photos;
  }

  @BeforeAll
  static void loadModel() {
    String uri = MODEL.toAbsolutePath().normalize().toUri().toString();
    Configuration conf = new Configuration();
    owner =
        ExecutorModels.acquire(
            new ModelSpec(uri, ModelFiles.sha256(uri, conf), 1, new HadoopConf(conf)),
            "cpu",
            m -> {});
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("photos")
  void cropGivesTorchvisionsEvalTransformProbability(Photo photo) throws IOException {
    Prediction p = predict(photo, Resize.crop(256));
    assertThat(p.predicted()).isEqualTo(photo.cropTop1());
    double relative = Math.abs(p.probabilities()[photo.cropTop1()] / photo.cropProbability() - 1);
    System.out.printf(
        "%s crop: top-1 %d p=%.4f, torchvision %.4f, relative difference %.4f%n",
        photo.file(),
        p.predicted(),
        p.probabilities()[photo.cropTop1()],
        photo.cropProbability(),
        relative);
    assertThat(relative).as("relative difference of the top-1 probability").isLessThan(TOLERANCE);
    // Squashing would not pass: the reference tells the modes apart by far more than the
    // tolerance.
    assertThat(Math.abs(photo.squashProbabilityOfCropTop1() / photo.cropProbability() - 1))
        .isGreaterThan(5 * TOLERANCE);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("photos")
  void squashGivesTorchvisionsSquareResizeProbability(Photo photo) throws IOException {
    Prediction p = predict(photo, Resize.SQUASH);
    assertThat(p.predicted()).isEqualTo(photo.squashTop1());
    double relative =
        Math.abs(p.probabilities()[photo.squashTop1()] / photo.squashProbability() - 1);
    System.out.printf(
        "%s squash: top-1 %d p=%.4f, torchvision %.4f, relative difference %.4f%n",
        photo.file(),
        p.predicted(),
        p.probabilities()[photo.squashTop1()],
        photo.squashProbability(),
        relative);
    assertThat(relative).as("relative difference of the top-1 probability").isLessThan(TOLERANCE);
  }

  private static Prediction predict(Photo photo, Resize resize) throws IOException {
    ImageDecoder decoder = new ImageDecoder(SIZE, resize, MEAN, STD, 50_000_000L);
    DecodedImage image =
        TestImages.decoded(decoder.decode(Files.readAllBytes(PHOTOS.resolve(photo.file()))));
    assertThat(image.width()).isEqualTo(photo.width());
    assertThat(image.height()).isEqualTo(photo.height());
    float[] logits =
        owner.call(
            m -> {
              try (NDManager scope = m.manager().newSubManager()) {
                NDArray x = scope.create(image.chw(), new Shape(1, 3, SIZE, SIZE));
                return m.callWithoutGraph("forward", x).toFloatArray();
              }
            });
    return Prediction.fromLogits(logits, 5);
  }
}
