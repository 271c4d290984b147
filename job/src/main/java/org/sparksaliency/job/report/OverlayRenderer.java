package org.sparksaliency.job.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.image.DecodeFailure;
import org.sparksaliency.job.image.DecodeResult;
import org.sparksaliency.job.image.DecodedImage;
import org.sparksaliency.job.image.ImageDecoder;
import org.sparksaliency.job.model.HadoopConf;
import org.sparksaliency.udf.Colormap;
import org.sparksaliency.udf.EncodedHeatmap;
import org.sparksaliency.udf.HeatmapImages;

/**
 * Renders one selected heatmap over its image as a PNG thumbnail, in a Spark task (the images are
 * read where the executors can reach them). The whole image is decoded by the job's own {@link
 * ImageDecoder} and squashed to {@code size × size} with mean 0 and std 1 (EXIF orientation
 * applied, in [0, 1]): the stored grid spans the whole image in both {@code --resize} modes, so the
 * two line up; with {@code crop} the border the model never saw shows as zero saliency. The heatmap
 * is blended on with {@link HeatmapImages#overlay(BufferedImage, EncodedHeatmap, double,
 * Colormap)}. A file that cannot be read or decoded any more gives a row with an error instead of a
 * PNG.
 */
final class OverlayRenderer implements MapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;
  static final double ALPHA = 0.5;
  private static final int MAX_READ_BYTES = Integer.MAX_VALUE - 8;

  /**
   * The input's key columns, then the PNG (null on failure) and why it failed (null on success).
   */
  static final StructType SCHEMA =
      new StructType()
          .add("method", DataTypes.StringType)
          .add("target_class", DataTypes.IntegerType)
          .add(ImageSelection.KIND, DataTypes.StringType)
          .add(ImageSelection.RANK, DataTypes.IntegerType)
          .add("path", DataTypes.StringType)
          .add("label", DataTypes.StringType)
          .add(ImageSelection.SCORE, DataTypes.DoubleType)
          .add("width", DataTypes.IntegerType)
          .add("height", DataTypes.IntegerType)
          .add("png", DataTypes.BinaryType)
          .add("error", DataTypes.StringType);

  private final int size;
  private final Colormap colormap;
  private final HadoopConf hadoop;

  OverlayRenderer(int size, Colormap colormap, HadoopConf hadoop) {
    this.size = size;
    this.colormap = colormap;
    this.hadoop = hadoop;
  }

  @Override
  public Row call(Row r) {
    byte[] png = null;
    String error = null;
    try {
      png = render(r);
    } catch (IOException | RuntimeException e) {
      error = "cannot read " + r.getAs("path") + ": " + e.getMessage();
    }
    return RowFactory.create(
        r.getAs("method"),
        r.getAs("target_class"),
        r.getAs(ImageSelection.KIND),
        r.getAs(ImageSelection.RANK),
        r.getAs("path"),
        r.getAs("label"),
        r.getAs(ImageSelection.SCORE),
        r.getAs("width"),
        r.getAs("height"),
        png,
        error);
  }

  private byte[] render(Row r) throws IOException {
    ImageDecoder decoder =
        new ImageDecoder(size, new float[] {0, 0, 0}, new float[] {1, 1, 1}, Long.MAX_VALUE);
    DecodeResult decoded = decoder.decode(read(r.getAs("path")));
    if (decoded instanceof DecodeFailure f) {
      throw new IllegalArgumentException(f.message());
    }
    EncodedHeatmap heatmap =
        new EncodedHeatmap(
            r.<Integer>getAs("heatmap_height"),
            r.<Integer>getAs("heatmap_width"),
            r.<Float>getAs("heatmap_min"),
            r.<Float>getAs("heatmap_max"),
            r.getAs("heatmap"));
    return HeatmapImages.overlay(toImage(((DecodedImage) decoded).chw()), heatmap, ALPHA, colormap);
  }

  private byte[] read(String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(hadoop.get());
    try (InputStream in = fs.open(p)) {
      return in.readNBytes(MAX_READ_BYTES);
    }
  }

  /** Three planes of [0, 1] values as an RGB image. */
  private BufferedImage toImage(float[] chw) {
    BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    int plane = size * size;
    for (int i = 0; i < plane; i++) {
      out.setRGB(
          i % size,
          i / size,
          channel(chw[i]) << 16 | channel(chw[plane + i]) << 8 | channel(chw[2 * plane + i]));
    }
    return out;
  }

  private static int channel(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255)));
  }
}
