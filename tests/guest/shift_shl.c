/* ue-test: variants=s2 p0 */
/* SHL by 0..33 in every encoding and width; only the defined flags are compared. */
#define OPNAME "shl"
#define OPX 4
#define KIND 0
#include "shift.h"
