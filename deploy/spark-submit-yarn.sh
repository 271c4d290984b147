#!/usr/bin/env bash
# Submits spark-saliency to YARN in cluster mode. Build the jar first: mvn -B -DskipTests package
#
#   INPUT=s3a://bucket/images MODEL=s3a://bucket/models/resnet50.pt OUTPUT=s3a://bucket/saliency \
#     deploy/spark-submit-yarn.sh [more job options, e.g. --labels s3a://bucket/labels.txt --run-id nightly-1]
#
# SALIENCY_GPU=1 adds conf/spark-gpu.conf (build with -Pgpu; see docs/deploy.md "GPU clusters").
# SALIENCY_SPARK_LINE=3.5 submits the Spark 3.5 / Scala 2.12 jar (built with -Pspark-3.5) to a Spark 3.5 cluster;
# the default, 4.0, the Spark 4.0 / Scala 2.13 jar.
# SALIENCY_JAR overrides the jar (default: the one of that line under job/target).
# Credentials: none here. S3A takes them from the Hadoop/AWS provider chain (instance role, environment,
# profile or fs.s3a.* settings in the cluster's core-site.xml).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$here/deploy/spark-conf.sh"
classifier="$(jar_classifier)"
CONF_ARGS=()
job_conf_args
conf_args "$here/conf/spark-s3a.conf"
if [[ "${SALIENCY_GPU:-0}" == 1 ]]; then
  conf_args "$here/conf/spark-gpu.conf"
fi
jar="${SALIENCY_JAR:-$(ls "$here"/job/target/saliency-job-*-"$classifier".jar | head -n 1)}"
exec spark-submit \
  --master yarn \
  --deploy-mode cluster \
  --name spark-saliency \
  --class org.sparksaliency.job.cli.SaliencyCli \
  "${CONF_ARGS[@]}" \
  "$jar" run \
  --input "${INPUT:?set INPUT to the images folder URI}" \
  --model "${MODEL:?set MODEL to the TorchScript file URI}" \
  --output "${OUTPUT:?set OUTPUT to the output folder URI}" \
  "$@"
