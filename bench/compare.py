#!/usr/bin/env python3
"""canrun against the tools people use today, on the same fixed corpora.

Each command runs RUNS times (default 5) after one untimed warm-up run, so
every row reads from a warm page cache. The table shows the median wall time,
the median CPU time (user + system, which other load on the machine disturbs
less), the wall time's ratio to the corpus's reference tool, and the peak
resident memory of the largest single process of the run (ru_maxrss from
wait4, which covers the children a script or a shell loop starts; measured by
bench/peakrss.c). Commands too slow to repeat run once and say so. A missing
tool, or a canrun command this build does not have yet (exit 64), leaves its
row out with a note instead of failing.

Usage: compare.py --floor FLOOR --peakrss PEAKRSS CANRUN
(bench/tools.sh builds FLOOR and PEAKRSS from bench/floor.c and bench/peakrss.c)
Environment: RUNS (5), SUBSET (200: files for the per-file resolution loops),
TABLES ("1 2 3 4 5": which corpora to run; 2 holds the minute-long checksec).
"""

import argparse
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile

RUNS = int(os.environ.get("RUNS", "5"))
SUBSET = int(os.environ.get("SUBSET", "200"))
TABLES = set(os.environ.get("TABLES", "1 2 3 4 5").replace(",", " ").split())
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
USAGE_EXIT = 64  # canrun's "unknown command / usage error"
PEAKRSS = None  # bench/peakrss.c, built by bench/tools.sh


class Result:
    def __init__(self, label, files, runs=0, times=(), cpus=(), rss_kib=0, exits=(), skipped=None, note=""):
        self.label, self.files, self.runs = label, files, runs
        self.times, self.cpus, self.rss_kib, self.exits = list(times), list(cpus), rss_kib, set(exits)
        self.skipped, self.note = skipped, note

    @property
    def median_ms(self):
        return statistics.median(self.times) * 1000 if self.times else None

    @property
    def cpu_ms(self):
        return statistics.median(self.cpus) * 1000 if self.cpus else None


def run_once(argv, env=None):
    """Wall and CPU time (s), peak RSS (KiB), exit status and first stderr line of one
    run, output discarded. The wait4 happens in the small PEAKRSS program, not
    here: see bench/peakrss.c for why."""
    with tempfile.TemporaryFile() as err:
        out = subprocess.run([PEAKRSS, *argv], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=err, env=env, check=True).stdout.split()
        err.seek(0)
        first_err = err.read(400).decode(errors="replace").strip().splitlines()[:1]
    return int(out[0]) / 1e9, int(out[1]) / 1e9, int(out[2]), int(out[3]), (first_err[0] if first_err else "")


def measure(label, argv, files, runs=None, env=None, warm=True, note=""):
    runs = runs or RUNS
    if shutil.which(argv[0]) is None:
        return Result(label, files, skipped=f"{argv[0]} not installed")
    print(f"  running {label} ({runs} run{'s' if runs > 1 else ''}) ...", file=sys.stderr, flush=True)
    times, cpus, rss, exits = [], [], 0, []
    for i in range(runs + (1 if warm else 0)):
        elapsed, cpu, maxrss, code, err = run_once(argv, env)
        if code == USAGE_EXIT:
            return Result(label, files, skipped=f"not available in this build (exit 64: {err})")
        if warm and i == 0:
            continue
        times.append(elapsed)
        cpus.append(cpu)
        rss = max(rss, maxrss)
        exits.append(code)
    return Result(label, files, runs, times, cpus, rss, exits, note=note)


def per_file_loop(tool_argv, files):
    """One process per file, as people run these tools: a shell loop."""
    script = 'n=$1; shift; cmd=("${@:1:n}"); shift "$n"; for f; do "${cmd[@]}" "$f"; done'
    return ["bash", "-c", script, "loop", str(len(tool_argv)), *tool_argv, *files]


def tool_loop(label, tool_argv, files, runs=None, env=None, warm=True, note=""):
    exe = shutil.which(tool_argv[0], path=(env or os.environ).get("PATH"))
    if exe is None:
        return Result(label, len(files), skipped=f"{tool_argv[0]} not installed")
    r = measure(label, per_file_loop([exe, *tool_argv[1:]], files), len(files), runs, env, warm, note)
    return r


