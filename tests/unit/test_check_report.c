/* memcheck's reports (src/check/report.c, supp.c): number and XML
 * formatting, suppression files and matching, options, and the text of one
 * error, leak records and XML end to end (stacks come from the stubs below). */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "../../src/check/report.c"   /* its statics: quiet, error_xml... */
#include "unit.h"

/* Three stacks: 1 = main at uaf.c:9; 2 = free <- main; 3 = malloc <- main. */
static const guest_addr st1[] = { 0x80491A6, 0xf7d0 };
static const guest_addr st2[] = { 0x4843D3F, 0x804919D };
static const guest_addr st3[] = { 0x48407B4, 0x8049190 };

int stack_frames(stack_id id, const guest_addr **pcs)
{
    const guest_addr *t[] = { NULL, st1, st2, st3 };
    *pcs = t[id];
    return id ? 2 : 0;
}

void sym_lookup(guest_addr pc, struct sym_info *o)
{
    *o = (struct sym_info){ 0 };
    if (pc >= 0x8040000 && pc < 0x8050000) {
        *o = (struct sym_info){ "main", "uaf.c", "/src", pc == 0x80491A6 ? 9 : pc == 0x804919D ? 8 : 7, "/src/uaf", 0x8048000 };
    } else if (pc >= 0x4840000 && pc < 0x4850000) {
        o->fn = pc == 0x4843D3F ? "free" : "malloc";
        o->obj = "/usr/lib/ue/libuealloc.so";
    } else if (pc == 0xf7d0) {
        o->fn = "__libc_start_call_main";
        o->obj = "/lib/libc.so.6";
    }
}

static void test_numbers(void)
{
    char b[32];
    unit_case = "numbers";
    CHECK_STR(fmt_commas(b, 0), "0");
    CHECK_STR(fmt_commas(b, 999), "999");
    CHECK_STR(fmt_commas(b, 1000), "1,000");
    CHECK_STR(fmt_commas(b, 1234567), "1,234,567");
    CHECK_STR(fmt_commas(b, 18446744073709551615ull), "18,446,744,073,709,551,615");
}

static void test_xml(void)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    unit_case = "xml";
    xml_puts(f, "a<b>&c 'd' \"e\"");
    fclose(f);
    CHECK_STR(s, "a&lt;b&gt;&amp;c 'd' \"e\"");
    free(s);
}

static void test_glob(void)
{
    unit_case = "glob";
    CHECK(supp_glob("malloc", "malloc"));
    CHECK(!supp_glob("malloc", "mallocx"));
    CHECK(supp_glob("m*c", "malloc"));
    CHECK(supp_glob("*alloc", "calloc"));
    CHECK(supp_glob("m?lloc", "malloc"));
    CHECK(!supp_glob("m?lloc", "mlloc"));
    CHECK(supp_glob("*", ""));
    CHECK(supp_glob("**x", "abx"));
    CHECK(supp_glob("*lib*.so*", "/lib/libc.so.6"));
    CHECK(!supp_glob("", "a"));
}

static struct frame fr(const char *fn, const char *obj)
{
    struct frame f = { 0 };
    f.name = fn;
    f.s.fn = fn;
    f.s.obj = obj;
    return f;
}

