/* MMX and SSE through SSSE3: the two SIMD files register their opcodes. */
#include "sse.h"

void ops_register_sse(void)
{
    simd_register_int();
    simd_register_fp();
}
