package org.sparksaliency.job.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The executor cache on the tiny TorchScript model: one owner per (model, device, intra-op
 * threads), so a run that asks for other threads in the same JVM gets an owner set up for them, and
 * a run that asks again gets the loaded one.
 */
@ExtendWith(FreshModelCache.class)
class ExecutorModelsTest {
  private static final Path MODEL = Path.of("src/test/resources/models/tiny_smooth.pt");

  private static ModelSpec spec(int threads) {
    String uri = MODEL.toAbsolutePath().normalize().toUri().toString();
    Configuration conf = new Configuration();
    return new ModelSpec(uri, ModelFiles.sha256(uri, conf), threads, new HadoopConf(conf));
  }

  /** libtorch's intra-op threads on the owner's thread. */
  private static int threadsOf(ModelOwner owner) {
    return owner.call(m -> JniUtils.getNumThreads());
  }

  @Test
  void theSameModelAndThreadsShareOneOwnerAndOtherThreadsGetTheirOwn() {
    int loads = ExecutorModels.loadCount();
    ModelOwner one = ExecutorModels.acquire(spec(1), "cpu", m -> {});
    ModelOwner two = ExecutorModels.acquire(spec(2), "cpu", m -> {});
    assertThat(ExecutorModels.acquire(spec(1), "cpu", m -> {})).isSameAs(one);
    assertThat(ExecutorModels.acquire(spec(2), "cpu", m -> {})).isSameAs(two);
    assertThat(two).isNotSameAs(one);
    assertThat(ExecutorModels.loadCount() - loads).isEqualTo(2);
    // Each owner thread runs libtorch with the threads it was loaded for.
    assertThat(threadsOf(one)).isEqualTo(1);
    assertThat(threadsOf(two)).isEqualTo(2);
  }

  @Test
  void zeroThreadsIsThisJvmsProcessorCount() {
    int cores = Runtime.getRuntime().availableProcessors();
    ModelOwner byDefault = ExecutorModels.acquire(spec(0), "cpu", m -> {});
    assertThat(ExecutorModels.acquire(spec(cores), "cpu", m -> {})).isSameAs(byDefault);
    assertThat(threadsOf(byDefault)).isEqualTo(cores);
  }

  @Test
  void aResetClosesTheOwnersAndTheNextAcquireLoadsAgain() {
    ModelOwner before = ExecutorModels.acquire(spec(1), "cpu", m -> {});
    int loads = ExecutorModels.loadCount();
    FreshModelCache.reset();
    ModelOwner after = ExecutorModels.acquire(spec(1), "cpu", m -> {});
    assertThat(after).isNotSameAs(before);
    assertThat(ExecutorModels.loadCount() - loads).isEqualTo(1);
    assertThat(threadsOf(after)).isEqualTo(1);
  }
}
