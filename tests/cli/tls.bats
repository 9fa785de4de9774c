#!/usr/bin/env bats
# canrun tls against the example gin server in its two HTTPS modes (RunTLS
# with Go's defaults; TLS 1.3 only) on loopback, with certificates made
# here: openssl s_client against the same server, and openssl x509 on the
# certificate it sends, are the oracles. Error cases: a closed port, a
# plain-HTTP server, a server that never answers, a name that does not
# resolve. Only 127.0.0.1 and ::1 are ever contacted.

bats_require_minimum_version 1.5.0

setup_file() {
  : "${CANRUN:?set CANRUN to the canrun binary}"
  export C="$BATS_FILE_TMPDIR"
  local san='subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1'
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -addext "$san" -days 365 -keyout "$C/ec.key" -out "$C/ec.pem" 2>/dev/null
  openssl req -x509 -newkey rsa:1024 -nodes -subj /CN=localhost \
    -addext "$san" -days 365 -keyout "$C/rsa.key" -out "$C/rsa.pem" 2>/dev/null
  # An expired leaf: a CA signs it with validity dates in the past.
  mkdir -p "$C/ca"
  : >"$C/ca/index.txt"
  echo 01 >"$C/ca/serial"
  cat >"$C/ca.cnf" <<CNF
[ca]
default_ca = c
[c]
database = $C/ca/index.txt
new_certs_dir = $C/ca
serial = $C/ca/serial
default_md = sha256
policy = p
copy_extensions = copy
unique_subject = no
[p]
commonName = supplied
CNF
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=Test Root' \
    -days 3650 -keyout "$C/ca.key" -out "$C/ca.pem" 2>/dev/null
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -addext "$san" -keyout "$C/old.key" -out "$C/old.csr" 2>/dev/null
  openssl ca -batch -config "$C/ca.cnf" -cert "$C/ca.pem" -keyfile "$C/ca.key" -in "$C/old.csr" \
    -out "$C/old-leaf.pem" -startdate 20200101000000Z -enddate 20210101000000Z 2>/dev/null
  # The chain as the server sends it: leaf, then the CA.
  openssl x509 -in "$C/old-leaf.pem" >"$C/old.pem"
  cat "$C/ca.pem" >>"$C/old.pem"
  # More leaves from the same CA: a current one (with an OCSP response for
  # stapling), one valid only from 2099, one signed with SHA-1, and one both
# expired and signed with SHA-1.
  leaf good -days 30
  leaf future -startdate 20990101000000Z -enddate 20991231000000Z
  leaf sha1 -days 30 -md sha1
  leaf oldsha1 -startdate 20200101000000Z -enddate 20210101000000Z -md sha1
  openssl ocsp -index "$C/ca/index.txt" -rsigner "$C/ca.pem" -rkey "$C/ca.key" -CA "$C/ca.pem" \
    -issuer "$C/ca.pem" -cert "$C/good.pem" -respout "$C/good.ocsp" -ndays 1 >/dev/null 2>&1
}

# leaf NAME OPENSSL-CA-ARGS...: $C/NAME.pem (leaf, then the CA) and NAME.key.
leaf() {
  local name=$1
  shift
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
    -addext 'subjectAltName=DNS:localhost,IP:127.0.0.1' -keyout "$C/$name.key" -out "$C/$name.csr" 2>/dev/null
  openssl ca -batch -config "$C/ca.cnf" -cert "$C/ca.pem" -keyfile "$C/ca.key" -in "$C/$name.csr" \
    -out "$C/$name-leaf.pem" "$@" 2>/dev/null
  openssl x509 -in "$C/$name-leaf.pem" >"$C/$name.pem"
  cat "$C/ca.pem" >>"$C/$name.pem"
}

setup() {
  GIN="${FIXTURES:?}/go/ginserver-nocgo"
  [ -x "$GIN" ] || skip "no $GIN (build the fixtures)"
  PIDS=()
}

