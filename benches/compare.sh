#!/usr/bin/env bash
# Side by side, in one run: how long serde_json takes to parse a synthetic
# SBOM into IgnoredAny, and how long a whole `oemtrace audit --format json`
# of the same file takes, with the audit's peak memory.
#
#   benches/compare.sh [--runs N] [--sizes "100000 1000000"]
#                      [--formats "cyclonedx spdx"] [--degree 4] [--seed 1]
#                      [--dir DIR]
#
# Builds release, generates the files (examples/gen-sbom.rs; kept in DIR and
# reused while the generator's arguments are the same), then for each file:
#
# - parse: the median of N in-process parses into IgnoredAny of the bytes
#   already in memory (examples/parse-ignored.rs), and of N runs of "read
#   the file, check UTF-8, parse";
# - audit: the median wall time of N runs of the oemtrace binary, output to
#   /dev/null; exit code 1 is expected (the generator plants engines), any
#   other fails the script; CPU (user+sys) and peak RSS per run come from
#   /usr/bin/time (apt-get install time);
# - the ratios audit/parse, audit/(read+parse) and peak RSS/file size.
#
# The machine may be noisy: medians, and the CPU column, which waiting for a
# core does not inflate. For instruction counts (stable), run valgrind
# --tool=callgrind on the binary instead.
set -euo pipefail

runs=7
sizes="100000"
formats="cyclonedx spdx"
degree=4
seed=1
dir="${TMPDIR:-/tmp}/oemtrace-bench"
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --sizes) sizes="$2"; shift 2 ;;
        --formats) formats="$2"; shift 2 ;;
        --degree) degree="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --dir) dir="$2"; shift 2 ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done

if [ ! -x /usr/bin/time ]; then
    echo "compare.sh: /usr/bin/time is missing (apt-get install time)" >&2
    exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
cargo build --release --quiet --bin oemtrace --example gen-sbom --example parse-ignored
target="${CARGO_TARGET_DIR:-$root/target}/release"
mkdir -p "$dir"

median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(uname -m), $(nproc) cores, git $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty'), $runs runs each"
printf '%-9s %9s %8s %9s %9s %9s %9s %7s %7s %8s %6s\n' \
    format components MB parse_ms read+p_ms audit_ms cpu_ms ratio ratio_rp rss_MB rss/MB
for n in $sizes; do
    for format in $formats; do
        file="$dir/n$n-d$degree-s$seed.$format.json"
        if [ ! -s "$file" ]; then
            "$target/examples/gen-sbom" --components "$n" --edges-per-component "$degree" \
                --format "$format" --seed "$seed" --out "$file"
        fi
        bytes=$(stat -L -c %s "$file")
        read -r _ parse_ms _ _ < <("$target/examples/parse-ignored" "$file" "$runs" | grep '^parse_ms')
        read -r _ rp_ms _ _ < <("$target/examples/parse-ignored" "$file" "$runs" | grep '^read_and_parse_ms')
        walls=(); cpus=(); rsss=()
        for _ in $(seq "$runs"); do
            start=$EPOCHREALTIME
            set +e
            /usr/bin/time -f '%U %S %M' -o "$dir/time.out" \
                "$target/oemtrace" audit --format json --max-input-size 16G "$file" > /dev/null
            code=$?
            set -e
            end=$EPOCHREALTIME
            if [ "$code" -ne 1 ]; then
                echo "compare.sh: audit of $file exited $code, expected 1" >&2
                exit 1
            fi
            walls+=("$(echo "$start $end" | awk '{ printf "%.2f", ($2 - $1) * 1000 }')")
            read -r user sys rss < <(tail -n 1 "$dir/time.out")
            cpus+=("$(echo "$user $sys" | awk '{ printf "%.0f", ($1 + $2) * 1000 }')")
            rsss+=("$rss")
        done
        wall=$(printf '%s\n' "${walls[@]}" | median)
        cpu=$(printf '%s\n' "${cpus[@]}" | median)
        rss=$(printf '%s\n' "${rsss[@]}" | sort -g | tail -n 1)
        awk -v f="$format" -v n="$n" -v b="$bytes" -v p="$parse_ms" -v rp="$rp_ms" \
            -v w="$wall" -v c="$cpu" -v r="$rss" 'BEGIN {
            printf "%-9s %9d %8.1f %9.1f %9.1f %9.1f %9.0f %6.1fx %6.1fx %8.1f %5.2fx\n",
                f, n, b / 1e6, p, rp, w, c, w / p, w / rp, r / 1024, r * 1024 / b }'
    done
done
