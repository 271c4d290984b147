#!/usr/bin/env bash
# Runs spark-saliency as a step on a running EMR (on EC2) cluster with GPU core nodes.
#
#   CLUSTER_ID=j-XXXXXXXXXXXXX deploy/emr/add-steps.sh                             # EMR 8 (Spark 4.0)
#   CLUSTER_ID=j-XXXXXXXXXXXXX STEPS=step-gpu-emr7.json deploy/emr/add-steps.sh    # EMR 7 (Spark 3.5)
#
# The jar must match the release's Spark: EMR 8 (emr-spark-8.0.0: Spark 4.0, Scala 2.13, JDK 17) runs
# saliency-job-<version>-spark4.0_2.13-gpu.jar (mvn -Pgpu -DskipTests package), step-gpu.json;
# EMR 7.x (Spark 3.5, Scala 2.12) runs saliency-job-<version>-spark3.5_2.12-gpu.jar
# (mvn -Pspark-3.5,gpu -DskipTests package), step-gpu-emr7.json.
# Before: copy the jar to the URI in the steps file, and edit its --input/--model/--output. The cluster needs
# GPU core nodes, YARN GPU scheduling and libtorch 2.7.1 (CUDA 12.8) at /opt/libtorch/lib on every node, e.g.:
#
#   aws emr create-cluster --name spark-saliency-gpu --release-label emr-spark-8.0.0 --applications Name=Spark \
#     --instance-groups InstanceGroupType=MASTER,InstanceCount=1,InstanceType=m5.xlarge \
#                       InstanceGroupType=CORE,InstanceCount=2,InstanceType=g5.2xlarge \
#     --configurations file://deploy/emr/configurations-gpu.json \
#     --bootstrap-actions Path=s3://my-bucket/bootstrap/install-libtorch.sh,Name=libtorch,Args=[/opt/libtorch] \
#     --use-default-roles --log-uri s3://my-bucket/emr-logs/
#
# (--release-label emr-7.5.0 or later 7.x for the Spark 3.5 jar.) GPU instance types: g4dn (T4), g5 (A10G),
# g6 (L4), p3 (V100). Keep EMR's committer (the EMRFS S3-optimized committer, used for s3:// paths): do not
# apply conf/spark-s3a.conf on EMR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
steps="${STEPS:-step-gpu.json}"
aws emr add-steps --cluster-id "${CLUSTER_ID:?set CLUSTER_ID to the EMR cluster id}" --steps "file://$here/$steps"