teardown() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port HOST PORT: until something listens there (5 s at most).
wait_port() {
  local i
  for i in $(seq 50); do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on $1 port $2" >&2
  return 1
}

# serve CERT [--tls13-only]: the gin server on a free port, in $PORT.
serve() {
  local cert=$1
  shift
  PORT=$(free_port)
  "$GIN" --config "$FIXTURES/go/config.yaml" --listen "127.0.0.1:$PORT" \
    --tls-cert "$C/$cert.pem" --tls-key "$C/$cert.key" "$@" 2>/dev/null &
  PIDS+=($!)
  wait_port 127.0.0.1 "$PORT"
}

# sserve CERT S_SERVER-ARGS...: openssl s_server on a free port, in $PORT.
sserve() {
  local cert=$1
  shift
  PORT=$(free_port)
  openssl s_server -accept "127.0.0.1:$PORT" -cert "$C/$cert.pem" -key "$C/$cert.key" -www "$@" >/dev/null 2>&1 &
  PIDS+=($!)
  wait_port 127.0.0.1 "$PORT"
}

sclient() {
  echo Q | timeout 10 openssl s_client -connect "127.0.0.1:$PORT" -servername localhost "$@" 2>&1 | tr -d '\0'
}

# The value after "KEY: " in s_client -brief output.
brief() { sed -n "s/^$1: //p" | head -1; }

tlsj() {
  run -0 jq -r "$1" <<<"$OUT"
  echo "$output"
}

probe() {
  run "$CANRUN" tls --json "$@"
  STATUS=$status
  OUT=$output
}

@test "protocol, cipher, group, ALPN and verify equal s_client's against the RunTLS server" {
  serve ec
  probe "localhost:$PORT"
  [ "$STATUS" -eq 1 ] # self-signed: no system CA verifies it
  ref=$(sclient -brief -alpn h2,http/1.1)
  [ "$(tlsj .protocol)" = "$(brief 'Protocol version' <<<"$ref")" ]
  [ "$(tlsj .cipher)" = "$(brief Ciphersuite <<<"$ref")" ]
  group=$(brief 'Server Temp Key' <<<"$ref")
  [ "$(tlsj .group)" = "$(tr 'A-Z' 'a-z' <<<"${group%%,*}")" ]
  [ "$(tlsj .alpn)" = "$(sclient -alpn h2,http/1.1 | brief 'ALPN protocol')" ]
  [ "$(tlsj .sni)" = localhost ]
  [ "$(tlsj .verify.text)" = "$(brief 'Verification error' <<<"$ref")" ]
  [ "$(tlsj .verify.code)" = 18 ]
  [ "$(tlsj '[.findings[].id] | sort | join(",")')" = legacy-tls-accepted,legacy-tls-accepted,self-signed,verify-failed ]
}

@test "the certificate as sent equals openssl x509 on s_client -showcerts" {
  serve ec
  probe "localhost:$PORT"
  sclient -showcerts | openssl x509 >"$BATS_TEST_TMPDIR/sent.pem"
  x() { openssl x509 -in "$BATS_TEST_TMPDIR/sent.pem" -noout "$@"; }
  [ "$(tlsj '.chain | length')" = 1 ]
  [ "subject=$(tlsj '.chain[0].subject')" = "$(x -subject)" ]
  [ "issuer=$(tlsj '.chain[0].issuer')" = "$(x -issuer)" ]
  [ "notAfter=$(tlsj '.chain[0].not_after')" = "$(x -enddate)" ]
  [ "notBefore=$(tlsj '.chain[0].not_before')" = "$(x -startdate)" ]
  [ "$(tlsj '.chain[0].san')" = "$(x -ext subjectAltName | sed -n '2s/^ *//p')" ]
  [ "$(tlsj '.chain[0].key_bits')" = "$(x -text | sed -n 's/.*Public-Key: (\([0-9]*\) bit)/\1/p')" ]
  [ "$(tlsj '.chain[0].signature')" = "$(x -text | sed -n '0,/Signature Algorithm: /s/.*Signature Algorithm: //p')" ]
  days=$(( ($(date -d "$(x -enddate | cut -d= -f2)" +%s) - $(date +%s)) / 86400 ))
  [ "$(tlsj '.chain[0].days_left')" = "$days" ]
  [ "$(tlsj '.chain[0].self_signed')" = true ]
}

