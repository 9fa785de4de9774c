#!/usr/bin/env python3
"""canrun check against saved profiles: the same verdict as against the roots.

Saves a profile of each test root (`canrun host --save FILE --root ROOT
--include /app`),
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

from compare_deps import DELIBERATE as PREDICTION_GAPS, host_cpu

# Every case is compared: the programs of the ground truth sit in /app of
# each root with the libraries and loaders they bring, and the profiles are
# saved with --include /app, as a server's profile would include the
# directory its application is deployed to. Nothing is deliberately
# different; the table stays for the day something must be.
DELIBERATE = {}


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
        p = subprocess.run([canrun, "host", "--save", path, "--root", t["root_dir"], "--include", "/app"],
                           capture_output=True, text=True)
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
            # canrun's own known gaps against the real run (compare_deps.py)
            # hold for roots and profiles alike.
            if real == "fails" and got["verdict"] != "fails" and (case, root) not in PREDICTION_GAPS:
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
