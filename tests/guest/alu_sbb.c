/* ue-test: variants=s2 p0 */
/* SBB in every encoding and width with boundary values and both input flag states. */
#define OPNAME "sbb"
#define OPX 3
#define UNDEF 0
#include "alu_binop.h"
