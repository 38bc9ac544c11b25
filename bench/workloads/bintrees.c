/* Binary trees: build and walk many complete binary trees with malloc/free,
 * one long-lived tree alongside.  Allocation-heavy. */
#include "bench.h"

struct node { struct node *l, *r; };

static struct node *make(int depth)
{
    struct node *n = malloc(sizeof *n);
    if (depth > 0) {
        n->l = make(depth - 1);
        n->r = make(depth - 1);
    } else {
        n->l = n->r = NULL;
    }
    return n;
}

static uint32_t check(const struct node *n)
{
    return n->l ? 1 + check(n->l) + check(n->r) : 1;
}

static void release(struct node *n)
{
    if (n->l) {
        release(n->l);
        release(n->r);
    }
    free(n);
}

int main(int argc, char **argv)
{
    int max_depth = (int)arg_count(argc, argv, 16), min_depth = 4;
    uint32_t h = MIX_INIT;
    struct node *stretch = make(max_depth + 1);
    h = mix32(h, check(stretch));
    release(stretch);
    struct node *longlived = make(max_depth);
    for (int d = min_depth; d <= max_depth; d += 2) {
        long iters = 1L << (max_depth - d + min_depth);
        uint32_t sum = 0;
        for (long i = 0; i < iters; i++) {
            struct node *t = make(d);
            sum += check(t);
            release(t);
        }
        printf("%ld trees of depth %d: check %u\n", iters, d, sum);
        h = mix32(h, sum);
    }
    h = mix32(h, check(longlived));
    release(longlived);
    print_checksum(h);
    return 0;
}
