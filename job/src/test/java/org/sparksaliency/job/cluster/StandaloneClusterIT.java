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
import org.sparksaliency.job.pipeline.TestSpark;

/**
 * A real multi-process Spark cluster on 127.0.0.1: a standalone Master and two Workers (one core each) run
 * from a SPARK_HOME assembled from the Maven dependencies, and the shaded job jar submitted through
 * {@code SparkSubmit} in client mode with more partitions than executors. The executors' own logs must show
 * exactly one model load per executor JVM.
 */
@Timeout(value = 9, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final int PARTITIONS = 6;
  private static final int IMAGES = 10;
  private static final Pattern LOAD =
      Pattern.compile("saliency-model-load uri=(\\S+) device=(\\S+) loadsInThisJvm=(\\d+)");
  private static final Pattern FINISHED =
      Pattern.compile("Finished task \\d+\\.\\d+ in stage (\\d+)\\.\\d+ \\(TID \\d+\\) in \\d+ ms on \\S+ \\(executor (\\d+)\\) \\(\\d+/(\\d+)\\)");

  /** Short-lived JVMs on a small machine: C1 only and the serial collector spend less CPU starting up. */
  private static final String LEAN_JVM = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  private static final List<ChildJvm> processes = new ArrayList<>();
  private static Path work;
  private static Path output;
  private static int exitCode;
  private static String driverOutput;
  /** stderr of each executor JVM, by "app/executor id" folder. */
  private static final Map<String, String> executorLogs = new TreeMap<>();

  @BeforeAll
  static void runOnACluster() throws Exception {
    work = Files.createTempDirectory("standalone-it");
    Path sparkHome = sparkHome(work.resolve("spark-home"));
    Map<String, String> env = new HashMap<>();
    env.put("SPARK_HOME", sparkHome.toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    env.put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
    String classpath = sparkHome.resolve("jars") + "/*";

    int masterPort = ChildJvm.freePort();
    String master = "spark://127.0.0.1:" + masterPort;
    ChildJvm m =
        start("master", env, work.resolve("master.log"), classpath, "-Xmx256m",
            "org.apache.spark.deploy.master.Master",
            "--host", "127.0.0.1", "--port", Integer.toString(masterPort),
            "--webui-port", Integer.toString(ChildJvm.freePort()));
    m.awaitPort(masterPort, Duration.ofSeconds(90));
    for (int i = 0; i < 2; i++) {
      Path dir = Files.createDirectories(work.resolve("worker-" + i));
      start("worker-" + i, env, work.resolve("worker-" + i + ".log"), classpath, "-Xmx256m",
          "org.apache.spark.deploy.worker.Worker",
          "--host", "127.0.0.1", "--cores", "1", "--memory", "1g",
          "--webui-port", Integer.toString(ChildJvm.freePort()), "--work-dir", dir.toString(), master);
    }
    awaitLine(m, "Registering worker", 2, Duration.ofSeconds(120));

    output = work.resolve("out");
    ChildJvm submit =
        start("spark-submit", env, work.resolve("driver.log"), classpath, "-Xmx1g",
            "org.apache.spark.deploy.SparkSubmit",
            "--master", master,
            "--deploy-mode", "client",
            "--class", "org.sparksaliency.job.cli.SaliencyCli",
            "--conf", "spark.executor.memory=1g",
            "--conf", "spark.executor.cores=1",
            "--conf", "spark.cores.max=2",
            "--conf", "spark.driver.host=127.0.0.1",
            "--conf", "spark.driver.bindAddress=127.0.0.1",
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.executor.extraJavaOptions=-Dai.djl.offline=true " + LEAN_JVM,
            // Start only when both executors are up, so both get explain tasks.
            "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
            "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
            jar().toString(),
            "run",
            "--input", ROOT.resolve("sample-data/images").toString(),
            "--input-glob", "img_00?.*",
            "--model", ROOT.resolve("sample-data/model/shapes_cnn.pt").toString(),
            "--labels", ROOT.resolve("sample-data/labels.txt").toString(),
            "--output", output.toString(),
            "--image-size", "128",
            "--batch-size", "2",
            "--partitions", Integer.toString(PARTITIONS),
            "--run-id", "cluster");
    exitCode = submit.waitFor(Duration.ofMinutes(6));
    driverOutput = submit.output();
    collectExecutorLogs();
  }

  @AfterAll
  static void stopCluster() {
    // Workers first (they end their executors), then the master.
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    ChildJvm.deleteUnlessKept(work);
  }

  private static ChildJvm start(String name, Map<String, String> env, Path log, String classpath, String heap,
      String... mainAndArgs) throws IOException {
    List<String> args = new ArrayList<>();
    args.add(heap);
    args.addAll(Arrays.asList(LEAN_JVM.split(" ")));
    args.addAll(Arrays.asList(System.getProperty("saliency.it.javaOpens", "").trim().split("\\s+")));
    args.add("-Dai.djl.offline=true");
    args.add("-cp");
    args.add(classpath);
    args.addAll(List.of(mainAndArgs));
    args.removeIf(String::isEmpty);
    ChildJvm jvm = ChildJvm.start(name, args, env, log);
    processes.add(jvm);
    return jvm;
  }

  /** A SPARK_HOME whose jars/ holds what a cluster provides: Spark, Hadoop, hadoop-aws, spark-hadoop-cloud. */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    String classpath =
        Files.readString(Path.of(System.getProperty("saliency.it.dir"), "spark-classpath.txt"), StandardCharsets.UTF_8).trim();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      Path jar = Path.of(entry);
      Path link = jars.resolve(jar.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, jar);
      }
    }
    assertThat(jars.resolve("spark-core_2.12-3.5.8.jar")).exists();
    return home;
  }

  private static Path jar() {
    Path jar = Path.of(System.getProperty("saliency.it.jar"));
    assertThat(jar).as("the shaded job jar (built in the package phase)").exists();
    return jar;
  }

  private static void awaitLine(ChildJvm jvm, String text, int times, Duration limit) throws Exception {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      String out = jvm.output();
      if (out.split(Pattern.quote(text), -1).length - 1 >= times) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("'" + text + "' did not appear " + times + " times within " + limit + ":\n"
        + ChildJvm.tail(jvm.output(), 4000));
  }

  private static void collectExecutorLogs() throws IOException {
    for (int i = 0; i < 2; i++) {
      try (Stream<Path> files = Files.walk(work.resolve("worker-" + i))) {
        for (Path stderr : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
          Path execDir = stderr.getParent();
          executorLogs.put(execDir.getParent().getFileName() + "/" + execDir.getFileName(),
              Files.readString(stderr, StandardCharsets.UTF_8));
        }
      }
    }
  }

  @Test
  void theJobSucceedsOnTheCluster() {
    assertThat(exitCode).as("spark-submit exit code; driver output:\n%s", ChildJvm.tail(driverOutput, 6000)).isZero();
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
  void theTablesWrittenByTheClusterReadBack() {
    SparkSession spark = TestSpark.session(StandaloneClusterIT.class);
    try {
      List<Row> perMethod =
          spark.read().parquet(output.resolve("heatmaps").toString())
              .groupBy("run_id", "method").count().orderBy("method").collectAsList();
      assertThat(perMethod.stream().map(r -> r.getString(0) + "/" + r.getString(1) + "=" + r.getLong(2)).toList())
          .containsExactly("cluster/gradcam=" + IMAGES, "cluster/gradient=" + IMAGES);
      assertThat(output.resolve("runs/cluster/run.json")).exists();
    } finally {
      TestSpark.stop(spark);
    }
  }
}
