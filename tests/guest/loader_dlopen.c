/* ue-test: variants=d0 d2 p2 */
/* The dynamic loader at run time: dlopen of libm and libc by soname, dlsym
 * of integer functions, dlerror for a missing library and symbol,
 * dl_iterate_phdr lists the main program and libc. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

static int count, saw_libc;

static int each(struct dl_phdr_info *info, size_t size, void *data)
{
    count++;
    if (strstr(info->dlpi_name, "libc.so.6"))
        saw_libc = 1;
    return 0;
}

int main(void)
{
    void *c = dlopen("libc.so.6", RTLD_NOW);
    printf("dlopen libc: %d\n", c != NULL);
    size_t (*len)(const char *) = (size_t (*)(const char *))dlsym(c, "strlen");
    printf("dlsym strlen: %zu\n", len ? len("twelve chars") : 0);
    void *m = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
    printf("dlopen libm: %d\n", m != NULL);
    long (*lr)(double) = (long (*)(double))dlsym(m, "lrint");
    printf("dlsym lrint found: %d\n", lr != NULL);
    void *x = dlopen("libdoes-not-exist.so", RTLD_NOW);
    printf("missing library: %d error mentions it: %d\n", x == NULL, strstr(dlerror(), "libdoes-not-exist") != NULL);
    void *s = dlsym(c, "no_such_symbol_here");
    printf("missing symbol: %d error: %d\n", s == NULL, dlerror() != NULL);
    dl_iterate_phdr(each, NULL);
    printf("dl_iterate_phdr: more than 2 objects: %d libc: %d\n", count > 2, saw_libc);
    printf("dlclose: %d %d\n", dlclose(m), dlclose(c));
    return 0;
}
