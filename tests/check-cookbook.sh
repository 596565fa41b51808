#!/bin/sh
# tests/check-cookbook.sh - the cookbook table of docs/guide.md shows the
# rules that docs/cookbook/cookbook.test.yaml tests: every Lua line in a
# row's 写法 column (a `return ...` or `local ...` code span) must be a line
# of the rule file the row links to (cookbook/rules/NAME.lua), and every
# rule file must appear in the table.  Prints "cookbook: N rows checked"
# or what differs, and exits 1 on a difference.
set -u
cd "$(dirname "$0")/.." || exit 1
guide=docs/guide.md
dir=docs/cookbook
bad=0
rows=0
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
grep '^| .*(cookbook/rules/[a-z_]*\.lua)' "$guide" > "$tmp"
while IFS= read -r row; do
    # the first link of the row is its own rule file
    file=$(printf '%s\n' "$row" | grep -o '(cookbook/rules/[a-z_]*\.lua)' | head -n 1 | tr -d '()')
    rows=$((rows + 1))
    if [ ! -f "docs/$file" ]; then
        echo "cookbook: $guide links docs/$file, which does not exist"
        bad=1
        continue
    fi
    printf '%s\n' "$row" | grep -o '`\(return\|local\) [^`]*`' | tr -d '`' | while IFS= read -r code; do
        if ! grep -Fxq -- "$code" "docs/$file"; then
            echo "cookbook: $guide shows '$code', which is not a line of docs/$file"
            echo x >> "$tmp.bad"
        fi
    done
done < "$tmp"
[ -f "$tmp.bad" ] && { bad=1; rm -f "$tmp.bad"; }
for f in "$dir"/rules/*.lua; do
    b=$(basename "$f")
    grep -q "(cookbook/rules/$b)" "$guide" || { echo "cookbook: $f is not in the table of $guide"; bad=1; }
done
echo "cookbook: $rows rows checked"
exit $bad
