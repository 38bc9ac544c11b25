/* ue-test: variants=s2 d0 p2; ldflags=-lm */
/* The floating-point workload with the default i386 math (x87). */
#include "fp_body.h"
