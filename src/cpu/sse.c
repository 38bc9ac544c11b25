/* MMX and SSE through SSSE3 (issue 3). CPUID does not report these sets yet,
 * so glibc and well-behaved programs do not use them; any such opcode
 * decodes as illegal and the guest gets SIGILL. */
#include "cpu.h"

void ops_register_sse(void) {}
