#!/usr/bin/env bash
# Submit spark-saliency to a cluster with spark-submit. Build the jar first: mvn -B -DskipTests package
# Usage: deploy/spark-submit.sh --master yarn --input s3a://bucket/images --model s3a://bucket/model.pt --output s3a://bucket/out
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$(ls "$here"/job/target/saliency-job-*-spark.jar | head -n 1)"
master="${SPARK_MASTER:-yarn}"
exec spark-submit \
  --master "$master" \
  --deploy-mode cluster \
  --class org.sparksaliency.job.cli.SaliencyCli \
  --conf spark.executor.cores=4 \
  --conf spark.task.cpus=1 \
  --conf spark.executor.memory=8g \
  --conf spark.executor.memoryOverhead=4g \
  --conf spark.executor.extraJavaOptions=-Dai.djl.offline=true \
  --conf spark.driver.extraJavaOptions=-Dai.djl.offline=true \
  --conf spark.sql.parquet.outputTimestampType=TIMESTAMP_MICROS \
  "$jar" run "$@"
