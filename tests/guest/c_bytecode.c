/* ue-test: variants=all */
/* A small stack-based bytecode interpreter (switch dispatch and computed
 * goto) running a few programs: loops, calls, a recursive fibonacci, and a
 * prime counter; the same results from both dispatchers. */
#include <stdint.h>
#include <stdio.h>

enum { PUSH, ADD, SUB, MUL, DIVM, DUP, SWAP, DROP, JMP, JZ, JLT, CALL, RET, LOAD, STORE, PRINT, HALT, OVER, ROT };

typedef struct {
    int32_t stack[256];
    int sp;
    int32_t rstack[256];
    int rsp;
    int32_t mem[16];
    uint32_t out;
} vm;

static int32_t run_switch(const int32_t *code, vm *m)
{
    int pc = 0;
    for (;;) {
        int32_t op = code[pc++], a, b;
        switch (op) {
        case PUSH: m->stack[m->sp++] = code[pc++]; break;
        case ADD: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a + b; break;
        case SUB: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a - b; break;
        case MUL: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a * b; break;
        case DIVM: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a % b; break;
        case DUP: a = m->stack[m->sp - 1]; m->stack[m->sp++] = a; break;
        case OVER: a = m->stack[m->sp - 2]; m->stack[m->sp++] = a; break;
        case SWAP: a = m->stack[m->sp - 1]; m->stack[m->sp - 1] = m->stack[m->sp - 2]; m->stack[m->sp - 2] = a; break;
        case ROT: a = m->stack[m->sp - 3]; m->stack[m->sp - 3] = m->stack[m->sp - 2]; m->stack[m->sp - 2] = m->stack[m->sp - 1]; m->stack[m->sp - 1] = a; break;
        case DROP: m->sp--; break;
        case JMP: pc = code[pc]; break;
        case JZ: a = m->stack[--m->sp]; pc = a == 0 ? code[pc] : pc + 1; break;
        case JLT: b = m->stack[--m->sp]; a = m->stack[--m->sp]; pc = a < b ? code[pc] : pc + 1; break;
        case CALL: m->rstack[m->rsp++] = pc + 1; pc = code[pc]; break;
        case RET: pc = m->rstack[--m->rsp]; break;
        case LOAD: m->stack[m->sp++] = m->mem[code[pc++]]; break;
        case STORE: m->mem[code[pc++]] = m->stack[--m->sp]; break;
        case PRINT: m->out = m->out * 31 + (uint32_t)m->stack[--m->sp]; break;
        case HALT: return m->sp ? m->stack[m->sp - 1] : 0;
        }
    }
}

static int32_t run_goto(const int32_t *code, vm *m)
{
    static void *labels[] = {&&l_push, &&l_add, &&l_sub, &&l_mul, &&l_divm, &&l_dup, &&l_swap, &&l_drop, &&l_jmp,
                             &&l_jz, &&l_jlt, &&l_call, &&l_ret, &&l_load, &&l_store, &&l_print, &&l_halt, &&l_over, &&l_rot};
    int pc = 0;
    int32_t a, b;
#define NEXT goto *labels[code[pc++]]
    NEXT;
l_push: m->stack[m->sp++] = code[pc++]; NEXT;
l_add: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a + b; NEXT;
l_sub: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a - b; NEXT;
l_mul: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a * b; NEXT;
l_divm: b = m->stack[--m->sp]; a = m->stack[--m->sp]; m->stack[m->sp++] = a % b; NEXT;
l_dup: a = m->stack[m->sp - 1]; m->stack[m->sp++] = a; NEXT;
l_over: a = m->stack[m->sp - 2]; m->stack[m->sp++] = a; NEXT;
l_swap: a = m->stack[m->sp - 1]; m->stack[m->sp - 1] = m->stack[m->sp - 2]; m->stack[m->sp - 2] = a; NEXT;
l_rot: a = m->stack[m->sp - 3]; m->stack[m->sp - 3] = m->stack[m->sp - 2]; m->stack[m->sp - 2] = m->stack[m->sp - 1]; m->stack[m->sp - 1] = a; NEXT;
l_drop: m->sp--; NEXT;
l_jmp: pc = code[pc]; NEXT;
l_jz: a = m->stack[--m->sp]; pc = a == 0 ? code[pc] : pc + 1; NEXT;
l_jlt: b = m->stack[--m->sp]; a = m->stack[--m->sp]; pc = a < b ? code[pc] : pc + 1; NEXT;
l_call: m->rstack[m->rsp++] = pc + 1; pc = code[pc]; NEXT;
l_ret: pc = m->rstack[--m->rsp]; NEXT;
l_load: m->stack[m->sp++] = m->mem[code[pc++]]; NEXT;
l_store: m->mem[code[pc++]] = m->stack[--m->sp]; NEXT;
l_print: m->out = m->out * 31 + (uint32_t)m->stack[--m->sp]; NEXT;
l_halt: return m->sp ? m->stack[m->sp - 1] : 0;
#undef NEXT
}

