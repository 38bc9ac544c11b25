/* ue-test: variants=s2 p0 */
/* ADC in every encoding and width with boundary values and both input flag states. */
#define OPNAME "adc"
#define OPX 2
#define UNDEF 0
#include "alu_binop.h"
