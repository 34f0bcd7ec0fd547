#!/usr/bin/env bash
# Scoring benchmarks and held-out evaluations; figures go to stdout (copy them into RESULTS.md).
# usage: bench/scoring/run.sh [smes=100000] [demands=5000]
#   1. scoring-bench: the sample expo rescored end to end through the store (5 runs), then the synthetic national pool:
#      top-50 demands per SME in memory (inverted index, 2 threads) beside the all-pairs reference on a sample of SMEs.
#   2. evaluate / fit-weights: replays of the sample history (NDCG@10 etc. beside popularity, content-only, CF-only).
#   3. sbir-eval: the same on SBIR awards held out by year (../shared/data/us-sbir-awards).
# The machine is shared: the bench prints the load average and CPU seconds beside wall times.
set -euo pipefail
cd "$(dirname "$0")/../.."
SMES=${1:-100000}
DEMANDS=${2:-5000}
W=tools/Matchmaker.Tools/bin/Release/net10.0/Matchmaker.Tools
dotnet build -c Release tools/Matchmaker.Tools >/dev/null
"$W" scoring-bench --smes "$SMES" --demands "$DEMANDS" --k 50 --threads 2 --naive-sample 500 --seed 2026 --expo-runs 5
"$W" evaluate --events past-2023,past-2024,past-2025 --k 10
"$W" fit-weights --fit past-2023,past-2024 --held-out past-2025 --candidates 300 --seed 1 --k 10
"$W" sbir-eval --held-out-year 2017 --k 10 --candidates 200
