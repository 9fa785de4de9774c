#!/usr/bin/env python3
"""The four speed rows canrun is held to, each beside the tool people use
today for the same job, measured in one run on this machine.

  1. canrun inspect --json of every ELF file under /usr, in batches (xargs),
     against scanelf's NEEDED scan of the same files, in the same batches;
  2. canrun deps --json of every ELF program in /usr/bin and /usr/sbin, in
     batches, against libtree -p -vvv of the same programs, in batches;
  3. canrun go --json of every Go program under /usr, in one process,
     against go version -m of the same programs in one process;
  4. canrun harden of a sample of /usr/bin against checksec --listfile.

Each command runs RUNS times (5) after an untimed warm-up run, so both read
from a warm page cache; the table shows median wall and CPU time, the ratio
canrun / other tool (wall time), the goal, and the peak RSS of the largest
single process. A last table runs canrun on a tenth of each corpus and on
all of it: its peak memory must not grow with the number of files.

Usage: rows.py --floor FLOOR --peakrss PEAKRSS CANRUN   (bench/tools.sh)
Environment: RUNS (5), SAMPLE (50: files of /usr/bin for the checksec row).
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402  (measure, the peak-RSS runner, the ELF lister)

SAMPLE = int(os.environ.get("SAMPLE", "50"))
GOALS = {"inspect": 1.0, "deps": 0.1, "go": 1.0, "harden": 0.01}


def batches(argv, list_file):
    """argv run by xargs over the paths in list_file, as a shell pipeline
    would batch them (one process per ~128 KiB of arguments)."""
    return ["xargs", "-a", list_file, *argv]


def go_programs(elf):
    """The Go programs among elf, as go version (which reads build info) sees them."""
    out = subprocess.run(["go", "version", *elf], capture_output=True, text=True).stdout
    return sorted(line.split(": ", 1)[0] for line in out.splitlines() if ": go" in line)


def row(name, other, ours, goal):
    ratio = ours.median_ms / other.median_ms if not (ours.skipped or other.skipped) else None
    return name, other, ours, ratio, goal


def print_rows(rows):
    print("| work | files | other tool | median | CPU | peak RSS | canrun | median | CPU | peak RSS "
          "| ratio | goal | met |")
    print("|:--|--:|:--|--:|--:|--:|:--|--:|--:|--:|--:|--:|:-:|")
    for name, other, ours, ratio, goal in rows:
        def cells(r):
            if r.skipped:
                return [r.label, "-", "-", r.skipped]
            return [r.label, f"{r.median_ms:.0f} ms", f"{r.cpu_ms:.0f} ms", f"{r.rss_kib / 1024:.1f} MiB"]
        met = "-" if ratio is None else ("yes" if ratio <= goal else "no")
        print("| " + " | ".join([name, str(ours.files), *cells(other), *cells(ours),
                                   compare.fmt_ratio(ratio), f"<= {compare.fmt_ratio(goal)}", met]) + " |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--floor", required=True)
    ap.add_argument("--peakrss", required=True)
    ap.add_argument("canrun")
    args = ap.parse_args()
    compare.PEAKRSS = os.path.abspath(args.peakrss)
    canrun, floor = os.path.abspath(args.canrun), os.path.abspath(args.floor)

    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print("# canrun's speed rows")
    print(f"machine: {len(os.sched_getaffinity(0))} CPUs, {model}; Linux {platform.release()}; "
          f"load average {os.getloadavg()[0]:.2f}")
    for tool, argv in (("canrun", [canrun, "--version"]), ("scanelf", ["scanelf", "--version"]),
                       ("libtree", ["libtree", "--version"]), ("checksec", ["checksec", "--version"]),
                       ("go", ["go", "version"])):
        print(f"{tool + ':':10} {compare.first_line(argv)}")
    print(f"median of {compare.RUNS} runs after one warm-up run; ratio = canrun / other tool (wall time)")

    usr_elf = compare.elf_files(floor, ["/usr"])
    programs = compare.elf_files(floor, ["/usr/bin", "/usr/sbin"])
    go = go_programs(usr_elf) if shutil.which("go") else []
    sample = compare.elf_files(floor, ["/usr/bin"])[:SAMPLE]

    with tempfile.TemporaryDirectory() as tmp:
        def listed(name, paths):
            path = os.path.join(tmp, name)
            with open(path, "w") as f:
                f.write("\n".join(paths) + "\n")
            return path

        usr_list, prog_list, sample_list = listed("usr", usr_elf), listed("programs", programs), listed("sample", sample)
        rows = [
            row("inspect: every ELF file under /usr",
                compare.measure("scanelf -n (xargs)", batches(["scanelf", "-n"], usr_list), len(usr_elf)),
                compare.measure("canrun inspect --json (xargs)", batches([canrun, "inspect", "--json"], usr_list),
                                len(usr_elf)), GOALS["inspect"]),
            row("deps: every program of /usr/bin, /usr/sbin",
                compare.measure("libtree -p -vvv (xargs)", batches(["libtree", "-p", "-vvv"], prog_list),
                                len(programs)),
                compare.measure("canrun deps --json (xargs)", batches([canrun, "deps", "--json"], prog_list),
                                len(programs)), GOALS["deps"]),
            row("go: every Go program under /usr",
                compare.measure("go version -m", ["go", "version", "-m", *go], len(go)),
                compare.measure("canrun go --json", [canrun, "go", "--json", *go], len(go)), GOALS["go"]),
            row(f"harden: the first {len(sample)} ELF files of /usr/bin",
                compare.measure("checksec --listfile", ["checksec", f"--listfile={sample_list}"], len(sample),
                                runs=1, warm=False, note="1 run"),
                compare.measure("canrun harden", [canrun, "harden", *sample], len(sample)), GOALS["harden"]),
        ]
        print(f"\n## The four rows ({', '.join(f'{k} <= {v}' for k, v in GOALS.items())})")
        print_rows(rows)

        print("\n## Peak memory against the number of files (one process over a tenth, then all)")
        print("| command | files | peak RSS | files | peak RSS |")
        print("|:--|--:|--:|--:|--:|")
        for label, argv, paths in (("canrun inspect --json", [canrun, "inspect", "--json"], usr_elf),
                                   ("canrun deps --json", [canrun, "deps", "--json"], programs),
                                   ("canrun go --json", [canrun, "go", "--json"], go)):
            tenth = paths[: max(1, len(paths) // 10)]
            small = compare.measure(label, [*argv, *tenth], len(tenth), runs=1)
            large = compare.measure(label, [*argv, *paths], len(paths), runs=1)
            if small.skipped or large.skipped:
                continue
            print(f"| {label} | {len(tenth)} | {small.rss_kib / 1024:.1f} MiB | {len(paths)} | "
                  f"{large.rss_kib / 1024:.1f} MiB |")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
