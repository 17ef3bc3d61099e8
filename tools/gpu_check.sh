#!/usr/bin/env bash
# The GPU checks in one go, on a machine with an NVIDIA GPU and this package's requirements:
#     bash tools/gpu_check.sh [OUT_DIR]
# 1. the CUDA device tests (marker `cuda`: upstream's references and our CPU output on the GPU);
# 2. benchmarks/gpu_speed.py (XTTS v2 and VITS speed on the GPU, ours only).
# Writes logs, a JUnit report and the benchmark's JSON to OUT_DIR; exits non-zero if either fails.
set -u -o pipefail
out=${1:-/tmp/gpu_check}
mkdir -p "$out"
export PYTHONUNBUFFERED=1
python3 -c "import torch; print('torch', torch.__version__, 'CUDA', torch.version.cuda, torch.cuda.get_device_name())"
status=0
timeout 300 python3 -m pytest -q -m cuda -rfEs -p no:cacheprovider -n 4 --junitxml "$out/cuda_tests.xml" \
    tests/gpu tests/api/test_api_cuda.py tests/vits/test_vits_cuda.py tests/xtts/test_xtts_cuda.py \
    2>&1 | tee "$out/cuda_tests.log" || status=1
timeout 300 python3 benchmarks/gpu_speed.py --runs 2 --out "$out/gpu_speed.json" 2>&1 | tee "$out/gpu_speed.log" || status=1
exit "$status"
