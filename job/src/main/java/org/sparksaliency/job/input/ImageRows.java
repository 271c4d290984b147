package org.sparksaliency.job.input;

/**
 * Columns the stages that run the model (explain, {@code --layer-stats}, {@code --sanity-check})
 * read from their input rows, through {@link ImageRow} and {@link ImageLoader}. {@code content} is
 * optional: without it, the task reads each file from {@code path} itself (so files too large to
 * hold are never read). With {@code pixel_type}, {@code content} holds raw pixels (Spark's image
 * struct) rather than a file: see {@link org.sparksaliency.job.image.ImageDecoder#decodePixels}.
 */
public final class ImageRows {
  public static final String PATH = "path";
  public static final String LENGTH = "length";
  public static final String CONTENT = "content";
  public static final String LABEL = "label";
  public static final String BOX_X0 = "box_x0";
  public static final String BOX_Y0 = "box_y0";
  public static final String BOX_X1 = "box_x1";
  public static final String BOX_Y1 = "box_y1";

  /**
   * OpenCV type code of raw pixels in {@code content}; null or absent when {@code content} is a
   * file.
   */
  public static final String PIXEL_TYPE = "pixel_type";

  public static final String PIXEL_WIDTH = "pixel_width";
  public static final String PIXEL_HEIGHT = "pixel_height";

  /**
   * {@code --incremental}: the image_id of this path's heatmap rows kept from an earlier run (same
   * model, method parameters and label), null when there are none. A file whose bytes still hash to
   * it is not explained again for the methods in {@link #DONE_METHODS}.
   */
  public static final String DONE_IMAGE_ID = "done_image_id";

  /** {@code --incremental}: the methods (array of strings) of those kept rows. */
  public static final String DONE_METHODS = "done_methods";

  private ImageRows() {}
}
