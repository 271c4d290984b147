package org.sparksaliency.job.method;

import java.util.Map;

/**
 * What the model owner returns for one image.
 *
 * @param prediction the model's output
 * @param target the class the maps explain
 * @param maps method name to its map at model-input resolution (imageSize × imageSize, row-major)
 */
public record ImageExplanation(Prediction prediction, int target, Map<String, float[]> maps) {}
