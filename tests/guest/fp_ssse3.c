/* ue-test: variants=s2 d2; cflags=-mssse3 -mfpmath=sse -O3 -ftree-vectorize; ldflags=-lm */
/* The floating-point workload with SSSE3 and the vectoriser. */
#include "fp_body.h"
