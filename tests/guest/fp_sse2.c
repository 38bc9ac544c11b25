/* ue-test: variants=s2 d2; cflags=-msse2 -mfpmath=sse -O2; ldflags=-lm */
/* The floating-point workload with SSE2 scalar math. */
#include "fp_body.h"
