/* ue-test: variants=s2 p0 */
/* RCL by 0..33 in every encoding and width; only the defined flags are compared. */
#define OPNAME "rcl"
#define OPX 2
#define KIND 2
#include "shift.h"
