#!/usr/bin/env python3
"""Start-up time of canrun builds side by side (the README's Install table).

    bench/startup.py [--runs N] NAME=PROGRAM... -- ARGS...

Runs each PROGRAM with ARGS N times (default 50), the programs taking turns
so that a busy machine slows each alike, after one untimed warm-up run each;
prints the size and the median and lowest wall time in milliseconds, in
microsecond steps (bench/median.sh's whole milliseconds are too coarse for
a program that starts in one or two).
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("programs", nargs="+", metavar="NAME=PROGRAM")
    argv = sys.argv[1:]
    args_after = []
    if "--" in argv:
        i = argv.index("--")
        argv, args_after = argv[:i], argv[i + 1:]
    opts = ap.parse_args(argv)
    progs = [p.split("=", 1) for p in opts.programs]
    times = {name: [] for name, _ in progs}
    for name, path in progs:
        subprocess.run([path, *args_after], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(opts.runs):
        for name, path in progs:
            t0 = time.perf_counter()
            subprocess.run([path, *args_after], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - t0)
    print(f"{'build':<12} {'bytes':>10} {'median ms':>10} {'min ms':>8}   ({opts.runs} runs of: {' '.join(args_after)})")
    for name, path in progs:
        t = times[name]
        print(f"{name:<12} {os.path.getsize(path):>10} {statistics.median(t) * 1e3:>10.2f} {min(t) * 1e3:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
