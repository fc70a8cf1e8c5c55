#!/usr/bin/env bash
# link_layers.sh NM DEPS_TXT LIB=FILE[|FILE...]...
# The layers hold at link time too: no library refers to a symbol that only a library outside
# its dependencies (DEPS_TXT, written by CMakeLists.txt) defines. An include path cannot catch a
# declaration repeated by hand, or a public API function that a lower library calls and src/api
# defines.
set -euo pipefail
nm=$1 deps=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
declare -A direct files
while IFS=: read -r lib below; do
  direct[$lib]=$below
done <"$deps"
for arg in "$@"; do
  lib=${arg%%=*}
  files[$lib]=${arg#*=}
  IFS='|' read -ra objs <<<"${files[$lib]}"
  "$nm" --defined-only "${objs[@]}" 2>/dev/null | awk 'NF == 3 && $2 ~ /^[TDBR]$/ { print $3 }' |
    sort -u >"$work/$lib.def"
  "$nm" --undefined-only "${objs[@]}" 2>/dev/null | awk '$1 == "U" { print $2 }' |
    sort -u >"$work/$lib.undef"
done
closure() { # the library and everything below it
  local out=" $1 " todo=($1) l d
  while ((${#todo[@]})); do
    l=${todo[0]} todo=("${todo[@]:1}")
    for d in ${direct[$l]:-}; do
      [[ $out == *" $d "* ]] || { out+="$d "; todo+=("$d"); }
    done
  done
  echo "$out"
}
status=0
for lib in "${!files[@]}"; do
  below=$(closure "$lib")
  for other in "${!files[@]}"; do
    [[ $below == *" $other "* ]] && continue
    wrong=$(comm -12 "$work/$lib.undef" "$work/$other.def" | head -5)
    if [[ -n $wrong ]]; then
      echo "src/$lib refers to what src/$other defines, which it does not depend on:"
      c++filt <<<"$wrong" | sed 's/^/  /'
      status=1
    fi
  done
done
((status == 0)) && echo "no library refers to one outside its dependencies (${!files[*]})"
exit $status