/* A tiny assembler with labels, so the programs below stay readable. */
static int32_t code[3][512];
static int n, nfix, lab[16], fixes[64][2];
static int32_t *cur;
static void E(int32_t x) { cur[n++] = x; }
static void L(int k) { lab[k] = n; }
static void J(int32_t op, int k) { E(op); fixes[nfix][0] = n; fixes[nfix++][1] = k; E(0); }
static void begin(int32_t *c) { cur = c; n = nfix = 0; }
static void end(void)
{
    for (int i = 0; i < nfix; i++)
        cur[fixes[i][0]] = lab[fixes[i][1]];
}

static void build(void)
{
    /* sum of i*i for i < 1000, printing each partial sum */
    begin(code[0]);
    E(PUSH); E(0); E(STORE); E(0); E(PUSH); E(0); E(STORE); E(1);
    L(1); E(LOAD); E(1); E(PUSH); E(1000); J(JLT, 2); J(JMP, 3);
    L(2); E(LOAD); E(1); E(DUP); E(MUL); E(LOAD); E(0); E(ADD); E(DUP); E(PRINT); E(STORE); E(0);
    E(LOAD); E(1); E(PUSH); E(1); E(ADD); E(STORE); E(1); J(JMP, 1);
    L(3); E(LOAD); E(0); E(HALT);
    end();
    /* recursive fibonacci */
    begin(code[1]);
    E(PUSH); E(24); J(CALL, 1); E(HALT);
    L(1); E(DUP); E(PUSH); E(2); J(JLT, 2);
    E(DUP); E(PUSH); E(1); E(SUB); J(CALL, 1); E(SWAP); E(PUSH); E(2); E(SUB); J(CALL, 1); E(ADD);
    L(2); E(RET);
    end();
    /* primes below 5000 by trial division: mem0 count, mem1 candidate, mem2 divisor */
    begin(code[2]);
    E(PUSH); E(0); E(STORE); E(0); E(PUSH); E(2); E(STORE); E(1);
    L(1); E(LOAD); E(1); E(PUSH); E(5000); J(JLT, 2); J(JMP, 9);
    L(2); E(PUSH); E(2); E(STORE); E(2);
    L(3); E(LOAD); E(2); E(DUP); E(MUL); E(LOAD); E(1); E(PUSH); E(1); E(ADD); J(JLT, 4); J(JMP, 5);
    L(4); E(LOAD); E(1); E(LOAD); E(2); E(DIVM); J(JZ, 6);
    E(LOAD); E(2); E(PUSH); E(1); E(ADD); E(STORE); E(2); J(JMP, 3);
    L(5); E(LOAD); E(0); E(PUSH); E(1); E(ADD); E(STORE); E(0); E(LOAD); E(1); E(PRINT);
    L(6); E(LOAD); E(1); E(PUSH); E(1); E(ADD); E(STORE); E(1); J(JMP, 1);
    L(9); E(LOAD); E(0); E(HALT);
    end();
}

int main(void)
{
    build();
    const char *names[] = {"sum of squares", "fib(24)", "primes < 5000"};
    for (int p = 0; p < 3; p++) {
        vm a = {0}, b = {0};
        int32_t ra = run_switch(code[p], &a);
        int32_t rb = run_goto(code[p], &b);
        printf("%-15s switch=%d goto=%d out=%08x/%08x\n", names[p], ra, rb, a.out, b.out);
    }
    return 0;
}
