package org.sparksaliency.job.method;

import java.util.List;

/**
 * The batch a method plans its samples for.
 *
 * @param images normalised CHW images, each 3 × imageSize × imageSize
 * @param targets the class to explain for each image
 * @param imageIds per image, the id that seeds its random draws (sha-256 of the file in the job)
 * @param mean per-channel mean used to normalise the images
 * @param std per-channel standard deviation used to normalise the images
 */
public record ExplainBatch(
    List<float[]> images,
    int[] targets,
    List<String> imageIds,
    int imageSize,
    float[] mean,
    float[] std,
    MethodOptions options) {

  public ExplainBatch {
    images = List.copyOf(images);
    targets = targets.clone();
    imageIds = List.copyOf(imageIds);
    mean = mean.clone();
    std = std.clone();
    if (targets.length != images.size() || imageIds.size() != images.size()) {
      throw new IllegalArgumentException(
          String.format(
              "Cannot plan a batch of %d images with %d targets and %d ids",
              images.size(), targets.length, imageIds.size()));
    }
  }

  @Override
  public float[] mean() {
    return mean.clone();
  }

  @Override
  public float[] std() {
    return std.clone();
  }

  @Override
  public int[] targets() {
    return targets.clone();
  }

  public int size() {
    return images.size();
  }

  public float[] image(int i) {
    return images.get(i);
  }

  public int target(int i) {
    return targets[i];
  }

  public String imageId(int i) {
    return imageIds.get(i);
  }

  /** Pixels per channel. */
  public int plane() {
    return imageSize * imageSize;
  }
}
