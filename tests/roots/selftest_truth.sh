#!/usr/bin/env bash
# Run-time files ground truth: the example server's --selftest, run inside
# real root filesystems, against what canrun's run-time file check predicts
# for the same binary in the same root.
#
# Usage: selftest_truth.sh ROOTSDIR CHECK RUNIN FIXTURES
#   ROOTSDIR  made by make-roots.sh (bullseye, bookworm, trixie, musl, empty)
#   CHECK     canrun-runtime-check (prints "id<TAB>severity<TAB>evidence"
#             per finding for ROOT and PROGRAM)
#   RUNIN     canrun-runin
#   FIXTURES  the fixtures directory; the server variants are in FIXTURES/go
#             (examples/ginserver/build.sh)
#
# `ginserver --selftest` prints "selftest STEP: ok ..." or "selftest STEP:
# FAIL ..." for config, dns, user, tls-roots and tzdata. Each variant runs in
# each scenario below the way a container runtime starts it, and the steps
# that FAIL must be exactly the ones canrun's warnings name:
#
#   tls-roots  ca-bundle-missing
#   tzdata     tzdata-missing
#   user       passwd-missing, or nss-module-missing naming the passwd line
#   dns        nss-module-missing naming the hosts line
#
# A warning that maps to no failing step, or a failing step no warning
# names, fails the case; config must always pass.
#
# dns: a container runtime writes /etc/hosts (localhost) and /etc/resolv.conf
# into every container, so canrun never asks an image for them, and this
# script writes them into every scenario too, as canrun-runin does not. The
# resolv.conf names 192.0.2.53 (TEST-NET-1, never answers), so a lookup that
# leaves /etc/hosts fails the same way offline and online. The dns step then
# fails only when glibc's NSS cannot reach the hosts file: a cgo lookup whose
# hosts line names only a missing module.
#
# Not observable here, so not a scenario: a missing module listed after a
# source that answers (Debian's "passwd: files systemd" without
# libnss-systemd). canrun warns, since users only that module knows are not
# found, but root, the only user the selftest looks up, is in /etc/passwd.
#
# The scenarios are hard-linked copies of the roots (cp -al) in a temporary
# folder under ROOTSDIR, so every file the script changes is first removed,
# never written through a shared inode:
#
#   bullseye, bookworm, trixie  debootstrap minbase as made: tzdata and
#                               /etc/passwd, no CA certificates
#   bookworm-ca                 plus this machine's CA bundle as
#                               /etc/ssl/certs/ca-certificates.crt (what
#                               installing ca-certificates leaves there,
#                               without needing the archive)
#   bookworm-notz               without /usr/share/zoneinfo
#   bookworm-nopasswd           without /etc/passwd
#   bookworm-nonss              without /etc/nsswitch.conf (glibc defaults)
#   bookworm-nss                nsswitch.conf naming only modules that are
#                               not installed: passwd and group: sss,
#                               hosts: resolve
#   musl, empty                 nothing but a libc (or not even that)
#
# Variants: ginserver-nocgo and -static-netgo everywhere, -cgo where the root
# has glibc 2.34 or newer (it needs GLIBC_2.34), -musl where the root has
# musl's loader. Needs root; exits 77 (skip) otherwise.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 ROOTSDIR CHECK RUNIN FIXTURES" >&2; exit 64; }
[ "$(id -u)" -eq 0 ] || { echo "selftest-truth: needs root (chroot); skipped"; exit 77; }
roots=$(cd "$1" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
check=$(abs "$2")
runin=$(abs "$3")
go=$(cd "$4/go" && pwd)
host_ca=${CANRUN_HOST_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}

for r in bullseye bookworm trixie musl empty; do
  [ -f "$roots/$r.stamp" ] || { echo "selftest-truth: root $r is missing; run make-roots.sh $roots" >&2; exit 1; }
done
for v in nocgo static-netgo cgo musl; do
  [ -f "$go/ginserver-$v" ] || { echo "selftest-truth: $go/ginserver-$v is missing; run examples/ginserver/build.sh $go" >&2; exit 1; }
done
[ -f "$go/config.yaml" ] || { echo "selftest-truth: $go/config.yaml is missing" >&2; exit 1; }

# Not while make-roots.sh rebuilds the roots.
exec 9>"$roots/.lock"
flock 9

work=$(mktemp -d "$roots/selftest-truth.XXXXXX")
trap 'rm -rf --one-file-system "$work"' EXIT

# put ROOT PATH: replaces ROOT/PATH with stdin, never writing into a file
# the copy shares with the original root.
put() {
  mkdir -p "$(dirname "$1/$2")"
  rm -f "$1/$2"
  cat >"$1/$2"
}

# scenario NAME BASE: a copy of root BASE with what a runtime adds.
scenario() {
  local dir=$work/$1
  cp -al "$roots/$2" "$dir"
  put "$dir" etc/hosts <<'EOF'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
EOF
  put "$dir" etc/resolv.conf <<<'nameserver 192.0.2.53'
}

scenario bullseye bullseye
scenario bookworm bookworm
scenario trixie trixie
scenario musl musl
scenario empty empty
scenarios=(bullseye bookworm)
if [ -f "$host_ca" ]; then
  scenario bookworm-ca bookworm
  put "$work/bookworm-ca" etc/ssl/certs/ca-certificates.crt <"$host_ca"
  scenarios+=(bookworm-ca)
else
  echo "selftest-truth: no CA bundle at $host_ca; bookworm-ca left out"
fi
scenario bookworm-notz bookworm
rm -rf "$work/bookworm-notz/usr/share/zoneinfo"
scenario bookworm-nopasswd bookworm
rm -f "$work/bookworm-nopasswd/etc/passwd"
scenario bookworm-nonss bookworm
rm -f "$work/bookworm-nonss/etc/nsswitch.conf"
scenario bookworm-nss bookworm
put "$work/bookworm-nss" etc/nsswitch.conf <<'EOF'
passwd: sss
group:  sss
hosts:  resolve
EOF
scenarios+=(bookworm-notz bookworm-nopasswd bookworm-nonss bookworm-nss trixie musl empty)

# The root's glibc version, or nothing.
glibc_of() {
  local f
  for f in "$1"/lib/x86_64-linux-gnu/libc.so.6 "$1"/usr/lib/x86_64-linux-gnu/libc.so.6 "$1"/lib64/libc.so.6; do
    [ -f "$f" ] || continue
    grep -m1 -aoE 'release version [0-9]+\.[0-9]+' "$f" | awk '{ print $3 }'
    return
  done
}

variants_for() {
  local dir=$1 v
  echo nocgo static-netgo
  v=$(glibc_of "$dir")
  if [ -n "$v" ] && [ "$(printf '%s\n2.34\n' "$v" | sort -V | head -n 1)" = 2.34 ]; then echo cgo; fi
  [ -e "$dir/lib/ld-musl-x86_64.so.1" ] && echo musl
  return 0
}

# Lines to one sorted, space-separated line.
words() { sort -u | paste -sd ' ' -; }
indent() { sed 's/^/    /'; }

passed=0
failed=0
table=()
for s in "${scenarios[@]}"; do
  dir=$work/$s
  mkdir -p "$dir/app"
  cp "$go/config.yaml" "$dir/app/config.yaml"
  for v in $(variants_for "$dir"); do
    exe=ginserver-$v
    cp "$go/$exe" "$dir/app/$exe"
    # What really happens.
    out=$(timeout 120 "$runin" "$dir" "/app/$exe" --selftest --config /app/config.yaml 2>&1) || true
    real=$(awk '/^selftest [a-z-]+: FAIL/ { sub(":", "", $2); print $2 }' <<<"$out" | words)
    steps=$(grep -cE '^selftest (config|dns|user|tls-roots|tzdata): (ok|FAIL)' <<<"$out" || true)
    # What canrun says.
    predicted=$({ "$check" "$dir" "$dir/app/$exe" || printf 'check-error\twarn\t\n'; } | awk -F '\t' '
      $2 != "warn" && $2 != "fail" { next }
      $1 == "ca-bundle-missing" { print "tls-roots"; next }
      $1 == "tzdata-missing" { print "tzdata"; next }
      $1 == "passwd-missing" { print "user"; next }
      $1 == "nss-module-missing" {
        hit = 0
        if ($3 ~ / hosts:/) { print "dns"; hit = 1 }
        if ($3 ~ / passwd:/) { print "user"; hit = 1 }
        if (!hit) print "other:" $1
        next
      }
      { print "other:" $1 }' | words)
    if [ "$steps" -ne 5 ] || [[ " $real " == *" config "* ]]; then
      echo "FAIL $s $exe: the selftest did not run through (config must pass):"
      indent <<<"$out"
      failed=$((failed + 1))
    elif [ "$real" = "$predicted" ]; then
      echo "ok   $s $exe: failing ${real:-nothing}"
      passed=$((passed + 1))
    else
      echo "FAIL $s $exe: the selftest fails ${real:-nothing}, canrun warns ${predicted:-nothing}"
      indent <<<"$out"
      "$check" "$dir" "$dir/app/$exe" | sed 's/^/    canrun: /'
      failed=$((failed + 1))
    fi
    table+=("$(printf '%-18s %-22s %-24s %s' "$s" "$exe" "${real:-(none)}" "${predicted:-(none)}")")
  done
done

echo
printf '%-18s %-22s %-24s %s\n' scenario variant "failing steps" "canrun warns about"
printf '%s\n' "${table[@]}"
echo "selftest-truth: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
