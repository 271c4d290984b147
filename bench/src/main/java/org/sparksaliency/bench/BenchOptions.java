package org.sparksaliency.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Options of {@code bin/saliency bench}, validated before anything runs.
 *
 * @param models architectures exported by sample-data/export_resnet.py
 * @param methods methods to measure
 * @param batchSizes batch sizes tried for model-only throughput (the best is reported)
 * @param images JPEGs generated and explained (model only, PyTorch and end to end)
 * @param igImages images for integrated_gradients, the first of {@code images} (it costs 65 passes
 *     per image)
 * @param threads intra-op threads of the model owner and PyTorch, and local[threads] end to end
 * @param repeats timed passes per figure, best taken (levers: interleaved with their baseline)
 * @param memoryImages images of the long model-only run that prints resident memory (0: none)
 * @param levers whether to measure the levers
 * @param pytorch whether to run the PyTorch baseline
 * @param endToEnd whether to run the whole job
 * @param cache folder for generated models and images
 * @param json report file
 */
record BenchOptions(
    List<String> models,
    List<String> methods,
    List<Integer> batchSizes,
    int images,
    int igImages,
    int threads,
    int repeats,
    long memoryImages,
    boolean levers,
    boolean pytorch,
    boolean endToEnd,
    Path cache,
    Path json) {

  static final Set<String> ARCHS = Set.of("resnet18", "resnet50");
  static final Set<String> METHODS = Set.of("gradient", "gradcam", "integrated_gradients");

  static String help() {
    return String.join(
        "\n",
        "Usage: bin/saliency bench [options]",
        "  --models LIST         resnet18,resnet50 (default both; random weights, exported once into --cache)",
        "  --methods LIST        gradient,gradcam,integrated_gradients (default: those the job knows)",
        "  --batch-sizes LIST    batch sizes tried, model only (default 4,8,16)",
        "  --images N            generated 224x224 JPEGs (default 64)",
        "  --ig-images N         images for integrated_gradients (default 4)",
        "  --threads N           intra-op threads and local[N] (default: available processors)",
        "  --repeats N           timed passes per figure, the best counts (default 3)",
        "  --memory-images N     long model-only run printing resident memory (default 0; e.g. 10000)",
        "  --levers true|false   measure the levers (default true)",
        "  --pytorch true|false  run the PyTorch baseline with /usr/bin/python3 (default true)",
        "  --end-to-end true|false  run the whole job (default true)",
        "  --cache DIR           generated models and images (default <repo>/target/bench)",
        "  --json FILE           report (default <cache>/bench.json)",
        "");
  }

  static BenchOptions parse(String[] args, Path home, int processors, List<String> knownMethods) {
    List<String> models = List.of("resnet18", "resnet50");
    List<String> methods =
        METHODS.stream().filter(knownMethods::contains).sorted(BenchOptions::byCost).toList();
    List<Integer> batches = List.of(4, 8, 16);
    int images = 64;
    int ig = 4;
    int threads = processors;
    int repeats = 3;
    long memory = 0;
    boolean levers = true;
    boolean pytorch = true;
    boolean e2e = true;
    Path cache = home.resolve("target/bench");
    Path json = null;
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "Cannot run bench: expected --option value, got '" + name + "'");
      }
      String v = args[i + 1];
      switch (name) {
        case "--models" -> models = listOf("bench", name, v, ARCHS);
        case "--methods" ->
            methods =
                listOf(
                    "bench",
                    name,
                    v,
                    Set.copyOf(knownMethods.stream().filter(METHODS::contains).toList()));
        case "--batch-sizes" ->
            batches =
                Arrays.stream(v.split(",")).map(s -> positive("bench", name, s.trim())).toList();
        case "--images" -> images = positive("bench", name, v);
        case "--ig-images" -> ig = positive("bench", name, v);
        case "--threads" -> threads = positive("bench", name, v);
        case "--repeats" -> repeats = positive("bench", name, v);
        case "--memory-images" -> memory = Long.parseLong(v);
        case "--levers" -> levers = bool("bench", name, v);
        case "--pytorch" -> pytorch = bool("bench", name, v);
        case "--end-to-end" -> e2e = bool("bench", name, v);
        case "--cache" -> cache = Path.of(v);
        case "--json" -> json = Path.of(v);
        default ->
            throw new IllegalArgumentException(
                "Cannot run bench: unknown option " + name + " (see bench --help)");
      }
    }
    return new BenchOptions(
        models,
        methods,
        batches,
        images,
        Math.min(ig, images),
        threads,
        repeats,
        memory,
        levers,
        pytorch,
        e2e,
        cache,
        json == null ? cache.resolve("bench.json") : json);
  }

  private static int byCost(String a, String b) {
    return Integer.compare(
        List.of("gradcam", "gradient", "integrated_gradients").indexOf(a),
        List.of("gradcam", "gradient", "integrated_gradients").indexOf(b));
  }

  static List<String> listOf(String command, String name, String v, Set<String> known) {
    List<String> out =
        Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    for (String s : out) {
      if (!known.contains(s)) {
        throw new IllegalArgumentException(
            "Cannot run "
                + command
                + ": "
                + name
                + " has unknown '"
                + s
                + "'; known: "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("Cannot run " + command + ": " + name + " is empty");
    }
    return out;
  }

  static int positive(String command, String name, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "Cannot run " + command + ": " + name + " must be a positive integer, got '" + v + "'");
  }

  static boolean bool(String command, String name, String v) {
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new IllegalArgumentException(
        "Cannot run " + command + ": " + name + " must be true or false, got '" + v + "'");
  }
}
