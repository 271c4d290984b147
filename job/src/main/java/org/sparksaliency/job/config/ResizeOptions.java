package org.sparksaliency.job.config;

import static org.sparksaliency.job.option.Option.Scope.DATASET;

import org.sparksaliency.job.image.Resize;
import org.sparksaliency.job.image.ResizeMode;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;
import org.sparksaliency.job.option.Settings;

/**
 * How images become the model's N × N input: {@code --resize} and {@code --resize-size}, and the
 * check that spans them and {@code --image-size}. Listed in {@link JobOptions#ALL} after {@code
 * --image-size}.
 */
public final class ResizeOptions {
  public static final Option<ResizeMode> RESIZE =
      Option.of(
          "resize",
          OptionType.choice("mode", ResizeMode::code, ResizeMode.values()),
          "squash",
          DATASET,
          "how an image becomes N x N: squash (the whole image, aspect ratio not kept) | crop"
              + " (shorter side to --resize-size, then the centre N x N: torchvision's eval transform)");
  public static final Option<Integer> RESIZE_SIZE =
      Option.of(
          "resize-size",
          OptionType.integer(0, 65536),
          "0",
          DATASET,
          "shorter side before the centre crop of --resize crop, at least N (0: round(N / 0.875),"
              + " 256 for 224)");

  private ResizeOptions() {}

  /** The validated resize, with the crop's default size resolved. */
  static Resize resize(Settings s, int imageSize) {
    int shorterSide = s.get(RESIZE_SIZE);
    if (s.get(RESIZE) == ResizeMode.SQUASH) {
      if (shorterSide != 0) {
        throw ConfigException.of(
            RESIZE_SIZE.name(), "'" + shorterSide + "' applies only with --resize crop");
      }
      return Resize.SQUASH;
    }
    if (shorterSide == 0) {
      return Resize.crop(Resize.defaultShorterSide(imageSize));
    }
    if (shorterSide < imageSize) {
      throw ConfigException.of(
          RESIZE_SIZE.name(),
          "'" + shorterSide + "' is below --image-size " + imageSize + ": the crop would not fit");
    }
    return Resize.crop(shorterSide);
  }
}
