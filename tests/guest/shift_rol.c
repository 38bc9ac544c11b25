/* ue-test: variants=s2 p0 */
/* ROL by 0..33 in every encoding and width; only the defined flags are compared. */
#define OPNAME "rol"
#define OPX 0
#define KIND 1
#include "shift.h"
