package org.sparksaliency.job.config;

import static org.sparksaliency.job.option.Option.Scope.RUN;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.option.OptionType;

/**
 * Where results go.
 *
 * @param output URI of the output folder: {@code runs/<id>/run.json} (and the report) always; the
 *     tables too unless {@code table} names them: Parquet {@code heatmaps/}, {@code class_stats/},
 *     {@code quarantine/}, each split into {@code run_id=<id>} folders, or Delta tables at those
 *     folders
 * @param runId identifier of the run: the {@code run_id} its rows carry, and {@code runs/<id>/}
 * @param partitions number of Spark partitions for model work; 0 chooses from the file count
 * @param incremental keep the heatmaps already in the output for unchanged images and explain only
 *     the others, instead of replacing the tables
 * @param format the tables' format
 * @param table {@code catalog.db.prefix}: the tables are {@code prefix_heatmaps} and so on in that
 *     catalog and database; empty for tables addressed by path under {@code output}
 */
public record OutputConfig(
    String output,
    String runId,
    int partitions,
    boolean incremental,
    TableFormat format,
    Optional<String> table)
    implements Serializable {
  public static final Option<TableFormat> OUTPUT_FORMAT =
      Option.of(
          "output-format",
          OptionType.choice("format", TableFormat::code, TableFormat.values()),
          "parquet",
          RUN,
          "table format: parquet | delta | iceberg (a run replaces only its own run_id, atomically"
              + " for delta and iceberg)");
  public static final Option<String> OUTPUT_TABLE =
      Option.optional(
          "output-table",
          OptionType.text("catalog.db.prefix", OutputConfig::checkTable),
          RUN,
          "register the tables by name, prefix_heatmaps, prefix_class_stats, prefix_quarantine, ..."
              + " in catalog.db (delta, iceberg); iceberg needs it");

  private static final Pattern TABLE =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*");

  public OutputConfig {
    Objects.requireNonNull(output, "output is null");
    Objects.requireNonNull(runId, "runId is null");
    Objects.requireNonNull(format, "format is null");
    Objects.requireNonNull(table, "table is null");
    if (table.isPresent() && format == TableFormat.PARQUET) {
      throw ConfigException.of(
          OUTPUT_TABLE.name(),
          "'%s' needs --output-format delta or iceberg: parquet tables are folders under --output",
          table.get());
    }
    if (table.isEmpty() && format == TableFormat.ICEBERG) {
      throw ConfigException.of(
          OUTPUT_FORMAT.name(),
          "'iceberg' needs --output-table catalog.db.prefix: Iceberg tables live in a catalog");
    }
  }

  private static void checkTable(String option, String value) {
    if (!TABLE.matcher(value).matches()) {
      throw ConfigException.of(
          option,
          "'%s' is not catalog.db.prefix (three names of letters, digits and _, the first not a"
              + " digit)",
          value);
    }
  }
}
