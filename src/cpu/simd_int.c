/* placeholder: filled in by the SIMD work */
#include "sse.h"

void simd_register_int(void) {}
