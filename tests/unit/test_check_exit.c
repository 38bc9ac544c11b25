/* memcheck's end of run (src/check/report.c): chk_at_exit's HEAP SUMMARY,
 * the leak records the scan hands over, LEAK SUMMARY, the -s list and the
 * ERROR SUMMARY, in Valgrind's order, and --error-exitcode. The heap, the
 * leak scan and the stacks are faked below. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/check/check.h"
#include "../../src/debug/stack.h"
#include "unit.h"

static const guest_addr st1[] = { 0x8049100 };               /* main */
static const guest_addr st2[] = { 0x4840000, 0x8049200 };    /* malloc <- main */

int stack_frames(stack_id id, const guest_addr **pcs)
{
    *pcs = id == 1 ? st1 : st2;
    return id == 1 ? 1 : 2;
}

void sym_lookup(guest_addr pc, struct sym_info *o)
{
    *o = (struct sym_info){ 0 };
    o->fn = pc == 0x4840000 ? "malloc" : "main";
    o->obj = pc == 0x4840000 ? "/lib/libuealloc.so" : "/t/prog";
    if (pc != 0x4840000) { o->file = "prog.c"; o->line = pc == 0x8049100 ? 5 : 9; }
}

void heap_totals(struct heap_totals *t)
{
    *t = (struct heap_totals){ 1100, 3, 5, 2, 2000 };
}

void leak_check(int mode, bool only_new)
{
    struct leak_rec r[] = { { LEAK_REACHABLE, 2, 100, 2, 0 }, { LEAK_DEFINITE, 2, 1000, 1, 0 } };
    struct leak_summary s = { { 1000, 0, 0, 100 }, { 1, 0, 0, 2 }, 0, 0 };
    chk_report_leaks(r, 2, &s, mode);
}

int main(void)
{
    static char got[8192], want[8192];
    char log[64], opt[96];
    unit_case = "exit";
    snprintf(log, sizeof log, "/tmp/ue-unit-exit.%d", getpid());
    snprintf(opt, sizeof opt, "--log-file=%s", log);
    CHECK_EQ(chk_option("--memcheck", NULL), 1);
    CHECK_EQ(chk_option(opt, NULL), 1);
    CHECK_EQ(chk_option("--leak-check=full", NULL), 1);
    CHECK_EQ(chk_option("-s", NULL), 1);
    CHECK_EQ(chk_option("--error-exitcode=5", NULL), 1);
    chk_init();
    struct chk_error e = { .kind = ERR_INVALID_WRITE, .where = 1, .addr = 0x10, .size = 2 };
    chk_report(&e);
    chk_report(&e);
    CHECK_EQ(chk_at_exit(0), 5);
    CHECK_EQ(chk_at_exit(0), 0);    /* once only */

    snprintf(got, sizeof got, "%s", unit_read_file(log));
    unlink(log);
    /* everything after the preamble's Command line */
    char *body = strstr(got, "Parent PID");
    body = body ? strchr(body, '\n') + 1 : got;

    int p = getpid();
    char P[16], L[1024], E[512];
    snprintf(P, sizeof P, "==%d==", p);
    snprintf(L, sizeof L,
             "%s 1,000 bytes in 1 blocks are definitely lost in loss record 2 of 2\n"
             "%s    at 0x4840000: malloc (in /lib/libuealloc.so)\n"
             "%s    by 0x8049200: main (prog.c:9)\n%s \n", P, P, P, P);
    snprintf(E, sizeof E,
             "%s Invalid write of size 2\n%s    at 0x8049100: main (prog.c:5)\n"
             "%s  Address 0x10 is not stack'd, malloc'd or (recently) free'd\n%s \n", P, P, P, P);
    snprintf(want, sizeof want,
             "%s \n%s"
             "%s \n%s HEAP SUMMARY:\n"
             "%s     in use at exit: 1,100 bytes in 3 blocks\n"
             "%s   total heap usage: 5 allocs, 2 frees, 2,000 bytes allocated\n%s \n"
             "%s"
             "%s LEAK SUMMARY:\n"
             "%s    definitely lost: 1,000 bytes in 1 blocks\n"
             "%s    indirectly lost: 0 bytes in 0 blocks\n"
             "%s      possibly lost: 0 bytes in 0 blocks\n"
             "%s    still reachable: 100 bytes in 2 blocks\n"
             "%s         suppressed: 0 bytes in 0 blocks\n"
             "%s Reachable blocks (those to which a pointer was found) are not shown.\n"
             "%s To see them, rerun with: --leak-check=full --show-leak-kinds=all\n%s \n"
             "%s ERROR SUMMARY: 3 errors from 2 contexts (suppressed: 0 from 0)\n"
             "%s \n%s 1 errors in context 1 of 2:\n%s"
             "%s \n%s 2 errors in context 2 of 2:\n%s"
             "--%d-- \n%s \n"
             "%s ERROR SUMMARY: 3 errors from 2 contexts (suppressed: 0 from 0)\n",
             P, E, P, P, P, P, P, L, P, P, P, P, P, P, P, P, P, P, P, P, L, P, P, E, p, P, P);
    CHECK_STR(body, want);
    return unit_done("check_exit");
}
