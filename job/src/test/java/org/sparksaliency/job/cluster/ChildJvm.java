package org.sparksaliency.job.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java child process of a test, its output in a log file. Closing it ends the process and every
 * process it started (a Spark Worker's executors), politely first, so shutdown hooks run, then by
 * force.
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final Thread reaper;

  private ChildJvm(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    // If the test JVM is killed or exits early, no server or executor outlives it.
    this.reaper = new Thread(this::stop, "reap-" + name);
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Starts {@code java [jvmArgs] mainOrJar... } with {@code env} added to this JVM's environment.
   */
  static ChildJvm start(String name, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return new ChildJvm(name, pb.start(), log);
  }

  Process process() {
    return process;
  }

  Path log() {
    return log;
  }

  String output() throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  /**
   * Waits for the process to end; fails the test (after ending it) if it takes longer than {@code
   * limit}.
   */
  int waitFor(Duration limit) throws IOException, InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      stop();
      throw new AssertionError(
          name + " did not finish within " + limit + "; its output:\n" + tail(output(), 4000));
    }
    return process.exitValue();
  }

  /**
   * Waits until something listens on 127.0.0.1:{@code port}, failing if the process dies or time
   * runs out.
   */
  void awaitPort(int port, Duration limit) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            name
                + " exited with "
                + process.exitValue()
                + " before listening on "
                + port
                + "; its output:\n"
                + tail(output(), 4000));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(200);
      }
    }
    stop();
    throw new AssertionError(
        name
            + " did not listen on "
            + port
            + " within "
            + limit
            + "; its output:\n"
            + tail(output(), 4000));
  }

  /** A free TCP port on the loopback address. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Deletes a test's work folder (executor copies of the job jar are large) unless
   * -Dsaliency.it.keep is set.
   */
  static void deleteUnlessKept(Path dir) {
    if (dir == null || Boolean.getBoolean("saliency.it.keep")) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temp folder does not fail a test.
    }
  }

  static String tail(String s, int chars) {
    return s.length() <= chars ? s : "..." + s.substring(s.length() - chars);
  }

  private void stop() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : children) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway.
    }
  }
}
