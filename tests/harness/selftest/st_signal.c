/* ue-test: variants=s2; signal=6 */
/* Dies of SIGABRT as it says it does. */
#include <stdlib.h>
int main(void)
{
    abort();
}
