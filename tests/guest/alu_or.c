/* ue-test: variants=s2 p0 */
/* OR in every encoding and width with boundary values and both input flag states. */
#define OPNAME "or"
#define OPX 1
#define UNDEF F_AF
#include "alu_binop.h"
