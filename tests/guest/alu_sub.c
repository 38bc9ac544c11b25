/* ue-test: variants=s2 p0 */
/* SUB in every encoding and width with boundary values and both input flag states. */
#define OPNAME "sub"
#define OPX 5
#define UNDEF 0
#include "alu_binop.h"
