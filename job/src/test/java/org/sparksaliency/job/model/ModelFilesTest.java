package org.sparksaliency.job.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor-side model copy: once per (URI, size, modification time), checked against the
 * driver's sha-256.
 */
class ModelFilesTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path dir;

  private Path model(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  private static List<Path> cached(Path cache) throws IOException {
    try (Stream<Path> s = Files.list(cache)) {
      return s.sorted().toList();
    }
  }

  @Test
  void theSecondRequestForTheSameFileReusesTheCopy() throws IOException {
    Path m = model("m.pt", "weights v1");
    String uri = m.toUri().toString();
    String sha = ModelFiles.sha256(uri, CONF);
    Path cache = dir.resolve("cache");
    ModelFiles.LocalModel first = ModelFiles.localCopy(uri, CONF, cache, sha);
    FileTime copiedAt = Files.getLastModifiedTime(first.path());
    Files.setLastModifiedTime(first.path(), FileTime.fromMillis(copiedAt.toMillis() - 60_000));
    ModelFiles.LocalModel second = ModelFiles.localCopy(uri, CONF, cache, sha);
    assertThat(second.path()).isEqualTo(first.path());
    // Not copied again: the copy keeps the time set above.
    assertThat(Files.getLastModifiedTime(second.path()).toMillis())
        .isEqualTo(copiedAt.toMillis() - 60_000);
    assertThat(Files.readString(second.path())).isEqualTo("weights v1");
    assertThat(second.sha256()).isEqualTo(sha).matches("[0-9a-f]{64}");
    assertThat(cached(cache)).hasSize(2);
  }

  @Test
  void aChangedFileBehindTheSameUriIsCopiedAgain() throws IOException {
    Path m = model("m.pt", "weights v1");
    String uri = m.toUri().toString();
    Path cache = dir.resolve("cache");
    ModelFiles.LocalModel v1 = ModelFiles.localCopy(uri, CONF, cache, ModelFiles.sha256(uri, CONF));
    Files.writeString(m, "weights v2, longer");
    Files.setLastModifiedTime(
        m, FileTime.fromMillis(Files.getLastModifiedTime(m).toMillis() + 5_000));
    ModelFiles.LocalModel v2 = ModelFiles.localCopy(uri, CONF, cache, ModelFiles.sha256(uri, CONF));
    assertThat(v2.path()).isNotEqualTo(v1.path());
    assertThat(Files.readString(v2.path())).isEqualTo("weights v2, longer");
  }

  @Test
  void aCopyWhoseSha256DiffersFromTheDriversFails() throws IOException {
    Path m = model("m.pt", "weights v1");
    String uri = m.toUri().toString();
    String actual = ModelFiles.sha256(uri, CONF);
    String expected = "0".repeat(64);
    assertThatThrownBy(() -> ModelFiles.localCopy(uri, CONF, dir.resolve("cache"), expected))
        .isInstanceOf(ModelException.class)
        .hasMessage(
            "Cannot use model "
                + uri
                + ": sha-256 is "
                + actual
                + ", expected "
                + expected
                + " (the file changed during the run or does not match --model-sha256)");
  }

  @Test
  void aMissingModelNamesItsUri() {
    String uri = dir.resolve("absent.pt").toUri().toString();
    assertThatThrownBy(() -> ModelFiles.sha256(uri, CONF))
        .isInstanceOf(ModelException.class)
        .hasMessageStartingWith("Cannot use model " + uri + ": cannot read the model file (");
  }
}