@test "--ca makes the chain verify as s_client -CAfile says; warnings only: exit 3" {
  serve ec
  probe --ca "$C/ec.pem" "localhost:$PORT"
  [ "$STATUS" -eq 3 ]
  [ "$(sclient -brief -CAfile "$C/ec.pem" | brief Verification)" = OK ]
  [ "$(tlsj .verify.code)" = 0 ]
  [ "$(tlsj .name_match)" = true ]
}

# Each version alone: accepted exactly when s_client limited to it connects.
versions_equal_sclient() {
  local v flag extra json
  for v in tls1:TLSv1 tls1_1:TLSv1.1 tls1_2:TLSv1.2 tls1_3:TLSv1.3; do
    flag=${v%%:*}
    json=${v#*:}
    extra=()
    # OpenSSL 3 refuses TLS 1.0/1.1 itself at the default security level.
    case $flag in tls1 | tls1_1) extra=(-cipher 'DEFAULT@SECLEVEL=0') ;; esac
    if sclient -brief "-$flag" "${extra[@]}" | grep -q '^CONNECTION ESTABLISHED'; then want=accepted; else want=refused; fi
    echo "$json: s_client $want, canrun $(tlsj ".versions[\"$json\"].result")"
    [ "$(tlsj ".versions[\"$json\"].result")" = "$want" ]
  done
}

@test "per-version acceptance equals s_client -tls1 .. -tls1_3 against RunTLS (Go's defaults)" {
  serve ec
  probe --ca "$C/ec.pem" "localhost:$PORT"
  versions_equal_sclient
  [ "$(tlsj '.versions.TLSv1.result')" = accepted ]
}

@test "per-version acceptance equals s_client's against --tls13-only; no legacy finding" {
  serve ec --tls13-only
  probe --ca "$C/ec.pem" "localhost:$PORT"
  [ "$STATUS" -eq 3 ]
  versions_equal_sclient
  [ "$(tlsj '.versions["TLSv1.2"].result')" = refused ]
  [ "$(tlsj '[.findings[].id] | join(",")')" = self-signed ]
  [ "$(tlsj .protocol)" = "$(sclient -brief | brief 'Protocol version')" ]
}

@test "RSA 1024: rsa-key-too-small, and the verify error s_client -CAfile gives" {
  serve rsa
  probe --ca "$C/rsa.pem" "localhost:$PORT"
  [ "$STATUS" -eq 1 ]
  [ "$(tlsj '.chain[0].key_type + " " + (.chain[0].key_bits|tostring)')" = "RSA 1024" ]
  [ "$(tlsj '.verify.text')" = "$(sclient -brief -CAfile "$C/rsa.pem" | brief 'Verification error')" ]
  [ "$(tlsj '[.findings[] | select(.id == "rsa-key-too-small")] | length')" = 1 ]
}

@test "an expired leaf from a CA: cert-expired, both certificates as sent, s_client's verify error" {
  serve old
  probe --ca "$C/ca.pem" "localhost:$PORT"
  [ "$STATUS" -eq 1 ]
  [ "$(tlsj '.chain | length')" = 2 ]
  [ "$(tlsj '.chain[1].subject')" = "CN = Test Root" ]
  [ "$(tlsj '.chain[0].issuer')" = "CN = Test Root" ]
  [ "$(tlsj '.chain[0].expired')" = true ]
  [ "$(tlsj '.chain[0].self_signed')" = false ]
  [ "$(tlsj '.verify.text')" = "$(sclient -brief -CAfile "$C/ca.pem" | brief 'Verification error')" ]
  [ "$(tlsj '.verify.text')" = "certificate has expired" ]
  [ "$(tlsj '[.findings[] | select(.id == "cert-expired")] | length')" = 1 ]
}

@test "--sni with a name the certificate lacks: name-mismatch, as openssl x509 -checkhost says" {
  serve ec
  probe --ca "$C/ec.pem" --sni wronghost "127.0.0.1:$PORT"
  [ "$STATUS" -eq 1 ]
  run -0 openssl x509 -in "$C/ec.pem" -noout -checkhost wronghost
  [[ $output == *"does NOT match"* ]]
  [ "$(tlsj .name_match)" = false ]
  [ "$(tlsj '[.findings[] | select(.id == "name-mismatch")] | length')" = 1 ]
  # An IP address is checked against the IP SANs, and no SNI is sent for it.
  probe --ca "$C/ec.pem" "127.0.0.1:$PORT"
  [ "$STATUS" -eq 3 ]
  [ "$(tlsj .name_match)" = true ]
  [ "$(tlsj .sni)" = null ]
}

@test "IPv6: [::1]:PORT" {
  PORT=$(free_port)
  "$GIN" --config "$FIXTURES/go/config.yaml" --listen "[::1]:$PORT" \
    --tls-cert "$C/ec.pem" --tls-key "$C/ec.key" 2>/dev/null &
  PIDS+=($!)
  wait_port ::1 "$PORT" || skip "no ::1 here"
  probe --ca "$C/ec.pem" "[::1]:$PORT"
  [ "$STATUS" -eq 3 ]
  [ "$(tlsj .address)" = ::1 ]
  [ "$(tlsj .name_match)" = true ]
}

@test "text report: the short form, with each finding's fix" {
  serve ec
  run -1 "$CANRUN" tls "localhost:$PORT"
  [[ $output == *"protocol     TLSv1.3"* ]]
  [[ $output == *"fail    the chain does not verify against the system CA store: self-signed certificate (18) [verify-failed]"* ]]
  [[ $output == *"        fix: "* ]]
}

@test "a closed port: exit 2, one line" {
  PORT=$(free_port)
  run -2 --separate-stderr "$CANRUN" tls "127.0.0.1:$PORT"
  [ "$stderr" = "canrun: 127.0.0.1:$PORT: connect to 127.0.0.1 port $PORT: Connection refused" ]
  [ -z "$output" ]
}

@test "a plain-HTTP server: exit 2, not a TLS server" {
  PORT=$(free_port)
  python3 -m http.server --bind 127.0.0.1 "$PORT" >/dev/null 2>&1 &
  PIDS+=($!)
  wait_port 127.0.0.1 "$PORT"
  run -2 --separate-stderr "$CANRUN" tls "127.0.0.1:$PORT"
  [[ $stderr == "canrun: 127.0.0.1:$PORT: not a TLS server"* ]]
}

@test "a server that accepts and never answers: exit 2 within --timeout" {
  PORT=$(free_port)
  python3 -c 'import socket,sys,time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); time.sleep(60)' "$PORT" &
  PIDS+=($!)
  wait_port 127.0.0.1 "$PORT"
  start=$(date +%s%N)
  run -2 --separate-stderr "$CANRUN" tls --timeout 2 "127.0.0.1:$PORT"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  echo "took $ms ms: $stderr"
  [ "$ms" -ge 1900 ] && [ "$ms" -lt 4000 ]
  [[ $stderr == *"no TLS handshake within 2 s"* ]]
}

@test "a name that does not resolve: exit 2" {
  run -2 --separate-stderr "$CANRUN" tls --timeout 2 nosuch.invalid:443
  [[ $stderr == "canrun: nosuch.invalid:443: cannot resolve nosuch.invalid"* ]]
}

@test "usage errors: exit 64; --help: exit 0" {
  run -64 "$CANRUN" tls
  run -64 "$CANRUN" tls localhost
  run -64 "$CANRUN" tls localhost:99999
  run -64 "$CANRUN" tls "[::1]"
  run -64 "$CANRUN" tls --timeout x 127.0.0.1:1
  run -64 "$CANRUN" tls --bogus 127.0.0.1:1
  run -0 "$CANRUN" tls --help
  [[ $output == usage:* ]]
}

@test "--warn-days: cert-expiring when notAfter is nearer; not when farther" {
  serve ec
  probe --ca "$C/ec.pem" --warn-days 400 "localhost:$PORT"
  [ "$STATUS" -eq 3 ]
  [ "$(tlsj '[.findings[] | select(.id == "cert-expiring")] | length')" = 1 ]
  probe --ca "$C/ec.pem" --warn-days 10 "localhost:$PORT"
  [ "$(tlsj '[.findings[] | select(.id == "cert-expiring")] | length')" = 0 ]
}

@test "resumption and OCSP against RunTLS equal s_client -status, -sess_out and -sess_in" {
  serve ec
  probe --ca "$C/ec.pem" "localhost:$PORT"
  ref=$(sclient -status -sess_out "$BATS_TEST_TMPDIR/sess.pem")
  [[ $ref == *"OCSP response: no response sent"* ]]
  [ "$(tlsj .ocsp_stapled)" = false ]
  [ "$(tlsj .session.resumable)" = true ]
  [ "$(tlsj .session.ticket)" = true ]
  hint=$(sed -n 's/.*TLS session ticket lifetime hint: \([0-9]*\).*/\1/p' <<<"$ref")
  [ "$(tlsj .session.ticket_lifetime_hint)" = "$hint" ]
  again=$(sclient -sess_in "$BATS_TEST_TMPDIR/sess.pem")
  [[ $again == *"Reused, TLSv1.3"* ]]
  [ "$(tlsj .session.resumed)" = true ]
  run -3 "$CANRUN" tls --ca "$C/ec.pem" "localhost:$PORT"
  [[ $output == *"resumption   ticket (lifetime hint $hint s), resumed"* ]]
  [[ $output == *"ocsp         no response stapled"* ]]
}

@test "a stapled OCSP response (s_server -status_file): ocsp_stapled, as s_client -status shows" {
  sserve good -status_file "$C/good.ocsp"
  probe --ca "$C/ca.pem" "localhost:$PORT"
  [[ $(sclient -status) == *"OCSP Response Status: successful"* ]]
  [ "$(tlsj .ocsp_stapled)" = true ]
  [ "$(tlsj .verify.code)" = 0 ]
  [ "$(tlsj .session.resumed)" = true ]
}

@test "a TLS 1.2-only server (s_server -tls1_2): no-tls13, as s_client -tls1_3 fails" {
  sserve ec -tls1_2
  probe --ca "$C/ec.pem" "localhost:$PORT"
  [ "$STATUS" -eq 3 ]
  ! sclient -brief -tls1_3 | grep -q '^CONNECTION ESTABLISHED'
  [ "$(tlsj .protocol)" = "$(sclient -brief | brief 'Protocol version')" ]
  [ "$(tlsj '.versions["TLSv1.3"].result')" = refused ]
  [ "$(tlsj '[.findings[].id] | sort | join(",")')" = no-tls13,self-signed ]
}

@test "a leaf signed with SHA-1: the chain is still read; sha1-signature and s_client's verify error" {
  # OpenSSL 3 will not even load it at security level 1+ ("ca md too weak").
  sserve sha1 -cipher DEFAULT@SECLEVEL=0
  probe --ca "$C/ca.pem" "localhost:$PORT"
  [ "$STATUS" -eq 1 ]
  [ "$(tlsj '.chain[0].subject')" = "CN = localhost" ]
  want=$(openssl x509 -in "$C/sha1.pem" -noout -text | sed -n '0,/Signature Algorithm: /s/.*Signature Algorithm: //p')
  [ "$(tlsj '.chain[0].signature')" = "$want" ]
  [ "$(tlsj .verify.text)" = "$(sclient -brief -CAfile "$C/ca.pem" | brief 'Verification error')" ]
  # openssl verify checks the digest only with an auth level, as TLS sets one.
  want="rror $(tlsj .verify.code) at 0 depth lookup: $(tlsj .verify.text)"
  run openssl verify -auth_level 2 -CAfile "$C/ca.pem" "$C/sha1-leaf.pem"
  [[ $output == *"$want"* ]]
  [ "$(tlsj '[.findings[] | select(.id == "sha1-signature")] | length')" = 1 ]
}

@test "a leaf valid only from 2099: cert-not-yet-valid, with openssl x509's start date and s_client's error" {
  serve future
  probe --ca "$C/ca.pem" "localhost:$PORT"
  [ "$STATUS" -eq 1 ]
  [ "$(tlsj '.chain[0].not_yet_valid')" = true ]
  [ "$(tlsj '.chain[1].not_yet_valid')" = false ]
  [ "notBefore=$(tlsj '.chain[0].not_before')" = "$(openssl x509 -in "$C/future.pem" -noout -startdate)" ]
  [ "$(tlsj .verify.text)" = "$(sclient -brief -CAfile "$C/ca.pem" | brief 'Verification error')" ]
  [ "$(tlsj .verify.text)" = "certificate is not yet valid" ]
  [ "$(tlsj '[.findings[] | select(.id == "cert-not-yet-valid")] | .[0].evidence')" = "$(tlsj '.chain[0].not_before')" ]
}

@test "every verification error, in s_client's order; the last is the one reported, as there" {
  sserve oldsha1 -cipher DEFAULT@SECLEVEL=0
  probe --ca "$C/ca.pem" "localhost:$PORT"
  [ "$STATUS" -eq 1 ]
  ref=$(sclient -CAfile "$C/ca.pem")
  want=$(sed -n 's/^verify error:num=//p' <<<"$ref")
  [ "$(tlsj '.verify.errors[] | "\(.code):\(.text)"')" = "$want" ]
  [ "$(tlsj '.verify.errors | length')" = 2 ]
  [ "$(tlsj '"\(.verify.code) (\(.verify.text))"')" = "$(sed -n 's/^ *Verify return code: //p' <<<"$ref" | head -1)" ]
  msg=$(tlsj '.findings[] | select(.id == "verify-failed") | .message')
  [[ $msg == *"certificate has expired (10); also: CA signature digest algorithm too weak (68, depth 0)" ]]
}

@test "a chain sent out of order: chain-order, in the order s_client -showcerts lists it" {
  # The leaf, an unrelated certificate, then the leaf's issuer.
  cat "$C/good-leaf.pem" "$C/ec.pem" "$C/ca.pem" >"$C/misordered.pem"
  cp "$C/good.key" "$C/misordered.key"
  serve misordered
  probe --ca "$C/ca.pem" "localhost:$PORT"
  [ "$STATUS" -eq 3 ]
  [ "$(tlsj '[.chain[].subject] | join("|")')" = \
    "$(sclient -showcerts | sed -n 's/^ *[0-9]* s:\(.*\)$/\1/p' | sed 's/=/ = /g; s/  */ /g' | paste -sd'|')" ]
  [ "$(tlsj '[.findings[] | select(.id == "chain-order")] | length')" = 1 ]
  [[ "$(tlsj '.findings[] | select(.id == "chain-order") | .message')" == *"its issuer is certificate 2"* ]]
  # In order, no such finding.
  serve good
  probe --ca "$C/ca.pem" "localhost:$PORT"
  [ "$(tlsj '[.findings[] | select(.id == "chain-order")] | length')" = 0 ]
}
