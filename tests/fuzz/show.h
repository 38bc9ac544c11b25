/* Printing cases and comparing final states (show.c). */
#ifndef FUZZ_SHOW_H
#define FUZZ_SHOW_H

#include <stdio.h>

#include "gen.h"

void show_disasm(FILE *out, const uint8_t *code, uint32_t len, const char *tmpdir);
void show_case(FILE *out, const struct gen *g, const uint8_t *keep, const struct fz_case *c, const char *tmpdir);
/* Masks both states, prints them (when out) and returns how many fields
 * differ; their names go to names. */
int show_diff(FILE *out, const struct fz_case *c, struct fz_state *native, struct fz_state *ue, char *names,
              size_t n);

#endif
