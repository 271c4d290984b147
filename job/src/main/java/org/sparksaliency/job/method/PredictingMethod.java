package org.sparksaliency.job.method;

/**
 * A method with one sample per image, the image itself, whose probe computes the model's logits of
 * that image (through {@code forward}, or {@code head(features(x))}, equal by the model contract)
 * before it needs the targets. {@link BatchExplainer} takes the batch's prediction from the first
 * such method's pass instead of a separate forward pass: its plan is a {@link
 * OneSamplePlan#predicting} plan and its probe resolves targets of {@link BatchExplainer#PREDICTED}
 * from its own logits ({@link TargetLogits#sum}). For {@code gradcam} alone that halves the model
 * work, for {@code gradient} it saves about a third.
 */
interface PredictingMethod extends SaliencyMethod {}
