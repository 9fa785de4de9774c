#!/usr/bin/env python3
"""canrun deps and canrun check against the ground truth of real runs inside real roots.

Reads the JSON lines that run-matrix.sh wrote (what the kernel and loader
really did for each case and root) and asks canrun, which runs nothing, to
predict the same: the execve error, the loader's exact text and the exit
status. Ends with `deps-truth: N passed, M failed`.
"""
import json
import subprocess
import sys

# Deliberate differences, each with its reason.
DELIBERATE = {
    # glibc before 2.41 asserts in check_match when a versioned reference
    # meets a library without version information; canrun reports the
    # warning and the missing version data, not the assertion's text.
    ("lib-unversioned", "bookworm"): "assertion text of glibc < 2.41 not predicted",
    # The program starts; the missing function fails at its first call.
    # canrun says so (missing_symbols[].lazy) instead of a start failure.
    ("symbol-lazy", "bookworm"): "lazy",
    ("symbol-lazy", "trixie"): "lazy",
}


def host_cpu():
    out = subprocess.run(["/lib64/ld-linux-x86-64.so.2", "--help"], capture_output=True, text=True).stdout
    for level in ("4", "3", "2"):
        if f"x86-64-v{level} (supported, searched)" in out:
            return f"x86-64-v{level}"
    return "x86-64-v1"


def check_verdict(canrun, t, cpu):
    """The same case through `canrun check`: its verdict and loader text."""
    cmd = [canrun, "check", "--json", "--cpu", cpu, "--target", t["root_dir"], "--at", t["argv0"],
           t["root_dir"] + t["argv0"]]
    p = subprocess.run(cmd, capture_output=True, text=True)
    try:
        cell = json.loads(p.stdout)["files"][0]["targets"][0]
    except (ValueError, KeyError, IndexError):
        return [f"check gave no JSON: {p.stderr.strip()}"]
    problems = []
    why = DELIBERATE.get((t["case"], t["root"]))
    if why and why != "lazy":
        return []  # the deliberate difference holds for check too
    want = "warns" if why == "lazy" else "fails" if t["status"] != 0 else None
    if want == "fails" and cell["verdict"] != "fails":
        problems.append(f"check verdict {cell['verdict']}, but it really failed")
    if want is None and cell["verdict"] == "fails":
        problems.append("check says fails, but it really ran")
    if want == "warns" and cell["verdict"] != "warns":
        problems.append(f"check verdict {cell['verdict']}, expected warns (lazy miss)")
    if t["execve_error"] is None and not why and t["status"] != 0:
        if (cell["loader_error"] or "") not in t["stderr"] or not cell["loader_error"]:
            problems.append(f"check loader_error {cell['loader_error']!r} vs {t['stderr']!r}")
    return problems


def main():
    truth_file, canrun = sys.argv[1], sys.argv[2]
    host = host_cpu()
    passed = failed = 0
    for line in open(truth_file):
        t = json.loads(line)
        case, root = t["case"], t["root"]
        if case == "no-such-file":
            continue
        # Runs on an emulated CPU say which; the others ran on this one.
        cpu = t.get("cpu", host)
        cmd = [canrun, "deps", "--json", "--root", t["root_dir"], "--at", t["argv0"], "--cpu", cpu]
        for e in t["env"]:
            cmd += ["--env", e]
        cmd.append(t["root_dir"] + t["argv0"])
        p = subprocess.run(cmd, capture_output=True, text=True)
        try:
            r = json.loads(p.stdout)["files"][0]
        except (ValueError, KeyError, IndexError):
            print(f"FAIL {case}@{root}: canrun gave no JSON: {p.stderr.strip()}")
            failed += 1
            continue
        problems = []
        why = DELIBERATE.get((case, root))
        if "error" in r:
            problems.append(f"canrun error: {r['error']}")
        elif why == "lazy":
            lazy = [m["name"] for m in r["missing_symbols"] if m["lazy"]]
            if r["exit_status"] != 0 or not lazy or lazy[0] not in t["stderr"]:
                problems.append(f"expected a start and a lazy miss, got status {r['exit_status']} lazy={lazy}")
        elif why:
            if (r["loader_warnings"] or "") not in t["stderr"]:
                problems.append(f"warnings {r['loader_warnings']!r} not in {t['stderr']!r}")
        else:
            if (r["exec_error"] or None) != t["execve_error"]:
                problems.append(f"execve: canrun={r['exec_error']} real={t['execve_error']}")
            if r["exit_status"] != t["status"]:
                problems.append(f"status: canrun={r['exit_status']} real={t['status']}")
            if t["execve_error"] is None:
                said = (r["loader_warnings"] or "") + (r["loader_error"] or "")
                if said != t["stderr"]:
                    problems.append(f"text: canrun={said!r} real={t['stderr']!r}")
        if not t["env"]:
            problems += check_verdict(canrun, t, cpu)
        if problems:
            failed += 1
            print(f"FAIL {case}@{root}{' on ' + t['cpu'] if 'cpu' in t else ''}: " + "; ".join(problems))
        else:
            passed += 1
    print(f"deps-truth: {passed} passed, {failed} failed")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
