/* ue-test: variants=s2; timeout=1 */
/* Never ends: the native run times out, so the test is broken whatever ue does. */
#include <unistd.h>
int main(void)
{
    for (;;) pause();
}
