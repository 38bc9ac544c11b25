/* An ioctl's argument points into freed memory: the request's size in ue's
 * ioctl table says how many bytes the kernel writes (Valgrind's own table
 * says the same), and the report names the request.
 * memcheck: variants=O0,static
 * expect SyscallParam what="Syscall param ioctl(TIOCGWINSZ) points to unaddressable byte(s)" aux="0 bytes inside a block of size 8 free'd" stack=ioctl|main@I stack2=free|main@F stack3=malloc|main@A
 */
#include <sys/ioctl.h>
#include "mc.h"

int main(void)
{
    mc_start();
    int fd = open("/dev/null", O_RDONLY);
    struct winsize *ws = malloc(sizeof *ws); /* @A */
    free(ws); /* @F */
    if (ioctl(fd, TIOCGWINSZ, ws) < 0) /* @I */
        printf("not a terminal\n");
    close(fd);
    printf("done\n");
    return 0;
}
