package org.sparksaliency.job.model;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class an empty {@link ExecutorModels} cache and leaves one behind: every owner is
 * closed and forgotten before the class's {@code @BeforeAll} methods, before each test and after
 * the class's {@code @AfterAll} methods. Surefire runs every test class in one JVM and the cache
 * lives as long as the JVM, so without this a test that counts model loads, or one that leaves an
 * owner with a remembered verdict (an injected engine fault), passes or fails depending on which
 * tests ran before it.
 */
public final class FreshModelCache
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
  @Override
  public void beforeAll(ExtensionContext context) {
    reset();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    reset();
  }

  /** Closes and forgets every owner of this JVM. */
  public static void reset() {
    ExecutorModels.closeAll();
  }
}
