#!/usr/bin/env bash
# Compares `arpscope read -n [-e]` with every filtered tcpdump reference in ../shared/corpus.
# Usage: scripts/golden-check.sh [-v]   (prints one line per mismatch; -v shows diffs)
set -u
cd "$(dirname "$0")/.."
corpus=../shared/corpus
[ -f "$corpus/reference/COMMANDS.tsv" ] || { echo "skip: $corpus not present"; exit 0; }
total=0 same=0
while IFS=$'\t' read -r ref cmd mode _rest; do
  [ "$mode" = filtered ] || continue
  file=$(sed -E 's/.* -r ([^ ]+) .*/\1/' <<<"$cmd")
  flags=(-n); [[ $cmd == *" -e "* ]] && flags+=(-e)
  total=$((total + 1))
  if diff -q <(TZ=UTC NO_COLOR=1 timeout 20 node bin/arpscope.js read "${flags[@]}" "$corpus/$file" 2>&1) "$corpus/reference/$ref" >/dev/null; then
    same=$((same + 1))
  else
    echo "DIFF $ref"
    [ "${1:-}" = -v ] && diff <(TZ=UTC timeout 20 node bin/arpscope.js read "${flags[@]}" "$corpus/$file" 2>&1) "$corpus/reference/$ref" | head -6
  fi
done < <(tail -n +2 "$corpus/reference/COMMANDS.tsv")
echo "golden: $same of $total match"
