#!/usr/bin/env bash
# Which threads were busy when, in one run of a command: finds the stretches
# where a core idles while another works alone (a serial step on the
# critical path), which neither wall time nor a profile by function shows.
#
#   benches/timeline.sh [--ms 20] [--hz 4000] -- COMMAND [ARGS...]
#
# Records the command with `perf record` (sampling every thread), then
# prints one line per time bucket of --ms milliseconds: for each thread,
# its samples in the bucket and the function it was in most often. At
# --hz 4000 and --ms 20 a thread busy through the whole bucket has about
# 80 samples; a bucket where one thread has 80 and the others none is a
# core doing something alone. Needs perf (linux-tools) and permission to
# use it (perf_event_paranoid, or root). Example:
#
#   benches/timeline.sh -- target/release/oemtrace audit --format json \
#       /tmp/oemtrace-bench/n100000-d4-s1.cyclonedx.json
set -euo pipefail

ms=20
hz=4000
while [ $# -gt 0 ]; do
    case "$1" in
        --ms) ms="$2"; shift 2 ;;
        --hz) hz="$2"; shift 2 ;;
        --) shift; break ;;
        *) echo "timeline.sh: unknown option $1 (the command goes after --)" >&2; exit 2 ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: timeline.sh [--ms 20] [--hz 4000] -- COMMAND [ARGS...]" >&2; exit 2; }

data=$(mktemp)
trap 'rm -f "$data"' EXIT
# The command's own exit code (1 when an audit has findings) is not ours.
perf record -q -F "$hz" -o "$data" -- "$@" > /dev/null || true
perf script -i "$data" -F tid,time,ip,sym 2>/dev/null | awk -v ms="$ms" '
    # Lines: "TID TIME: ADDRESS SYMBOL"; keep the last two segments of a Rust path.
    NF >= 4 {
        tid = $1; t = $2; sub(/:$/, "", t)
        sym = $4; n = split(sym, parts, "::"); if (n > 1) sym = parts[n-1] "::" parts[n]
        if (start == "") start = t
        b = int((t - start) * 1000 / ms)
        if (!(tid in seen)) { seen[tid] = 1; tids[++ntids] = tid }
        count[b, tid]++; top[b, tid, sym]++
        if (top[b, tid, sym] > best[b, tid]) { best[b, tid] = top[b, tid, sym]; name[b, tid] = sym }
        if (b > last) last = b
    }
    END {
        for (b = 0; b <= last; b++) {
            line = sprintf("%7d ms", b * ms)
            for (i = 1; i <= ntids; i++) {
                tid = tids[i]
                line = line sprintf(" | %4d %-28.28s", count[b, tid] + 0, name[b, tid])
            }
            print line
        }
    }'
