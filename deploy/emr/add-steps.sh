#!/usr/bin/env bash
# Runs spark-saliency as a step on a running EMR (on EC2) cluster with GPU core nodes.
#
#   CLUSTER_ID=j-XXXXXXXXXXXXX deploy/emr/add-steps.sh
#
# Before: copy job/target/saliency-job-<version>-spark-gpu.jar (mvn -Pgpu -DskipTests package) to the
# jar URI in step-gpu.json, and edit its --input/--model/--output. The cluster needs GPU core nodes,
# YARN GPU scheduling and libtorch 2.7.1 (CUDA 12.8) at /opt/libtorch/lib on every node, e.g.:
#
#   aws emr create-cluster --name spark-saliency-gpu --release-label emr-7.5.0 --applications Name=Spark \
#     --instance-groups InstanceGroupType=MASTER,InstanceCount=1,InstanceType=m5.xlarge \
#                       InstanceGroupType=CORE,InstanceCount=2,InstanceType=g4dn.2xlarge \
#     --configurations file://deploy/emr/configurations-gpu.json \
#     --bootstrap-actions Path=s3://my-bucket/bootstrap/install-libtorch.sh,Name=libtorch \
#     --use-default-roles --log-uri s3://my-bucket/emr-logs/
#
# GPU instance types: g4dn (T4), g5 (A10G), g6 (L4), p3 (V100). Keep EMR's committer (the EMRFS S3-optimized
# committer, used for s3:// paths): do not apply conf/spark-s3a.conf on EMR.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
aws emr add-steps --cluster-id "${CLUSTER_ID:?set CLUSTER_ID to the EMR cluster id}" --steps "file://$here/step-gpu.json"
