#!/usr/bin/env python3
"""Reads lines '<label> <json or key=value ...>' from stdin (one per run) and prints, per label, the median and the
minimum train_seconds and the (run-independent) quality figures. Used by the bench/mf/run_*.sh scripts."""
import collections
import json
import statistics
import sys

runs = collections.OrderedDict()
for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    label, payload = line.split(' ', 1)
    if payload.startswith('{'):
        d = json.loads(payload)
    else:
        d = dict(kv.split('=', 1) for kv in payload.split())
        d = {k: float(v) for k, v in d.items()}
    runs.setdefault(label, []).append(d)
print(f"{'run':34} {'n':>2} {'rmse':>8} {'mae':>8} {'recall@k':>9} {'ndcg@k':>8} {'auc':>7} {'median s':>9} {'min s':>8}")
for label, ds in runs.items():
    t = [float(d['train_seconds']) for d in ds]
    last = ds[-1]

    def f(key, width, digits=4):
        v = last.get(key)
        return f"{float(v):{width}.{digits}f}" if v is not None else ' ' * (width - 1) + '-'
    print(f"{label:34} {len(ds):>2} {f('rmse', 8)} {f('mae', 8)} {f('recall_at_k', 9)} {f('ndcg_at_k', 8)} {f('auc', 7, 3)} "
          f"{statistics.median(t):9.3f} {min(t):8.3f}")
