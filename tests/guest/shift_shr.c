/* ue-test: variants=s2 p0 */
/* SHR by 0..33 in every encoding and width; only the defined flags are compared. */
#define OPNAME "shr"
#define OPX 5
#define KIND 0
#include "shift.h"
