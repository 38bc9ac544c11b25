/* Guest XMM values in host vector registers, for the handlers that run the
 * host's own instruction through inline asm (simd_aes.c, simd_sha.c). */
#ifndef UE_SIMD_HOST_H
#define UE_SIMD_HOST_H

#include <string.h>

#include "cpu.h"

typedef long long host_v128 __attribute__((vector_size(16)));
static inline host_v128 host_v(union xmm_reg v) { host_v128 r; memcpy(&r, &v, 16); return r; }
static inline union xmm_reg guest_v(host_v128 v) { union xmm_reg r; memcpy(&r, &v, 16); return r; }

#endif
