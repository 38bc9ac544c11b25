/* Each leak kind, with its bytes and blocks.
 * memcheck: variants=O0,O2,static opt=--show-leak-kinds=all
 * expect Leak_DefinitelyLost bytes=30 blocks=3 stack=malloc|lose_three@L3|main@CL3
 * expect Leak_DefinitelyLost what="(16 direct, 32 indirect)" stack=malloc|make_tree@D|main@CT
 * expect Leak_IndirectlyLost bytes=32 blocks=1 stack=malloc|make_tree@I|main@CT
 * expect Leak_PossiblyLost bytes=40 blocks=1 stack=malloc|make_possible@P|main@CP
 * expect Leak_StillReachable bytes=24 blocks=1 stack=malloc|make_reachable@R|main@CR
 */
#include "mc.h"

struct node {
    struct node *next;
    char pad[12];
};

void *reachable;
char *interior;
struct node *volatile tree;

__attribute__((noipa)) void lose_three(void)
{
    for (int i = 0; i < 3; i++) {
        char *volatile p = malloc(10); /* @L3 */
        p[0] = 1;
    }
}

/* A 16-byte root holding the only pointer to a 32-byte block. */
__attribute__((noipa)) void make_tree(void)
{
    struct node *root = malloc(sizeof *root); /* @D */
    root->next = malloc(32); /* @I */
    tree = root;
}

__attribute__((noipa)) void make_possible(void)
{
    interior = (char *)malloc(40) + 8; /* @P */
}

__attribute__((noipa)) void make_reachable(void)
{
    reachable = malloc(24); /* @R */
}

int main(void)
{
    mc_start();
    lose_three(); /* @CL3 */
    make_tree(); /* @CT */
    tree = NULL;
    make_possible(); /* @CP */
    make_reachable(); /* @CR */
    mc_scrub_stack();
    printf("done\n");
    return 0;
}
