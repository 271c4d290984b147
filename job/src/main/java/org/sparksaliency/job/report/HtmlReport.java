package org.sparksaliency.job.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sparksaliency.job.config.ReportConfig;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.job.output.OutputWriter;
import org.sparksaliency.job.report.ReportPage.ClassSection;
import org.sparksaliency.job.report.ReportPage.MethodRow;
import org.sparksaliency.job.report.ReportPage.Picture;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapImages;

/**
 * {@code --report}: a self-contained HTML page of one run, {@code runs/<id>/report/index.html},
 * with its images as PNG files in {@code runs/<id>/report/img/}, built from the run's written
 * tables (see {@link RunTables}).
 *
 * <p>The work is bounded whatever the dataset's size: per-method figures are Spark aggregations;
 * the page shows at most {@code --report-classes} classes, and per (class, method) the mean heatmap
 * from {@code class_stats} and {@code --report-images} top and worst images ({@link
 * ImageSelection}), whose overlays are rendered in a Spark job ({@link OverlayRenderer}) and
 * collected; the run's facts come from run.json ({@link RunFacts}), the tables over the whole run
 * from {@link SummaryTables}. Columns and tables that later features add are shown when present:
 * any {@code class_stats} column and {@code heatmaps} column named {@code deletion_auc} or {@code
 * insertion_auc} (or containing those names), and the {@code sanity_verdicts} table.
 */
public final class HtmlReport {
  /** Longest side of an overlay thumbnail, in pixels. */
  static final int THUMBNAIL = 128;

  private static final int MEAN_SIZE = 112;

  private HtmlReport() {}

  /** Where the report's page is for the run of {@code writer}. */
  public static String index(OutputWriter writer) {
    return folder(writer) + "/index.html";
  }

  static String folder(OutputWriter writer) {
    return writer.reportFolder() + "/report";
  }

  /**
   * Builds the report of the run of {@code writer} from its written tables, replacing an earlier
   * one.
   */
  public static void write(SparkSession spark, OutputWriter writer, ReportConfig config) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    RunTables tables = new RunTables(spark, writer);
    Optional<Dataset<Row>> heatmaps = tables.heatmaps();
    RunFacts run = RunFacts.read(writer, conf);
    ReportFiles files = ReportFiles.replace(folder(writer), conf);

