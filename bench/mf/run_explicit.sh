#!/usr/bin/env bash
# Explicit MF: ours (mf-bench) vs LIBMF on seeded synthetic MovieLens-shaped ratings, same split and settings.
# usage: bench/mf/run_explicit.sh [reps=5]
#   LIBMF_TIMETRAIN=<timetrain driver>    optional: a driver that times LIBMF's mf_train call only (see RESULTS.md);
#                                         without it only our figures are printed.
# Runs are interleaved (LIBMF, ours, LIBMF, ...) so machine load hits both alike; the summary gives median and min.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${1:-5}
DATA=${DATA_DIR:-${TMPDIR:-/tmp}/mfdata}
W=tools/Matchmaker.Tools/bin/Release/net10.0/Matchmaker.Tools
[ -x "$W" ] || dotnet build -c Release tools/Matchmaker.Tools >/dev/null
[ -f "$DATA/synth100k/train.txt" ] || /usr/bin/python3 bench/mf/make_synthetic.py 943 1682 100000 "$DATA/synth100k"
[ -f "$DATA/synth1m/train.txt" ] || /usr/bin/python3 bench/mf/make_synthetic.py 6040 3706 1000000 "$DATA/synth1m"
{
for set in "synth100k 8 20 0.1 0.1" "synth100k 64 100 0.05 0.1" "synth1m 8 20 0.1 0.1" "synth1m 64 20 0.05 0.1"; do
  read -r d k it eta lambda <<<"$set"
  for t in 1 2; do
    for r in $(seq "$REPS"); do
      if [ -n "${LIBMF_TIMETRAIN:-}" ]; then
        "$LIBMF_TIMETRAIN" "$DATA/$d/train.txt" "$DATA/$d/test.txt" "$k" "$it" "$eta" "$lambda" "$t" \
          | awk -v l="libmf/$d/k$k/it$it/t$t" '{print l, "rmse="$2, "mae="$4, "train_seconds="$6}'
      fi
      echo "ours/$d/k$k/it$it/t$t $("$W" mf-bench --train "$DATA/$d/train.txt" --test "$DATA/$d/test.txt" \
        --factors "$k" --epochs "$it" --learning-rate "$eta" --lambda "$lambda" --threads "$t" | tail -1)"
    done
  done
done
} | tee /dev/stderr | /usr/bin/python3 bench/mf/summarise.py
