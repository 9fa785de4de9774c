#!/usr/bin/env python3
"""Runs `canrun inspect` over the robustness corpus and checks the contract.

    run_malformed.py --canrun CANRUN --corpus DIR [--timeout 5] [--jobs N]

For each input, in --json and in text mode, with a deadline (--timeout):
  - the exit status is 0 or 2 (no crash, no abort, no timeout), the same in
    both modes;
  - stderr holds no sanitizer report and, for exit 2, exactly one line
    `canrun: PATH: reason`; for exit 0 it is empty;
  - --json prints valid JSON with exactly one entry, for PATH, carrying an
    "error" exactly when the exit status is 2 (with that reason);
  - text mode prints a report that starts with PATH for a readable file
    and nothing for an unreadable one;
  - peak memory stays under --max-rss-mb (a DoS is a failure too).
Then all the inputs that passed go through one invocation together, which
must give one entry per input, in order.

With --batch (the sanitizer build), the inputs go through two invocations
instead, --json and text, each holding all of them: the sanitizers see every
input in both modes at a fraction of the cost of a process each (their
start-up and leak check dominate). Only when a batch fails are the inputs run
one by one, to name the input. The build without sanitizers checks the
per-input contract above.

Prints one FAIL line per problem and, last, `malformed: N passed, M failed`
(N + M = inputs + 1 for the combined run). Exit status 1 when M > 0.
"""

import argparse
import concurrent.futures
import json
import os
import re
import select
import signal
import stat
import sys
import tempfile

SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|"
                       r"MemorySanitizer|ThreadSanitizer|==\d+==ERROR")


