package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.option.Option;

/**
 * docs/options.md's options table is the catalogue's, and every option of the catalogue is in it.
 */
class OptionsReferenceTest {
  private static final Path DOC =
      Path.of("..").toAbsolutePath().normalize().resolve("docs/options.md");

  @Test
  void docsTableIsGeneratedFromTheCatalogue() throws IOException {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(OptionsReference.BEGIN);
    int end = doc.indexOf(OptionsReference.END);
    assertThat(begin).as("the begin marker in %s", DOC).isNotNegative();
    assertThat(end).as("the end marker in %s", DOC).isGreaterThan(begin);
    String table = "\n" + OptionsReference.markdown();
    String current = doc.substring(begin + OptionsReference.BEGIN.length(), end);
    if (!current.equals(table)) {
      String fixed =
          doc.substring(0, begin + OptionsReference.BEGIN.length()) + table + doc.substring(end);
      if (Boolean.getBoolean("saliency.updateDocs")) {
        Files.writeString(DOC, fixed, StandardCharsets.UTF_8);
      } else {
        Files.writeString(Path.of("target/options-table.md"), table, StandardCharsets.UTF_8);
      }
    }
    assertThat(current)
        .as("docs/options.md's table; rerun with -Dsaliency.updateDocs=true to rewrite it")
        .isEqualTo(table);
  }

  @Test
  void everyOptionHasOneRowAndMethodOptionsNameTheirMethods() {
    String table = OptionsReference.markdown();
    assertThat(table.lines().count()).isEqualTo(JobOptions.ALL.size() + 2L);
    for (Option<?> o : JobOptions.ALL) {
      assertThat(table).contains("| `--" + o.name() + "` |");
    }
    assertThat(table)
        .contains("| `--ig-steps` | `32` | 1..100000 | `igSteps` | integrated_gradients |")
        .contains("| `--input` | required | path or URI |  | the run |");
  }
}
