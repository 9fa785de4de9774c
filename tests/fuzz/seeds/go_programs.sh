# Sourced by the Go seed scripts: the real Go programs to take seeds from,
# into the array go_programs: the Go fixtures (CANRUN_FIXTURES_DIR) and the
# programs of the installed Go toolchain.
go_programs=()
fixtures=${CANRUN_FIXTURES_DIR:-/nonexistent}
for d in go gomod go-pclntab go124 gostart; do
  for f in "$fixtures/$d"/*; do
    [ -f "$f" ] && [ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] && go_programs+=("$f")
  done
done
for f in /usr/lib/go-*/bin/* /usr/lib/go-*/pkg/tool/*/*; do
  [ -f "$f" ] && go_programs+=("$f")
done
