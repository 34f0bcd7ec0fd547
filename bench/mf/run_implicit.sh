#!/usr/bin/env bash
# Implicit MF on the fixed Online Retail split (README there: metric and LIBMF figures) and on the SBIR temporal split.
# usage: bench/mf/run_implicit.sh [reps=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
REPS=${1:-3}
DATA=${DATA_DIR:-${TMPDIR:-/tmp}/mfdata}
# the shared data and tools folder beside the repository
SHARED=${SHARED_DIR:-../shared}
R=$SHARED/data/uci-online-retail/split
W=tools/Matchmaker.Tools/bin/Release/net10.0/Matchmaker.Tools
[ -x "$W" ] || dotnet build -c Release tools/Matchmaker.Tools >/dev/null
{
for s in "defaults|" "tuned|--factors 128 --lambda 20 --alpha 2"; do
  IFS='|' read -r name flags <<<"$s"
  for t in 1 2; do
    for r in $(seq "$REPS"); do
      # shellcheck disable=SC2086
      echo "retail/$name/t$t $("$W" mf-bench --mode implicit --train $R/train.txt --test $R/test.txt $flags --threads $t | tail -1)"
    done
  done
done
# the metric cross-checked by the shared Python evaluator on the same model
"$W" mf-bench --mode implicit --train $R/train.txt --test $R/test.txt --factors 128 --lambda 20 --alpha 2 \
  --libmf-model-out "$DATA/retail-tuned.model" >/dev/null
echo "eval_rank.py (tuned model): $(/usr/bin/python3 "$SHARED/tools/mf/eval_rank.py" "$DATA/retail-tuned.model" $R/train.txt $R/test.txt 10)" >&2
echo "eval_rank.py (popularity):  $(/usr/bin/python3 "$SHARED/tools/mf/eval_rank.py" POP $R/train.txt $R/test.txt 10)" >&2
# SBIR: firms x buyer units, train FY2012-15, test FY2016-17, warm firms only (cold share printed by the split script)
/usr/bin/python3 bench/mf/sbir_split.py "$DATA/sbir" "$SHARED/data/us-sbir-awards/sbir_phase2_awards_2012_2017.csv" >&2
for s in "defaults|" "small|--factors 4 --lambda 1 --alpha 10"; do
  IFS='|' read -r name flags <<<"$s"
  # shellcheck disable=SC2086
  out=$("$W" mf-bench --mode implicit --train "$DATA/sbir/train.txt" --test "$DATA/sbir/test_warm.txt" $flags)
  echo "$out" | grep -E '^(popularity|model)' | sed "s/^/sbir\/$name: /" >&2
  echo "sbir/$name $(echo "$out" | tail -1)"
done
} | tee /dev/stderr | /usr/bin/python3 bench/mf/summarise.py
