package org.sparksaliency.job.run;

import java.net.URI;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * The local disk under a scheme of its own, {@code counted:}, so that Hadoop's per-scheme
 * statistics of bytes read count the files read through it and nothing else (register with {@code
 * fs.counted.impl}).
 */
public final class CountedLocalFileSystem extends RawLocalFileSystem {
  public static final String SCHEME = "counted";
  private static final URI NAME = URI.create(SCHEME + ":///");

  @Override
  public URI getUri() {
    return NAME;
  }

  @Override
  public String getScheme() {
    return SCHEME;
  }
}
