/* ue-test: variants=s2 p0 */
/* ROR by 0..33 in every encoding and width; only the defined flags are compared. */
#define OPNAME "ror"
#define OPX 1
#define KIND 1
#include "shift.h"