def fmt_ratio(x):
    """0.0019 reads better as 1/525: that many times faster."""
    if x is None:
        return "-"
    return f"{x:.2f}" if x >= 0.1 else f"1/{1 / x:.0f}"


def table(title, rows, ref, floor=None, sentence=""):
    print(f"\n## {title}")
    if sentence:
        print(sentence)
    ref_ms = ref.median_ms if ref and not ref.skipped else None
    floor_ms = floor.median_ms if floor and not floor.skipped else None
    head = ["tool", "files", "runs", "median ms", "CPU ms", "us/file", f"x {ref.label.split()[0].rstrip(',')}"]
    if floor is not None:
        head.append("x floor")
    head += ["peak RSS MiB", "note"]
    lines = []
    for r in rows:
        if r.skipped:
            lines.append([r.label, str(r.files)] + ["-"] * (len(head) - 3) + [r.skipped])
            continue
        ms = r.median_ms
        cpu = r.cpu_ms
        cells = [r.label, str(r.files), str(r.runs), f"{ms:.0f}" if ms >= 10 else f"{ms:.1f}",
                 f"{cpu:.0f}" if cpu >= 10 else f"{cpu:.1f}",
                 f"{ms * 1000 / r.files:.0f}" if r.files else "-",
                 fmt_ratio(ms / ref_ms if ref_ms else None)]
        if floor is not None:
            cells.append(fmt_ratio(ms / floor_ms if floor_ms else None))
        cells.append(f"{r.rss_kib / 1024:.1f}")
        notes = [r.note] if r.note else []
        bad = sorted(r.exits - {0})
        if bad:
            notes.append("exit " + ",".join(map(str, bad)))
        cells.append("; ".join(notes))
        lines.append(cells)
    widths = [max(len(head[i]), *(len(l[i]) for l in lines)) for i in range(len(head) - 1)]
    fmt = lambda cells: "| " + " | ".join(
        [c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells[:-1])]
        + [cells[-1]]) + " |"
    print(fmt(head))
    print("|" + "|".join(("-" * (w + 1) + ":" if i else ":" + "-" * (w + 1)) for i, w in enumerate(widths))
          + "|---|")
    for l in lines:
        print(fmt(l))


def count_regular(dirs):
    """Regular files under dirs, symlinks not followed (what the floor opens)."""
    n = 0
    stack = list(dirs)
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    elif e.is_file(follow_symlinks=False):
                        n += 1
        except OSError:
            pass
    return n


def elf_files(floor, dirs):
    out = subprocess.run([floor, "-l", *dirs], capture_output=True, text=True, check=True).stdout
    return sorted(out.splitlines())