def run(argv, timeout, env):
    """(status, stdout bytes, stderr text, peak RSS in MiB) of argv, stopped
    as timeout(1) would: SIGTERM after `timeout` seconds, SIGKILL 2 s later,
    status 124. Output goes through files, so a huge report cannot fill a
    pipe; a pidfd gives the wait a deadline without a timeout process per
    run, and wait4 the child's peak RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                   (os.POSIX_SPAWN_DUP2, err.fileno(), 2)]
        pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
        pidfd = os.pidfd_open(pid)
        try:
            timed_out = False
            if not select.select([pidfd], [], [], timeout)[0]:
                timed_out = True
                os.kill(pid, signal.SIGTERM)
                if not select.select([pidfd], [], [], 2)[0]:
                    os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
        finally:
            os.close(pidfd)
        out.seek(0)
        err.seek(0)
        code = 124 if timed_out else os.waitstatus_to_exitcode(status)
        return (code, out.read(), err.read().decode("utf-8", "replace"), usage.ru_maxrss / 1024)


def describe(status):
    if status == 124:
        return "timed out"
    if status > 128:
        return "killed by signal %d" % (status - 128)
    if status < 0:
        return "killed by signal %d" % -status
    return "exit status %d" % status


def run_problems(what, status, allowed, err, rss, args):
    """An unexpected status, a sanitizer report, too much memory."""
    problems = []
    if status not in allowed:
        problems.append("%s: %s" % (what, describe(status)))
    if SANITIZER.search(err):
        first = next(line for line in err.splitlines() if SANITIZER.search(line))
        problems.append("%s: sanitizer report: %s" % (what, first.strip()))
    if args.max_rss_mb and rss > args.max_rss_mb:
        problems.append("%s: peak RSS %.0f MiB over %d MiB" % (what, rss, args.max_rss_mb))
    return problems


def check_common(what, path, status, err, rss, args):
    problems = run_problems(what, status, (0, 2), err, rss, args)
    if status == 2:
        lines = err.splitlines()
        prefix = "canrun: %s: " % path
        if len(lines) != 1 or not lines[0].startswith(prefix) or len(lines[0]) == len(prefix):
            problems.append("%s: exit 2 wants one stderr line 'canrun: PATH: reason', got %r"
                            % (what, err[:300]))
    elif status == 0 and err:
        problems.append("%s: exit 0 with stderr %r" % (what, err[:300]))
    return problems


def check_one(path, args, env):
    problems = []
    status, out, err, rss = run([args.canrun, "inspect", "--json", path], args.timeout, env)
    problems += check_common("--json", path, status, err, rss, args)
    if status in (124, 137) or status < 0:
        return problems  # text mode would only time out again
    try:
        doc = json.loads(out)
        files = doc["files"]
        if len(files) != 1:
            problems.append("--json: %d entries for one input" % len(files))
        else:
            entry = files[0]
            if entry.get("path") != path:
                problems.append("--json: entry path %r" % entry.get("path"))
            if status == 2 and not entry.get("error"):
                problems.append("--json: exit 2 but no \"error\" in the entry")
            if status == 2 and entry.get("error") and err.rstrip("\n") != "canrun: %s: %s" % (path, entry["error"]):
                problems.append("--json: stderr %r does not match error %r" % (err, entry["error"]))
            if status == 0 and "error" in entry:
                problems.append("--json: exit 0 with an \"error\" entry")
    except (ValueError, KeyError, TypeError) as e:
        if status in (0, 2):
            problems.append("--json: stdout is not the JSON report (%s): %r" % (e, out[:200]))

    tstatus, tout, terr, trss = run([args.canrun, "inspect", "--color=never", path], args.timeout, env)
    problems += check_common("text", path, tstatus, terr, trss, args)
    if tstatus != status and tstatus in (0, 2) and status in (0, 2):
        problems.append("text: exit %d but --json exited %d" % (tstatus, status))
    if tstatus == 0 and not tout.startswith(path.encode() + b"\n"):
        problems.append("text: report does not start with the path: %r" % tout[:100])
    if tstatus == 2 and tout:
        problems.append("text: output for an unreadable file: %r" % tout[:100])
    return problems


def check_all(paths, args, env):
    """Every input in one invocation: one entry each, in order."""
    if not paths:
        return []
    status, out, err, _ = run([args.canrun, "inspect", "--json"] + paths, args.timeout * 60, env)
    problems = run_problems("combined run", status, (0, 2), err, 0, args)
    try:
        files = json.loads(out)["files"]
    except (ValueError, KeyError, TypeError) as e:
        return ["combined run (%s): stdout is not the JSON report (%s)" % (describe(status), e)]
    if [f.get("path") for f in files] != paths:
        problems.append("combined run: %d entries for %d inputs, or out of order" % (len(files), len(paths)))
    errors = sum(1 for f in files if "error" in f)
    want = 2 if errors else 0
    if status != want:
        problems.append("combined run: %s with %d unreadable inputs" % (describe(status), errors))
    if len(err.splitlines()) != errors or SANITIZER.search(err):
        problems.append("combined run: %d stderr lines for %d unreadable inputs" % (len(err.splitlines()), errors))
    return problems


def check_all_text(paths, args, env):
    """Every input in one text-mode invocation: no crash, no sanitizer report,
    every stderr line naming an input, and stderr empty exactly when the exit
    status is 0. (How many lines, against the unreadable inputs, is checked
    by the --json batch.)"""
    status, out, err, _ = run([args.canrun, "inspect", "--color=never"] + paths, args.timeout * 60, env)
    problems = run_problems("combined text run", status, (0, 2), err, 0, args)
    prefixes = tuple("canrun: %s: " % p for p in paths)
    stray = [line for line in err.splitlines() if not line.startswith(prefixes)]
    if stray:
        problems.append("combined text run: a stderr line names no input: %r" % stray[0][:200])
    if (status == 2) != bool(err):
        problems.append("combined text run: %s with %d stderr lines" % (describe(status), len(err.splitlines())))
    return problems


def check_scan(corpus, paths, args, env):
    """The whole corpus as one tree: `canrun scan` must report every ELF
    file once, each line valid JSON, and say nothing but one line per
    unreadable file on stderr, whatever its threads meet."""
    status, out, err, rss = run([args.canrun, "scan", "--jsonl", "--no-progress", corpus],
                                args.timeout * 40, env)
    what = "scan"
    problems = run_problems(what, status, (0, 1, 2, 3), err, rss, args)
    try:
        lines = [json.loads(line) for line in out.splitlines()]
    except ValueError as e:
        return problems + ["%s: a line is not JSON (%s)" % (what, e)]
    if not lines or "summary" not in lines[-1]:
        return problems + ["%s: no summary line at the end" % what]
    records = lines[:-1]
    elf = []
    for path in paths:
        # The walk takes regular files only: no symlinks, FIFOs or devices.
        if not stat.S_ISREG(os.lstat(path).st_mode):
            continue
        with open(path, "rb") as f:
            if f.read(4) == b"\x7fELF":
                elf.append(path)
    if [r.get("path") for r in records] != elf:
        problems.append("%s: %d records for %d ELF files, or out of order" % (what, len(records), len(elf)))
    errors = sum(1 for r in records if "error" in r)
    if len(err.splitlines()) != errors:
        problems.append("%s: %d stderr lines for %d unreadable files" % (what, len(err.splitlines()), errors))
    if (status == 2) != (errors > 0):
        problems.append("%s: %s with %d unreadable files" % (what, describe(status), errors))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--canrun", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--timeout", type=int, default=5, help="seconds per run (default 5)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--max-rss-mb", type=int, default=1024, help="0 for no limit (default 1024)")
    ap.add_argument("--batch", action="store_true",
                    help="all inputs in one --json and one text invocation; one by one only on failure")
    args = ap.parse_args()
    args.canrun = os.path.abspath(args.canrun)

    env = dict(os.environ)
    env["LC_ALL"] = "C"
    env.pop("NO_COLOR", None)
    # Make every sanitizer finding fatal and visible (no effect on a build
    # without sanitizers).
    env["ASAN_OPTIONS"] = "detect_leaks=1:halt_on_error=1:" + env.get("ASAN_OPTIONS", "")
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:" + env.get("UBSAN_OPTIONS", "")

    paths = sorted(os.path.join(args.corpus, name) for name in os.listdir(args.corpus))
    if not paths:
        sys.exit("run_malformed: the corpus %s is empty" % args.corpus)
    passed, failed, good = 0, 0, []
    if args.batch:
        problems = check_all(paths, args, env) + check_all_text(paths, args, env)
        if not problems:
            for p in check_scan(args.corpus, paths, args, env):
                print("FAIL %s" % p)
                failed += 1
            print("malformed: %d inputs in two batches and a scan, %d failed" % (len(paths), failed))
            return 1 if failed else 0
        for p in problems:
            print("FAIL %s" % p, flush=True)
        print("malformed: a batch failed; running the inputs one by one to name them", flush=True)
        failed += 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for path, problems in zip(paths, pool.map(lambda p: check_one(p, args, env), paths)):
            if problems:
                failed += 1
                for p in problems:
                    print("FAIL %s: %s" % (os.path.basename(path), p), flush=True)
            else:
                passed += 1
                good.append(path)
    for problems in (check_all(good, args, env), check_scan(args.corpus, paths, args, env)):
        for p in problems:
            print("FAIL %s" % p)
        passed, failed = passed + (not problems), failed + bool(problems)
    print("malformed: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
