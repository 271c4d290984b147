#!/usr/bin/env bash
# Databricks cluster init script (DBR 17.3 LTS and 16.4 LTS GPU ML runtimes) and EMR bootstrap action (EMR 8
# and 7, with the argument /opt/libtorch): installs the CUDA 12.8 build of libtorch 2.7.1 that the gpu jars
# (mvn -Pgpu, either Spark line) load through PYTORCH_LIBRARY_PATH with PYTORCH_FLAVOR=cu128: DJL 0.36.0's
# pytorch-jni 2.7.1-0.36.0 carries JNI glue for cpu and cu128 only, and no CUDA build of libtorch 2.7.1 is
# published to Maven Central (pytorch-native-cu124 stops at 2.5.1; cu126 and cu128 are not there), so it comes
# from PyTorch's wheel (its lib/ folder is libtorch; the nvidia-* wheels beside it hold cuDNN, cuBLAS, NCCL).
# The nodes need an NVIDIA driver for CUDA 12.8 (R570 or later).
#
# Runs once per node at start-up, so executors never download anything at run time. Offline clusters: on a
# machine with network, `pip download torch==2.7.1 --index-url https://download.pytorch.org/whl/cu128 -d wheels`
# (Linux x86_64, the cluster's Python), copy wheels/ to storage the nodes can read (a Unity Catalog volume,
# S3 via the bootstrap's aws s3 cp) and set TORCH_WHEELS to that folder: pip then installs from it alone.
# Not run here (no GPU, no network): check it on your platform.
set -euo pipefail
target="${1:-${TARGET:-/local_disk0/libtorch}}"
if [[ -n "${TORCH_WHEELS:-}" ]]; then
  python3 -m pip install --quiet --no-index --find-links "$TORCH_WHEELS" --target "$target/wheel" "torch==2.7.1"
else
  python3 -m pip install --quiet --target "$target/wheel" "torch==2.7.1" --index-url https://download.pytorch.org/whl/cu128
fi
ln -sfn "$target/wheel/torch/lib" "$target/lib"
