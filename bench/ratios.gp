# ratios.gp: bar chart of slowdown versus native, per workload and tool.
# usage: gnuplot -e "datafile='ratios.dat'; outfile='ratios.png'; ncols=N" ratios.gp
# (N = number of columns in ratios.dat, the workload name included)
set terminal pngcairo size 1400,700 font "sans,10" noenhanced
set output outfile
set title "Slowdown versus native i386: wall time, for 7zip its rating (log scale, lower is better; missing bar = FAIL/WRONG/TIMEOUT/n/a/skipped)"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y 10
set yrange [0.5:*]
set ylabel "ratio to native"
set grid ytics mytics
set key top left Left reverse
set xtics rotate by -30 nomirror
set datafile missing "?"
plot for [c=2:ncols] datafile using c:xtic(1) title columnheader(c)
