/* Size-generic accessors for handler templates: BITS is 8, 16 or 32. */
#ifndef UE_SIZES_H
#define UE_SIZES_H

#include "cpu.h"

static inline uint32_t size_mask(int sz) { return sz == 0 ? 0xff : sz == 1 ? 0xffff : 0xffffffff; }
static inline uint32_t size_sign(int sz) { return sz == 0 ? 0x80 : sz == 1 ? 0x8000 : 0x80000000; }
static inline int32_t size_sext(uint32_t v, int sz) { return sz == 0 ? (int8_t)v : sz == 1 ? (int16_t)v : (int32_t)v; }

#define GETR8(c, n) get_r8(c, n)
#define GETR16(c, n) get_r16(c, n)
#define GETR32(c, n) ((c)->r[n])
#define SETR8(c, n, v) set_r8(c, n, (uint8_t)(v))
#define SETR16(c, n, v) set_r16(c, n, (uint16_t)(v))
#define SETR32(c, n, v) ((c)->r[n] = (uint32_t)(v))
#define LD8 ld8
#define LD16 ld16
#define LD32 ld32
#define ST8 st8
#define ST16 st16
#define ST32 st32

#endif
