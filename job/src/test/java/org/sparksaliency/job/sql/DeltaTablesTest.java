package org.sparksaliency.job.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.config.TableFormat;
import org.sparksaliency.job.output.OutputWriter;

/**
 * {@code --output-format delta}: the tables registered in the session catalog (Delta's catalog over
 * the Hive metastore), and by path under --output without --output-table.
 */
class DeltaTablesTest extends NamedTablesContract {
  @Override
  TableFormat format() {
    return TableFormat.DELTA;
  }

  @Override
  String prefix() {
    return "spark_catalog.default.saliency";
  }

  @Test
  void withoutATableNameTheTablesAreDeltaFoldersUnderTheOutput() {
    String byPath = dir.resolve("by-path").toString();
    for (String runId : new String[] {"x", "y", "x"}) {
      OutputWriter w =
          OutputWriter.of(
              spark,
              JobOptions.parse(
                      "--input=" + in,
                      "--model=in.pt",
                      "--output=" + byPath,
                      "--output-format=delta",
                      "--run-id=" + runId)
                  .output());
      w.quarantine(
          spark.sql("SELECT 'file:/in/" + runId + ".jpg' AS path, 'decode_failed' AS reason"));
    }
    assertThat(
            spark
                .read()
                .format("delta")
                .load(byPath + "/quarantine")
                .orderBy("run_id")
                .collectAsList()
                .stream()
                .map(Object::toString)
                .toList())
        .containsExactly("[file:/in/x.jpg,decode_failed,x]", "[file:/in/y.jpg,decode_failed,y]");
  }
}
