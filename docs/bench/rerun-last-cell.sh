#!/usr/bin/env bash
# `run --cell LAST` after an edit of a lesson's last cell, as a fraction of the full command
# that came before it (run, check or render), on a lesson whose first cell takes about half a
# second. Each round starts from an empty cache. Usage: docs/bench/rerun-last-cell.sh [BINARY] [ROUNDS]
set -euo pipefail
bin=$(realpath "${1:-.build/release/lessonbook}")
rounds=${2:-5}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cd "$dir"
lesson() {  # $1: the number the last cell adds 1 to
  cat > L.md <<LESSON
# Timing

\`\`\`swift id=setup
var x = randn(600, 600)
for _ in 0..<100 { x = (matmul(x, x) / 600).tanh() }
print(x.shape)
\`\`\`

\`\`\`swift id=middle
print(x.mean().item() < 10)
\`\`\`

\`\`\`swift id=last
print($1 + 1)
\`\`\`
LESSON
}
seconds() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; end=$(date +%s.%N); awk "BEGIN { print $end - $start }"; }
for command in run check render; do
  ratios=""
  for round in $(seq "$rounds"); do
    rm -rf .lessonbook out
    lesson "$round"
    case $command in
      run) full=$(seconds "$bin" run L.md) ;;
      check) full=$(seconds "$bin" check --update L.md) ;;
      render) full=$(seconds "$bin" render L.md -o out) ;;
    esac
    lesson "$((round + 100))"
    cell=$(seconds "$bin" run L.md --cell last -o out)
    ratios="$ratios $(awk "BEGIN { printf \"%.3f\", $cell / $full }")"
  done
  printf '%-7s full %.2f s, run --cell %.3f s (last round); ratios:%s\n' "$command" "$full" "$cell" "$ratios"
done
