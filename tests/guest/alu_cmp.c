/* ue-test: variants=s2 p0 */
/* CMP in every encoding and width with boundary values and both input flag states. */
#define OPNAME "cmp"
#define OPX 7
#define UNDEF 0
#include "alu_binop.h"
