/* ue-test: variants=s2 p0 */
/* ADD in every encoding and width with boundary values and both input flag states. */
#define OPNAME "add"
#define OPX 0
#define UNDEF 0
#include "alu_binop.h"
