package org.sparksaliency.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Options of {@code bin/saliency bench-floor}, validated before anything runs.
 *
 * @param models tiny (sample-data/export_tiny.py) and/or resnet18 (export_resnet.py)
 * @param methods methods measured on each model
 * @param images generated 224 × 224 JPEGs for the near-free model
 * @param resnetImages the same JPEGs' first ones for ResNet-18
 * @param settings threads, batch, micro-batch, image and heatmap size of the job and PyTorch
 * @param rounds rounds of (job, PyTorch) per model and method
 * @param pytorch whether to run the PyTorch peer
 * @param sampleConfig config whose fixed cost is measured in a child process (null: none)
 * @param cache folder for generated models, images and outputs
 */
record FloorBenchOptions(
    List<String> models,
    List<String> methods,
    int images,
    int resnetImages,
    ExplainStageRun.Settings settings,
    int rounds,
    boolean pytorch,
    Path sampleConfig,
    Path cache) {

  static final String COMMAND = "bench-floor";
  static final Set<String> MODELS = Set.of("tiny", "resnet18");
  static final Set<String> METHODS = Set.of("gradient", "smoothgrad", "integrated_gradients");

  static String help() {
    return String.join(
        "\n",
        "Usage: bin/saliency bench-floor [options]",
        "The job's explain stage against a vectorised PyTorch peer (sample-data/bench_pytorch.py --stage",
        "explain) on the same JPEGs, per model and method, and the job's fixed cost on a config.",
        "  --models LIST            tiny,resnet18 (default both)",
        "  --methods LIST           gradient,smoothgrad,integrated_gradients (default all three)",
        "  --images N               generated 224x224 JPEGs for the tiny model (default 256)",
        "  --resnet-images N        of those, for resnet18 (default 32)",
        "  --threads N              local[N], the owner's and PyTorch's threads (default: processors)",
        "  --batch-size N           images per batch, job and PyTorch (default 16)",
        "  --micro-batch-size N     samples per model pass, job and PyTorch (default 16)",
        "  --rounds N               rounds of (job stage, PyTorch peer) back to back per method; medians",
        "                           are reported (default 3)",
        "  --pytorch true|false     run the PyTorch peer (default true)",
        "  --fixed-cost true|false  time bin/saliency run --config conf/sample.yaml (default true)",
        "  --cache DIR              models, images and outputs (default <repo>/target/bench)",
        "");
  }

  static FloorBenchOptions parse(String[] args, Path home, int processors) {
    List<String> models = List.of("tiny", "resnet18");
    List<String> methods = List.of("gradient", "smoothgrad", "integrated_gradients");
    int images = 256;
    int resnet = 32;
    int threads = processors;
    int batch = 16;
    int micro = 16;
    int rounds = 3;
    boolean pytorch = true;
    boolean fixed = true;
    Path cache = home.resolve("target/bench");
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!name.startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "Cannot run bench-floor: expected --option value, got '" + name + "'");
      }
      String v = args[i + 1];
      switch (name) {
        case "--models" -> models = BenchOptions.listOf(COMMAND, name, v, MODELS);
        case "--methods" -> methods = BenchOptions.listOf(COMMAND, name, v, METHODS);
        case "--images" -> images = BenchOptions.positive(COMMAND, name, v);
        case "--resnet-images" -> resnet = BenchOptions.positive(COMMAND, name, v);
        case "--threads" -> threads = BenchOptions.positive(COMMAND, name, v);
        case "--batch-size" -> batch = BenchOptions.positive(COMMAND, name, v);
        case "--micro-batch-size" -> micro = BenchOptions.positive(COMMAND, name, v);
        case "--rounds" -> rounds = BenchOptions.positive(COMMAND, name, v);
        case "--pytorch" -> pytorch = BenchOptions.bool(COMMAND, name, v);
        case "--fixed-cost" -> fixed = BenchOptions.bool(COMMAND, name, v);
        case "--cache" -> cache = Path.of(v);
        default ->
            throw new IllegalArgumentException(
                "Cannot run bench-floor: unknown option " + name + " (see bench-floor --help)");
      }
    }
    return new FloorBenchOptions(
        models,
        methods,
        images,
        Math.min(resnet, images),
        new ExplainStageRun.Settings(threads, batch, micro, BenchRun.IMAGE_SIZE, 56),
        rounds,
        pytorch,
        fixed ? home.resolve("conf/sample.yaml") : null,
        cache);
  }

  int imagesFor(String model) {
    return model.equals("tiny") ? images : resnetImages;
  }
}
