package org.sparksaliency.job.cluster;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.io.Redaction;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.output.RunSummary;
import org.sparksaliency.job.run.SaliencyJob;
import org.sparksaliency.job.run.TestSpark;

/**
 * The whole job s3a:// → s3a:// against a real S3 API (S3Proxy on 127.0.0.1), with the committers
 * of conf/spark-s3a.conf: three runs into one output (run a with two methods, run b, then run a
 * again with one method), a run stopped by a wrong --model-sha256, and the tables read back from
 * the bucket.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class S3JobIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final String BUCKET = "saliency";
  private static final String IN = "s3a://" + BUCKET + "/in";
  private static final String OUT = "s3a://" + BUCKET + "/out";
  private static final String MODEL = IN + "/model/shapes_cnn.pt";
  private static final List<String> IMAGES =
      List.of(
          "img_000.jpg", "img_001.png", "img_002.jpg", "img_003.png", "img_004.jpg", "img_005.png");

  private static Path work;
  private static S3ProxyServer s3;
  private static SparkSession spark;
  private static LogCapture logs;
  private static FileSystem fs;
  private static RunSummary firstA;
  private static RunSummary rerunA;

  @BeforeAll
  static void runJobsAgainstS3() throws Exception {
    work = Files.createTempDirectory("s3-job-it");
    s3 = S3ProxyServer.start(Path.of(System.getProperty("saliency.it.dir"), "s3proxy.jar"), work);
    s3.createBucket(BUCKET);
    SparkSession.Builder builder =
        SparkSession.builder()
            .master("local[2]")
            .appName(S3JobIT.class.getSimpleName())
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4");
    // The committer settings exactly as shipped; the S3 endpoint and credentials only as fs.s3a.*
    // settings.
    SparkProperties.read(ROOT.resolve("conf/spark-s3a.conf")).forEach(builder::config);
    s3.s3aSettings().forEach((k, v) -> builder.config("spark.hadoop." + k, v));
    spark = builder.getOrCreate();
    logs = LogCapture.start();
    fs =
        FileSystem.get(
            URI.create("s3a://" + BUCKET + "/"), spark.sparkContext().hadoopConfiguration());
    upload();
    firstA = SaliencyJob.run(spark, JobOptions.parse(args("a", "gradient,gradcam")));
    SaliencyJob.run(spark, JobOptions.parse(args("b", "gradient")));
    rerunA = SaliencyJob.run(spark, JobOptions.parse(args("a", "gradcam")));
  }

  @AfterAll
  static void stop() throws IOException {
    if (logs != null) {
      logs.close();
    }
    if (spark != null) {
      TestSpark.stop(spark);
    }
    if (s3 != null) {
      s3.close();
    }
    ChildJvm.deleteUnlessKept(work);
  }

  private static void upload() throws IOException {
    for (String image : IMAGES) {
      fs.copyFromLocalFile(
          new org.apache.hadoop.fs.Path(ROOT.resolve("sample-data/images").resolve(image).toUri()),
          new org.apache.hadoop.fs.Path(IN + "/images/" + image));
    }
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(ROOT.resolve("sample-data/model/shapes_cnn.pt").toUri()),
        new org.apache.hadoop.fs.Path(MODEL));
    fs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(ROOT.resolve("sample-data/labels.txt").toUri()),
        new org.apache.hadoop.fs.Path(IN + "/labels.txt"));
    List<String> manifest =
        Files.readAllLines(ROOT.resolve("sample-data/manifest.csv"), StandardCharsets.UTF_8)
            .stream()
            .filter(
                l ->
                    l.startsWith("path,")
                        || IMAGES.stream().anyMatch(i -> l.startsWith("images/" + i + ",")))
            .toList();
    assertThat(manifest).hasSize(IMAGES.size() + 1);
    try (var out = fs.create(new org.apache.hadoop.fs.Path(IN + "/manifest.csv"))) {
      out.write((String.join("\n", manifest) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private static String[] args(String runId, String methods) {
    return new String[] {
      "--input",
      IN + "/images",
      "--model",
      MODEL,
      "--labels",
      IN + "/labels.txt",
      "--manifest",
      IN + "/manifest.csv",
      "--output",
      OUT,
      "--methods",
      methods,
      "--image-size",
      "128",
      "--batch-size",
      "4",
      "--partitions",
      "2",
      "--run-id",
      runId
    };
  }

  private static Dataset<Row> table(String name) {
    return spark.read().parquet(OUT + "/" + name);
  }

  @Test
  void heatmapsReadBackFromTheBucketDescribeTheUploadedImages() throws Exception {
    assertThat(firstA.inputFiles()).isEqualTo(IMAGES.size());
    assertThat(firstA.heatmapsByMethod())
        .containsExactly(Map.entry("gradient", 6L), Map.entry("gradcam", 6L));
    Map<String, String> expectedIds = new TreeMap<>();
    for (String image : IMAGES) {
      byte[] bytes = Files.readAllBytes(ROOT.resolve("sample-data/images").resolve(image));
      expectedIds.put(
          IN + "/images/" + image,
          HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }
    List<Row> rows = table("heatmaps").filter(col("run_id").equalTo("b")).collectAsList();
    assertThat(rows).hasSize(IMAGES.size());
    Map<String, String> ids =
        rows.stream()
            .collect(
                Collectors.toMap(
                    r -> r.getString(r.fieldIndex("path")),
                    r -> r.getString(r.fieldIndex("image_id")),
                    (x, y) -> x,
                    TreeMap::new));
    assertThat(ids).isEqualTo(expectedIds);
    for (Row r : rows) {
      assertThat(r.getString(r.fieldIndex("label"))).isIn("circle", "square", "triangle", "cross");
      assertThat(r.getString(r.fieldIndex("target_name")))
          .isIn("circle", "square", "triangle", "cross");
      assertThat((byte[]) r.get(r.fieldIndex("heatmap"))).hasSize(56 * 56);
      assertThat(r.getDouble(r.fieldIndex("box_mass"))).isBetween(0.0, 1.0);
    }
    assertThat(table("quarantine").count()).isZero();
  }

  @Test
  void aRerunReplacesOnlyItsOwnRunsOutput() {
    List<Row> perRun =
        table("heatmaps")
            .groupBy("run_id", "method")
            .count()
            .orderBy("run_id", "method")
            .collectAsList();
    // Run a first wrote gradient and gradcam; its rerun wrote gradcam only, so a's gradient rows
    // are gone,
    // while run b, written in between, is untouched.
    assertThat(
            perRun.stream()
                .map(r -> r.getString(0) + "/" + r.getString(1) + "=" + r.getLong(2))
                .toList())
        .containsExactly("a/gradcam=6", "b/gradient=6");
    assertThat(rerunA.heatmapsByMethod()).containsExactly(Map.entry("gradcam", 6L));
    List<Row> stats =
        table("class_stats")
            .groupBy("run_id", "method")
            .sum("n_images")
            .orderBy("run_id", "method")
            .collectAsList();
    assertThat(
            stats.stream()
                .map(r -> r.getString(0) + "/" + r.getString(1) + "=" + r.getLong(2))
                .toList())
        .containsExactly("a/gradcam=6", "b/gradient=6");
    assertThat(table("heatmaps").schema().apply("run_id").dataType().typeName())
        .isEqualTo("string");
  }

  @Test
  void theMagicCommitterCommittedEveryTable() throws IOException {
    for (String table :
        List.of(
            "heatmaps/run_id=a",
            "heatmaps/run_id=b",
            "quarantine/run_id=a",
            "class_stats/run_id=b")) {
      org.apache.hadoop.fs.Path success =
          new org.apache.hadoop.fs.Path(OUT + "/" + table + "/_SUCCESS");
      JsonNode manifest;
      try (InputStream in = fs.open(success)) {
        manifest = new ObjectMapper().readTree(in);
      }
      // The S3A committers write a JSON manifest as _SUCCESS; FileOutputCommitter writes an empty
      // file.
      assertThat(manifest.get("committer").asText()).as(table).isEqualTo("magic");
    }
    // Nothing is left of the magic paths, and every upload the tasks started was completed at job
    // commit.
    assertThat(listAll(OUT))
        .noneMatch(p -> p.contains("__magic"))
        .anyMatch(p -> p.endsWith(".parquet"));
    assertThat(s3.pendingUploads(BUCKET)).isZero();
  }

  @Test
  void runJsonIsPerRunAndHoldsNoCredentials() throws IOException {
    String a = read(OUT + "/runs/a/run.json");
    String b = read(OUT + "/runs/b/run.json");
    assertThat(new ObjectMapper().readTree(a).at("/config/methods").toString())
        .isEqualTo("[\"gradcam\"]");
    assertThat(new ObjectMapper().readTree(b).at("/counts/heatmaps_by_method/gradient").asLong())
        .isEqualTo(6);
    assertThat(a).contains("s3a://saliency/in/images").doesNotContain(S3ProxyServer.SECRET_KEY);
    assertThat(b).doesNotContain(S3ProxyServer.SECRET_KEY).doesNotContain(S3ProxyServer.ACCESS_KEY);
    // The S3A settings are recorded, with the credentials hidden.
    JsonNode hadoop = new ObjectMapper().readTree(b).get("hadoop_conf");
    assertThat(hadoop.get("fs.s3a.secret.key").asText()).isEqualTo(Redaction.REDACTED);
    assertThat(hadoop.get("fs.s3a.access.key").asText()).isEqualTo(Redaction.REDACTED);
  }

  @Test
  void theDriverLogNamesTheModelLoadButNeverTheSecret() {
    String log = logs.text();
    // One load in this JVM (local mode: driver and executor share it) across the three runs.
    Matcher loads =
        Pattern.compile(
                "saliency-model-load uri="
                    + Pattern.quote(MODEL)
                    + " device=cpu loadsInThisJvm=\\d+")
            .matcher(log);
    int n = 0;
    while (loads.find()) {
      n++;
    }
    assertThat(n).as("model loads logged").isEqualTo(1);
    assertThat(log).contains("Listed 6 input files").doesNotContain(S3ProxyServer.SECRET_KEY);
  }

  @Test
  void aWrongModelSha256StopsTheRunBeforeAnythingIsWritten() throws IOException {
    String wrong = "0".repeat(64);
    List<String> before = listAll(OUT);
    String[] a = args("wrongsha", "gradient");
    String[] withSha = java.util.Arrays.copyOf(a, a.length + 2);
    withSha[a.length] = "--model-sha256";
    withSha[a.length + 1] = wrong;
    assertThatThrownBy(() -> SaliencyJob.run(spark, JobOptions.parse(withSha)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("Cannot use --model-sha256: model " + MODEL + " has sha-256 ")
        .hasMessageEndingWith(", not " + wrong);
    assertThat(listAll(OUT)).isEqualTo(before).noneMatch(p -> p.contains("wrongsha"));
  }

  private static String read(String uri) throws IOException {
    try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> listAll(String uri) throws IOException {
    List<String> out = new java.util.ArrayList<>();
    RemoteIterator<LocatedFileStatus> it = fs.listFiles(new org.apache.hadoop.fs.Path(uri), true);
    while (it.hasNext()) {
      FileStatus s = it.next();
      out.add(s.getPath().toString());
    }
    java.util.Collections.sort(out);
    return out;
  }
}
