# report.awk: turns run.sh's raw measurements into the table (stdout), the CSV
# and the gnuplot data file.  Input lines:
#   NOTE WORKLOAD TOOL TEXT_WITH_UNDERSCORES    (a cell that was not run, and why)
#   WORKLOAD TOOL RUN STATUS WALL_S MAXRSS_KIB RATING  (one measurement)
# RATING is the program's own speed rating (higher = faster) for the rows named
# in `rated`, "-" for the others: those rows' figure is the rating, and their
# ratio to native is native's rating over the tool's (a slowdown, like times).
# Variables: tools, titles, works, rated (space-separated), csv, dat (output paths).

function label(st) {
    if (st == "timeout") return "TIMEOUT"
    if (st == "wrong") return "WRONG"
    return "FAIL"
}
function median(list,   n, a, i, j, v) {
    n = split(list, a, " ")
    for (i = 2; i <= n; i++) {            # insertion sort: a handful of runs
        v = a[i] + 0
        for (j = i - 1; j >= 1 && a[j] + 0 > v; j--) a[j + 1] = a[j]
        a[j + 1] = v
    }
    return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function fmt_time(s) {
    if (s < 1) return sprintf("%.3fs", s)
    if (s < 10) return sprintf("%.2fs", s)
    if (s < 100) return sprintf("%.1fs", s)
    return sprintf("%.0fs", s)
}
function fmt_ratio(r) {
    return r < 10 ? sprintf("%.2fx", r) : r < 100 ? sprintf("%.1fx", r) : sprintf("%.0fx", r)
}
function fmt_pct(p) {
    return p < 10 ? sprintf("%.1f%%", p) : sprintf("%.0f%%", p)
}
function hline(   s, i) {
    s = ""
    for (i = 0; i < width; i++) s = s "-"
    print s
}

$1 == "NOTE" {
    t = $4; gsub(/_/, " ", t)
    note[$2, $3] = t
    next
}
{
    w = $1; t = $2
    if ($4 == "ok") {
        walls[w, t] = walls[w, t] " " $5
        if ($7 != "" && $7 != "-") scores[w, t] = scores[w, t] " " $7
        nok[w, t]++
        if ($6 + 0 > rss[w, t]) rss[w, t] = $6 + 0
    } else if (!((w, t) in bad)) {
        bad[w, t] = $4
        if ($6 + 0 > rss[w, t]) rss[w, t] = $6 + 0
    }
}

END {
    nt = split(tools, T, " ")
    split(titles, TT, " ")
    nw = split(works, W, " ")
    for (i = 1; i <= nt; i++) title[T[i]] = TT[i]
    nr = split(rated, R, " ")
    for (i = 1; i <= nr; i++) is_rated[R[i]] = 1

    # Cells: a median time, or a word saying why there is none.
    for (a = 1; a <= nw; a++) {
        w = W[a]
        for (i = 1; i <= nt; i++) {
            t = T[i]
            if ((w, t) in note) { cell[w, t] = note[w, t]; continue }
            if ((w, t) in bad) { cell[w, t] = label(bad[w, t]); detail[w, t] = bad[w, t]; continue }
            if (nok[w, t] == 0) { cell[w, t] = "-"; continue }
            walls[w, t] = substr(walls[w, t], 2)
            med[w, t] = median(walls[w, t])
            split(walls[w, t], v, " ")
            lo = hi = v[1]
            for (k in v) { if (v[k] + 0 < lo + 0) lo = v[k]; if (v[k] + 0 > hi + 0) hi = v[k] }
            mn[w, t] = lo; mx[w, t] = hi
            num[w, t] = 1
            # a rated row's cost is 1/rating: every ratio below is then a slowdown
            if (w in is_rated) {
                rmed[w, t] = median(substr(scores[w, t], 2))
                cost[w, t] = rmed[w, t] > 0 ? 1 / rmed[w, t] : 0
            } else
                cost[w, t] = med[w, t]
        }
        if (num[w, "native"] && cost[w, "native"] > 0)
            for (i = 2; i <= nt; i++)
                if (num[w, T[i]]) ratio[w, T[i]] = cost[w, T[i]] / cost[w, "native"]
        if (num[w, "ue"] && num[w, "qemu"] && cost[w, "qemu"] > 0)
            pair[w, "ue/qemu"] = cost[w, "ue"] / cost[w, "qemu"]
        if (num[w, "uemc"] && num[w, "vgmc"] && cost[w, "vgmc"] > 0)
            pair[w, "uemc/vgmc"] = cost[w, "uemc"] / cost[w, "vgmc"]
    }

    # Table of times and ratios to native.
    cw = 15; width = 12 + cw * nt + 2 * 11
    printf("%-12s", "workload")
    for (i = 1; i <= nt; i++) printf("%" cw "s", title[T[i]])
    printf("%11s%11s\n", "ue/qemu", "uemc/vgmc")
    hline()
    for (a = 1; a <= nw; a++) {
        w = W[a]
        rownote = (w, "native") in note ? note[w, "native"] : ""  # only row notes reach native
        printf("%-12s", w)
        if (rownote != "") { printf("  %s\n", rownote); continue }
        for (i = 1; i <= nt; i++) {
            t = T[i]
            if (!num[w, t]) s = cell[w, t]
            else if ((w in is_rated) && t == "native") s = sprintf("%.0f MIPS", rmed[w, t])
            else if ((w in is_rated) && ((w, t) in ratio)) s = sprintf("%.0f %s", rmed[w, t], fmt_pct(100 / ratio[w, t]))
            else if (w in is_rated) s = sprintf("%.0f", rmed[w, t])
            else if (t == "native" || !((w, t) in ratio)) s = fmt_time(med[w, t])
            else s = fmt_time(med[w, t]) " " fmt_ratio(ratio[w, t])
            printf("%" cw "s", s)
        }
        printf("%11s", (w, "ue/qemu") in pair ? fmt_ratio(pair[w, "ue/qemu"]) : "-")
        printf("%11s\n", (w, "uemc/vgmc") in pair ? fmt_ratio(pair[w, "uemc/vgmc"]) : "-")
    }
    hline()
    # Geometric means of the ratios over the workloads where a tool succeeded.
    printf("%-12s%" cw "s", "geomean", "")
    for (i = 2; i <= nt; i++) {
        t = T[i]; n = 0; sum = 0
        for (a = 1; a <= nw; a++) if ((W[a], t) in ratio) { n++; sum += log(ratio[W[a], t]) }
        geo_n[t] = n
        if (n) { geo[t] = exp(sum / n); s = fmt_ratio(geo[t]) " n=" n } else s = "-"
        printf("%" cw "s", s)
    }
    split("ue/qemu uemc/vgmc", P, " ")
    for (p = 1; p <= 2; p++) {
        n = 0; sum = 0
        for (a = 1; a <= nw; a++) if ((W[a], P[p]) in pair) { n++; sum += log(pair[W[a], P[p]]) }
        geo_n[P[p]] = n
        if (n) { geo[P[p]] = exp(sum / n); s = fmt_ratio(geo[P[p]]) } else s = "-"
        printf("%11s", s)
    }
    printf("\n")
    print "cells: median wall time and ratio to native; n= workloads in the geomean;"
    for (i = 1; i <= nr; i++)
        if (index(" " works " ", " " R[i] " "))
            print "       " R[i] ": the program's own rating (median) and its percentage of native's; ratio = native/tool"
    print "       WRONG = output differs from native, FAIL = non-zero exit or signal, TIMEOUT = over the limit"

    # Peak RSS.
    print ""
    printf("%-12s", "peak RSS MiB")
    for (i = 1; i <= nt; i++) printf("%" cw "s", title[T[i]])
    printf("\n")
    width = 12 + cw * nt
    hline()
    for (a = 1; a <= nw; a++) {
        w = W[a]
        printf("%-12s", w)
        for (i = 1; i <= nt; i++) {
            t = T[i]
            if (num[w, t] || rss[w, t] > 0) s = sprintf("%.1f", rss[w, t] / 1024)
            else s = "-"
            printf("%" cw "s", s)
        }
        printf("\n")
    }

    # CSV: one row per cell, then the pairwise ratios and the geometric means.
    print "workload,tool,status,runs_ok,median_s,min_s,max_s,ratio,max_rss_kib,rating" > csv
    for (a = 1; a <= nw; a++) {
        w = W[a]
        for (i = 1; i <= nt; i++) {
            t = T[i]
            st = num[w, t] ? "ok" : ((w, t) in detail ? cell[w, t] " (" detail[w, t] ")" : cell[w, t])
            printf("%s,%s,\"%s\",%d,%s,%s,%s,%s,%s,%s\n", w, title[t], st, nok[w, t] + 0,
                num[w, t] ? sprintf("%.4f", med[w, t]) : "", num[w, t] ? mn[w, t] : "",
                num[w, t] ? mx[w, t] : "", (w, t) in ratio ? sprintf("%.3f", ratio[w, t]) : "",
                rss[w, t] > 0 ? rss[w, t] : "", num[w, t] && (w in is_rated) ? rmed[w, t] : "") > csv
        }
        for (p = 1; p <= 2; p++)
            if ((w, P[p]) in pair)
                printf("%s,%s,ok,,,,,%.3f,,\n", w, P[p], pair[w, P[p]]) > csv
    }
    for (i = 2; i <= nt; i++)
        if (geo_n[T[i]]) printf("geomean,%s,ok,%d,,,,%.3f,,\n", title[T[i]], geo_n[T[i]], geo[T[i]]) > csv
    for (p = 1; p <= 2; p++)
        if (geo_n[P[p]]) printf("geomean,%s,ok,%d,,,,%.3f,,\n", P[p], geo_n[P[p]], geo[P[p]]) > csv
    close(csv)

    # gnuplot data: ratio to native per workload, one column per tool with data.
    cols = ""
    for (i = 2; i <= nt; i++) if (geo_n[T[i]]) cols = cols " " T[i]
    nc = split(cols, C, " ")
    if (nc == 0) { printf("") > dat; close(dat); exit }
    printf("workload") > dat
    for (c = 1; c <= nc; c++) printf(" %s", title[C[c]]) > dat
    printf("\n") > dat
    for (a = 1; a <= nw; a++) {
        printf("%s", W[a]) > dat
        for (c = 1; c <= nc; c++)
            printf(" %s", (W[a], C[c]) in ratio ? sprintf("%.4f", ratio[W[a], C[c]]) : "?") > dat
        printf("\n") > dat
    }
    close(dat)
}
