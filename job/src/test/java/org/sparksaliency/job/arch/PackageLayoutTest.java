package org.sparksaliency.job.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
}
