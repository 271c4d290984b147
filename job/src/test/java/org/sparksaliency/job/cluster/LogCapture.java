package org.sparksaliency.job.cluster;

import java.io.StringWriter;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;

/**
 * Everything this JVM logs through log4j2 (Spark, Hadoop, S3A, the job) from {@link #start()} on,
 * as text. Start it after the SparkSession: Spark replaces an unconfigured log4j2 setup when it
 * starts.
 */
final class LogCapture implements AutoCloseable {
  private static final String NAME = "saliency-test-capture";
  private final StringWriter text = new StringWriter();
  private final WriterAppender appender;

  private LogCapture() {
    appender =
        WriterAppender.newBuilder()
            .setName(NAME)
            .setTarget(text)
            .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%ex").build())
            .build();
  }

  static LogCapture start() {
    LogCapture c = new LogCapture();
    c.appender.start();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    config.addAppender(c.appender);
    config.getRootLogger().addAppender(c.appender, null, null);
    config
        .getLoggers()
        .values()
        .forEach(
            l -> {
              if (!l.isAdditive()) {
                l.addAppender(c.appender, null, null);
              }
            });
    ctx.updateLoggers();
    return c;
  }

  String text() {
    synchronized (text) {
      return text.toString();
    }
  }

  @Override
  public void close() {
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    Configuration config = ctx.getConfiguration();
    config.getRootLogger().removeAppender(NAME);
    config.getLoggers().values().forEach(l -> l.removeAppender(NAME));
    ctx.updateLoggers();
    appender.stop();
  }
}
