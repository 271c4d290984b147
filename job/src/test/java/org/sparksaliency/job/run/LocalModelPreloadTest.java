package org.sparksaliency.job.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sparksaliency.job.image.InputFolder;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.model.EngineVerdict;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.FreshModelCache;
import org.sparksaliency.job.model.ModelException;
import org.sparksaliency.job.model.ModelOwner;

/**
 * On a local master the driver's JVM is the executor: the run's model is loaded, warmed up and
 * checked at load before the tasks ask, on the very owner the tasks get, and a model that fails to
 * load is left for the tasks to report.
 */
@ExtendWith(FreshModelCache.class)
class LocalModelPreloadTest {
  private static final Path BROKEN =
      Path.of("src/test/resources/models/fixed_input_16.pt").toAbsolutePath();
  @TempDir static Path dir;
  private static SparkSession spark;
  private static Path in;

  @BeforeAll
  static void start() throws IOException {
    spark = TestSpark.session(LocalModelPreloadTest.class);
    in = dir.resolve("in");
    InputFolder.scenes(in, 2, 7);
  }

  @AfterAll
  static void stop() {
    TestSpark.stop(spark);
  }

  @AfterEach
  void healEngine() {
    spark.conf().unset(EngineGate.FAULT);
  }

  private static ExplainSettings settings(String... more) {
    return Saliency.settings(
        spark, RerunTest.config(in, dir.resolve("out"), "preload", more).dataset(), 0L);
  }

  private static ModelOwner preloaded(ExplainSettings settings) throws InterruptedException {
    int loads = ExecutorModels.loadCount();
    Thread t = LocalModelPreload.start(spark, settings).orElseThrow();
    t.join(120_000);
    assertThat(t.isAlive()).as("preload still running after 120 s").isFalse();
    assertThat(ExecutorModels.loadCount() - loads).as("models loaded by the preload").isEqualTo(1);
    return ExecutorModels.acquire(
        settings.model(),
        "cpu",
        m -> {
          throw new AssertionError("the task loaded the model again");
        });
  }

  /** The owner's load verdict, which the preload must have made: asking runs no check. */
  private static EngineVerdict rememberedLoadVerdict(ModelOwner owner) {
    return owner.verdict(
        "load",
        m -> {
          throw new AssertionError("the load check ran again");
        });
  }

  @Test
  void theTasksGetTheOwnerThePreloadLoadedWithItsLoadVerdict() throws InterruptedException {
    ModelOwner owner = preloaded(settings());
    EngineVerdict load = rememberedLoadVerdict(owner);
    assertThat(load.check()).isEqualTo("load");
    assertThat(load.status()).isEqualTo(EngineVerdict.Status.PASSED);
  }

  @Test
  void anInjectedEngineFaultReachesThePreloadedCheck() throws InterruptedException {
    spark.conf().set(EngineGate.FAULT, "wrong_batched_gradients");
    ModelOwner owner = preloaded(settings());
    EngineVerdict load = rememberedLoadVerdict(owner);
    assertThat(load.status()).isEqualTo(EngineVerdict.Status.ONE_SAMPLE_PASSES);
  }

  @Test
  void aModelThatFailsItsWarmUpIsLeftForTheTaskToReport() throws InterruptedException {
    ExplainSettings settings = settings("--model", BROKEN.toString(), "--image-size", "32");
    int loads = ExecutorModels.loadCount();
    LocalModelPreload.start(spark, settings).orElseThrow().join(120_000);
    assertThat(ExecutorModels.loadCount()).isEqualTo(loads);
    BatchExplainer explainer = new BatchExplainer(settings.explain());
    assertThatThrownBy(() -> ExecutorModels.acquire(settings.model(), "cpu", explainer::warmUp))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining(BROKEN.getFileName().toString());
  }
}
