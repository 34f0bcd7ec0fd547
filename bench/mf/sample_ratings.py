#!/usr/bin/env python3
"""The sample expo's meeting ratings (held meetings of data/samples/past-*/meetings.csv) in LIBMF's text format,
split 80/20 at random with a fixed seed: the explicit comparison on the product's own kind of data.
usage: sample_ratings.py OUT_DIR [seed=1]"""
import csv, glob, os, random, sys

out = sys.argv[1]
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 1
root = os.path.join(os.path.dirname(__file__), '..', '..', 'data', 'samples')
rows = []
for path in sorted(glob.glob(os.path.join(root, 'past-*', 'meetings.csv'))):
    with open(path, encoding='utf-8') as f:
        for r in csv.DictReader(f):
            if r['status'] == 'held' and r['rating']:
                rows.append((r['business_number'], r['buyer_id'], r['rating']))
random.Random(seed).shuffle(rows)
# LIBMF reads 0-based integer ids: number SMEs and buyers in order of first appearance (the same file serves both).
smes, buyers = {}, {}
rows = [(smes.setdefault(u, len(smes)), buyers.setdefault(i, len(buyers)), v) for u, i, v in rows]
cut = int(len(rows) * 0.8)
os.makedirs(out, exist_ok=True)
for name, part in (('train.txt', rows[:cut]), ('test.txt', rows[cut:])):
    with open(os.path.join(out, name), 'w') as f:
        f.writelines(f'{u} {i} {v}\n' for u, i, v in part)
print(f'{len(rows)} ratings: {cut} train, {len(rows) - cut} test -> {out}')
