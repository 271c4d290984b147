package org.sparksaliency.job.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * What an executor needs to load the model: its URI, its sha-256 (computed on the driver), the
 * owner's thread count, the Hadoop configuration to read the URI with, and what to do when the
 * engine self-check fails.
 */
public record ModelSpec(
    String uri, String sha256, int torchThreads, HadoopConf hadoopConf, EngineCheckMode engineCheck)
    implements Serializable {
  public ModelSpec {
    Objects.requireNonNull(uri, "uri is null");
    Objects.requireNonNull(sha256, "sha256 is null");
    Objects.requireNonNull(hadoopConf, "hadoopConf is null");
    Objects.requireNonNull(engineCheck, "engineCheck is null");
  }

  /** With the default engine-check mode ({@link EngineCheckMode#FALLBACK}). */
  public ModelSpec(String uri, String sha256, int torchThreads, HadoopConf hadoopConf) {
    this(uri, sha256, torchThreads, hadoopConf, EngineCheckMode.FALLBACK);
  }
}
