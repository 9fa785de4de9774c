#!/usr/bin/env python3
"""canrun check against saved profiles: the same verdict as against the roots.

Saves a profile of each test root (`canrun host --save FILE --root ROOT`),
then checks every case of the loader ground truth (run-matrix.sh's JSON
lines) with `--target profile:FILE` and with `--target ROOT`, the program
at its place in the root (`--at`): verdict, loader message, exit status,
execve error and finding ids must be equal, and the verdict must match the
real run. Prints each profile's size; ends with
`profile-truth: N equal, M deliberate, K failed`.
"""
import json
import os
import subprocess
import sys

from compare_deps import host_cpu

# A profile holds what the loader can find on the system's own paths. The
# libraries these programs load live next to them under /app and are found
# through $ORIGIN, an RPATH naming /app, or LD_LIBRARY_PATH: a saved server
# cannot know where a future program will sit, so a profile does not hold
# them and the loader's search fails where the root's succeeds. The same
# holds for the test loaders kept under /app.
DELIBERATE = {
    "bad-lib-first": "its libraries are in /app (RPATH)",
    "short-lib-first": "its libraries are in /app (RPATH)",
    "wrong-class-skipped": "its libraries are in /app (RPATH)",
    "wrong-class-only": "its libraries are in /app (RPATH)",
    "wrong-machine-skipped": "its libraries are in /app (RPATH)",
    "wrong-machine-only": "its libraries are in /app (RPATH)",
    "rpath-origin": "its libraries are in /app ($ORIGIN)",
    "runpath-origin": "its libraries are in /app ($ORIGIN)",
    "rpath-inherited": "its libraries are in /app (RPATH)",
    "runpath-not-inherited": "its libraries are in /app (RUNPATH)",
    "musl-runpath": "its libraries are in /app (RUNPATH)",
    "interp-text": "its loader is in /app",
    "interp-short": "its loader is in /app",
    "interp-noexec": "its loader is in /app",
    "interp-aarch64": "its loader is in /app",
    "hwcaps-v2": "its libraries are in /app (RUNPATH, glibc-hwcaps)",
    "isa-lib-v3": "its libraries are in /app (RUNPATH)",
    "isa-symbol-v3": "its libraries are in /app (RUNPATH)",
    "isa-version-v3": "its libraries are in /app (RUNPATH)",
    "lib-unversioned": "its libraries are in /app (RUNPATH)",
    "lib-version-missing": "its libraries are in /app (RUNPATH)",
    "missing-variable": "its libraries are in /app (RUNPATH)",
    "symbol-lazy": "its libraries are in /app (RUNPATH)",
    "symbol-now": "its libraries are in /app (RUNPATH)",
}


def check(canrun, target, t, cpu):
    cmd = [canrun, "check", "--json", "--cpu", cpu, "--target", target, "--at", t["argv0"],
           t["root_dir"] + t["argv0"]]
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        cell = json.loads(p.stdout)["files"][0]["targets"][0]
    except (ValueError, KeyError, IndexError):
        return None, p.stderr.strip()
    facts = {k: cell.get(k) for k in ("verdict", "loader_error", "exit_status", "exec_error")}
    facts["findings"] = sorted(f["id"] for f in cell.get("findings", []))
    facts["exit"] = p.returncode
    return facts, None


def main():
    truth_file, canrun, outdir = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(outdir, exist_ok=True)
    host = host_cpu()
    lines = [json.loads(l) for l in open(truth_file)]
    profiles = {}
    for t in lines:
        if t["root"] in profiles:
            continue
        path = os.path.join(outdir, t["root"] + ".json")
        p = subprocess.run([canrun, "host", "--save", path, "--root", t["root_dir"]], capture_output=True, text=True)
        if p.returncode != 0:
            print(f"FAIL save {t['root']}: {p.stderr.strip()}")
            return 1
        print(p.stdout.strip())
        profiles[t["root"]] = path
    equal = deliberate = failed = 0
    for t in lines:
        case, root = t["case"], t["root"]
        if case == "no-such-file" or t["env"]:
            continue  # no program; LD_LIBRARY_PATH is not check's
        cpu = t.get("cpu", host)
        name = f"{case}@{root}{' on ' + t['cpu'] if 'cpu' in t else ''}"
        want, err = check(canrun, t["root_dir"], t, cpu)
        got, err2 = check(canrun, "profile:" + profiles[root], t, cpu)
        if want is None or got is None:
            print(f"FAIL {name}: no JSON: {err or err2}")
            failed += 1
        elif want == got:
            real = "fails" if t["status"] != 0 else None
            if real == "fails" and got["verdict"] != "fails" and case not in ("symbol-lazy",):
                print(f"FAIL {name}: profile says {got['verdict']}, but it really failed")
                failed += 1
            else:
                equal += 1
        elif case in DELIBERATE:
            deliberate += 1
            print(f"deliberate {name}: {DELIBERATE[case]}")
        else:
            print(f"FAIL {name}: root {want} profile {got}")
            failed += 1
    print(f"profile-truth: {equal} equal, {deliberate} deliberate, {failed} failed")
    return 1 if failed or equal == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