static void test_supp(void)
{
    char err[200];
    unit_case = "supp parse";
    const char *text =
        "# comment\n"
        "{\n   param-write\n   Memcheck:Param\n   write(buf)\n   ...\n   fun:main\n}\n"
        "{\n  addr-in-libfoo\n  Memcheck:Addr4\n  obj:*/libfoo.so*\n  fun:m?in\n}\n"
        "{\n  leaks\n  Memcheck:Leak\n  match-leak-kinds: definite,possible\n  fun:malloc\n  fun:make_*\n}\n"
        "{\n  helgrind-only\n  Helgrind:Race\n  fun:main\n}\n"
        "{\n  both\n  Helgrind,Memcheck:Free\n  fun:free\n  ...\n}\n";
    CHECK(supp_parse(text, "t.supp", err, sizeof err));
    CHECK(!supp_parse("{\n x\n Memcheck:Addr4\n bogus:frame\n}\n", "bad.supp", err, sizeof err));
    CHECK_STR(err, "line 4: expected fun:, obj:, ... or }");
    CHECK(!supp_parse("{\n x\n Memcheck:Param\n}\n", "bad.supp", err, sizeof err));
    CHECK(!supp_parse("{\n x\n Memcheck:Addr4\n fun:a\n", "bad.supp", err, sizeof err));
    CHECK_STR(err, "line 4: unterminated suppression");

    unit_case = "supp match";
    struct frame s1[] = { fr("__kernel_vsyscall", "[vdso]"), fr("write", "/lib/libc.so.6"), fr("main", "/a") };
    CHECK_EQ(supp_match("Param", "write(buf)", 0, s1, 3), 0);
    CHECK_EQ(supp_match("Param", "read(buf)", 0, s1, 3), -1);
    CHECK_EQ(supp_match("Param", "write(buf)", 0, s1 + 2, 1), 0);   /* ... matches zero frames */
    CHECK_EQ(supp_match("Param", "write(buf)", 0, s1, 2), -1);      /* main missing */
    struct frame s2[] = { fr(NULL, "/usr/lib/libfoo.so.1"), fr("main", "/a"), fr("(below main)", "/lib/libc.so.6") };
    CHECK_EQ(supp_match("Addr4", NULL, 0, s2, 3), 1);
    CHECK_EQ(supp_match("Addr2", NULL, 0, s2, 3), -1);
    struct frame s3[] = { fr("malloc", "/x"), fr("make_list", "/a"), fr("main", "/a") };
    CHECK_EQ(supp_match("Leak", NULL, LEAK_DEFINITE, s3, 3), 2);
    CHECK_EQ(supp_match("Leak", NULL, LEAK_REACHABLE, s3, 3), -1);
    struct frame s4[] = { fr("free", "/x"), fr("main", "/a") };
    CHECK_EQ(supp_match("Free", NULL, 0, s4, 2), 3);               /* the Helgrind one is not loaded */
    CHECK_EQ(supp_match("Race", NULL, 0, s4, 2), -1);

    unit_case = "used";
    char *u = NULL;
    size_t un = 0;
    FILE *uf = open_memstream(&u, &un);
    supp_add_leak(2, 138, 3);
    supp_match("Free", NULL, 0, s4, 2);
    supp_match("Free", NULL, 0, s4, 2);
    supp_print_used(uf, 7);
    fclose(uf);
    /* counts: param-write 2, addr-in-libfoo 1, leaks 1, both 3: most used first */
    CHECK_STR(u, "--7-- used_suppression:      3 both t.supp:28\n"
                 "--7-- used_suppression:      2 param-write t.supp:3\n"
                 "--7-- used_suppression:      1 addr-in-libfoo t.supp:10\n"
                 "--7-- used_suppression:      1 leaks t.supp:16 suppressed: 138 bytes in 3 blocks\n");
    free(u);

    unit_case = "gen-suppressions";
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    struct frame s5[] = { fr("write", "/lib/libc.so.6"), fr(NULL, "/lib/x.so"), fr(NULL, NULL), fr("main", "/a") };
    supp_print_gen(f, "Param", "write(buf)", 0, s5, 4);
    supp_print_gen(f, "Leak", NULL, LEAK_POSSIBLE, s5 + 3, 1);
    fclose(f);
    CHECK_STR(s, "{\n   <insert_a_suppression_name_here>\n   Memcheck:Param\n   write(buf)\n   fun:write\n"
                 "   obj:/lib/x.so\n   obj:*\n   fun:main\n}\n"
                 "{\n   <insert_a_suppression_name_here>\n   Memcheck:Leak\n   match-leak-kinds: possible\n"
                 "   fun:main\n}\n");
    free(s);
    CHECK(supp_parse("{\n   <insert_a_suppression_name_here>\n   Memcheck:Leak\n   match-leak-kinds: possible\n   fun:main\n}\n",
                     "gen.supp", err, sizeof err));
}

