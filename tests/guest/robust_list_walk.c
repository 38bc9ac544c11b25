/* ue-test: variants=s2 d0; ldflags=-lpthread */
/* The robust list walk at thread exit, with lists built by hand: lock words
 * the thread owns get FUTEX_OWNER_DIED (keeping FUTEX_WAITERS), others stay;
 * the walk stops after 2048 entries (a long or circular list), at an entry
 * it cannot read (then list_op_pending is skipped too) and at a misaligned
 * lock word; list_op_pending is handled once even when it is on the list.
 * The main thread prints every lock word after joining. */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct node { struct node *next; uint32_t pad; uint32_t lock; };
struct head { struct node *next; long offset; struct node *pending; };

#define MANY 3000
static struct node *nodes;
static struct head head;
static char *unmapped;
static int scenario;

/* runs in the thread: owns the locks it is told to, then ends */
static void *build(void *arg)
{
    uint32_t tid = (uint32_t)gettid();
    struct node *n = nodes;
    memset(nodes, 0, MANY * sizeof *nodes);
    head.offset = offsetof(struct node, lock);
    head.pending = NULL;
    struct node *h = (struct node *)&head;
    switch (scenario) {
    case 0:   /* three entries: owned, owned with waiters, someone else's; pending off the list */
        n[0].next = &n[1]; n[1].next = &n[2]; n[2].next = h; head.next = &n[0];
        n[0].lock = tid; n[1].lock = tid | FUTEX_WAITERS; n[2].lock = tid + 1;
        n[3].lock = tid; head.pending = &n[3];
        break;
    case 1:   /* longer than the kernel's limit */
        for (int k = 0; k < MANY; k++) { n[k].next = k + 1 < MANY ? &n[k + 1] : h; n[k].lock = tid; }
        head.next = &n[0];
        break;
    case 2:   /* circular, never back at the head; pending on the list */
        n[0].next = &n[1]; n[1].next = &n[2]; n[2].next = &n[0]; head.next = &n[0];
        n[0].lock = n[1].lock = n[2].lock = tid; head.pending = &n[1];
        break;
    case 3:   /* the third entry is unreadable: the walk ends there, pending untouched */
        n[0].next = &n[1]; n[1].next = (struct node *)unmapped; head.next = &n[0];
        n[0].lock = n[1].lock = tid; n[5].lock = tid; head.pending = &n[5];
        break;
    case 4:   /* a misaligned lock word ends the walk at once */
        n[0].next = &n[1]; n[1].next = h; head.next = &n[0]; head.offset = 9;
        n[0].lock = n[1].lock = tid; n[5].lock = tid; head.pending = &n[5];
        break;
    case 5:   /* pending with a free lock word (an unlock under way): left at 0 */
        head.next = h; head.pending = &n[0]; n[0].lock = 0; n[1].lock = tid;
        break;
    case 6:   /* a negative offset: the lock word before the entry */
        head.offset = -4;
        n[0].next = (struct node *)&n[1].lock; n[1].lock = 0; head.next = (struct node *)&n[0].lock;
        n[0].pad = tid;   /* n[0].lock - 4 */
        n[0].lock = (uint32_t)(uintptr_t)&n[1].lock;   /* entry at &n[0].lock: its next */
        n[1].lock = (uint32_t)(uintptr_t)h;
        n[1].pad = tid;
        break;
    }
    syscall(SYS_set_robust_list, &head, sizeof head);
    return arg;
}

static void run(int s, const char *what, int show)
{
    scenario = s;
    pthread_t t;
    pthread_create(&t, NULL, build, NULL);
    pthread_join(t, NULL);
    printf("%d %s:", s, what);
    if (s == 1) {
        int died = 0, same = 0;
        for (int k = 0; k < MANY; k++) {
            if (nodes[k].lock == FUTEX_OWNER_DIED) died++;
            else if (nodes[k].lock & FUTEX_TID_MASK) same++;
        }
        printf(" owner died %d, untouched %d\n", died, same);
        return;
    }
    for (int k = 0; k < show; k++) {
        uint32_t v = s == 6 ? nodes[k].pad : nodes[k].lock;
        printf(" %s%s%s", v & FUTEX_WAITERS ? "W" : "", v & FUTEX_OWNER_DIED ? "D" : "",
               (v & FUTEX_TID_MASK) ? "tid" : (v & ~FUTEX_TID_MASK) ? "" : "0");
    }
    printf("\n");
}

int main(void)
{
    nodes = mmap(NULL, MANY * sizeof *nodes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unmapped = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(unmapped, 4096);
    run(0, "owned, waiters, other's, pending", 4);
    run(1, "3000 entries", 0);
    run(2, "circular", 3);
    run(3, "unreadable entry", 6);
    run(4, "misaligned", 6);
    run(5, "pending unlocked", 2);
    run(6, "negative offset", 2);
    return 0;
}
