/* Valgrind's client requests (valgrind.h, memcheck.h): an own allocator's
 * blocks, a mempool, addressability by hand, leak and error counts, PRINTF.
 * memcheck: variants=O0
 * expect InvalidWrite size=1 aux="0 bytes after a block of size 32 alloc'd" stack=main@W1 stack2=main@M1
 * expect InvalidRead size=1 aux="0 bytes inside a block of size 32 free'd" stack=main@R1 stack2=main@F1 stack3=main@M1
 * expect InvalidRead size=1 stack=main@R2
 *   (past a mempool chunk: valgrind names the arena's symbol there, so only the access is checked)
 * expect InvalidRead size=1 aux="10 bytes inside a block of size 32 alloc'd" stack=main@R3 stack2=malloc|main@A3
 * expect ClientCheck what="Unaddressable byte(s) found during client check request" aux="8 bytes inside a block of size 32 alloc'd" stack=main@C3 stack2=malloc|main@A3
 * expect clientmsg what="creq says 42"
 * expect Leak_DefinitelyLost bytes=20 blocks=1 stack=malloc|lose20@L|main@CL
 * expect Leak_DefinitelyLost bytes=20 blocks=1 stack=malloc|lose20@L|main@CL
 * value running=1
 * value errors=5 check_off=8 leaked=20 dubious=0
 */
#include "mc.h"
#include <valgrind/memcheck.h>

static char arena[256], pool_arena[128];

__attribute__((noipa)) void lose20(void)
{
    char *volatile p = malloc(20); /* @L */
    p[0] = 1;
}

int main(void)
{
    mc_start();
    volatile char sink;
    mc_value("running", RUNNING_ON_VALGRIND);

    /* An own allocator: arena bytes are not addressable until handed out. */
    VALGRIND_MAKE_MEM_NOACCESS(arena, sizeof arena);
    char *blk = arena + 16;
    VALGRIND_MALLOCLIKE_BLOCK(blk, 32, 8, 0); /* @M1 */
    blk[0] = 1;
    blk[32] = 2; /* @W1 */
    VALGRIND_FREELIKE_BLOCK(blk, 8); /* @F1 */
    sink = blk[0]; /* @R1 */

    /* A mempool over a static arena. */
    char *pool = pool_arena;
    VALGRIND_CREATE_MEMPOOL(pool, 0, 0);
    VALGRIND_MAKE_MEM_NOACCESS(pool, 128);
    VALGRIND_MEMPOOL_ALLOC(pool, pool + 8, 16);
    pool[8] = 3;
    sink = pool[24]; /* @R2 */
    VALGRIND_MEMPOOL_FREE(pool, pool + 8);
    VALGRIND_DESTROY_MEMPOOL(pool);
    VALGRIND_MAKE_MEM_UNDEFINED(pool, 128);

    /* Addressability by hand. */
    char *q = malloc(32); /* @A3 */
    VALGRIND_MAKE_MEM_NOACCESS(q + 8, 8);
    sink = q[10]; /* @R3 */
    char *bad = (char *)VALGRIND_CHECK_MEM_IS_ADDRESSABLE(q, 32); /* @C3 */
    mc_value("check_off", bad ? bad - q : -1);
    VALGRIND_MAKE_MEM_UNDEFINED(q + 8, 8);
    free(q);

    VALGRIND_PRINTF("creq says %d\n", 42);
    mc_value("errors", VALGRIND_COUNT_ERRORS);

    lose20(); /* @CL */
    mc_scrub_stack();
    unsigned long leaked = 0, dubious = 0, reachable = 0, suppressed = 0;
    VALGRIND_DO_LEAK_CHECK;
    VALGRIND_COUNT_LEAKS(leaked, dubious, reachable, suppressed);
    mc_value("leaked", leaked);
    mc_value("dubious", dubious);
    (void)sink;
    printf("done\n");
    return 0;
}
