#!/bin/sh
# tests/timings.sh - what each part of `make check` cost (tests/timed.sh).
#
#   sh tests/timings.sh DIR [START]
#
# Prints one line per part (DIR/*.time), slowest first: wall and CPU
# seconds, FAILED after a part that failed.  Then the real-client checks
# (the parts named in $REAL_CLIENTS, default clients, template-roundtrip
# and compare-html: LibreOffice and Chromium) apart, and,
# given START (date +%s%N when the parts began), the whole check's wall time
# and when the parts other than the real clients were all done, the CPU of
# each and the load average.
set -u
dir=$1
start=${2:-}
real=${REAL_CLIENTS:-clients template-roundtrip compare-html}
end=$(date +%s%N)
ls "$dir"/*.time >/dev/null 2>&1 || { echo "timings: no part timed in $dir"; exit 0; }
cat "$dir"/*.time | sort -k2,2nr | awk -v start="$start" -v end="$end" -v real="$real" \
    -v load="$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)" '
    BEGIN {
        printf "%-20s %8s %8s\n", "part", "wall s", "cpu s"
        n = split(real, r, " ")
        for (i = 1; i <= n; i++) client[r[i]] = 1
        names = real; gsub(/ /, ", ", names)
    }
    {
        printf "%-20s %8.2f %8.2f%s\n", $1, $2, $3, ($4 == 0 ? "" : "  FAILED (exit " $4 ")")
        cpu += $3
        if ($1 in client) ccpu += $3
        else if ($6 > last) last = $6
    }
    END {
        if (start == "") exit
        printf "check: %.1f s wall, %.1f s CPU; without the real clients (%s): %.1f s wall, %.1f s CPU; load average %s\n",
            (end - start) / 1e9, cpu, names, (last - start) / 1e9, cpu - ccpu, load
    }'
