/* The same channel through ue's own header, guest/ue.h.
 * memcheck: variants=O0
 * expect InvalidWrite size=1 aux="0 bytes after a block of size 24 alloc'd" stack=main@W stack2=main@M
 * expect ClientCheck aux="4 bytes inside a block of size 24 alloc'd" stack=main@C stack2=main@M
 * value ue_running=1 tool=ue
 * value ue_running=0 tool=valgrind
 * value errors=2 check_off=4
 */
#include "mc.h"

static char arena[64];

int main(void)
{
    mc_start();
    mc_value("ue_running", UE_RUNNING());
    UE_MAKE_MEM_NOACCESS(arena, sizeof arena);
    char *blk = arena + 8;
    UE_MALLOCLIKE_BLOCK(blk, 24, 8, 0); /* @M */
    blk[0] = 1;
    ((volatile char *)blk)[24] = 2; /* @W */
    UE_MAKE_MEM_NOACCESS(blk + 4, 4);
    char *bad = (char *)UE_CHECK_MEM_IS_ADDRESSABLE(blk, 24); /* @C */
    mc_value("check_off", bad ? bad - blk : -1);
    UE_MAKE_MEM_DEFINED(blk + 4, 4);
    mc_value("errors", UE_COUNT_ERRORS());
    UE_FREELIKE_BLOCK(blk, 8);
    UE_DO_LEAK_CHECK();
    printf("done\n");
    return 0;
}
