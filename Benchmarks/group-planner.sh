#!/usr/bin/env bash
# Benchmark (a measurement, not a test) of the group-series planner, issue 14's "Speed and quality":
#   - on generated instances (3,000 and 10,000 waiting parents, several seeds; 12 languages, 3 audiences, 2 times of
#     day, 20 districts plus online, scarce facilitators) the planner places at least 98% of the best upper bound
#     that HiGHS (highspy, an exact integer-programming solver) proves for the same aggregated model within the
#     printed time limit, and it is at least 20x faster than the solver;
#   - the plain greedy (the largest series first) in the same run, for reference;
#   - the planner's time at 1,000, 10,000 and 100,000 parents.
# Every plan is checked by an independent checker (Benchmarks/group_planner_bench.py) before it is counted.
# The speed ratio compares like with like: the planning alone (from the input's values to the plan's, as
# `wegwijs plan groups` reports it) against HiGHS' run() alone (reading the file and building the model not
# counted on either side). The whole command's wall clock (process start, JSON in and out) is printed beside it.
#
#   bash Benchmarks/group-planner.sh
#
# Options (environment): SIZES="3000 10000" SEEDS="1 2 3" TIME_LIMIT=120 SCALE_SIZES="1000 10000 100000"
#                        SKIP_BUILD=1 KEEP_TMP=1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
SIZES=${SIZES:-"3000 10000"}
SEEDS=${SEEDS:-"1 2 3"}
TIME_LIMIT=${TIME_LIMIT:-120}
SCALE_SIZES=${SCALE_SIZES:-"1000 10000 100000"}
BIN="$ROOT/.build-release/release/wegwijs"
NAME=group-planner.sh
HELPER="$ROOT/Benchmarks/group_planner_bench.py"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/wegwijs-planner.XXXXXX")
# shellcheck source=Benchmarks/lib.sh
. "$ROOT/Benchmarks/lib.sh"
cleanup() { if [ "${KEEP_TMP:-0}" = 1 ]; then say "kept $TMP"; else rm -rf "$TMP"; fi; }
trap cleanup EXIT

ensure_highspy() {
    python3 -c 'import highspy, numpy' 2>/dev/null && return
    say "installing highspy from PyPI (the benchmark's solver only)"
    python3 -m pip install --quiet highspy >&2 2>/dev/null \
        || python3 -m pip install --quiet --break-system-packages highspy >&2 \
        || die "could not install highspy (pip install highspy)"
    python3 -c 'import highspy, numpy' || die "highspy does not import"
}
ensure_highspy
build_release

# plan INPUT OUTPUT: runs the CLI; sets WALL (the command's wall clock), INPROCESS (reading, planning and writing
# JSON, as the command reports it) and PLANNING (the planning alone, from the input's values to the plan's).
plan() {
    local started ended
    started=$(date +%s.%N)
    "$BIN" plan groups "$1" --output "$2" 2>"$TMP/plan.err" >/dev/null || { cat "$TMP/plan.err" >&2; die "the planner failed on $1"; }
    ended=$(date +%s.%N)
    WALL=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.3f", b - a }')
    INPROCESS=$(sed -n 's/.* in \([0-9.]*\) s (planning .*/\1/p' "$TMP/plan.err")
    PLANNING=$(sed -n 's/.*(planning \([0-9.]*\) s).*/\1/p' "$TMP/plan.err")
    [ -n "$PLANNING" ] || die "no timing in the planner's summary: $(cat "$TMP/plan.err")"
}

echo "Group planner vs HiGHS (time limit ${TIME_LIMIT} s per instance; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "The speed ratio compares the planning alone with HiGHS' run() alone (neither reading nor building counted);"
echo "the planner's whole command (process start, JSON in and out) is printed beside it."
for size in $SIZES; do
    for seed in $SEEDS; do
        input="$TMP/in-$size-$seed.json"
        python3 "$HELPER" generate "$size" "$seed" "$input"
        plan "$input" "$TMP/plan-$size-$seed.json"
        # HiGHS prints its banner on standard output when it starts: left out.
        python3 "$HELPER" compare "$input" "$TMP/plan-$size-$seed.json" "$PLANNING" "$TIME_LIMIT" \
            "n=$size seed=$seed:" "command ${WALL} s, in-process ${INPROCESS} s" \
            | grep -v -E '^(Running HiGHS|Includes third-party)' \
            || die "the plan for n=$size seed=$seed is invalid (see above)"
    done
done

echo "Planner time by size (seed 1):"
for size in $SCALE_SIZES; do
    input="$TMP/scale-$size.json"
    python3 "$HELPER" generate "$size" 1 "$input"
    plan "$input" "$TMP/scale-plan-$size.json"
    python3 "$HELPER" check "$input" "$TMP/scale-plan-$size.json" || die "the plan for n=$size is invalid"
    echo "  n=$size: planning ${PLANNING} s, in-process ${INPROCESS} s, command ${WALL} s ($(sed -n 's/^Planned \(.*\), in .*/\1/p' "$TMP/plan.err"))"
done
