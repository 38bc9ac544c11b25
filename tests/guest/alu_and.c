/* ue-test: variants=s2 p0 */
/* AND in every encoding and width with boundary values and both input flag states. */
#define OPNAME "and"
#define OPX 4
#define UNDEF F_AF
#include "alu_binop.h"