def has_interp(path):
    """A dynamically linked program: its program headers have PT_INTERP."""
    try:
        with open(path, "rb") as f:
            h = f.read(64)
            if len(h) < 52 or h[:4] != b"\x7fELF" or h[5] not in (1, 2):
                return False
            end = "<" if h[5] == 1 else ">"
            if h[4] == 2:
                phoff, = struct.unpack_from(end + "Q", h, 32)
                phentsize, phnum = struct.unpack_from(end + "HH", h, 54)
            else:
                phoff, = struct.unpack_from(end + "I", h, 28)
                phentsize, phnum = struct.unpack_from(end + "HH", h, 42)
            f.seek(phoff)
            ph = f.read(phentsize * phnum)
            return any(struct.unpack_from(end + "I", ph, i * phentsize)[0] == 3
                       for i in range(len(ph) // phentsize if phentsize else 0))
    except (OSError, struct.error):
        return False


def first_line(argv):
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return (p.stdout + p.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not installed"


def deb_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg],
                              capture_output=True, text=True).stdout or "?"
    except OSError:
        return "?"


def lddtree_env():
    """lddtree is a Python script that needs pyelftools; when the python3 first
    on PATH lacks it (a virtualenv, pyenv), use the system's, as Debian does."""
    probe = lambda env: subprocess.run(["lddtree", "/bin/sh"], capture_output=True, env=env).returncode == 0
    if shutil.which("lddtree") is None or probe(None):
        return None, ""
    env = dict(os.environ, PATH="/usr/bin:/bin:" + os.environ.get("PATH", ""))
    return (env, "system python3") if probe(env) else (None, "")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--floor", required=True)
    ap.add_argument("--peakrss", required=True)
    ap.add_argument("canrun")
    args = ap.parse_args()
    global PEAKRSS
    PEAKRSS = os.path.abspath(args.peakrss)
    canrun, floor = os.path.abspath(args.canrun), os.path.abspath(args.floor)

    print("# canrun against scanelf, checksec, libtree, lddtree and go version -m")
    print(f"machine: {len(os.sched_getaffinity(0))} CPUs (nproc), ", end="")
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"{model}; Linux {platform.release()}; load average {os.getloadavg()[0]:.2f}")
    print(f"canrun:    {first_line([canrun, '--version'])}")
    print(f"scanelf:   {first_line(['scanelf', '--version'])} (pax-utils {deb_version('pax-utils')})")
    print(f"lddtree:   pax-utils {deb_version('pax-utils')}")
    print(f"libtree:   {first_line(['libtree', '--version'])}")
    print(f"checksec:  {first_line(['checksec', '--version'])}")
    print(f"go:        {first_line(['go', 'version'])}")
    print(f"floor:     bench/floor.c, {first_line([os.environ.get('CC', 'cc'), '--version'])}")
    print(f"median of {RUNS} runs after one warm-up run unless the row says otherwise; "
          "peak RSS is the largest single process of a run")

    usr_files, usr_elf = count_regular(["/usr"]), elf_files(floor, ["/usr"])
    bin_files, bin_elf = count_regular(["/usr/bin"]), elf_files(floor, ["/usr/bin"])
    scan_usr_argv = [canrun, "scan", "--no-check", "--jsonl", "/usr"]
    scan_usr = None

    # 1. Header scan of /usr.
    if "1" in TABLES:
        floor1 = measure("floor (open+read 64 B)", [floor, "/usr"], usr_files)
        rows = [measure("scanelf -R /usr", ["scanelf", "-R", "/usr"], usr_files), floor1,
                measure("canrun scan --no-check --jsonl /usr", scan_usr_argv, usr_files)]
        table(f"Header scan of /usr ({usr_files} regular files, {len(usr_elf)} ELF)", rows, rows[0], floor1,
              "Every regular file is opened and its header read: scanelf prints each ELF file's type, canrun "
              "one JSON line per ELF file with what inspect and harden report, the floor only counts ELF magics.")
        scan_usr = rows[2]

    # 2. Hardening report of /usr/bin.
    if "2" in TABLES:
        rows = [measure("checksec --dir=/usr/bin", ["checksec", "--dir=/usr/bin"], len(bin_elf), runs=1, warm=False,
                        note="1 run: too slow to repeat"),
                measure("canrun harden ELF files of /usr/bin", [canrun, "harden", *bin_elf], len(bin_elf)),
                measure("canrun scan --no-check /usr/bin", [canrun, "scan", "--no-check", "/usr/bin"], bin_files)]
        table(f"Hardening report of /usr/bin ({bin_files} regular files, {len(bin_elf)} ELF)", rows, rows[0],
              sentence="RELRO, canary, NX, PIE, RPATH/RUNPATH and FORTIFY of every ELF file: checksec.sh "
              "runs readelf several times per file, canrun reads each file once in one process.")

    # 3. Library resolution of dynamic programs.
    if "3" in TABLES:
        dyn = [f for f in bin_elf if has_interp(f)]
        subset = dyn[:SUBSET]
        ldd_env, ldd_note = lddtree_env()
        rows = [tool_loop("libtree, one process per file", ["libtree"], subset),
                tool_loop("lddtree, one process per file", ["lddtree"], subset, runs=1, warm=False, env=ldd_env,
                          note="1 run: too slow to repeat" + (f"; {ldd_note}" if ldd_note else "")),
                measure("canrun deps, one process per file", per_file_loop([canrun, "deps"], subset), len(subset)),
                measure("canrun deps, all files", [canrun, "deps", *subset], len(subset)),
                measure("canrun scan --jsonl /usr/bin", [canrun, "scan", "--jsonl", "/usr/bin"], bin_files,
                        note="whole dir, checked against this host")]
        table(f"Library resolution: the first {len(subset)} of the {len(dyn)} dynamic programs in /usr/bin, sorted",
              rows, rows[0],
              sentence="Each tool finds every library a program loads, as ld.so would on this host; "
              "libtree and lddtree start once per file, canrun deps once for all of them.")

    # 4. Go programs.
    if "4" in TABLES:
        go_dirs = [d for d in ("/usr/lib/go-1.19/bin", "/usr/lib/go-1.19/pkg/tool",
                               os.path.join(REPO, "build/fixtures/go")) if os.path.isdir(d)]
        go_files = [f for f in elf_files(floor, go_dirs) if os.access(f, os.X_OK)] if go_dirs else []
        if go_files:
            rows = [measure("go version -m", ["go", "version", "-m", *go_files], len(go_files)),
                    measure("canrun go", [canrun, "go", *go_files], len(go_files)),
                    measure("canrun scan --no-check (the dirs)", [canrun, "scan", "--no-check", *go_dirs],
                            count_regular(go_dirs))]
            table(f"Go build info: {len(go_files)} Go programs in " + ", ".join(
                os.path.relpath(d, REPO) if d.startswith(REPO) else d for d in go_dirs), rows, rows[0],
                sentence="Module and build settings of each Go program: go version -m prints them, "
                "canrun go also reads cgo use, resolver and what a portable rebuild needs.")
        else:
            print("\n## Go build info: skipped, no Go programs found")

    # 5. Peak memory against the number of files scanned.
    if "5" in TABLES:
        if scan_usr is None:
            scan_usr = measure("canrun scan --no-check --jsonl /usr", scan_usr_argv, usr_files)
        bin_jsonl = measure("canrun scan --no-check --jsonl /usr/bin",
                            [canrun, "scan", "--no-check", "--jsonl", "/usr/bin"], bin_files)
        print("\n## Peak memory of canrun scan --no-check --jsonl against the number of files")
        print("The same command over /usr/bin and over all of /usr: its peak RSS must not grow with the file "
              "count. For scale, the last column is the highest peak of canrun harden run alone on each of "
              "the corpus's 10 largest ELF files: what a single big file costs.")
        print("| corpus | regular files | ELF files | largest ELF MiB | median ms | peak RSS MiB | one big file alone MiB |")
        print("|:--|--:|--:|--:|--:|--:|--:|")
        for corpus, r, nfiles, elfs in (("/usr/bin", bin_jsonl, bin_files, bin_elf),
                                        ("/usr", scan_usr, usr_files, usr_elf)):
            sizes = sorted(((os.lstat(f).st_size, f) for f in elfs), reverse=True)
            largest = f"{sizes[0][0] / 2**20:.0f}" if sizes else "-"
            if r.skipped:
                print(f"| {corpus} | {nfiles} | {len(elfs)} | {largest} | - | - | {r.skipped} |")
                continue
            alone = [measure(f"canrun harden {f}", [canrun, "harden", f], 1, runs=1) for _, f in sizes[:10]]
            alone = max((a.rss_kib for a in alone if not a.skipped), default=None)
            print(f"| {corpus} | {nfiles} | {len(elfs)} | {largest} | {r.median_ms:.0f} | {r.rss_kib / 1024:.1f} | "
                  + (f"{alone / 1024:.1f} |" if alone else "- |"))
        if not bin_jsonl.skipped and not scan_usr.skipped:
            print(f"{usr_files / bin_files:.0f}x the files, {len(usr_elf) / len(bin_elf):.1f}x the ELF files, "
                  f"{scan_usr.rss_kib / bin_jsonl.rss_kib:.2f}x the peak memory.")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
