# Shared by the bats files that check one fixture at a time through a
# command's JSON: take the file's object, compare its keys.

# take_single: sets $json to the only entry of .files in $output (of a run
# on $file), which must have been read, and $json_keys to its values by
# dotted key (compact, keys sorted), so that expect needs no process of its
# own for each key.
take_single() {
  local flat
  flat=$(jq -r '
    def sortkeys: walk(if type == "object" then to_entries | sort_by(.key) | from_entries else . end);
    .files
    | if length == 1 then .[0] else error("\(length) objects for one file") end
    | if has("error") then error("canrun could not read it: \(tojson)") else . end
    | tojson,
      (. as $o | paths | select(all(.[]; type == "string")) as $p
       | "\($p | join("."))\t\($o | getpath($p) | sortkeys | tojson)")' <<<"$output") ||
    { echo "bad output for $file: $output"; return 1; }
  json=${flat%%$'\n'*}
  declare -gA json_keys=()
  local key value
  while IFS=$'\t' read -r key value; do
    json_keys[$key]=$value
  done < <(tail -n +2 <<<"$flat")
}

# expect KEY JSON: canrun's KEY (dotted for nested keys, e.g. cet.ibt) is JSON.
expect() {
  local got=${json_keys[$1]-null} want=$2
  # Written as canrun prints it: equal without asking jq.
  [ "$want" = "$got" ] && return 0
  want=$(jq -cS . <<<"$2")
  if [ "$want" != "$got" ]; then
    echo "$file: $1: want $want, got $got"
    return 1
  fi
}