static void test_options(void)
{
    unit_case = "options";
    CHECK_EQ(chk_option("--nonsense", NULL), 0);
    CHECK_EQ(chk_option("--tool=memcheck", NULL), 1);
    CHECK(chk_opt.on);
    CHECK_EQ(chk_opt.leak_check, 1);    /* Valgrind's default: summary */
    CHECK_EQ(chk_option("--leak-check=full", "prog"), 1);
    CHECK_EQ(chk_opt.leak_check, 2);
    CHECK_EQ(chk_option("--leak-check=no", NULL), 1);
    CHECK_EQ(chk_opt.leak_check, 0);
    CHECK_EQ(chk_opt.show_leak_kinds, LEAK_DEFINITE | LEAK_POSSIBLE);
    CHECK_EQ(chk_option("--show-leak-kinds=all", NULL), 1);
    CHECK_EQ(chk_opt.show_leak_kinds, LEAK_DEFINITE | LEAK_INDIRECT | LEAK_POSSIBLE | LEAK_REACHABLE);
    CHECK_EQ(chk_option("--errors-for-leak-kinds=indirect,reachable", NULL), 1);
    CHECK_EQ(chk_opt.errors_for_leak_kinds, LEAK_INDIRECT | LEAK_REACHABLE);
    CHECK_EQ(chk_option("--show-reachable=no", NULL), 1);
    CHECK_EQ(chk_opt.show_leak_kinds, LEAK_DEFINITE | LEAK_POSSIBLE);
    CHECK_EQ(chk_option("--num-callers=40", NULL), 1);
    CHECK_EQ(chk_opt.num_callers, 40);
    CHECK_EQ(chk_option("--error-exitcode=7", NULL), 1);
    CHECK_EQ(chk_opt.error_exitcode, 7);
    CHECK_EQ(chk_option("--redzone-size=32", NULL), 1);
    CHECK_EQ(chk_opt.redzone, 32);
    CHECK_EQ(chk_option("--freelist-vol=1000", NULL), 1);
    CHECK_EQ(chk_opt.freelist_vol, 1000);
    CHECK_EQ(chk_option("--gen-suppressions=all", NULL), 1);
    CHECK_EQ(chk_opt.gen_suppressions, 1);
    CHECK_EQ(chk_option("--gen-suppressions=no", NULL), 1);
    CHECK_EQ(chk_option("--trace-children=no", NULL), 1);
    CHECK(!ue_opt.follow_exec);
    CHECK_EQ(chk_option("--trace-children=yes", NULL), 1);
    CHECK(ue_opt.follow_exec);
    CHECK_EQ(chk_option("--suppressions=a.supp", NULL), 1);
    CHECK_EQ(chk_opt.n_supp, 1);
    chk_opt.n_supp = 0;
    CHECK_EQ(chk_option("--log-fd=2", NULL), 1);
    CHECK_EQ(log_fd_opt, 2);
    log_fd_opt = -1;
    CHECK_EQ(chk_option("--error-limit=no", NULL), 1);
    CHECK(no_error_limit);
    CHECK_EQ(chk_option("--error-limit=yes", NULL), 1);
    CHECK_EQ(leak_kinds_parse("definite,possible"), LEAK_DEFINITE | LEAK_POSSIBLE);
    CHECK_EQ(leak_kinds_parse("none"), 0);
    CHECK_EQ(leak_kinds_parse("definite,"), -1);
    CHECK_EQ(leak_kinds_parse("lost"), -1);

    unit_case = "log names";
    char want[64];
    snprintf(want, sizeof want, "log.%d.txt", getpid());
    char *name = chk_expand_name("log.%p.txt");
    CHECK_STR(name, want);
    free(name);
    setenv("UE_TEST_VAR", "v", 1);
    name = chk_expand_name("a%q{UE_TEST_VAR}b%%");
    CHECK_STR(name, "av" "b%");
    free(name);
}

