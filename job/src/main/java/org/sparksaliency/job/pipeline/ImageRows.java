package org.sparksaliency.job.pipeline;

/**
 * Columns the explain stage reads from its input rows. {@code content} is optional: without it, the stage
 * reads each file from {@code path} itself (so files too large to hold are never read).
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

  private ImageRows() {}
}
