package org.sparksaliency.job.config;

import java.util.Locale;

/** The format of the output tables ({@code --output-format}). */
public enum TableFormat {
  /** Folders of Parquet files under --output, one {@code run_id=<id>} folder per run. */
  PARQUET,
  /** Delta Lake tables: at --output (by path) or registered by --output-table. */
  DELTA,
  /** Apache Iceberg tables registered by --output-table in an Iceberg catalog. */
  ICEBERG;

  /** The option value and the Spark data source name. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
