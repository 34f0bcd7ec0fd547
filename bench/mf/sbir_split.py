#!/usr/bin/env python3
"""Temporal buyer-unit x firm split of the SBIR Phase II awards (../shared/data/us-sbir-awards beside the repository, see its PROVENANCE).

usage: sbir_split.py <outdir> [awards.csv]
* user = firm (name normalised: lower case, punctuation and legal suffixes such as inc/llc/corp removed, because the
  same firm is spelt differently across years), item = buyer unit "agency|branch" (rows without agency dropped).
* train.txt: awards of FY2012-2015, one line per (firm, buyer unit), value = number of awards (a confidence).
* test_warm.txt: (firm, buyer unit) pairs of FY2016-2017 for firms that also appear in train (value 1).
* Prints the cold-start share: test firms and test pairs whose firm has no 2012-2015 award (no CF score possible;
  the scorer falls back to content for them).
Tokens have spaces replaced by '_' so the files are LIBMF text format."""
import collections
import csv
import os
import re
import sys

SUFFIXES = {'inc', 'incorporated', 'llc', 'l', 'c', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited', 'lp',
            'llp', 'pllc', 'pc', 'the'}


def firm_key(name):
    words = re.sub(r'[^a-z0-9 ]+', ' ', name.lower()).split()
    while words and words[-1] in SUFFIXES:
        words.pop()
    return '_'.join(words) or '_'


def main():
    out = sys.argv[1]
    path = sys.argv[2] if len(sys.argv) > 2 else '../shared/data/us-sbir-awards/sbir_phase2_awards_2012_2017.csv'
    train, test = collections.Counter(), set()
    for r in csv.DictReader(open(path, encoding='utf-8')):
        if not r['agency']:
            continue
        buyer = (r['agency'] + '|' + r['branch']).replace(' ', '_')
        firm = firm_key(r['firm_name'])
        year = int(r['award_year'])
        if year <= 2015:
            train[(firm, buyer)] += 1
        else:
            test.add((firm, buyer))
    warm_firms = {f for f, _ in train}
    test_firms = {f for f, _ in test}
    warm_pairs = sorted(p for p in test if p[0] in warm_firms)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, 'train.txt'), 'w') as f:
        f.writelines(f"{u} {i} {v}\n" for (u, i), v in sorted(train.items()))
    with open(os.path.join(out, 'test_warm.txt'), 'w') as f:
        f.writelines(f"{u} {i} 1\n" for u, i in warm_pairs)
    cold_firms = test_firms - warm_firms
    print(f"train pairs {len(train)} firms {len(warm_firms)} buyer units {len({i for _, i in train})}")
    print(f"test pairs {len(test)} firms {len(test_firms)}; warm pairs {len(warm_pairs)}")
    print(f"cold-start share: firms {len(cold_firms) / len(test_firms):.3f} ({len(cold_firms)}/{len(test_firms)}), "
          f"pairs {1 - len(warm_pairs) / len(test):.3f}")


if __name__ == '__main__':
    main()
