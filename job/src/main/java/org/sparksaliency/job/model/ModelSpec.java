package org.sparksaliency.job.model;

import java.io.Serializable;
import java.util.Objects;

/**
 * What an executor needs to load the model: its URI, its sha-256 (computed on the driver), the owner's
 * thread count and the Hadoop configuration to read the URI with.
 */
public record ModelSpec(String uri, String sha256, int torchThreads, HadoopConf hadoopConf)
    implements Serializable {
  public ModelSpec {
    Objects.requireNonNull(uri, "uri is null");
    Objects.requireNonNull(sha256, "sha256 is null");
    Objects.requireNonNull(hadoopConf, "hadoopConf is null");
  }
}
