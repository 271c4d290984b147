package org.sparksaliency.job.config;

import static org.sparksaliency.job.option.Option.Scope.RUN;

import java.io.Serializable;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * Progress lines the driver prints while the images are explained.
 *
 * @param quiet print none ({@code --quiet})
 * @param intervalSeconds at most one line per this many seconds ({@code --progress-interval})
 */
public record ProgressConfig(boolean quiet, int intervalSeconds) implements Serializable {
  public static final Option<Integer> PROGRESS_INTERVAL =
      Option.of(
          "progress-interval",
          OptionType.integer(1, 3600),
          "5",
          RUN,
          "seconds between progress lines while images are explained");
  public static final Option<Boolean> QUIET =
      Option.of("quiet", OptionType.bool(), "false", RUN, "print no progress lines");
}
