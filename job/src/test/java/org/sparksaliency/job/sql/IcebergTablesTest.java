package org.sparksaliency.job.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.TableFormat;

/**
 * {@code --output-format iceberg}: the tables in catalog {@code local}, which the session does not
 * configure, so the job makes it a Hadoop catalog under {@code <output>/iceberg}.
 */
class IcebergTablesTest extends NamedTablesContract {
  @Override
  TableFormat format() {
    return TableFormat.ICEBERG;
  }

  @Override
  String prefix() {
    return "local.db.saliency";
  }

  @Test
  void anUnconfiguredCatalogBecomesAHadoopCatalogUnderTheOutput() {
    assertThat(spark.conf().get("spark.sql.catalog.local.type")).isEqualTo("hadoop");
    assertThat(out.resolve("iceberg/db/saliency_heatmaps/metadata")).isDirectory();
    // Each run's rows are one snapshot: a and b, the rerun of a, and the later tests' runs.
    assertThat(
            spark
                .sql("SELECT count(*) FROM " + table("heatmaps") + ".snapshots")
                .first()
                .getLong(0))
        .isGreaterThanOrEqualTo(3);
  }
}
