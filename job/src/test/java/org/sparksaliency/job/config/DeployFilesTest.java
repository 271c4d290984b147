package org.sparksaliency.job.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sparksaliency.job.cli.SaliencyCli;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Every file of deploy/ submits the real main class, the jar the build makes, and arguments the
 * real CLI accepts (option names and values, through {@link JobOptions#parse}), so they cannot rot
 * silently. The spark-submit scripts are run with a stand-in spark-submit that prints its
 * arguments. (In this package for {@link JobOptions#ALL}.)
 */
class DeployFilesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final String EMR_DISCOVERY = "/usr/lib/spark/scripts/gpu/getGpusResources.sh";

  /**
   * The jar classifiers of the two Spark lines (job/pom.xml): the default build and -Pspark-3.5.
   */
  private static final String SPARK4 = "spark4.0_2.13";

  private static final String SPARK35 = "spark3.5_2.12";
  private static String version;

  /** What a deploy file submits. */
  record Submission(
      String file, String mainClass, String jar, List<String> args, Map<String, String> conf) {}

  @BeforeAll
  static void projectVersion() throws IOException {
    Matcher m =
        Pattern.compile("<artifactId>spark-saliency</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Files.readString(ROOT.resolve("pom.xml"), StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    version = m.group(1);
  }

  @Test
  void yarnScriptSubmitsTheCpuJarWithTheS3aCommitters() throws Exception {
    Submission s =
        runScript(
            "spark-submit-yarn.sh",
            Map.of("SALIENCY_JAR", "/jars/saliency-job-" + version + "-" + SPARK4 + ".jar"));
    check(s, SPARK4);
    assertThat(s.conf())
        .containsEntry("spark.hadoop.fs.s3a.committer.name", "magic")
        .containsEntry(
            "spark.sql.sources.commitProtocolClass",
            "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol")
        .doesNotContainKey("spark.executor.resource.gpu.amount");
  }

  @Test
  void yarnScriptWithGpuAddsTheGpuConfAndTheGpuJar() throws Exception {
    Submission s =
        runScript(
            "spark-submit-yarn.sh",
            Map.of(
                "SALIENCY_GPU",
                "1",
                "SALIENCY_JAR",
                "/jars/saliency-job-" + version + "-" + SPARK4 + "-gpu.jar"));
    check(s, SPARK4 + "-gpu");
    assertThat(s.conf())
        .containsEntry("spark.executor.resource.gpu.amount", "1")
        .containsEntry("spark.task.resource.gpu.amount", "0.25")
        .containsKey("spark.executor.resource.gpu.discoveryScript");
  }

  @Test
  void kubernetesScriptSubmitsTheJarInsideTheImage() throws Exception {
    Submission cpu = runScript("spark-submit-k8s.sh", Map.of("SALIENCY_VERSION", version));
    check(cpu, SPARK4);
    assertThat(cpu.jar()).startsWith("local:///opt/spark-saliency/");
    Submission gpu =
        runScript("spark-submit-k8s.sh", Map.of("SALIENCY_VERSION", version, "SALIENCY_GPU", "1"));
    check(gpu, SPARK4 + "-gpu");
    assertThat(gpu.conf()).containsEntry("spark.executor.resource.gpu.vendor", "nvidia.com");
  }

  @Test
  void scriptsSubmitTheSparkThreeFiveJarForThatLineAndRefuseOtherLines() throws Exception {
    Submission gpu =
        runScript(
            "spark-submit-k8s.sh",
            Map.of("SALIENCY_VERSION", version, "SALIENCY_GPU", "1", "SALIENCY_SPARK_LINE", "3.5"));
    check(gpu, SPARK35 + "-gpu");
    assertThat(runFailingScript("spark-submit-k8s.sh", Map.of("SALIENCY_SPARK_LINE", "3.4")))
        .contains("Cannot pick the jar: SALIENCY_SPARK_LINE must be 4.0 or 3.5 (3.4)");
  }

  @Test
  void emrStepsRunTheGpuJarOfTheReleasesSparkWithEmrsDiscoveryScript() throws IOException {
    checkEmrStep("emr/step-gpu.json", SPARK4 + "-gpu"); // EMR 8: Spark 4.0, Scala 2.13
    checkEmrStep("emr/step-gpu-emr7.json", SPARK35 + "-gpu"); // EMR 7: Spark 3.5, Scala 2.12
    JsonNode configurations = json("emr/configurations-gpu.json");
    String spark = configurations.findValues("Properties").toString();
    assertThat(spark).contains("yarn.io/gpu").contains(EMR_DISCOVERY);
    assertThat(Files.readString(DEPLOY.resolve("emr/add-steps.sh")))
        .contains("aws emr add-steps")
        .contains("step-gpu.json")
        .contains("step-gpu-emr7.json")
        .contains("--release-label emr-spark-8.0.0")
        .containsPattern("InstanceType=g[0-9]");
  }

  private static void checkEmrStep(String file, String classifier) throws IOException {
    JsonNode steps = json(file);
    assertThat(steps.isArray()).isTrue();
    JsonNode step = steps.get(0);
    assertThat(step.get("Jar").asText()).isEqualTo("command-runner.jar");
    List<String> args = strings(step.get("Args"));
    assertThat(args.get(0)).isEqualTo("spark-submit");
    Submission s = parseSparkSubmit(file, args.subList(1, args.size()));
    check(s, classifier);
    assertThat(s.conf())
        .as(file)
        .containsEntry("spark.executor.resource.gpu.discoveryScript", EMR_DISCOVERY)
        .containsEntry("spark.executorEnv.PYTORCH_FLAVOR", "cu128")
        // EMR keeps its own committer for s3:// (EMRFS): none of ours is set.
        .doesNotContainKey("spark.sql.sources.commitProtocolClass");
  }

  @Test
  void emrServerlessRunsTheCpuJarOfTheReleasesSparkOnly() throws IOException {
    checkServerless("emr-serverless/start-job-run.json", SPARK4); // an emr-spark-8.0.0 application
    checkServerless("emr-serverless/start-job-run-emr7.json", SPARK35); // an emr-7.x application
  }

  private static void checkServerless(String file, String classifier) throws IOException {
    JsonNode driver = json(file).at("/jobDriver/sparkSubmit");
    List<String> submit =
        new ArrayList<>(
            Arrays.asList(driver.get("sparkSubmitParameters").asText().trim().split("\\s+")));
    submit.add(driver.get("entryPoint").asText());
    submit.addAll(strings(driver.get("entryPointArguments")));
    Submission s = parseSparkSubmit(file, submit);
    check(s, classifier);
    assertThat(s.conf().keySet()).as(file).noneMatch(k -> k.contains("gpu"));
  }

  @Test
  void databricksJobsRunTheGpuJarOfTheirRuntimesSparkOnAGpuMlRuntimeOnASchedule()
      throws IOException {
    checkDatabricksJob(
        "databricks/job-gpu.json",
        "17.3.x-gpu-ml-scala2.13",
        SPARK4 + "-gpu"); // DBR 17.3 LTS: Spark 4.0
    checkDatabricksJob(
        "databricks/job-gpu-dbr16.json",
        "16.4.x-gpu-ml-scala2.12",
        SPARK35 + "-gpu"); // DBR 16.4 LTS: Spark 3.5
    // The init script installs the libtorch of pytorch-jni's CUDA flavour (cu128) at the build's
    // PyTorch version.
    Matcher pytorch =
        Pattern.compile("<pytorch.version>([^<]+)</pytorch.version>")
            .matcher(Files.readString(ROOT.resolve("pom.xml")));
    assertThat(pytorch.find()).isTrue();
    assertThat(Files.readString(DEPLOY.resolve("databricks/install-libtorch.sh")))
        .contains("\"torch==" + pytorch.group(1) + "\"")
        .contains("download.pytorch.org/whl/cu128");
  }

  private static void checkDatabricksJob(String file, String runtime, String classifier)
      throws IOException {
    JsonNode job = json(file);
    assertThat(job.at("/schedule/quartz_cron_expression").asText()).isNotBlank();
    JsonNode task = job.at("/tasks/0");
    JsonNode cluster = job.at("/job_clusters/0/new_cluster");
    assertThat(task.get("job_cluster_key").asText())
        .isEqualTo(job.at("/job_clusters/0/job_cluster_key").asText());
    assertThat(cluster.get("spark_version").asText()).as(file).isEqualTo(runtime);
    assertThat(cluster.get("data_security_mode").asText()).isEqualTo("SINGLE_USER");
    Map<String, String> conf = new LinkedHashMap<>();
    cluster
        .get("spark_conf")
        .fields()
        .forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
    cluster
        .get("spark_env_vars")
        .fields()
        .forEachRemaining(e -> conf.put("spark.executorEnv." + e.getKey(), e.getValue().asText()));
    Submission s =
        new Submission(
            file,
            task.at("/spark_jar_task/main_class_name").asText(),
            task.at("/libraries/0/jar").asText(),
            strings(task.at("/spark_jar_task/parameters")),
            conf);
    check(s, classifier);
    // Databricks discovers GPUs itself; the run id follows the job run, so a repaired run replaces
    // its own output.
    assertThat(s.args()).containsSequence("--run-id", "db-{{job.run_id}}");
    assertThat(cluster.at("/spark_env_vars/PYTORCH_FLAVOR").asText()).isEqualTo("cu128");
    assertThat(cluster.at("/init_scripts/0/volumes/destination").asText())
        .endsWith("/install-libtorch.sh");
  }

  @Test
  void sparkOperatorApplicationAsksForAGpuPerExecutor() throws Exception {
    Map<String, Object> app;
    try (InputStream in =
        Files.newInputStream(DEPLOY.resolve("kubernetes/spark-application-gpu.yaml"))) {
      app = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    assertThat(app).containsEntry("kind", "SparkApplication");
    Map<String, Object> spec = map(app.get("spec"));
    Map<String, String> conf = new LinkedHashMap<>();
    map(spec.get("sparkConf")).forEach((k, v) -> conf.put(k, String.valueOf(v)));
    List<String> args = ((List<?>) spec.get("arguments")).stream().map(String::valueOf).toList();
    Submission s =
        new Submission(
            "kubernetes/spark-application-gpu.yaml",
            (String) spec.get("mainClass"),
            (String) spec.get("mainApplicationFile"),
            args,
            conf);
    Map<String, Object> executor = map(spec.get("executor"));
    conf.put("spark.executor.extraJavaOptions", String.valueOf(executor.get("javaOptions")));
    for (Object e : (List<?>) executor.get("env")) {
      Map<String, Object> env = map(e);
      conf.put("spark.executorEnv." + env.get("name"), String.valueOf(env.get("value")));
    }
    assertThat(String.valueOf(spec.get("sparkVersion"))).startsWith("4.0.");
    check(s, SPARK4 + "-gpu");
    // hadoop-aws 3.4 builds S3A's providers from AWS SDK v2 classes: with a static create() or a
    // public no-arg
    // constructor (the SDK v1 names of Spark 3.5 images are not accepted).
    Class<?> provider = Class.forName(conf.get("spark.hadoop.fs.s3a.aws.credentials.provider"));
    assertThat(provider)
        .isAssignableTo(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider.class);
    assertThat(provider.getMethod("create").getReturnType()).isEqualTo(provider);
    assertThat(map(executor.get("gpu")))
        .containsEntry("name", "nvidia.com/gpu")
        .containsEntry("quantity", 1);
  }

  /**
   * {@code classifier}: the jar's, e.g. spark4.0_2.13 or spark3.5_2.12-gpu (GPU settings expected).
   */
  private static void check(Submission s, String classifier) {
    boolean gpu = classifier.endsWith("-gpu");
    assertThat(s.mainClass()).as(s.file()).isEqualTo(SaliencyCli.class.getName());
    String jarName = s.jar().substring(s.jar().lastIndexOf('/') + 1);
    assertThat(jarName)
        .as(s.file())
        .isEqualTo("saliency-job-" + version + "-" + classifier + ".jar");
    assertThat(s.args()).as(s.file()).isNotEmpty();
    assertThat(s.args().get(0)).as(s.file()).isEqualTo("run");
    List<String> options = s.args().subList(1, s.args().size());
    List<String> known = JobOptions.ALL.stream().map(o -> o.name()).toList();
    for (String a : options) {
      if (a.startsWith("--")) {
        assertThat(known).as("%s uses %s", s.file(), a).contains(a.substring(2).split("=", 2)[0]);
      }
    }
    // The real parser accepts the arguments (templated values such as {{job.run_id}} filled in).
    String[] filled =
        options.stream().map(a -> a.replaceAll("\\{\\{[^}]+}}", "42")).toArray(String[]::new);
    assertThatCode(() -> JobOptions.parse(filled)).as(s.file()).doesNotThrowAnyException();
    assertThat(s.conf().getOrDefault("spark.executor.extraJavaOptions", ""))
        .as(s.file())
        .contains("-Dai.djl.offline=true");
    // libtorch's OpenMP workers sleep between ops instead of spinning on the task threads' cores.
    assertThat(s.conf()).as(s.file()).containsEntry("spark.executorEnv.OMP_WAIT_POLICY", "PASSIVE");
    // Credentials come from the provider chain, never from a deploy file.
    assertThat(String.join(" ", s.args()) + s.conf())
        .as(s.file())
        .doesNotContain("secret.key")
        .doesNotContain("access.key");
    if (gpu) {
      assertThat(s.conf()).as(s.file()).containsKey("spark.task.resource.gpu.amount");
    }
  }

  /** Runs a deploy script with a stand-in spark-submit on the PATH and parses what it was given. */
  private static Submission runScript(String script, Map<String, String> env) throws Exception {
    return parseSparkSubmit(script, run(script, env, true).lines().toList());
  }

  /** Runs a deploy script that must fail; returns its output. */
  private static String runFailingScript(String script, Map<String, String> env) throws Exception {
    return run(script, env, false);
  }

  private static String run(String script, Map<String, String> env, boolean succeeds)
      throws Exception {
    Path bin = Files.createTempDirectory("fake-spark-submit");
    Path fake = bin.resolve("spark-submit");
    Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb =
        new ProcessBuilder("bash", DEPLOY.resolve(script).toString()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("INPUT", "s3a://bucket/images");
    pb.environment().put("MODEL", "s3a://bucket/model.pt");
    pb.environment().put("OUTPUT", "s3a://bucket/out");
    pb.environment().put("K8S_API", "https://127.0.0.1:6443");
    pb.environment().put("IMAGE", "registry.example.com/spark-saliency:test");
    pb.environment().putAll(env);
    String out;
    try {
      Process p = pb.start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      if (succeeds) {
        assertThat(p.exitValue()).as(out).isZero();
      } else {
        assertThat(p.exitValue()).as(out).isNotZero();
      }
    } finally {
      Files.delete(fake);
      Files.delete(bin);
    }
    return out;
  }

  /**
   * Splits spark-submit arguments into options, the application jar and the application's
   * arguments.
   */
  static Submission parseSparkSubmit(String file, List<String> args) {
    Map<String, String> conf = new LinkedHashMap<>();
    String mainClass = null;
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("--")) {
      String option = args.get(i);
      String value = args.get(i + 1);
      if (option.equals("--class")) {
        mainClass = value;
      } else if (option.equals("--conf")) {
        String[] kv = value.split("=", 2);
        conf.put(kv[0], kv[1]);
      }
      i += 2;
    }
    assertThat(i).as("%s names an application jar", file).isLessThan(args.size());
    return new Submission(
        file, mainClass, args.get(i), List.copyOf(args.subList(i + 1, args.size())), conf);
  }

  private static JsonNode json(String file) throws IOException {
    return new ObjectMapper().readTree(DEPLOY.resolve(file).toFile());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @Test
  void everyDeployFileIsChecked() throws IOException {
    List<String> files;
    try (var walk = Files.walk(DEPLOY)) {
      files =
          walk.filter(Files::isRegularFile)
              .map(p -> DEPLOY.relativize(p).toString())
              .sorted()
              .collect(Collectors.toList());
    }
    // A new deploy file needs a test here; these are the ones that submit the job, plus their
    // helpers.
    assertThat(files)
        .containsExactlyInAnyOrder(
            "README.md",
            "spark-conf.sh",
            "spark-submit-yarn.sh",
            "spark-submit-k8s.sh",
            "emr/step-gpu.json",
            "emr/step-gpu-emr7.json",
            "emr/configurations-gpu.json",
            "emr/add-steps.sh",
            "emr-serverless/start-job-run.json",
            "emr-serverless/start-job-run-emr7.json",
            "databricks/job-gpu.json",
            "databricks/job-gpu-dbr16.json",
            "databricks/install-libtorch.sh",
            "kubernetes/spark-application-gpu.yaml",
            "kubernetes/Dockerfile");
  }
}
