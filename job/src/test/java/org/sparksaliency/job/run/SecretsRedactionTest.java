package org.sparksaliency.job.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.config.JobOptions;
import org.sparksaliency.job.image.InputFolder;
import org.sparksaliency.job.io.Redaction;

/**
 * Credentials in the Spark and Hadoop settings never reach run.json or the log, while the settings
 * are recorded.
 */
class SecretsRedactionTest {
  private static final Map<String, String> SECRETS =
      Map.of(
          "spark.hadoop.fs.s3a.access.key", "AKIAIOSFODNN7EXAMPLE",
          "spark.hadoop.fs.s3a.secret.key", "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY",
          "spark.hadoop.fs.s3a.session.token", "FQoGZXIvYXdzEXAMPLETOKEN",
          "spark.hadoop.fs.azure.account.key.acct.blob.core.windows.net",
              "c2VjcmV0LWF6dXJlLWtleQ==",
          "spark.saliency.db.password", "hunter2-EXAMPLE");

  @Test
  void runJsonRecordsTheSettingsWithSecretsHiddenAndTheLogHoldsNone(@TempDir Path dir)
      throws IOException {
    Map<String, String> conf = new java.util.HashMap<>(SECRETS);
    conf.put("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000");
    SparkSession spark = TestSpark.session(SecretsRedactionTest.class, "local[2]", conf);
    // After Spark has started: it configures log4j on start, which would drop an appender added
    // before.
    StringWriter log = new StringWriter();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    WriterAppender capture =
        WriterAppender.newBuilder()
            .setName("capture-secrets-test")
            .setTarget(log)
            .setLayout(PatternLayout.newBuilder().withPattern("%p %c %m%n%ex").build())
            .build();
    capture.start();
    ctx.getConfiguration().getRootLogger().addAppender(capture, Level.INFO, null);
    ctx.updateLoggers();
    try {
      InputFolder.scenes(dir.resolve("in"), 3, 1);
      SaliencyJob.run(
          spark,
          JobOptions.parse(
              "--input",
              dir.resolve("in").toString(),
              "--model",
              BadInputJobTest.MODEL.toString(),
              "--output",
              dir.resolve("out").toString(),
              "--image-size",
              "16",
              "--run-id",
              "secrets"));
    } finally {
      TestSpark.stop(spark);
      ctx.getConfiguration().getRootLogger().removeAppender("capture-secrets-test");
      ctx.updateLoggers();
      capture.stop();
    }
    String json = Files.readString(dir.resolve("out/runs/secrets/run.json"));
    JsonNode run = new ObjectMapper().readTree(json);
    for (Map.Entry<String, String> e : SECRETS.entrySet()) {
      assertThat(run.get("spark_conf").get(e.getKey()).asText())
          .as(e.getKey())
          .isEqualTo(Redaction.REDACTED);
      assertThat(json).as("run.json").doesNotContain(e.getValue());
      assertThat(log.toString()).as("log").doesNotContain(e.getValue());
    }
    for (String key : List.of("fs.s3a.access.key", "fs.s3a.secret.key", "fs.s3a.session.token")) {
      assertThat(run.get("hadoop_conf").get(key).asText()).as(key).isEqualTo(Redaction.REDACTED);
    }
    assertThat(run.at("/hadoop_conf/fs.s3a.endpoint").asText()).isEqualTo("http://127.0.0.1:9000");
    assertThat(run.at("/spark_conf/spark.master").asText()).isEqualTo("local[2]");
    // The capture did see the run.
    assertThat(log.toString()).contains("Listed 3 input files");
  }
}
