/* Input of the cc1 row: gcc's compiler proper (Debian's cpp-12:i386) compiles
 * this file at -O2.  run.sh preprocesses it with the host's `gcc -m32 -E -P`
 * (so cc1 needs no headers in the fetched root) and every tool's assembly
 * output must equal the native run's.  It is three of the C workloads in one
 * translation unit, each main renamed; their other names do not clash.
 * With -DQUICK (BENCH_QUICK=1) only the first one. */
#define main main_sha256
#include "sha256.c"
#undef main
#ifndef QUICK
#define main main_interp
#include "interp.c"
#undef main
#define main main_nbody
#include "nbody.c"
#undef main
#endif
