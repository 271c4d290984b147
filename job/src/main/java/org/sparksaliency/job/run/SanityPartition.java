package org.sparksaliency.job.run;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.sparksaliency.job.input.ImageLoader;
import org.sparksaliency.job.input.ImageRow;
import org.sparksaliency.job.input.LoadedImage;
import org.sparksaliency.job.method.BatchExplainer;
import org.sparksaliency.job.method.ImageExplanation;
import org.sparksaliency.job.method.Seeds;
import org.sparksaliency.job.model.ParameterRandomisation;
import org.sparksaliency.job.model.TorchModel;
import org.sparksaliency.udf.RankCorrelation;

/**
 * The sanity check's executor side, for the one partition holding the sampled images: reads and
 * decodes them as the explain stage does ({@link ImageLoader}: the content column or the file, raw
 * pixels of Spark's image struct; rows that cannot be used are skipped, the explain stage
 * quarantines them), explains them with the model as loaded, then, inside the same model-owner
 * call, randomises the layers from the output down one at a time (cascading: each step keeps the
 * earlier ones randomised), explains the same images for the same target classes again after each
 * step, and restores the weights (see {@link ParameterRandomisation}). One row per (image, method,
 * layers randomised): the Spearman rank correlation of |map| at model-input resolution, the
 * statistic behind {@code heatmap_similarity}.
 */
public final class SanityPartition implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final ExplainSettings settings;

  SanityPartition(ExplainSettings settings) {
    this.settings = settings;
  }

  /**
   * What the model owner computes: per cascade step, the randomised layer and every image's maps.
   */
  record Cascade(
      List<ImageExplanation> original,
      List<String> layers,
      List<List<ImageExplanation>> randomised) {}

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    ImageLoader loader = settings.imageLoader();
    List<LoadedImage> loaded = new ArrayList<>();
    while (input.hasNext()) {
      loader.load(ImageRow.of(input.next())).ifPresent(loaded::add);
    }
    if (loaded.isEmpty()) {
      return List.<Row>of().iterator();
    }
    List<float[]> images = loaded.stream().map(i -> i.image().chw()).toList();
    List<String> ids = loaded.stream().map(LoadedImage::imageId).toList();
    // Without --evaluate: the sanity check compares maps only.
    BatchExplainer explainer = new BatchExplainer(settings.explain().withoutEvaluation());
    TaskModel model = TaskModel.acquire(settings, explainer, m -> {});
    model.gate(images);
    int depth = settings.explain().evaluate().sanityLayers();
    long seed = settings.explain().methodOptions().get(Seeds.SEED);
    Cascade cascade = model.call(m -> cascade(m, explainer, images, ids, depth, seed));
    List<Row> rows = new ArrayList<>();
    for (int step = 0; step < cascade.layers().size(); step++) {
      for (int i = 0; i < images.size(); i++) {
        ImageExplanation before = cascade.original().get(i);
        ImageExplanation after = cascade.randomised().get(step).get(i);
        for (Map.Entry<String, float[]> e : before.maps().entrySet()) {
          double rho = RankCorrelation.spearman(e.getValue(), after.maps().get(e.getKey()));
          rows.add(
              RowFactory.create(
                  ids.get(i),
                  loaded.get(i).row().path(),
                  e.getKey(),
                  before.target(),
                  step + 1,
                  cascade.layers().get(step),
                  Double.isNaN(rho) ? null : rho,
                  settings.runId()));
        }
      }
    }
    return rows.iterator();
  }

  /**
   * Runs on the model owner thread: the original maps, then one set per cascade step; weights
   * restored.
   */
  static Cascade cascade(
      TorchModel model,
      BatchExplainer explainer,
      List<float[]> images,
      List<String> ids,
      int depth,
      long seed) {
    int[] predicted = new int[images.size()];
    java.util.Arrays.fill(predicted, BatchExplainer.PREDICTED);
    List<ImageExplanation> original = explainer.explain(model, images, predicted, ids);
    // The randomised model explains the class the trained model predicted, so that the maps
    // compare.
    int[] targets = original.stream().mapToInt(ImageExplanation::target).toArray();
    return ParameterRandomisation.run(
        model,
        r -> {
          List<String> all = r.layersFromOutput();
          List<String> layers = all.subList(0, Math.min(depth, all.size()));
          List<List<ImageExplanation>> randomised = new ArrayList<>();
          for (int step = 0; step < layers.size(); step++) {
            r.randomise(layers.get(step), seed + step);
            randomised.add(explainer.explain(model, images, targets, ids));
          }
          return new Cascade(original, List.copyOf(layers), randomised);
        });
  }
}
