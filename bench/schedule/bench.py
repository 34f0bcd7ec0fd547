#!/usr/bin/python3
"""Timetable benchmark: gen.py instances -> our `schedule` command, check.py validity, opt.py decomp-fast reference and
greedy.py baseline, all on the same instance in the same run; then `repair` after a no-show and a cancellation.

usage: /usr/bin/python3 bench/schedule/bench.py [--quick] [--national] [--tools /work/shared/tools/schedule]
Instances and outputs go to bench/out/schedule (git-ignored). Prints a markdown table.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "bench", "out", "schedule")
TOOLS = "/work/shared/tools/schedule"
LAST_CPU = 0.0
WORKER = os.path.join(ROOT, "tools", "Matchmaker.Tools", "bin", "Release", "net10.0", "Matchmaker.Tools")


def run(cmd):
    """Runs cmd; returns (result, wall seconds). CPU seconds of the child land in LAST_CPU (load-independent)."""
    global LAST_CPU
    t0 = time.time()
    c0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run(cmd, capture_output=True, text=True)
    c1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU = (c1.ru_utime - c0.ru_utime) + (c1.ru_stime - c0.ru_stime)
    return r, time.time() - t0


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tools", default="/work/shared/tools/schedule")
    ap.add_argument("--quick", action="store_true", help="expo sizes only")
    ap.add_argument("--national", action="store_true", help="add 1000x5000x16 (opt.py takes ~1 min there)")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--only", default=None, help="run only cases whose name is this (expo, large, national)")
    a = ap.parse_args()
    global TOOLS
    TOOLS = a.tools
    os.makedirs(OUT, exist_ok=True)
    if not a.no_build:
        subprocess.run(["dotnet", "build", "-c", "Release", "-v", "q", "--nologo", os.path.join(ROOT, "tools", "Matchmaker.Tools")],
                       check=True, stdout=subprocess.DEVNULL)
    cases = []
    for halls in (1, 3):
        for days in (1, 2, 3):
            for seed in (1, 2, 3):
                cases.append(("expo", 70, 200, 14, seed, days, halls))
    if not a.quick:
        cases += [("large", 300, 1500, 16, s, 1, 1) for s in (1, 2)]
    if a.national:
        cases += [("national", 1000, 5000, 16, 1, 1, 1)]
    py = "/usr/bin/python3"
    print("| case | B×S×T | seed | days | halls | pairs | ours objective | upper bound | gap | status | below min | valid | "
          "solve s | wall s | process CPU s | opt.py decomp-fast | opt s | greedy | greedy short |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, B, S, T, seed, days, halls in cases:
        if a.only and name != a.only:
            continue
        stem = f"{name}_b{B}_s{S}_t{T}_d{days}_h{halls}_seed{seed}"
        inst = os.path.join(OUT, stem + ".json")
        if not os.path.exists(inst):
            subprocess.run([py, os.path.join(a.tools, "gen.py"), "--buyers", str(B), "--smes", str(S), "--slots", str(T),
                            "--seed", str(seed), "--days", str(days), "--halls", str(halls), "--out", inst],
                           check=True, stderr=subprocess.DEVNULL)
        ours = os.path.join(OUT, stem + ".ours.json")
        r, wall = run([WORKER, "schedule", "--instance", inst, "--out", ours, "--seed", "1"])
        cpu = LAST_CPU
        if r.returncode != 0:
            print(f"| {name} | ours failed: {r.stderr.strip()[:200]} |")
            continue
        o = load(ours)
        chk, _ = run([py, os.path.join(a.tools, "check.py"), inst, ours])
        valid = json.loads(chk.stdout)["valid"]
        ref = os.path.join(OUT, stem + ".opt.json")
        r2, opt_wall = run([py, os.path.join(a.tools, "opt.py"), inst, "--method", "decomp-fast", "--out", ref, "--quiet"])
        rr = load(ref)
        gr = os.path.join(OUT, stem + ".greedy.json")
        run([py, os.path.join(a.tools, "greedy.py"), inst, "--out", gr])
        g = load(gr)
        short = (o["objective"] - g["objective"]) / abs(o["objective"]) if o["objective"] else 0
        npairs = load(inst)["meta"]["pairs"]
        print(f"| {name} | {B}×{S}×{T} | {seed} | {days} | {halls} | {npairs} | {o['objective']:.3f} | {o['upper_bound']:.3f} | "
              f"{o['gap']:.5%} | {o['status']} | {o['smes_below_min']} | {valid} | {o['times']['total']:.3f} | {wall:.2f} | {cpu:.2f} | "
              f"{rr.get('objective', float('nan')):.3f} ({rr.get('status')}) | {rr['times']['total']:.2f} | {g['objective']:.3f} | {short:.2%} |")
        sys.stdout.flush()
        if name == "expo" and halls == 1 and days == 1:
            repair_case(inst, ours, o, stem)


def repair_case(inst, ours, o, stem):
    """One SME no-show at the 5th slot, and one buyer cancelling entirely: time, moved, kept."""
    a0 = o["assignments"]
    slots = sorted({m["slot"] for m in a0})
    busiest_sme = sorted({m["sme"] for m in a0})[0]
    busiest_buyer = sorted({m["buyer"] for m in a0})[0]
    for label, change in (("no-show", {"type": "no_show", "sme": busiest_sme, "slot": slots[4]}),
                          ("SME cancels 2 slots", {"type": "cancel", "sme": busiest_sme, "slots": slots[6:8]}),
                          ("buyer cancels", {"type": "cancel", "buyer": busiest_buyer})):
        ch = os.path.join(OUT, f"{stem}.changes.{label.replace(' ', '_')}.json")
        with open(ch, "w") as f:
            json.dump({"format": "b2b-schedule-changes/1", "changes": [change]}, f)
        out = ch.replace(".changes.", ".repaired.")
        changed = out.replace(".repaired.", ".changed-instance.")
        r, wall = run([WORKER, "repair", "--instance", inst, "--published", ours, "--changes", ch, "--out", out,
                       "--instance-out", changed])
        cpu = LAST_CPU
        if r.returncode != 0:
            print(f"|   repair {label} failed: {r.stderr.strip()[:200]} |")
            continue
        d = load(out)
        diff = d["diff"]
        chk, _ = run(["/usr/bin/python3", os.path.join(TOOLS, "check.py"), changed, out])
        valid = json.loads(chk.stdout)["valid"]
        print(f"|   repair: {label} ({json.dumps(change)}) | kept {len(diff['kept'])} | moved {len(diff['moved'])} (for better: {sum(m['reason'] == 'moved_for_better' for m in diff['moved'])}) | "
              f"cancelled {len(diff['cancelled'])} | added {len(diff['added'])} | notify {len(diff['notify']['smes'])} SMEs, "
              f"{len(diff['notify']['buyers'])} buyers | objective {o['objective']:.3f} -> {d['objective']:.3f} | "
              f"valid {valid} | solve {d['times']['total']:.3f} s | wall {wall:.2f} s | process CPU {cpu:.2f} s |")


if __name__ == "__main__":
    main()
