#!/usr/bin/env bash
# Databricks cluster init script (and EMR bootstrap action, with TARGET=/opt/libtorch): installs the
# CUDA 12.8 build of libtorch 2.7.1 that the gpu jar (mvn -Pgpu) loads through PYTORCH_LIBRARY_PATH,
# from PyTorch's wheel (its lib/ folder is libtorch). Runs once per node at start-up, so executors never
# download anything at run time. Not run here (no GPU, no network): check it on your platform.
set -euo pipefail
target="${TARGET:-/local_disk0/libtorch}"
python3 -m pip install --quiet --target "$target/wheel" "torch==2.7.1" --index-url https://download.pytorch.org/whl/cu128
ln -sfn "$target/wheel/torch/lib" "$target/lib"
