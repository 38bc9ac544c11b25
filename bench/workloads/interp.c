/* A bytecode interpreter loop: a small stack VM (switch dispatch) running a
 * Collatz-steps program for 1..N.  Indirect jumps and tiny basic blocks. */
#include "bench.h"

enum op { PUSH, LOAD, STORE, ADD, MUL, AND, SHR, EQ, GT, JMP, JZ, JNZ, HALT };
enum reg { R_I, R_N, R_X, R_STEPS, R_ACC, NREGS };

struct asm_ { int code[256]; int len; int label[16]; int fix_at[32], fix_label[32], nfix; };

static void emit(struct asm_ *a, int op, int arg)
{
    a->code[a->len++] = op;
    a->code[a->len++] = arg;
}
static void jump(struct asm_ *a, int op, int label)
{
    a->fix_at[a->nfix] = a->len + 1;
    a->fix_label[a->nfix++] = label;
    emit(a, op, 0);
}
static void here(struct asm_ *a, int label) { a->label[label] = a->len; }

static uint32_t run(const int *code, uint32_t n)
{
    uint32_t stack[64], regs[NREGS] = {0};
    int sp = 0, pc = 0;
    regs[R_N] = n;
    for (;;) {
        int op = code[pc], arg = code[pc + 1];
        pc += 2;
        switch (op) {
        case PUSH: stack[sp++] = (uint32_t)arg; break;
        case LOAD: stack[sp++] = regs[arg]; break;
        case STORE: regs[arg] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case SHR: sp--; stack[sp - 1] >>= stack[sp]; break;
        case EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case GT: sp--; stack[sp - 1] = stack[sp - 1] > stack[sp]; break;
        case JMP: pc = arg; break;
        case JZ: if (!stack[--sp]) pc = arg; break;
        case JNZ: if (stack[--sp]) pc = arg; break;
        case HALT: return stack[sp - 1];
        }
    }
}

int main(int argc, char **argv)
{
    long n = arg_count(argc, argv, 60000);
    enum { L_LOOP_I, L_LOOP_X, L_EVEN, L_NEXT, L_DONE_X, L_END };
    static struct asm_ a;
    emit(&a, PUSH, 1); emit(&a, STORE, R_I);
    here(&a, L_LOOP_I);
    emit(&a, LOAD, R_I); emit(&a, LOAD, R_N); emit(&a, GT, 0); jump(&a, JNZ, L_END);
    emit(&a, LOAD, R_I); emit(&a, STORE, R_X); emit(&a, PUSH, 0); emit(&a, STORE, R_STEPS);
    here(&a, L_LOOP_X);
    emit(&a, LOAD, R_X); emit(&a, PUSH, 1); emit(&a, EQ, 0); jump(&a, JNZ, L_DONE_X);
    emit(&a, LOAD, R_X); emit(&a, PUSH, 1); emit(&a, AND, 0); jump(&a, JZ, L_EVEN);
    emit(&a, LOAD, R_X); emit(&a, PUSH, 3); emit(&a, MUL, 0); emit(&a, PUSH, 1); emit(&a, ADD, 0);
    emit(&a, STORE, R_X); jump(&a, JMP, L_NEXT);
    here(&a, L_EVEN);
    emit(&a, LOAD, R_X); emit(&a, PUSH, 1); emit(&a, SHR, 0); emit(&a, STORE, R_X);
    here(&a, L_NEXT);
    emit(&a, LOAD, R_STEPS); emit(&a, PUSH, 1); emit(&a, ADD, 0); emit(&a, STORE, R_STEPS);
    jump(&a, JMP, L_LOOP_X);
    here(&a, L_DONE_X);
    emit(&a, LOAD, R_ACC); emit(&a, PUSH, 31); emit(&a, MUL, 0); emit(&a, LOAD, R_STEPS);
    emit(&a, ADD, 0); emit(&a, STORE, R_ACC);
    emit(&a, LOAD, R_I); emit(&a, PUSH, 1); emit(&a, ADD, 0); emit(&a, STORE, R_I);
    jump(&a, JMP, L_LOOP_I);
    here(&a, L_END);
    emit(&a, LOAD, R_ACC); emit(&a, HALT, 0);
    for (int k = 0; k < a.nfix; k++)
        a.code[a.fix_at[k]] = a.label[a.fix_label[k]];

    uint32_t acc = run(a.code, (uint32_t)n);
    printf("collatz accumulator for 1..%ld: %u\n", n, acc);
    print_checksum(mix32(MIX_INIT, acc));
    return 0;
}
