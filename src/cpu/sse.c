/* MMX and SSE through SSE4.2, AES, PCLMULQDQ and SHA: the SIMD files register their opcodes. */
#include "sse.h"

void ops_register_sse(void)
{
    simd_register_int();
    simd_register_fp();
    simd_register_sse42();
    simd_register_aes();
    simd_register_sha();
}
