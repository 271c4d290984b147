package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.api.SaliencyTransformer;
import org.sparksaliency.job.method.MethodRegistry;
import org.sparksaliency.job.option.Option;
import org.sparksaliency.job.output.MethodParams;

/**
 * Every surface derives from the catalogue: an option declared once (a method's in its class)
 * reaches --help, the transformer's params, run.json's keys and the method_params of the methods
 * that read it, with no other edit.
 */
class OptionCatalogueTest {
  private static final Map<String, String> REQUIRED =
      Map.of("input", "in", "model", "m.pt", "output", "out");

  @Test
  void eachOptionIsDeclaredOnceAndListedInHelp() {
    List<String> names = JobOptions.ALL.stream().map(Option::name).toList();
    assertThat(names)
        .doesNotHaveDuplicates()
        .contains("ig-steps", "rise-p", "rollout-discard", "evaluate");
    for (Option<?> o : JobOptions.ALL) {
      assertThat(OptionsReference.help()).contains("--" + o.name() + " ").contains(o.help());
    }
  }

  @Test
  void theTransformerHasAParamPerDatasetOptionWithItsDefault() {
    SaliencyTransformer t = new SaliencyTransformer();
    List<String> params = java.util.Arrays.stream(t.params()).map(Param::name).toList();
    for (Option<?> o : JobOptions.ALL) {
      assertThat(params.contains(o.parameter()))
          .as("%s as transformer param %s", o, o.parameter())
          .isEqualTo(o.scope() == Option.Scope.DATASET);
      if (o.scope() == Option.Scope.DATASET) {
        assertThat(t.getOption(o)).as("%s default", o).isEqualTo(o.defaultText().map(o::parse));
      }
    }
  }

  @Test
  void everyMethodOptionReachesTheMethodParamsOfItsReaders() {
    for (String method : MethodRegistry.names()) {
      Map<String, String> given = new LinkedHashMap<>(REQUIRED);
      given.put("methods", method);
      JobConfig c = JobOptions.build(given);
      String params = MethodParams.of(c.explain(), method);
      for (Option<?> o : MethodRegistry.definition(method).options()) {
        assertThat(params).as("%s of %s", o, method).contains(o.key() + "=");
      }
      for (Option<?> o : MethodRegistry.options()) {
        if (!MethodRegistry.readers(o).contains(method) && !o.name().equals("seed")) {
          assertThat(params).as("%s is not %s's", o, method).doesNotContain(o.key() + "=");
        }
      }
    }
  }
}
