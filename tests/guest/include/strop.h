/* Run a string instruction with chosen EAX ECX ESI EDI and flags; DF may be set
 * by the input flags and is cleared again before returning to C. */
#ifndef STROP_H
#define STROP_H
#include "x86t.h"

struct sregs {
    uint32_t a, c, s, d, f;
};

#define STR_RUN(code, r)                                                       \
    asm volatile("push %%edx\n\tpopf\n\t" code "\n\tpushf\n\tpop %%edx\n\tcld" \
                 : "+a"((r).a), "+c"((r).c), "+S"((r).s), "+D"((r).d), "+d"((r).f) \
                 :                                                             \
                 : "memory", "cc")

static inline uint32_t hash(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}
#endif
