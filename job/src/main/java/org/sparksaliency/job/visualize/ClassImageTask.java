package org.sparksaliency.job.visualize;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.model.DeviceSelector;
import org.sparksaliency.job.model.ExecutorModels;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.model.ModelOwner;
import org.sparksaliency.job.model.ModelSpec;

/**
 * A Spark task that optimises the class image of each class index in its partition (one, as the job
 * plans it) through the executor's model owner, writes it as a PNG and returns a row of the {@code
 * class_images} table. Each step is its own owner call, so classes of concurrent tasks take turns
 * on the model.
 */
final class ClassImageTask implements FlatMapFunction<Iterator<Integer>, Row> {
  private static final long serialVersionUID = 1L;

  static final StructType SCHEMA =
      new StructType()
          .add("target_class", "int", false)
          .add("target_name", "string", true)
          .add("steps", "int", false)
          .add("initial_logit", "float", false)
          .add("final_logit", "float", false)
          .add("logit_trace", DataTypes.createArrayType(DataTypes.FloatType, false), false)
          .add("image_size", "int", false)
          .add("png", "string", false)
          .add("seed", "long", false)
          .add("model_id", "string", false)
          .add("run_id", "string", false)
          .add("created_at", "timestamp", false);

  /** What every task needs. */
  record Plan(
      ModelSpec model,
      AscentSettings ascent,
      List<String> labels,
      String pngDir,
      String runId,
      long createdAtMillis,
      HadoopConf hadoopConf)
      implements Serializable {}

  private final Plan plan;

  ClassImageTask(Plan plan) {
    this.plan = plan;
  }

  @Override
  public Iterator<Row> call(Iterator<Integer> classes) throws IOException {
    List<Row> out = new ArrayList<>();
    if (!classes.hasNext()) {
      return out.iterator();
    }
    int size = plan.ascent().imageSize();
    ModelOwner owner =
        ExecutorModels.acquire(
            plan.model(),
            DeviceSelector.forCurrentTask(),
            m -> InputGradient.at(m, new float[3 * size * size], size, 0));
    ClassImageAscent ascent = new ClassImageAscent(plan.ascent());
    while (classes.hasNext()) {
      int target = classes.next();
      TargetGradient model =
          new TargetGradient() {
            @Override
            public Step at(float[] image) {
              return owner.call(m -> InputGradient.at(m, image, size, target));
            }

            @Override
            public float logit(float[] image) {
              return owner.call(m -> InputGradient.logit(m, image, size, target));
            }
          };
      ClassImageAscent.Result r = ascent.run(target, model);
      String name = target < plan.labels().size() ? plan.labels().get(target) : null;
      String png = writePng(r.image(), target, name);
      out.add(
          RowFactory.create(
              target,
              name,
              plan.ascent().steps(),
              r.initialLogit(),
              r.finalLogit(),
              boxed(r.trace()),
              size,
              png,
              plan.ascent().seed() + target,
              plan.model().sha256(),
              plan.runId(),
              new Timestamp(plan.createdAtMillis())));
    }
    return out.iterator();
  }

  /** class_&lt;index&gt;[_&lt;name&gt;].png under the PNG folder; returns its URI. */
  private String writePng(float[] image, int target, String name) throws IOException {
    int size = plan.ascent().imageSize();
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    img.setRGB(
        0,
        0,
        size,
        size,
        ImageOps.toRgb(image, size, plan.ascent().mean(), plan.ascent().std()),
        0,
        size);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(img, "png", bytes);
    String file =
        String.format(
            Locale.ROOT,
            "class_%03d%s.png",
            target,
            name == null ? "" : "_" + name.replaceAll("[^A-Za-z0-9._-]", "_"));
    Path p = new Path(plan.pngDir(), file);
    // A retried task writes the same bytes again: the seed fixes the image.
    try (OutputStream os = p.getFileSystem(plan.hadoopConf().get()).create(p, true)) {
      bytes.writeTo(os);
    }
    return p.toString();
  }

  private static scala.collection.Seq<Float> boxed(float[] a) {
    List<Float> out = new ArrayList<>(a.length);
    for (float v : a) {
      out.add(v);
    }
    return scala.collection.JavaConverters.asScalaBuffer(out).toSeq();
  }
}
