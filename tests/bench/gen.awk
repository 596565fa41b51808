# gen.awk - a synthetic province from the dongfeng-2017 example.
#
#   awk -v n=N -v out=DIR [-v vary=1] -f gen.awk units.yaml fazhiban.yaml departments.csv
#
# Writes DIR/units.csv, DIR/fazhiban.yaml and DIR/departments.csv with N
# units u000001 .. uNNNNNN (名称 单位NNNNNN; 7 digits from N=1000000), unit i taking the group, flags
# and data of the example's unit (i-1) mod 20, in the order of units.yaml.
# With vary=1 the exam average (exam_avg, scored by rank within the group)
# is lowered by ((i * 37) mod 200) / 10 points, so that ranks spread over
# the whole province instead of repeating every 20 units.
# POSIX awk (mawk, gawk, busybox); no other tool.

function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }

# {id: jgx,  name: 建国乡人民政府,   group: town, flags: [enforcement]}
function field(line, key,    s) {
    s = line
    if (!match(s, key ":[ \t]*")) return ""
    s = substr(s, RSTART + RLENGTH)
    if (substr(s, 1, 1) == "[") { s = substr(s, 2); sub(/\].*/, "", s) }
    else sub(/[,}].*/, "", s)
    return trim(s)
}

FNR == 1 { file++ }

# 1: the example's units, in order
file == 1 && /^[ \t]*-[ \t]*\{/ {
    k = nt++
    tid[k] = field($0, "id")
    tgroup[k] = field($0, "group")
    f = field($0, "flags"); gsub(/[ \t]*,[ \t]*/, ";", f)
    tflags[k] = f
    next
}

# 2: fazhiban.yaml: the head up to `units:`, then one block per unit
file == 2 {
    if (!inunits) {
        head = head $0 "\n"
        if ($0 ~ /^units:/) inunits = 1
        next
    }
    if ($0 ~ /^  [^ #]/) {               # "  jgx:  # 建国乡人民政府"
        cur = trim($0); sub(/:.*/, "", cur)
        block[cur] = ""
        next
    }
    if (cur != "" && $0 ~ /^    /) block[cur] = block[cur] $0 "\n"
    next
}

# 3: departments.csv: the header, then rows by unit id (first two columns replaced)
file == 3 {
    if (FNR == 1) { csvhead = $0; next }
    c = index($0, ","); uid = substr($0, 1, c - 1)
    rest = substr($0, c + 1); c = index(rest, ",")
    row[uid] = substr(rest, c)           # from the comma after 单位名称
    next
}

END {
    if (nt == 0) { print "gen.awk: no units found" > "/dev/stderr"; exit 1 }
    w = length(n "") > 6 ? length(n "") : 6   # u000001 .. u999999, u0000001 .. at 1M
    uf = out "/units.csv"; yf = out "/fazhiban.yaml"; cf = out "/departments.csv"
    print "id,name,group,flags" > uf
    printf "%s", head > yf
    print csvhead > cf
    for (i = 1; i <= n; i++) {
        k = (i - 1) % nt; t = tid[k]
        id = sprintf("u%0" w "d", i); nm = sprintf("单位%0" w "d", i)
        print id "," nm "," tgroup[k] "," tflags[k] > uf
        if (t in block) {
            b = block[t]
            if (vary && match(b, /exam_avg: [0-9.]+/)) {
                v = substr(b, RSTART + 10, RLENGTH - 10) - ((i * 37) % 200) / 10
                b = substr(b, 1, RSTART - 1) "exam_avg: " v substr(b, RSTART + RLENGTH)
            }
            printf "  %s:\n%s", id, b > yf
        }
        if (t in row) print id "," nm row[t] > cf
    }
    close(uf); close(yf); close(cf)
}
