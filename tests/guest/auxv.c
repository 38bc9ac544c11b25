/* ue-test: variants=all sp2 */
/* The auxiliary vector: AT_PAGESZ, AT_PHENT, AT_PHNUM (matches the program's
 * own headers), AT_ENTRY (static non-PIE: equals _start), AT_UID/EUID/GID/EGID,
 * AT_SECURE, AT_CLKTCK, AT_FLAGS, AT_PLATFORM, AT_EXECFN (the path it was
 * started with), AT_RANDOM (16 bytes exist, not printed), AT_PHDR points at
 * program headers, and the raw vector ends with AT_NULL after envp. */
#include <elf.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
extern void _start(void);

int main(int argc, char **argv)
{
    printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
    printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
    printf("AT_PHNUM=%lu\n", getauxval(AT_PHNUM));
    printf("AT_UID=%lu AT_EUID=%lu AT_GID=%lu AT_EGID=%lu\n", getauxval(AT_UID), getauxval(AT_EUID), getauxval(AT_GID),
           getauxval(AT_EGID));
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
    printf("AT_FLAGS=%lu\n", getauxval(AT_FLAGS));
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("AT_PLATFORM=%s\n", plat ? plat : "(none)");
    const char *fn = (const char *)getauxval(AT_EXECFN);
    printf("AT_EXECFN equals argv[0]: %d\n", fn && strcmp(fn, argv[0]) == 0);
    const uint8_t *rnd = (const uint8_t *)getauxval(AT_RANDOM);
    printf("AT_RANDOM present: %d\n", rnd != NULL);
    if (rnd) {
        int any = 0;
        for (int i = 0; i < 16; i++)
            any |= rnd[i];
        printf("AT_RANDOM bytes not all zero: %d\n", any != 0);
    }
    printf("AT_ENTRY == _start: %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    int has_load = 0, has_phdr = 0;
    for (unsigned i = 0; ph && i < getauxval(AT_PHNUM); i++) {
        has_load |= ph[i].p_type == PT_LOAD;
        has_phdr |= ph[i].p_type == PT_PHDR;
    }
    printf("AT_PHDR has PT_LOAD: %d\n", has_load);
    /* walk the raw vector after envp */
    char **e = environ;
    while (*e)
        e++;
    ElfW(auxv_t) *av = (ElfW(auxv_t) *)(e + 1);
    int n = 0, seen_pagesz = 0, seen_random = 0;
    for (; av->a_type != AT_NULL && n < 100; av++, n++) {
        if (av->a_type == AT_PAGESZ)
            seen_pagesz = av->a_un.a_val == 4096;
        if (av->a_type == AT_RANDOM)
            seen_random = 1;
    }
    printf("raw auxv ends with AT_NULL: %d; has AT_PAGESZ=4096: %d AT_RANDOM: %d\n", n < 100, seen_pagesz, seen_random);
    printf("getauxval(unknown 999)=%lu\n", getauxval(999));
    return 0;
}
