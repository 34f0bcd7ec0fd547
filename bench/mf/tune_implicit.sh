#!/usr/bin/env bash
# Grid search of the implicit ALS settings on the tuning split (tr90 -> va10) of the Online Retail train file only.
# usage: bench/mf/tune_implicit.sh  (after: dotnet build -c Release tools/Matchmaker.Tools)
set -euo pipefail
cd "$(dirname "$0")/../.."
W=tools/Matchmaker.Tools/bin/Release/net10.0/Matchmaker.Tools
T=${TUNE_DIR:-${TMPDIR:-/tmp}/mfdata/retail-tune}
# the shared data folder beside the repository
SHARED=${SHARED_DIR:-../shared}
[ -f "$T/tr90.txt" ] || /usr/bin/python3 bench/mf/tuning_split.py "$SHARED/data/uci-online-retail/split/train.txt" "$T"
for k in ${FACTORS:-64}; do for a in ${ALPHAS:-1 2 4 8}; do for l in ${LAMBDAS:-2 5 10 20 40}; do
  j=$("$W" mf-bench --mode implicit --train "$T/tr90.txt" --test "$T/va10.txt" --factors "$k" --alpha "$a" --lambda "$l" | tail -1)
  echo "k=$k alpha=$a lambda=$l $j"
done; done; done
