package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.method.Target;
import org.sparksaliency.job.option.ConfigException;
import org.sparksaliency.job.output.MethodParams;

/**
 * {@code --target predicted | label | top:K | class:C1,C2,...}: what each form reads as, its
 * canonical text (method_params, run.json), and the errors of bad values, checked on the driver.
 */
class TargetOptionTest {
  private static final String[] REQUIRED = {
    "--input", "in/", "--model", "m.pt", "--output", "out/"
  };

  private static JobConfig parse(String... extra) {
    String[] all = new String[REQUIRED.length + extra.length];
    System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
    System.arraycopy(extra, 0, all, REQUIRED.length, extra.length);
    return JobOptions.parse(all);
  }

  private static Target target(String value) {
    return parse("--target", value).explain().target();
  }

  @Test
  void eachFormReadsAsItsKindWithCanonicalText() {
    assertThat(target("predicted")).isEqualTo(Target.PREDICTED);
    assertThat(target("top:1")).as("top:1 is predicted").isEqualTo(Target.PREDICTED);
    assertThat(target("top:1").code()).isEqualTo("predicted");
    Target top = target(" top:3 ");
    assertThat(top.kind()).isEqualTo(Target.Kind.TOP);
    assertThat(top.k()).isEqualTo(3);
    assertThat(top.code()).isEqualTo("top:3");
    Target classes = target("class: 2, 0 ,7");
    assertThat(classes.kind()).isEqualTo(Target.Kind.CLASSES);
    assertThat(classes.classes()).containsExactly("2", "0", "7");
    assertThat(classes.code()).isEqualTo("class:2,0,7");
    assertThat(classes.classIndices("target", List.of())).containsExactly(2, 0, 7);
    assertThat(parse("--target", "label", "--manifest", "m.csv").explain().target().needsLabel())
        .isTrue();
  }

  @Test
  void theCanonicalTextIsWhatMethodParamsRecord() {
    JobConfig c = parse("--target", "top:3", "--methods", "gradient");
    assertThat(MethodParams.of(c.explain(), "gradient")).contains(";target=top:3");
    JobConfig d = parse("--methods", "gradient");
    assertThat(MethodParams.of(d.explain(), "gradient")).endsWith(";target=predicted");
    assertThat(JobOptions.TARGET.type().json(Target.top(4))).isEqualTo("top:4");
  }

  @Test
  void badValuesFailNamingTheOptionAndTheValue() {
    assertThatThrownBy(() -> target("top:0"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Cannot use --target: 'top:0': K in top:K must be between 1 and 1000");
    assertThatThrownBy(() -> target("top:three"))
        .hasMessage(
            "Cannot use --target: 'top:three': K in top:K must be a whole number, not 'three'");
    assertThatThrownBy(() -> target("class:"))
        .hasMessage("Cannot use --target: 'class:' has an empty class in its list");
    assertThatThrownBy(() -> target("class:1,,2"))
        .hasMessage("Cannot use --target: 'class:1,,2' has an empty class in its list");
    assertThatThrownBy(() -> target("class:1,1"))
        .hasMessage("Cannot use --target: 'class:1,1' lists class '1' twice");
    assertThatThrownBy(() -> target("best"))
        .hasMessage(
            "Cannot use --target: unknown target 'best'; known: predicted, label, top:K,"
                + " class:C1,C2,...");
  }

  @Test
  void classNamesNeedALabelsFile() {
    assertThatThrownBy(() -> target("class:cat,3"))
        .hasMessage(
            "Cannot use --target: 'class:cat,3' names classes (cat), which needs --labels (or give"
                + " class indices)");
    assertThat(
            parse("--target", "class:cat,3", "--labels", "l.txt").explain().target().classNames())
        .containsExactly("cat");
    assertThatThrownBy(
            () -> JobOptions.buildDataset(Map.of("model", "m.pt", "target", "class:cat")))
        .hasMessage(
            "Cannot use --target: 'class:cat' names classes (cat), which needs --labels (or give"
                + " class indices)");
  }

  @Test
  void namesAndIndicesResolveAgainstTheLabels() {
    List<String> labels = List.of("circle", "square", "triangle");
    Target t = Target.parse("target", "class:triangle,0");
    assertThat(t.classIndices("target", labels)).containsExactly(2, 0);
    assertThatThrownBy(() -> Target.parse("target", "class:hexagon").classIndices("target", labels))
        .hasMessage(
            "Cannot use --target: 'class:hexagon' names class 'hexagon', which is not in the labels"
                + " file (3 classes)");
    assertThatThrownBy(() -> Target.parse("target", "class:5").classIndices("target", labels))
        .hasMessage(
            "Cannot use --target: 'class:5' gives class index 5, past the labels file's 3 classes");
    assertThatThrownBy(
            () -> Target.parse("target", "class:square,1").classIndices("target", labels))
        .hasMessage("Cannot use --target: 'class:square,1' lists class 1 twice ('square' and '1')");
  }
}
