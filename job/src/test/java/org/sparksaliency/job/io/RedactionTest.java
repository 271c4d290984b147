package org.sparksaliency.job.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedactionTest {

  @Test
  void secretKeysAreRecognised() {
    for (String key :
        List.of(
            "fs.s3a.access.key",
            "fs.s3a.secret.key",
            "fs.s3a.session.token",
            "fs.s3a.bucket.photos.secret.key",
            "fs.s3a.server-side-encryption.key",
            "spark.hadoop.fs.s3a.access.key",
            "fs.azure.account.key.acct.blob.core.windows.net",
            "fs.gs.auth.service.account.private.key",
            "spark.authenticate.secret",
            "spark.ssl.keyStorePassword",
            "hive.metastore.token.signature",
            "fs.s3a.assumed.role.credentials.provider",
            "my.API_TOKEN")) {
      assertThat(Redaction.isSecret(key)).as(key).isTrue();
    }
    for (String key :
        List.of(
            "fs.s3a.endpoint",
            "fs.s3a.path.style.access",
            "spark.master",
            "spark.sql.shuffle.partitions",
            "spark.kryo.registrationRequired",
            "fs.defaultFS")) {
      assertThat(Redaction.isSecret(key)).as(key).isFalse();
    }
  }

  @Test
  void valuesOfSecretKeysAreHiddenAndOthersKept() {
    assertThat(Redaction.value("fs.s3a.secret.key", "wJalrXUtnFEMI"))
        .isEqualTo("*********(redacted)");
    assertThat(Redaction.value("fs.s3a.endpoint", "http://127.0.0.1:9000"))
        .isEqualTo("http://127.0.0.1:9000");
    assertThat(
            Redaction.settings(List.of(Map.entry("b.token", "t0k3n"), Map.entry("a.plain", "1"))))
        .containsExactly(Map.entry("a.plain", "1"), Map.entry("b.token", "*********(redacted)"));
  }

  @Test
  void userInfoInUrisIsHidden() {
    assertThat(Redaction.uri("s3a://AKIAEXAMPLE:wJalrXUtnFEMI@photos/2024/a.jpg"))
        .isEqualTo("s3a://*********(redacted)@photos/2024/a.jpg");
    assertThat(Redaction.uri("copy hdfs://alice@nn:8020/x and s3a://b/y"))
        .isEqualTo("copy hdfs://*********(redacted)@nn:8020/x and s3a://b/y");
    assertThat(Redaction.uri("/data/plain@home/a.jpg")).isEqualTo("/data/plain@home/a.jpg");
    assertThat(Redaction.uri("s3a://bucket/a@b.jpg")).isEqualTo("s3a://bucket/a@b.jpg");
    assertThat(Redaction.uri(null)).isNull();
  }
}
