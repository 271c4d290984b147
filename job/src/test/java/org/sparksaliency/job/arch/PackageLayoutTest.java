package org.sparksaliency.job.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout shows the flow (input → image → method → summary → output, run wiring them):
 * no cycles.
 */
class PackageLayoutTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.sparksaliency.job");
  }

  @Test
  void everyPackageOfTheJobIsImported() {
    // Guards the rule below against passing on an empty import.
    assertThat(main.stream().map(c -> c.getPackageName()).distinct())
        .contains(
            "org.sparksaliency.job.input",
            "org.sparksaliency.job.image",
            "org.sparksaliency.job.method",
            "org.sparksaliency.job.summary",
            "org.sparksaliency.job.output",
            "org.sparksaliency.job.run",
            "org.sparksaliency.job.api",
            "org.sparksaliency.job.cli");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.sparksaliency.job.(*)..").should().beFreeOfCycles().check(main);
  }

  @Test
  void theStagesDoNotReachBackIntoTheEngineOrItsCallers() {
    com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
        .that()
        .resideInAnyPackage(
            "org.sparksaliency.job.input..",
            "org.sparksaliency.job.image..",
            "org.sparksaliency.job.method..",
            "org.sparksaliency.job.summary..",
            "org.sparksaliency.job.output..",
            "org.sparksaliency.job.report..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.sparksaliency.job.run..",
            "org.sparksaliency.job.api..",
            "org.sparksaliency.job.cli..")
        .check(main);
  }

  @Test
  void noMainClassIsOver300Lines() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> tooLong;
    try (Stream<Path> files =
        Stream.of("udf", "job", "bench")
            .map(m -> root.resolve(m).resolve("src/main/java"))
            .filter(Files::isDirectory)
            .flatMap(PackageLayoutTest::javaFiles)) {
      tooLong =
          files.filter(f -> lines(f) > 300).map(f -> root.relativize(f) + ": " + lines(f)).toList();
    }
    assertThat(tooLong).as("main classes over 300 lines").isEmpty();
    assertThat(
            lines(
                root.resolve("job/src/main/java/org/sparksaliency/job/run/ExplainPartition.java")))
        .as("the explain stage's orchestration")
        .isLessThanOrEqualTo(100);
  }

  private static Stream<Path> javaFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(f -> f.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long lines(Path f) {
    try (Stream<String> l = Files.lines(f)) {
      return l.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
