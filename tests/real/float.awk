# Floating-point output of Debian's gawk (i386: x87 doubles) under ue and natively.
BEGIN {
    n = split("0 -0 1 0.1 0.333333333333333333 2.5 1e-300 1e300 4.9e-324 3.141592653589793 -0.4487989505128276 123456789.123456789 9007199254740993 1e15", v, " ")
    for (k = 1; k <= n; k++) {
        x = v[k] + 0
        printf "%-4d %.17g %.17g %.17g %.17g\n", k, x, sin(x), cos(x), atan2(x, 3)
        printf "     %.17g %.17g %d %.10e %g\n", exp(x / 1000), (x > 0 ? log(x) : -1), int(x), x * 7, x / 3
        if (x >= 0) printf "     sqrt %.17g\n", sqrt(x)
        printf "     %s %x %o %c|\n", x, (x < 1e15 && x >= 0 ? x : 0), (x < 1e9 && x >= 0 ? x : 0), 65 + k
    }
    print 1e308 * 10, -1e308 * 10, 2^53, 2^-1074, 0.1 + 0.2, 1/3, 100000 * 100000, 3 % 0.7
    print strtonum("0x1f"), strtonum("017"), "3.5abc" + 0, " 12 " + 1, 1e6, 1e16, 123456789012
    srand(42); s = 0; for (i = 0; i < 1000; i++) s += rand(); printf "rand %.17g\n", s
    s = 0; for (i = 1; i <= 100000; i++) s += 1 / (i * i); printf "basel %.17g %.17g\n", s, sqrt(s * 6)
    CONVFMT = "%.3g"; x = 3.14159265; y = x ""; print y; OFMT = "%.12g"; print x * 1000, 2 / 3
    printf "%5.2f|%-8.3e|%+g|%G|%.0f|%.0f|%.0f\n", 3.14159, 0.000123456, 42, 1e-10, 0.5, 1.5, 2.5
}