/* One error through chk_report, twice (shown once), and a suppressed one. */
static void test_report(void)
{
    char log[64], opt[96], want[2048];
    unit_case = "report";
    snprintf(log, sizeof log, "/tmp/ue-unit-report.%d", getpid());
    snprintf(opt, sizeof opt, "--log-file=%s", log);
    CHECK_EQ(chk_option(opt, NULL), 1);
    CHECK_EQ(chk_option("-q", NULL), 1);
    chk_opt.default_supp = true;
    chk_init();
    struct chk_error e = { .kind = ERR_INVALID_READ, .where = 1, .addr = 0x4a2c040, .size = 4,
                           .desc = { AD_FREED_INSIDE, 0x4a2c040, 40, 0, 3, 2, 0 } };
    chk_report(&e);
    chk_report(&e);
    struct chk_error w = { .kind = ERR_SYSCALL_PARAM, .where = 1, .addr = 0x4a2c06a, .what = "write(buf)",
                           .desc = { AD_HEAP_AFTER, 0x4a2c040, 40, 42, 3, 0, 0 } };
    chk_report(&w);    /* suppressed by test_supp's param-write */
    CHECK_EQ(chk_error_count(), 2);
    int p = getpid();
    snprintf(want, sizeof want,
             "==%d== Invalid read of size 4\n"
             "==%d==    at 0x80491A6: main (uaf.c:9)\n"
             "==%d==  Address 0x4a2c040 is 0 bytes inside a block of size 40 free'd\n"
             "==%d==    at 0x4843D3F: free (in /usr/lib/ue/libuealloc.so)\n"
             "==%d==    by 0x804919D: main (uaf.c:8)\n"
             "==%d==  Block was alloc'd at\n"
             "==%d==    at 0x48407B4: malloc (in /usr/lib/ue/libuealloc.so)\n"
             "==%d==    by 0x8049190: main (uaf.c:7)\n"
             "==%d== \n", p, p, p, p, p, p, p, p, p);
    CHECK_STR(unit_read_file(log), want);

    unit_case = "leaks";
    quiet = false;
    chk_opt.leak_check = 2;
    chk_opt.show_leak_kinds = LEAK_DEFINITE | LEAK_POSSIBLE;
    chk_opt.errors_for_leak_kinds = LEAK_DEFINITE | LEAK_POSSIBLE;
    ftruncate(log_fd, 0);
    struct leak_rec recs[] = {
        { LEAK_DEFINITE, 3, 1024, 2, 0 }, { LEAK_POSSIBLE, 3, 16, 1, 0 },
        { LEAK_REACHABLE, 3, 8, 1, 0 }, { LEAK_DEFINITE, 3, 32, 1, 64 },
    };
    struct leak_summary sum = { { 1056, 64, 16, 8 }, { 3, 2, 1, 1 }, 0, 0 };
    chk_report_leaks(recs, 4, &sum, 2);
    CHECK_EQ(chk_error_count(), 5);
    char stk[256];
    snprintf(stk, sizeof stk, "==%d==    at 0x48407B4: malloc (in /usr/lib/ue/libuealloc.so)\n"
                              "==%d==    by 0x8049190: main (uaf.c:7)\n==%d== \n", p, p, p);
    snprintf(want, sizeof want,
             "==%d== 16 bytes in 1 blocks are possibly lost in loss record 2 of 4\n%s"
             "==%d== 96 (32 direct, 64 indirect) bytes in 1 blocks are definitely lost in loss record 3 of 4\n%s"
             "==%d== 1,024 bytes in 2 blocks are definitely lost in loss record 4 of 4\n%s"
             "==%d== LEAK SUMMARY:\n"
             "==%d==    definitely lost: 1,056 bytes in 3 blocks\n"
             "==%d==    indirectly lost: 64 bytes in 2 blocks\n"
             "==%d==      possibly lost: 16 bytes in 1 blocks\n"
             "==%d==    still reachable: 8 bytes in 1 blocks\n"
             "==%d==         suppressed: 0 bytes in 0 blocks\n"
             "==%d== Reachable blocks (those to which a pointer was found) are not shown.\n"
             "==%d== To see them, rerun with: --leak-check=full --show-leak-kinds=all\n"
             "==%d== \n", p, stk, p, stk, p, stk, p, p, p, p, p, p, p, p, p);
    CHECK_STR(unit_read_file(log), want);
    unlink(log);

    unit_case = "xml";
    char *x = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&x, &n);
    error_xml(f, ctxs[0], false);
    fclose(f);
    CHECK_STR(x,
              "<error>\n  <unique>0x0</unique>\n  <tid>1</tid>\n  <kind>InvalidRead</kind>\n"
              "  <what>Invalid read of size 4</what>\n"
              "  <stack>\n    <frame>\n      <ip>0x80491A6</ip>\n      <obj>/src/uaf</obj>\n      <fn>main</fn>\n"
              "      <dir>/src</dir>\n      <file>uaf.c</file>\n      <line>9</line>\n    </frame>\n  </stack>\n"
              "  <auxwhat>Address 0x4a2c040 is 0 bytes inside a block of size 40 free'd</auxwhat>\n"
              "  <stack>\n    <frame>\n      <ip>0x4843D3F</ip>\n      <obj>/usr/lib/ue/libuealloc.so</obj>\n"
              "      <fn>free</fn>\n    </frame>\n"
              "    <frame>\n      <ip>0x804919D</ip>\n      <obj>/src/uaf</obj>\n      <fn>main</fn>\n"
              "      <dir>/src</dir>\n      <file>uaf.c</file>\n      <line>8</line>\n    </frame>\n  </stack>\n"
              "  <auxwhat>Block was alloc'd at</auxwhat>\n"
              "  <stack>\n    <frame>\n      <ip>0x48407B4</ip>\n      <obj>/usr/lib/ue/libuealloc.so</obj>\n"
              "      <fn>malloc</fn>\n    </frame>\n"
              "    <frame>\n      <ip>0x8049190</ip>\n      <obj>/src/uaf</obj>\n      <fn>main</fn>\n"
              "      <dir>/src</dir>\n      <file>uaf.c</file>\n      <line>7</line>\n    </frame>\n  </stack>\n"
              "</error>\n\n");
    free(x);

    unit_case = "xml gen-suppressions";
    f = open_memstream(&x, &n);
    error_xml(f, ctxs[0], true);
    fclose(f);
    const char *supp =
        "  <suppression>\n    <sname>insert_a_suppression_name_here</sname>\n    <skind>Memcheck:Addr4</skind>\n"
        "    <sframe> <fun>main</fun> </sframe>\n    <rawtext>\n<![CDATA[\n{\n   <insert_a_suppression_name_here>\n"
        "   Memcheck:Addr4\n   fun:main\n}\n]]>\n    </rawtext>\n  </suppression>\n";
    char *end = strstr(x, "  </stack>\n  <suppression>");
    CHECK(end != NULL);
    if (end) {
        char tail[2048];
        snprintf(tail, sizeof tail, "%s</error>\n\n%s", supp, supp);
        CHECK_STR(end + strlen("  </stack>\n"), tail);
    }
    free(x);
}

