package org.sparksaliency.job.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sparksaliency.job.run.TestSpark;

/**
 * A real multi-process Spark cluster on 127.0.0.1: a standalone Master and two Workers (one core
 * each) run from a SPARK_HOME assembled from the Maven dependencies, and the shaded job jar
 * submitted through {@code SparkSubmit} in client mode with more partitions than executors. The
 * executors' own logs must show exactly one model load per executor JVM. A second run on the same
 * cluster loses an executor: the test kills its JVM as soon as it starts explaining, and the run
 * must still write every image exactly once.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final int PARTITIONS = 6;
  private static final int IMAGES = 10;
  private static final Pattern LOAD =
      Pattern.compile("saliency-model-load uri=(\\S+) device=(\\S+) loadsInThisJvm=(\\d+)");
  private static final Pattern FINISHED =
      Pattern.compile(
          "Finished task \\d+\\.\\d+ in stage (\\d+)\\.\\d+ \\(TID \\d+\\) in \\d+ ms on \\S+ \\(executor (\\d+)\\) \\(\\d+/(\\d+)\\)");

  /**
   * Short-lived JVMs on a small machine: C1 only and the serial collector spend less CPU starting
   * up.
   */
  private static final String LEAN_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  private static final List<ChildJvm> processes = new ArrayList<>();
  private static Path work;
  private static Path output;
  private static int exitCode;
  private static String driverOutput;
  private static final int LOSS_IMAGES = 40;
  private static int lossExitCode;
  private static String lossDriverOutput;
  private static String killedExecutor;

  /** stderr of each executor JVM, by "app/executor id" folder. */
  private static final Map<String, String> executorLogs = new TreeMap<>();

  @BeforeAll
  static void runOnACluster() throws Exception {
    work = Files.createTempDirectory("standalone-it");
    Path sparkHome = sparkHome(work.resolve("spark-home"));
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", System.getProperty("saliency.build.scala.binary.version"));
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
    String classpath = sparkHome.resolve("jars") + "/*";

    int masterPort = ChildJvm.freePort();
    String master = "spark://127.0.0.1:" + masterPort;
    ChildJvm m =
        start(
            "master",
            env,
            work.resolve("master.log"),
            classpath,
            "-Xmx256m",
            "org.apache.spark.deploy.master.Master",
            "--host",
            "127.0.0.1",
            "--port",
            Integer.toString(masterPort),
            "--webui-port",
            Integer.toString(ChildJvm.freePort()));
    m.awaitPort(masterPort, Duration.ofSeconds(90));
    for (int i = 0; i < 2; i++) {
      Path dir = Files.createDirectories(work.resolve("worker-" + i));
      start(
          "worker-" + i,
          env,
          work.resolve("worker-" + i + ".log"),
          classpath,
          "-Xmx256m",
          "org.apache.spark.deploy.worker.Worker",
          "--host",
          "127.0.0.1",
          "--cores",
          "1",
          "--memory",
          "1g",
          "--webui-port",
          Integer.toString(ChildJvm.freePort()),
          "--work-dir",
          dir.toString(),
          master);
    }
    awaitLine(m, "Registering worker", 2, Duration.ofSeconds(120));

    output = work.resolve("out");
    ChildJvm submit =
        submit(
            "spark-submit",
            env,
            classpath,
            master,
            "cluster",
            "--input-glob",
            "img_00?.*",
            "--labels",
            ROOT.resolve("sample-data/labels.txt").toString());
    exitCode = submit.waitFor(Duration.ofMinutes(6));
    driverOutput = submit.output();
    collectExecutorLogs();
    runLosingAnExecutor(env, classpath, master);
  }

  /**
   * Submits the shaded job jar in client mode: the sample images and model, 128 px, batches of 2,
   * {@link #PARTITIONS} partitions, run id {@code runId}, plus {@code extra} job options. The
   * driver log is {@code <name>.log}.
   */
  private static ChildJvm submit(
      String name,
      Map<String, String> env,
      String classpath,
      String master,
      String runId,
      String... extra)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "org.apache.spark.deploy.SparkSubmit",
                "--master",
                master,
                "--deploy-mode",
                "client",
                "--class",
                "org.sparksaliency.job.cli.SaliencyCli",
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.executor.cores=1",
                "--conf",
                "spark.cores.max=2",
                "--conf",
                "spark.driver.host=127.0.0.1",
                "--conf",
                "spark.driver.bindAddress=127.0.0.1",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.executor.extraJavaOptions=-Dai.djl.offline=true " + LEAN_JVM,
                // Start only when both executors are up, so both get explain tasks.
                "--conf",
                "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf",
                "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                jar().toString(),
                "run",
                "--input",
                ROOT.resolve("sample-data/images").toString(),
                "--model",
                ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
                "--output",
                output.toString(),
                "--image-size",
                "128",
                "--batch-size",
                "2",
                "--partitions",
                Integer.toString(PARTITIONS),
                "--run-id",
                runId));
    args.addAll(List.of(extra));
    return start(
        name, env, work.resolve(name + ".log"), classpath, "-Xmx1g", args.toArray(new String[0]));
  }

  /**
   * Submits the whole sample (40 images) and kills the first executor JVM that loads the model, so
   * the kill lands while the explain stage runs: its tasks, its cached rows and its shuffle output
   * are lost.
   */
  private static void runLosingAnExecutor(Map<String, String> env, String classpath, String master)
      throws Exception {
    Set<Path> earlierLogs = executorStderrs();
    ChildJvm submit =
        submit(
            "spark-submit-loss",
            env,
            classpath,
            master,
            "lost-executor",
            "--manifest",
            ROOT.resolve("sample-data/manifest.csv").toString());
    killedExecutor = killFirstExecutorToLoadTheModel(earlierLogs, submit, Duration.ofMinutes(4));
    lossExitCode = submit.waitFor(Duration.ofMinutes(6));
    lossDriverOutput = submit.output();
  }

  /**
   * Waits for a new executor's model-load line, then kills that executor's JVM (a child of its
   * Worker).
   */
  private static String killFirstExecutorToLoadTheModel(
      Set<Path> earlierLogs, ChildJvm submit, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline && submit.process().isAlive()) {
      for (int i = 0; i < 2; i++) {
        for (Path stderr : executorStderrs()) {
          if (earlierLogs.contains(stderr) || !stderr.startsWith(work.resolve("worker-" + i))) {
            continue;
          }
          if (LOAD.matcher(Files.readString(stderr, StandardCharsets.UTF_8)).find()) {
            // Each Worker runs one executor at a time (one core): that is this executor.
            List<ProcessHandle> executors =
                processes
                    .get(1 + i)
                    .process()
                    .descendants()
                    .filter(ProcessHandle::isAlive)
                    .filter(
                        h ->
                            h.info()
                                .commandLine()
                                .orElse("")
                                .contains("CoarseGrainedExecutorBackend"))
                    .toList();
            assertThat(executors).as("executor JVMs of worker-%d", i).hasSize(1);
            executors.get(0).destroyForcibly();
            return work.relativize(stderr.getParent()).toString();
          }
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no executor loaded the model within "
            + limit
            + " while the run was alive; driver:\n"
            + ChildJvm.tail(submit.output(), 4000));
  }

  private static Set<Path> executorStderrs() throws IOException {
    Set<Path> out = new HashSet<>();
    for (int i = 0; i < 2; i++) {
      try (Stream<Path> files = Files.walk(work.resolve("worker-" + i))) {
        files.filter(p -> p.getFileName().toString().equals("stderr")).forEach(out::add);
      }
    }
    return out;
  }

  @AfterAll
  static void stopCluster() {
    // Workers first (they end their executors), then the master.
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    ChildJvm.deleteUnlessKept(work);
  }

  private static ChildJvm start(
      String name,
      Map<String, String> env,
      Path log,
      String classpath,
      String heap,
      String... mainAndArgs)
      throws IOException {
    List<String> args = new ArrayList<>();
    args.add(heap);
    args.addAll(Arrays.asList(LEAN_JVM.split(" ")));
    args.addAll(
        Arrays.asList(System.getProperty("saliency.it.javaOpens", "").trim().split("\\s+")));
    args.add("-Dai.djl.offline=true");
    args.add("-cp");
    args.add(classpath);
    args.addAll(List.of(mainAndArgs));
    args.removeIf(String::isEmpty);
    ChildJvm jvm = ChildJvm.start(name, args, env, log);
    processes.add(jvm);
    return jvm;
  }

  /**
   * A SPARK_HOME whose jars/ holds what a cluster provides: Spark, Hadoop, hadoop-aws,
   * spark-hadoop-cloud.
   */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    String classpath =
        Files.readString(
                Path.of(System.getProperty("saliency.it.dir"), "spark-classpath.txt"),
                StandardCharsets.UTF_8)
            .trim();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    assertThat(
            jars.resolve(
                "spark-core_"
                    + System.getProperty("saliency.build.scala.binary.version")
                    + "-"
                    + System.getProperty("saliency.build.spark.version")
                    + ".jar"))
        .exists();
    return home;
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("saliency.it.jar"));
    assertThat(jar).as("the shaded job jar (built in the package phase)").exists();
    return jar;
  }

  private static void awaitLine(ChildJvm jvm, String text, int times, Duration limit)
      throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      String out = jvm.output();
      if (out.split(Pattern.quote(text), -1).length - 1 >= times) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "'"
            + text
            + "' did not appear "
            + times
            + " times within "
            + limit
            + ":\n"
            + ChildJvm.tail(jvm.output(), 4000));
  }

  private static void collectExecutorLogs() throws IOException {
    for (int i = 0; i < 2; i++) {
      try (Stream<Path> files = Files.walk(work.resolve("worker-" + i))) {
        for (Path stderr :
            files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
          Path execDir = stderr.getParent();
          executorLogs.put(
              execDir.getParent().getFileName() + "/" + execDir.getFileName(),
              Files.readString(stderr, StandardCharsets.UTF_8));
        }
      }
    }
  }

  @Test
  void theJobSucceedsOnTheCluster() {
    assertThat(exitCode)
        .as("spark-submit exit code; driver output:\n%s", ChildJvm.tail(driverOutput, 6000))
        .isZero();
    assertThat(driverOutput).contains("spark-saliency cluster: " + IMAGES + " images in");
    assertThat(driverOutput).containsPattern("gradient\\s+" + IMAGES + " heatmaps");
    assertThat(driverOutput).containsPattern("gradcam\\s+" + IMAGES + " heatmaps");
  }

  @Test
  void eachExecutorJvmLoadedTheModelExactlyOnce() {
    assertThat(executorLogs).as("executor JVMs").hasSize(2);
    for (Map.Entry<String, String> e : executorLogs.entrySet()) {
      Matcher m = LOAD.matcher(e.getValue());
      List<String> loads = new ArrayList<>();
      while (m.find()) {
        loads.add(m.group());
        assertThat(m.group(1)).endsWith("sample-data/model/shapes_cnn.pt");
        assertThat(m.group(2)).isEqualTo("cpu");
      }
      assertThat(loads).as("model loads in executor %s", e.getKey()).hasSize(1);
      assertThat(loads.get(0)).endsWith("loadsInThisJvm=1");
    }
  }

  @Test
  void explainTasksOutnumberedTheExecutorsAndRanOnBoth() {
    // The explain stage has --partitions tasks; the driver log names the executor of each.
    Map<String, Set<String>> executorsByStage = new TreeMap<>();
    Map<String, Integer> tasksByStage = new TreeMap<>();
    Matcher m = FINISHED.matcher(driverOutput);
    while (m.find()) {
      if (Integer.parseInt(m.group(3)) == PARTITIONS) {
        executorsByStage.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
        tasksByStage.merge(m.group(1), 1, Integer::sum);
      }
    }
    assertThat(tasksByStage).as("stages of %d tasks", PARTITIONS).isNotEmpty();
    String explain = tasksByStage.keySet().iterator().next();
    assertThat(tasksByStage.get(explain)).isEqualTo(PARTITIONS);
    assertThat(executorsByStage.get(explain)).hasSize(2);
  }

  @Test
  void aKilledExecutorIsReplacedAndEveryImageIsWrittenExactlyOnce() {
    assertThat(lossExitCode)
        .as("spark-submit exit code; driver output:\n%s", ChildJvm.tail(lossDriverOutput, 6000))
        .isZero();
    // The kill happened during the run: the driver saw the executor go and rescheduled its work.
    assertThat(lossDriverOutput)
        .as("killed %s", killedExecutor)
        .containsPattern("Lost executor \\d+ on 127\\.0\\.0\\.1");
    Matcher lost =
        Pattern.compile("Lost executor \\d+ on 127\\.0\\.0\\.1[^\\n]*").matcher(lossDriverOutput);
    assertThat(lost.find()).isTrue();
    System.out.printf("executor loss: killed %s; driver: %s%n", killedExecutor, lost.group());
    SparkSession spark = TestSpark.session(StandaloneClusterIT.class);
    try {
      spark
          .read()
          .parquet(output.resolve("heatmaps").toString())
          .filter("run_id = 'lost-executor'")
          .createOrReplaceTempView("lost_h");
      spark
          .read()
          .parquet(output.resolve("quarantine").toString())
          .filter("run_id = 'lost-executor'")
          .createOrReplaceTempView("lost_q");
      List<Row> perMethod =
          spark
              .sql(
                  "SELECT method, count(*), count(DISTINCT path), count(DISTINCT image_id) FROM lost_h"
                      + " GROUP BY method ORDER BY method")
              .collectAsList();
      assertThat(
              perMethod.stream()
                  .map(r -> r.getString(0) + " " + r.getLong(1) + " " + r.getLong(2))
                  .toList())
          .containsExactly("gradcam 40 40", "gradient 40 40");
      assertThat(spark.sql("SELECT count(*) FROM lost_q").first().getLong(0)).isZero();
      // Nothing missing: the paths are exactly the sample images.
      try (Stream<Path> images = Files.list(ROOT.resolve("sample-data/images"))) {
        assertThat(
                spark.sql("SELECT DISTINCT path FROM lost_h").collectAsList().stream()
                    .map(r -> r.getString(0).substring(r.getString(0).lastIndexOf('/') + 1))
                    .sorted()
                    .toList())
            .isEqualTo(images.map(p -> p.getFileName().toString()).sorted().toList());
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      TestSpark.stop(spark);
    }
  }

  @Test
  void theTablesWrittenByTheClusterReadBack() {
    SparkSession spark = TestSpark.session(StandaloneClusterIT.class);
    try {
      List<Row> perMethod =
          spark
              .read()
              .parquet(output.resolve("heatmaps").toString())
              .groupBy("run_id", "method")
              .count()
              .orderBy("method", "run_id")
              .collectAsList();
      assertThat(
              perMethod.stream()
                  .map(r -> r.getString(0) + "/" + r.getString(1) + "=" + r.getLong(2))
                  .toList())
          .containsExactly(
              "cluster/gradcam=" + IMAGES,
              "lost-executor/gradcam=" + LOSS_IMAGES,
              "cluster/gradient=" + IMAGES,
              "lost-executor/gradient=" + LOSS_IMAGES);
      assertThat(output.resolve("runs/cluster/run.json")).exists();
    } finally {
      TestSpark.stop(spark);
    }
  }
}
