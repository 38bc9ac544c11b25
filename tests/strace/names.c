/* Calls that --strace must name (tests/strace/run.sh): unimplemented and
 * never-implemented numbers, and the administration calls, each with
 * arguments that make it fail harmlessly (bad pointers, bad magic numbers). */
#include <sys/syscall.h>
#include <unistd.h>

static const int nrs[] = {
    35, 17, 357, 21, 22, 25, 52, 62, 87, 88, 103, 110, 115, 124, 128, 129, 131, 135, 217, 274, 275,
    276, 283, 286, 287, 288, 294, 317, 336, 338, 339, 341, 342, 343, 350, 354, 374, 380, 381, 382,
    405, 428, 429, 430, 431, 432, 433, 442, 443, 444, 445, 446, 447, 450, 451, 457, 458, 459, 460,
    461, 462, 463, 464, 465, 466, 467, 468, 469,
};

int main(void)
{
    for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++)
        syscall(nrs[i], -1, -1, -1, -1, -1, -1);
    return 0;
}
