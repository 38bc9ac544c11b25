/* ue-test: variants=s2 p0 */
/* XOR in every encoding and width with boundary values and both input flag states. */
#define OPNAME "xor"
#define OPX 6
#define UNDEF F_AF
#include "alu_binop.h"
