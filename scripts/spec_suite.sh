#!/usr/bin/env bash
# Official test suite pass rate: scripts/spec_suite.sh TESTSUITE_DIR [PARAWASM] [-O2]
# Runs every core, legacy/ and proposals/threads .wast file that wabt 1.0.32's own wast2json
# parses with every feature on (the issue-14 measure), each in its own process with a time limit,
# and sums the "N passed, M failed" lines. A file whose script parawasm cannot parse, or that
# dies, counts all its assertions (as wast2json sees them) as failed.
set -uo pipefail
suite=${1:?usage: spec_suite.sh TESTSUITE_DIR [PARAWASM] [-O2]}
pw=${2:-$(dirname "$0")/../build/parawasm}
opt=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0 files=0
for f in "$suite"/*.wast "$suite"/legacy/*.wast "$suite"/proposals/threads/*.wast; do
  [[ -f $f ]] || continue
  wast2json --enable-all -o "$tmp/x.json" "$f" >/dev/null 2>&1 || continue
  files=$((files + 1))
  asserts=$(python3 -c "import json,sys
c=json.load(open(sys.argv[1]))['commands']
print(sum(1 for x in c if x['type'] not in ('module','register')))" "$tmp/x.json")
  out=$(timeout 300 "$pw" wast $opt "$f" 2>&1)
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' <<<"$out" | tail -1)
  if [[ -z $line || $out == *"script does not parse"* ]]; then
    echo "$f: no result (${out:0:200})"
    failed=$((failed + asserts))
    continue
  fi
  p=${line%% passed*}
  m=${line#*, }
  m=${m%% failed}
  [[ $m != 0 ]] && echo "$f: $p passed, $m failed"
  passed=$((passed + p))
  failed=$((failed + m))
done
total=$((passed + failed))
echo "files: $files  passed: $passed  failed: $failed  rate: $(python3 -c "print(f'{100*$passed/max($total,1):.2f}%')")"