    ImageSelection.Score score =
        heatmaps.map(ImageSelection::scoreOf).orElse(ImageSelection.Score.TARGET_SCORE);
    List<String> statColumns = new ArrayList<>();
    List<ClassSection> sections = new ArrayList<>();
    long classesTotal = 0;
    // The class sections show the classes as asked for, or the top class under --target top:K.
    Optional<Dataset<Row>> classStats = tables.classStats().map(RunTables::primaryTargets);
    if (heatmaps.isPresent() && classStats.isPresent()) {
      List<Row> perClass =
          classStats
              .get()
              .groupBy(col("target_class"))
              .agg(max(col("n_images")).as("n"))
              .collectAsList();
      classesTotal = perClass.size();
      List<Integer> shown =
          perClass.stream()
              .sorted(
                  Comparator.<Row>comparingLong(r -> -r.getLong(1))
                      .thenComparingInt(r -> r.getInt(0)))
              .limit(config.maxClasses())
              .map(r -> r.getInt(0))
              .sorted()
              .toList();
      statColumns = classStatColumns(classStats.get());
      Map<String, List<Picture>> overlays =
          overlays(spark, RunTables.primaryTargets(heatmaps.get()), shown, score, config, files);
      sections =
          sections(
              classStats.get(), shown, statColumns, overlays, run.methodOrder(), config, files);
    }
    ReportPage.Content content =
        new ReportPage.Content(
            writer.runId(),
            run.facts(),
            score.description,
            config.imagesPerClass(),
            config.colormap().name().toLowerCase(Locale.ROOT),
            SummaryTables.methods(heatmaps, run.methodOrder()),
            tables.sanityCheck().map(SummaryTables::sanity),
            Plots.of(tables, run.methodOrder()),
            statColumns.stream().map(HtmlReport::header).toList(),
            sections,
            classesTotal,
            SummaryTables.quarantine(tables.quarantine()));
    files.write(
        "index.html",
        ReportPage.render(content)); // last: a report without index.html is incomplete
  }

  private static List<String> classStatColumns(Dataset<Row> classStats) {
    List<String> out = new ArrayList<>();
    for (String c :
        List.of(
            "n_images", "mean_score", "label_agreement", "pointing_accuracy", "mean_box_mass")) {
      if (RunTables.hasColumn(classStats, c)) {
        out.add(c);
      }
    }
    for (String c : classStats.columns()) {
      if (SummaryTables.AUC.stream().anyMatch(c::contains) && RunTables.hasValues(classStats, c)) {
        out.add(c);
      }
    }
    return out;
  }

  private static String header(String column) {
    return switch (column) {
      case "n_images" -> "images";
      case "mean_score" -> "mean target probability";
      default -> column.replace('_', ' ');
    };
  }

  /**
   * Renders the selected images' overlays, writes them, and returns them by (method, class, kind).
   */
  private static Map<String, List<Picture>> overlays(
      SparkSession spark,
      Dataset<Row> heatmaps,
      List<Integer> classes,
      ImageSelection.Score score,
      ReportConfig config,
      ReportFiles files) {
    Dataset<Row> selected =
        ImageSelection.select(heatmaps, classes, score, config.imagesPerClass());
    OverlayRenderer renderer =
        new OverlayRenderer(
            THUMBNAIL,
            config.colormap(),
            new HadoopConf(spark.sparkContext().hadoopConfiguration()));
    List<Row> rendered =
        selected
            .repartition(Math.max(1, spark.sparkContext().defaultParallelism()))
            .map(renderer, Encoders.row(OverlayRenderer.SCHEMA))
            .collectAsList();
    Map<String, List<Row>> grouped = new LinkedHashMap<>();
    rendered.stream()
        .sorted(Comparator.comparingInt(r -> r.<Integer>getAs(ImageSelection.RANK)))
        .forEach(
            r ->
                grouped
                    .computeIfAbsent(
                        key(
                            r.getAs("method"),
                            r.getAs("target_class"),
                            r.getAs(ImageSelection.KIND)),
                        k -> new ArrayList<>())
                    .add(r));
    Map<String, List<Picture>> out = new LinkedHashMap<>();
    grouped.forEach(
        (k, rows) -> {
          List<Picture> pictures = new ArrayList<>();
          for (Row r : rows) {
            pictures.add(picture(r, score, files));
          }
          out.put(k, pictures);
        });
    return out;
  }

  private static Picture picture(Row r, ImageSelection.Score score, ReportFiles files) {
    String path = r.getAs("path");
    String name = path.substring(path.lastIndexOf('/') + 1);
    String label = r.getAs("label");
    String caption =
        String.format(
            Locale.ROOT,
            "%s · %s %.3f%s",
            name,
            score.column,
            r.<Double>getAs(ImageSelection.SCORE),
            label == null ? "" : " · label " + label);
    byte[] png = r.getAs("png");
    if (png == null) {
      return new Picture(null, 0, 0, caption, r.getAs("error"));
    }
    String src =
        String.format(
            "img/%s-%d-%s%d.png",
            safe(r.getAs("method")),
            r.<Integer>getAs("target_class"),
            r.<String>getAs(ImageSelection.KIND),
            r.<Integer>getAs(ImageSelection.RANK));
    files.write(src, png);
    int w = r.getAs("width");
    int h = r.getAs("height");
    // The PNG is the square model input; its display size gives back the image's aspect ratio.
    int dw = w >= h ? THUMBNAIL : Math.max(1, Math.round((float) THUMBNAIL * w / h));
    int dh = h >= w ? THUMBNAIL : Math.max(1, Math.round((float) THUMBNAIL * h / w));
    return new Picture(src, dw, dh, caption, null);
  }

  private static List<ClassSection> sections(
      Dataset<Row> classStats,
      List<Integer> classes,
      List<String> statColumns,
      Map<String, List<Picture>> overlays,
      List<String> methodOrder,
      ReportConfig config,
      ReportFiles files) {
    List<Row> rows =
        classStats.filter(col("target_class").isin(classes.toArray())).collectAsList().stream()
            .sorted(
                Comparator.comparingInt((Row r) -> r.<Integer>getAs("target_class"))
                    .thenComparingInt(r -> RunFacts.rank(methodOrder, r.getAs("method")))
                    .thenComparing(r -> r.<String>getAs("method")))
            .toList();
    Map<Integer, ClassSection> byClass = new LinkedHashMap<>();
    for (Row r : rows) {
      int cls = r.getAs("target_class");
      String method = r.getAs("method");
      List<String> stats = new ArrayList<>();
      for (String c : statColumns) {
        stats.add(Html.value(r.getAs(c)));
      }
      MethodRow row =
          new MethodRow(
              method,
              stats,
              meanHeatmap(r, config, files),
              overlays.getOrDefault(key(method, cls, "top"), List.of()),
              overlays.getOrDefault(key(method, cls, "worst"), List.of()));
      byClass
          .computeIfAbsent(cls, k -> new ClassSection(k, r.getAs("target_name"), new ArrayList<>()))
          .rows()
          .add(row);
    }
    return new ArrayList<>(byClass.values());
  }

  private static Picture meanHeatmap(Row r, ReportConfig config, ReportFiles files) {
    if (r.isNullAt(r.fieldIndex("mean_heatmap"))) {
      return null;
    }
    int h = r.getAs("heatmap_height");
    int w = r.getAs("heatmap_width");
    EncodedHeatmap mean =
        new EncodedHeatmap(
            h,
            w,
            r.<Float>getAs("mean_heatmap_min"),
            r.<Float>getAs("mean_heatmap_max"),
            r.getAs("mean_heatmap"));
    String src =
        String.format(
            "img/mean-%s-%d.png", safe(r.getAs("method")), r.<Integer>getAs("target_class"));
    files.write(src, HeatmapImages.png(mean, config.colormap()));
    int dw = w >= h ? MEAN_SIZE : Math.max(1, MEAN_SIZE * w / h);
    int dh = h >= w ? MEAN_SIZE : Math.max(1, MEAN_SIZE * h / w);
    return new Picture(src, dw, dh, "", null);
  }

  private static String key(String method, int targetClass, String kind) {
    return method + "\u0000" + targetClass + "\u0000" + kind;
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
