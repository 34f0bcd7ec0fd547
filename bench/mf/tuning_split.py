#!/usr/bin/env python3
"""Re-makes the tuning split of a LIBMF-format train file exactly as the shared tools/mf/split.py (../shared beside the repository) does:
a SplitMix64 Fisher-Yates permutation with seed+1 (default seed 20240611), the first floor(n/10) lines -> va10.txt,
the rest -> tr90.txt, each keeping the original order. Test data is never read.
usage: tuning_split.py <train.txt> <outdir> [seed=20240611]"""
import os
import sys

MASK = (1 << 64) - 1


def perm(n, seed):
    idx = list(range(n))
    state = seed & MASK
    for i in range(n - 1, 0, -1):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        z ^= z >> 31
        j = z % (i + 1)
        idx[i], idx[j] = idx[j], idx[i]
    return idx


def main():
    path, out = sys.argv[1], sys.argv[2]
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 20240611
    lines = [l for l in open(path) if l.strip()]
    va = set(perm(len(lines), seed + 1)[:len(lines) // 10])
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'tr90.txt'), 'w') as f:
        f.writelines(l for k, l in enumerate(lines) if k not in va)
    with open(os.path.join(out, 'va10.txt'), 'w') as f:
        f.writelines(l for k, l in enumerate(lines) if k in va)
    print(f"tr90 {len(lines) - len(va)} va10 {len(va)}")


if __name__ == '__main__':
    main()
