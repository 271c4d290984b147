#!/usr/bin/env bash
# Submits spark-saliency to Kubernetes in cluster mode, with the jar inside the image
# (deploy/kubernetes/Dockerfile). Needs a service account that may create pods (here: spark).
#
#   K8S_API=https://kube-api.example.com:6443 IMAGE=registry.example.com/spark-saliency:0.1.0 \
#   INPUT=s3a://bucket/images MODEL=s3a://bucket/models/resnet50.pt OUTPUT=s3a://bucket/saliency \
#     deploy/spark-submit-k8s.sh [more job options]
#
# SALIENCY_GPU=1 adds conf/spark-gpu.conf and asks Kubernetes for nvidia.com/gpu (NVIDIA device plugin).
# SALIENCY_SPARK_LINE=3.5 for an image built on a Spark 3.5 base with the -Pspark-3.5 jar (default 4.0).
# Credentials: from the pod's identity (IRSA / workload identity) or the AWS provider chain, never here.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/deploy/spark-conf.sh"
classifier="$(jar_classifier)"
CONF_ARGS=()
job_conf_args
conf_args "$here/conf/spark-s3a.conf"
if [[ "${SALIENCY_GPU:-0}" == 1 ]]; then
  conf_args "$here/conf/spark-gpu.conf"
  CONF_ARGS+=(--conf spark.executor.resource.gpu.vendor=nvidia.com)
fi
version="${SALIENCY_VERSION:-0.1.0-SNAPSHOT}"
exec spark-submit \
  --master "k8s://${K8S_API:?set K8S_API to the Kubernetes API server URL}" \
  --deploy-mode cluster \
  --name spark-saliency \
  --class org.sparksaliency.job.cli.SaliencyCli \
  --conf spark.kubernetes.container.image="${IMAGE:?set IMAGE to the spark-saliency image}" \
  --conf spark.kubernetes.namespace="${NAMESPACE:-spark-jobs}" \
  --conf spark.kubernetes.authenticate.driver.serviceAccountName=spark \
  --conf spark.executor.instances="${EXECUTORS:-2}" \
  "${CONF_ARGS[@]}" \
  "local:///opt/spark-saliency/saliency-job-$version-$classifier.jar" run \
  --input "${INPUT:?set INPUT to the images folder URI}" \
  --model "${MODEL:?set MODEL to the TorchScript file URI}" \
  --output "${OUTPUT:?set OUTPUT to the output folder URI}" \
  "$@"
