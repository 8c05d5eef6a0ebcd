#!/usr/bin/env bash
# The fuzz campaign: every target (or those named) for at most RUNS executions or SECONDS
# seconds, whichever comes first, one after the other on one core, at the lowest priority.
#
#   fuzz/seed.sh                              # once: the seed corpora
#   nice -n 19 fuzz/campaign.sh               # every target, 10 million runs or 30 minutes
#   SECONDS_PER_TARGET=120 fuzz/campaign.sh policy request
#
# Logs go to fuzz/logs/<target>.log (libFuzzer's final statistics are at the end); a crashing
# input goes to fuzz/artifacts/<target>/ and ends that target's run.
set -uo pipefail
cd "$(dirname "$0")"
runs=${RUNS:-10000000}
seconds=${SECONDS_PER_TARGET:-1800}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(graph_import policy policy_structured device_filter request matrix test_file signin_log lsp)
mkdir -p logs
for t in "${targets[@]}"; do
  extra=()
  case $t in
    graph_import) max_len=262144 ;;
    policy | test_file | matrix | signin_log) max_len=16384 ;;
    # An lsp input is a whole editing session and runs slowly (every change re-lints the pack):
    # libFuzzer's slow growth of the input length would keep sessions to a step or two.
    lsp) max_len=4096 extra=(-len_control=0) ;;
    *) max_len=4096 ;;
  esac
  mkdir -p "corpus/$t"
  echo "== $t: $(date -u +%FT%TZ)" | tee "logs/$t.log"
  cargo +nightly fuzz run -O "$t" "corpus/$t" -- \
    -runs="$runs" -max_total_time="$seconds" -max_len="$max_len" \
    -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 "${extra[@]}" >> "logs/$t.log" 2>&1
  echo "== $t: exit $? at $(date -u +%FT%TZ)" | tee -a "logs/$t.log"
done
