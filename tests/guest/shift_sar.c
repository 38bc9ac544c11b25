/* ue-test: variants=s2 p0 */
/* SAR by 0..33 in every encoding and width; only the defined flags are compared. */
#define OPNAME "sar"
#define OPX 7
#define KIND 0
#include "shift.h"
