package org.sparksaliency.job.run;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.image.InputFolder;
import org.sparksaliency.job.model.EngineInfo;
import org.sparksaliency.job.model.FreshModelCache;
import org.sparksaliency.job.output.RunSummary;

/**
 * The engine self-check in the job: every run records the executors' verdicts in run.json and in
 * each heatmap's method_params; with an injected engine fault (wrong gradients from every model
 * pass of two or more samples) the default mode falls back to one sample per pass and writes the
 * same heatmaps as the healthy engine, and {@code --engine-check strict} fails the run naming the
 * processor.
 *
 * <p>Each test starts with an empty model cache: the load check runs once per owner and is
 * remembered, so a test that injects a fault before any healthy run leaves an owner whose load
 * verdict is {@code one_sample_passes}, for every later run in the JVM.
 */
@ExtendWith(FreshModelCache.class)
class EngineCheckJobTest {
  private static SparkSession spark;
  @TempDir static Path dir;
  private static Path in;

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.session(EngineCheckJobTest.class);
    in = dir.resolve("in");
    InputFolder.scenes(in, 8, 300);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @AfterEach
  void healEngine() {
    spark.conf().unset(EngineGate.FAULT);
  }

  private static Map<String, Row> heatmaps(Path out) {
    Map<String, Row> rows = new HashMap<>();
    for (Row r : spark.read().parquet(out.resolve("heatmaps").toString()).collectAsList()) {
      rows.put(r.getString(r.fieldIndex("path")) + "|" + r.getString(r.fieldIndex("method")), r);
    }
    return rows;
  }

  private static JsonNode runJson(Path out, String runId) throws IOException {
    return new ObjectMapper()
        .readTree(out.resolve("runs").resolve(runId).resolve("run.json").toFile());
  }

  @Test
  void aFaultyBatchedEngineFallsBackToOneSamplePassesAndWritesTheHealthyEnginesMaps()
      throws IOException {
    Path healthyOut = dir.resolve("healthy");
    RunSummary healthy =
        SaliencyJob.run(
            spark, RerunTest.config(in, healthyOut, "healthy", "--methods", "gradient,smoothgrad"));
    // local[2] has one executor: its load check (the model is loaded here) and this run's
    // first-batch check.
    assertThat(healthy.engineVerdictCounts()).isEqualTo(Map.of("passed", 2L));
    JsonNode healthyJson = runJson(healthyOut, "healthy").get("engine_check");
    assertThat(healthyJson.get("mode").asText()).isEqualTo("fallback");
    assertThat(healthyJson.get("checks"))
        .extracting(c -> c.get("check").asText())
        .containsExactlyInAnyOrder("load", "first_batch");
    for (JsonNode c : healthyJson.get("checks")) {
      assertThat(c.get("verdict").asText()).isEqualTo("passed");
      assertThat(c.get("cpu").asText()).isEqualTo(EngineInfo.cpuModel());
      assertThat(c.get("libtorch").asText()).contains("2.7.1");
      assertThat(c.get("batched_vs_single").asDouble()).isLessThan(1e-3);
    }

    spark.conf().set(EngineGate.FAULT, "wrong_batched_gradients");
    Path faultyOut = dir.resolve("faulty");
    RunSummary faulty =
        SaliencyJob.run(
            spark, RerunTest.config(in, faultyOut, "faulty", "--methods", "gradient,smoothgrad"));
    // The owner's load check passed in the healthy run and is remembered; this run's first batch
    // meets the fault.
    assertThat(faulty.engineVerdictCounts())
        .isEqualTo(Map.of("passed", 1L, "one_sample_passes", 1L));
    JsonNode checks = runJson(faultyOut, "faulty").get("engine_check").get("checks");
    Map<String, JsonNode> byCheck = new HashMap<>();
    checks.forEach(c -> byCheck.put(c.get("check").asText(), c));
    assertThat(checks).hasSize(2);
    assertThat(byCheck).containsOnlyKeys("load", "first_batch");
    assertThat(byCheck.get("load").get("verdict").asText()).isEqualTo("passed");
    assertThat(byCheck.get("first_batch").get("verdict").asText()).isEqualTo("one_sample_passes");
    assertThat(byCheck.get("first_batch").get("batched_vs_single").asDouble()).isGreaterThan(1e-3);

    Map<String, Row> right = heatmaps(healthyOut);
    Map<String, Row> fallback = heatmaps(faultyOut);
    assertThat(fallback).hasSize(16).containsOnlyKeys(right.keySet());
    for (Map.Entry<String, Row> e : fallback.entrySet()) {
      Row a = right.get(e.getKey());
      Row b = e.getValue();
      assertThat(b.getString(b.fieldIndex("method_params")))
          .isEqualTo(
              a.getString(a.fieldIndex("method_params"))
                  .replace("engine_check=passed", "engine_check=one_sample_passes"));
      float max = a.getFloat(a.fieldIndex("heatmap_max"));
      assertThat(b.getFloat(b.fieldIndex("heatmap_max")))
          .as("max of %s", e.getKey())
          .isCloseTo(max, org.assertj.core.data.Offset.offset(1e-5f * max));
      byte[] ha = (byte[]) a.get(a.fieldIndex("heatmap"));
      byte[] hb = (byte[]) b.get(b.fieldIndex("heatmap"));
      for (int i = 0; i < ha.length; i++) {
        assertThat(Math.abs((ha[i] & 0xff) - (hb[i] & 0xff)))
            .as("cell %d of %s", i, e.getKey())
            .isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void strictModeFailsTheRunNamingTheProcessor() {
    spark.conf().set(EngineGate.FAULT, "wrong_batched_gradients");
    Path out = dir.resolve("strict");
    assertThatThrownBy(
            () ->
                SaliencyJob.run(
                    spark,
                    RerunTest.config(
                        in, out, "strict", "--methods", "gradient", "--engine-check", "strict")))
        .hasStackTraceContaining(
            "Cannot explain with --engine-check strict: batched model passes disagree")
        .hasStackTraceContaining(EngineInfo.cpuModel())
        .hasStackTraceContaining("libtorch 2.7.1");
    assertThat(out.resolve("heatmaps").resolve("run_id=strict")).doesNotExist();
  }

  @Test
  void incrementalKeepsOnlyHeatmapsMadeUnderACheckedEngine() throws IOException {
    Path out = dir.resolve("incremental");
    RunSummary first = SaliencyJob.run(spark, RerunTest.config(in, out, "inc-1", "--incremental"));
    assertThat(first.imagesExplained()).isEqualTo(8);
    RunSummary second = SaliencyJob.run(spark, RerunTest.config(in, out, "inc-2", "--incremental"));
    assertThat(second.imagesReused()).isEqualTo(8);
    assertThat(second.imagesExplained()).isZero();
    // Rows written before the check existed: the same strings without the verdict.
    Dataset<Row> unchecked =
        spark
            .read()
            .parquet(out.resolve("heatmaps").toString())
            .filter(col("run_id").equalTo("inc-2"))
            .withColumn(
                "method_params",
                org.apache.spark.sql.functions.regexp_replace(
                    col("method_params"), ";engine_check=passed$", ""))
            .withColumn("run_id", org.apache.spark.sql.functions.lit("old"));
    Path old = dir.resolve("incremental-old");
    unchecked.write().partitionBy("run_id").parquet(old.resolve("heatmaps").toString());
    RunSummary third = SaliencyJob.run(spark, RerunTest.config(in, old, "inc-3", "--incremental"));
    assertThat(third.imagesReused()).as("heatmaps without a verdict are computed again").isZero();
    assertThat(third.imagesExplained()).isEqualTo(8);
  }
}
