/* ue-test: variants=s2 p0 */
/* RCR by 0..33 in every encoding and width; only the defined flags are compared. */
#define OPNAME "rcr"
#define OPX 3
#define KIND 2
#include "shift.h"
