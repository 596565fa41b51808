#!/bin/sh
# tests/timed.sh - run one part of `make check` and note what it cost.
#
#   sh tests/timed.sh DIR NAME COMMAND [ARG...]
#
# Runs COMMAND, then writes DIR/NAME.time: one line
# "NAME WALL CPU STATUS START END", wall and CPU (user + system of everything
# COMMAND started) in seconds with two decimals, START and END as
# date +%s%N.  Exits with COMMAND's status.  tests/timings.sh prints the
# lines of a whole `make check` (Makefile: check, TIMINGS).
set -u
dir=$1
name=$2
shift 2
mkdir -p "$dir"
t0=$(date +%s%N)
"$@"
status=$?
t1=$(date +%s%N)
# times (the shell's own CPU, then its children's: user system, as
# 0m1.230000s) into a file: in a pipe it would run in a subshell, which has
# no children
times > "$dir/$name.cpu"
cpu=$(awk 'NR == 2 {
    s = 0
    for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); s += p[1] * 60 + p[2] }
    printf "%.2f", s }' "$dir/$name.cpu")
rm -f "$dir/$name.cpu"
awk -v n="$name" -v a="$t0" -v b="$t1" -v c="$cpu" -v s="$status" \
    'BEGIN { printf "%s %.2f %s %s %s %s\n", n, (b - a) / 1e9, c, s, a, b }' > "$dir/$name.time"
exit $status
