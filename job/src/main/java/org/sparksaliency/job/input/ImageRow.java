package org.sparksaliency.job.input;

import java.util.Collection;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.sparksaliency.job.summary.Box;
import scala.Option;

/**
 * One input row of the stages that run the model, read by the column names of {@link ImageRows}.
 * Only {@code path} is required; an optional column that the Dataset lacks reads like a null value.
 */
public final class ImageRow {
  private final Row row;

  private ImageRow(Row row) {
    this.row = row;
  }

  public static ImageRow of(Row row) {
    return new ImageRow(row);
  }

  public String path() {
    return row.getString(row.fieldIndex(ImageRows.PATH));
  }

  /**
   * The size the listing gives ({@code length}), else the size of {@code content}; -1 when neither
   * is known.
   */
  public long declaredLength() {
    int li = indexOrMinus(ImageRows.LENGTH);
    if (li >= 0 && !row.isNullAt(li)) {
      return row.getLong(li);
    }
    byte[] content = content();
    return content == null ? -1 : content.length;
  }

  /**
   * The row's bytes (a file, or raw pixels when {@link #hasPixels()}); null when the file at the
   * path holds them.
   */
  public byte[] content() {
    int ci = indexOrMinus(ImageRows.CONTENT);
    return ci >= 0 && !row.isNullAt(ci) ? (byte[]) row.get(ci) : null;
  }

  /** Whether {@link #content()} holds the raw pixels of Spark's image struct rather than a file. */
  public boolean hasPixels() {
    int type = indexOrMinus(ImageRows.PIXEL_TYPE);
    return type >= 0 && !row.isNullAt(type);
  }

  /** The OpenCV type code of the raw pixels; only when {@link #hasPixels()}. */
  public int pixelType() {
    return row.getInt(row.fieldIndex(ImageRows.PIXEL_TYPE));
  }

  public int pixelWidth() {
    return row.getInt(row.fieldIndex(ImageRows.PIXEL_WIDTH));
  }

  public int pixelHeight() {
    return row.getInt(row.fieldIndex(ImageRows.PIXEL_HEIGHT));
  }

  /** The manifest's (or label column's) label, or null. */
  public String label() {
    int li = indexOrMinus(ImageRows.LABEL);
    return li >= 0 && !row.isNullAt(li) ? row.getString(li) : null;
  }

  /** The object's box in pixels of the original image, when all four box columns have a value. */
  public Optional<Box> box() {
    int x0 = indexOrMinus(ImageRows.BOX_X0);
    if (x0 < 0) {
      return Optional.empty();
    }
    int y0 = row.fieldIndex(ImageRows.BOX_Y0);
    int x1 = row.fieldIndex(ImageRows.BOX_X1);
    int y1 = row.fieldIndex(ImageRows.BOX_Y1);
    if (row.isNullAt(x0) || row.isNullAt(y0) || row.isNullAt(x1) || row.isNullAt(y1)) {
      return Optional.empty();
    }
    return Optional.of(
        new Box(row.getDouble(x0), row.getDouble(y0), row.getDouble(x1), row.getDouble(y1)));
  }

  /**
   * {@code --incremental}: those of {@code methods} whose heatmap of this path from an earlier run
   * was computed from these very bytes ({@code imageId}), and is kept instead of computed again.
   */
  public Set<String> keptMethods(String imageId, Collection<String> methods) {
    int ii = indexOrMinus(ImageRows.DONE_IMAGE_ID);
    if (ii < 0 || row.isNullAt(ii) || !imageId.equals(row.getString(ii))) {
      return Set.of();
    }
    Set<String> kept = new HashSet<>(row.<String>getList(row.fieldIndex(ImageRows.DONE_METHODS)));
    kept.retainAll(methods);
    return kept;
  }

  /**
   * The column's index, or -1 when the Dataset lacks it. Asked of the schema, not through {@link
   * Row#fieldIndex}, whose failure builds an exception with a message from Spark's error catalogue
   * for every image (~3 % of the task threads' CPU samples on a near-free model).
   */
  private int indexOrMinus(String name) {
    StructType schema = row.schema();
    if (schema == null) {
      return row.fieldIndex(name);
    }
    Option<Object> index = schema.getFieldIndex(name);
    return index.isDefined() ? (Integer) index.get() : -1;
  }
}
