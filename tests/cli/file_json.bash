# Shared by the bats files that check one fixture at a time through a
# command's JSON: take the file's object, compare its keys.

# take_single: sets $json to the only entry of .files in $output (of a run
# on $file), which must have been read.
take_single() {
  json=$(jq -ce '.files | if length == 1 then .[0] else error("\(length) objects for one file") end' \
    <<<"$output") || { echo "bad output for $file: $output"; return 1; }
  if jq -e 'has("error")' <<<"$json" >/dev/null; then
    echo "canrun could not read $file: $json"
    return 1
  fi
}

# expect KEY JSON: canrun's KEY (dotted for nested keys, e.g. cet.ibt) is JSON.
expect() {
  local want got
  want=$(jq -cS . <<<"$2")
  got=$(jq -cS --arg k "$1" 'getpath($k | split("."))' <<<"$json")
  if [ "$want" != "$got" ]; then
    echo "$file: $1: want $want, got $got"
    return 1
  fi
}
