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
 * Every file of deploy/ submits the real main class, the jar the build makes, and arguments the real CLI
 * accepts (option names and values, through {@link JobOptions#parse}), so they cannot rot silently. The
 * spark-submit scripts are run with a stand-in spark-submit that prints its arguments. (In this package for
 * {@link OptionSpec}.)
 */
class DeployFilesTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path DEPLOY = ROOT.resolve("deploy");
  private static final String EMR_DISCOVERY = "/usr/lib/spark/scripts/gpu/getGpusResources.sh";
  private static String version;

  /** What a deploy file submits. */
  record Submission(String file, String mainClass, String jar, List<String> args, Map<String, String> conf) {}

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
    Submission s = runScript("spark-submit-yarn.sh", Map.of("SALIENCY_JAR", "/jars/saliency-job-" + version + "-spark.jar"));
    check(s, false);
    assertThat(s.conf()).containsEntry("spark.hadoop.fs.s3a.committer.name", "magic")
        .containsEntry("spark.sql.sources.commitProtocolClass", "org.apache.spark.internal.io.cloud.PathOutputCommitProtocol")
        .doesNotContainKey("spark.executor.resource.gpu.amount");
  }

  @Test
  void yarnScriptWithGpuAddsTheGpuConfAndTheGpuJar() throws Exception {
    Submission s =
        runScript("spark-submit-yarn.sh",
            Map.of("SALIENCY_GPU", "1", "SALIENCY_JAR", "/jars/saliency-job-" + version + "-spark-gpu.jar"));
    check(s, true);
    assertThat(s.conf()).containsEntry("spark.executor.resource.gpu.amount", "1")
        .containsEntry("spark.task.resource.gpu.amount", "0.25")
        .containsKey("spark.executor.resource.gpu.discoveryScript");
  }

  @Test
  void kubernetesScriptSubmitsTheJarInsideTheImage() throws Exception {
    Submission cpu = runScript("spark-submit-k8s.sh", Map.of("SALIENCY_VERSION", version));
    check(cpu, false);
    assertThat(cpu.jar()).startsWith("local:///opt/spark-saliency/");
    Submission gpu = runScript("spark-submit-k8s.sh", Map.of("SALIENCY_VERSION", version, "SALIENCY_GPU", "1"));
    check(gpu, true);
    assertThat(gpu.conf()).containsEntry("spark.executor.resource.gpu.vendor", "nvidia.com");
  }

  @Test
  void emrStepRunsTheGpuJarWithEmrsDiscoveryScript() throws IOException {
    JsonNode steps = json("emr/step-gpu.json");
    assertThat(steps.isArray()).isTrue();
    JsonNode step = steps.get(0);
    assertThat(step.get("Jar").asText()).isEqualTo("command-runner.jar");
    List<String> args = strings(step.get("Args"));
    assertThat(args.get(0)).isEqualTo("spark-submit");
    Submission s = parseSparkSubmit("emr/step-gpu.json", args.subList(1, args.size()));
    check(s, true);
    assertThat(s.conf()).containsEntry("spark.executor.resource.gpu.discoveryScript", EMR_DISCOVERY)
        // EMR keeps its own committer for s3:// (EMRFS): none of ours is set.
        .doesNotContainKey("spark.sql.sources.commitProtocolClass");
    JsonNode configurations = json("emr/configurations-gpu.json");
    String spark = configurations.findValues("Properties").toString();
    assertThat(spark).contains("yarn.io/gpu").contains(EMR_DISCOVERY);
    assertThat(Files.readString(DEPLOY.resolve("emr/add-steps.sh"))).contains("aws emr add-steps")
        .contains("step-gpu.json").containsPattern("InstanceType=g[0-9]");
  }

  @Test
  void emrServerlessRunsTheCpuJarOnly() throws IOException {
    JsonNode driver = json("emr-serverless/start-job-run.json").at("/jobDriver/sparkSubmit");
    List<String> submit = new ArrayList<>(Arrays.asList(driver.get("sparkSubmitParameters").asText().trim().split("\\s+")));
    submit.add(driver.get("entryPoint").asText());
    submit.addAll(strings(driver.get("entryPointArguments")));
    Submission s = parseSparkSubmit("emr-serverless/start-job-run.json", submit);
    check(s, false);
    assertThat(s.conf().keySet()).noneMatch(k -> k.contains("gpu"));
  }

  @Test
  void databricksJobRunsTheGpuJarOnAGpuMlRuntimeOnASchedule() throws IOException {
    JsonNode job = json("databricks/job-gpu.json");
    assertThat(job.at("/schedule/quartz_cron_expression").asText()).isNotBlank();
    JsonNode task = job.at("/tasks/0");
    JsonNode cluster = job.at("/job_clusters/0/new_cluster");
    assertThat(task.get("job_cluster_key").asText()).isEqualTo(job.at("/job_clusters/0/job_cluster_key").asText());
    assertThat(cluster.get("spark_version").asText()).contains("gpu-ml");
    assertThat(cluster.get("data_security_mode").asText()).isEqualTo("SINGLE_USER");
    Map<String, String> conf = new LinkedHashMap<>();
    cluster.get("spark_conf").fields().forEachRemaining(e -> conf.put(e.getKey(), e.getValue().asText()));
    Submission s =
        new Submission(
            "databricks/job-gpu.json",
            task.at("/spark_jar_task/main_class_name").asText(),
            task.at("/libraries/0/jar").asText(),
            strings(task.at("/spark_jar_task/parameters")),
            conf);
    check(s, true);
    // Databricks discovers GPUs itself; the run id follows the job run, so a repaired run replaces its own output.
    assertThat(s.args()).containsSequence("--run-id", "db-{{job.run_id}}");
    assertThat(cluster.at("/spark_env_vars/PYTORCH_FLAVOR").asText()).isEqualTo("cu128");
  }

  @Test
  void sparkOperatorApplicationAsksForAGpuPerExecutor() throws IOException {
    Map<String, Object> app;
    try (InputStream in = Files.newInputStream(DEPLOY.resolve("kubernetes/spark-application-gpu.yaml"))) {
      app = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
    }
    assertThat(app).containsEntry("kind", "SparkApplication");
    Map<String, Object> spec = map(app.get("spec"));
    Map<String, String> conf = new LinkedHashMap<>();
    map(spec.get("sparkConf")).forEach((k, v) -> conf.put(k, String.valueOf(v)));
    List<String> args = ((List<?>) spec.get("arguments")).stream().map(String::valueOf).toList();
    Submission s = new Submission("kubernetes/spark-application-gpu.yaml", (String) spec.get("mainClass"),
        (String) spec.get("mainApplicationFile"), args, conf);
    Map<String, Object> executor = map(spec.get("executor"));
    conf.put("spark.executor.extraJavaOptions", String.valueOf(executor.get("javaOptions")));
    check(s, true);
    assertThat(map(executor.get("gpu"))).containsEntry("name", "nvidia.com/gpu").containsEntry("quantity", 1);
  }

  private static void check(Submission s, boolean gpu) {
    assertThat(s.mainClass()).as(s.file()).isEqualTo(SaliencyCli.class.getName());
    String jarName = s.jar().substring(s.jar().lastIndexOf('/') + 1);
    assertThat(jarName).as(s.file()).isEqualTo("saliency-job-" + version + (gpu ? "-spark-gpu.jar" : "-spark.jar"));
    assertThat(s.args()).as(s.file()).isNotEmpty();
    assertThat(s.args().get(0)).as(s.file()).isEqualTo("run");
    List<String> options = s.args().subList(1, s.args().size());
    List<String> known = JobOptions.SPECS.stream().map(OptionSpec::name).toList();
    for (String a : options) {
      if (a.startsWith("--")) {
        assertThat(known).as("%s uses %s", s.file(), a).contains(a.substring(2).split("=", 2)[0]);
      }
    }
    // The real parser accepts the arguments (templated values such as {{job.run_id}} filled in).
    String[] filled = options.stream().map(a -> a.replaceAll("\\{\\{[^}]+}}", "42")).toArray(String[]::new);
    assertThatCode(() -> JobOptions.parse(filled)).as(s.file()).doesNotThrowAnyException();
    assertThat(s.conf().getOrDefault("spark.executor.extraJavaOptions", "")).as(s.file()).contains("-Dai.djl.offline=true");
    // Credentials come from the provider chain, never from a deploy file.
    assertThat(String.join(" ", s.args()) + s.conf()).as(s.file()).doesNotContain("secret.key").doesNotContain("access.key");
    if (gpu) {
      assertThat(s.conf()).as(s.file()).containsKey("spark.task.resource.gpu.amount");
    }
  }

  /** Runs a deploy script with a stand-in spark-submit on the PATH and parses what it was given. */
  private static Submission runScript(String script, Map<String, String> env) throws Exception {
    Path bin = Files.createTempDirectory("fake-spark-submit");
    Path fake = bin.resolve("spark-submit");
    Files.writeString(fake, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb = new ProcessBuilder("bash", DEPLOY.resolve(script).toString()).redirectErrorStream(true);
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
      assertThat(p.exitValue()).as(out).isZero();
    } finally {
      Files.delete(fake);
      Files.delete(bin);
    }
    return parseSparkSubmit(script, out.lines().toList());
  }

  /** Splits spark-submit arguments into options, the application jar and the application's arguments. */
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
    return new Submission(file, mainClass, args.get(i), List.copyOf(args.subList(i + 1, args.size())), conf);
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
      files = walk.filter(Files::isRegularFile).map(p -> DEPLOY.relativize(p).toString()).sorted().collect(Collectors.toList());
    }
    // A new deploy file needs a test here; these are the ones that submit the job, plus their helpers.
    assertThat(files).containsExactlyInAnyOrder(
        "README.md", "spark-conf.sh", "spark-submit-yarn.sh", "spark-submit-k8s.sh", "emr/step-gpu.json",
        "emr/configurations-gpu.json", "emr/add-steps.sh", "emr-serverless/start-job-run.json",
        "databricks/job-gpu.json", "databricks/install-libtorch.sh", "kubernetes/spark-application-gpu.yaml",
        "kubernetes/Dockerfile");
  }
}
