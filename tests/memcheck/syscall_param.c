/* A system call reads a freed buffer.
 * memcheck: variants=O0,static
 * expect SyscallParam what="Syscall param write(buf) points to unaddressable byte(s)" aux="0 bytes inside a block of size 16 free'd" stack=write|main@W stack2=free|main@F stack3=malloc|main@A
 */
#include "mc.h"

int main(void)
{
    mc_start();
    int fd = open("/dev/null", O_WRONLY);
    char *buf = malloc(16); /* @A */
    memset(buf, 'x', 16);
    free(buf); /* @F */
    if (write(fd, buf, 16) < 0) /* @W */
        printf("write failed\n");
    close(fd);
    printf("done\n");
    return 0;
}
