#!/usr/bin/env python3
"""Seeded synthetic explicit ratings shaped like MovieLens (MovieLens itself is not available offline).

usage: make_synthetic.py <users> <items> <ratings> <outdir> [seed=20240611]

Model: rating = clip(round(3.5 + b_u + b_i + p_u . q_i + noise), 1, 5) with rank-8 factors p,q ~ N(0, 0.35),
user bias ~ N(0, 0.35), item bias ~ N(0, 0.45), noise ~ N(0, 0.8). Which (user,item) cells are rated follows a
Zipf-like popularity on both sides (a few heavy users and blockbuster items, as in MovieLens), each cell at most once.
Only the Python standard library is used (random.Random(seed)), so the files are identical on every machine.
Writes <outdir>/train.txt and <outdir>/test.txt ('u i r', 80/20 split by a seeded shuffle).
"""
import os
import random
import sys


def main():
    m, n, nnz, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 20240611
    rng = random.Random(seed)
    k = 8
    P = [[rng.gauss(0, 0.35) for _ in range(k)] for _ in range(m)]
    Q = [[rng.gauss(0, 0.35) for _ in range(k)] for _ in range(n)]
    bu = [rng.gauss(0, 0.35) for _ in range(m)]
    bi = [rng.gauss(0, 0.45) for _ in range(n)]
    # Zipf-like activity weights, then sample cells without replacement
    wu = [1.0 / (r + 10) ** 0.9 for r in range(m)]
    wi = [1.0 / (r + 10) ** 1.0 for r in range(n)]
    rng.shuffle(wu)
    rng.shuffle(wi)
    seen = set()
    rows = []
    users = rng.choices(range(m), weights=wu, k=nnz * 3)
    items = rng.choices(range(n), weights=wi, k=nnz * 3)
    for u, i in zip(users, items):
        if len(rows) == nnz:
            break
        if (u, i) in seen:
            continue
        seen.add((u, i))
        x = 3.5 + bu[u] + bi[i] + sum(a * b for a, b in zip(P[u], Q[i])) + rng.gauss(0, 0.8)
        rows.append((u, i, min(5, max(1, int(round(x))))))
    rng.shuffle(rows)
    n_te = len(rows) // 5
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'test.txt'), 'w') as f:
        f.writelines(f"{u} {i} {r}\n" for u, i, r in rows[:n_te])
    with open(os.path.join(out, 'train.txt'), 'w') as f:
        f.writelines(f"{u} {i} {r}\n" for u, i, r in rows[n_te:])
    print(f"users {m} items {n} ratings {len(rows)} train {len(rows) - n_te} test {n_te}")


if __name__ == '__main__':
    main()