static void *thread_body(void *arg)
{
    chk_thread_start();
    struct chk_error j = { .kind = ERR_INVALID_JUMP, .where = 1, .addr = 0x1234 };
    chk_report(&j);
    chk_thread_exit();
    return arg;
}

/* Errors of another thread start with "Thread N:", and so does the next
 * one of the main thread. */
static void test_threads(void)
{
    char log[64], want[1024];
    unit_case = "threads";
    snprintf(log, sizeof log, "/tmp/ue-unit-threads.%d", getpid());
    close(log_fd);
    log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pthread_t t;
    pthread_create(&t, NULL, thread_body, NULL);
    pthread_join(t, NULL);
    CHECK_EQ(thread_used[2], 0);
    struct chk_error c = { .kind = ERR_CLIENT_CHECK, .where = 1, .addr = 0x10 };
    chk_report(&c);
    int p = getpid();
    snprintf(want, sizeof want,
             "==%d== Thread 2:\n==%d== Jump to the invalid address stated on the next line\n"
             "==%d==    at 0x80491A6: main (uaf.c:9)\n"
             "==%d==  Address 0x1234 is not stack'd, malloc'd or (recently) free'd\n==%d== \n"
             "==%d== Thread 1:\n==%d== Unaddressable byte(s) found during client check request\n"
             "==%d==    at 0x80491A6: main (uaf.c:9)\n"
             "==%d==  Address 0x10 is not stack'd, malloc'd or (recently) free'd\n==%d== \n",
             p, p, p, p, p, p, p, p, p, p);
    CHECK_STR(unit_read_file(log), want);
    unlink(log);
}

int main(void)
{
    test_numbers();
    test_xml();
    test_glob();
    test_supp();
    test_options();
    test_report();
    test_threads();
    return unit_done("check_report");
}
