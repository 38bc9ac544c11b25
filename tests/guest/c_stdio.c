/* ue-test: variants=all */
/* stdio on files: fopen modes, fprintf/fputs/fputc, fgets and getline,
 * fscanf of integers and strings, fseek/ftell/rewind, fread/fwrite of
 * structs, ungetc, setvbuf modes, tmpfile, reading stdin (from the .stdin file)
 * line by line. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
    int32_t id;
    char tag[8];
};

int main(void)
{
    FILE *f = fopen("data.txt", "w");
    for (int i = 0; i < 50; i++)
        fprintf(f, "%d %s %x\n", i * 3, i % 2 ? "odd" : "even", i * 1000);
    fputs("last line without newline", f);
    fclose(f);
    f = fopen("data.txt", "r");
    int a, c, sum = 0;
    char w[16];
    while (fscanf(f, "%d %15s %x", &a, w, &c) == 3)
        sum += a + c + (int)strlen(w);
    printf("fscanf sum %d\n", sum);
    rewind(f);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int lines = 0;
    while ((n = getline(&line, &cap, f)) > 0)
        lines++;
    printf("getline lines %d last=[%s]\n", lines, line);
    fseek(f, -9, SEEK_END);
    char buf[64];
    fgets(buf, sizeof buf, f);
    printf("fseek end: [%s] ftell %ld\n", buf, ftell(f));
    fseek(f, 10, SEEK_SET);
    int ch = fgetc(f);
    ungetc('#', f);
    printf("ungetc: %c then %c\n", ch, fgetc(f));
    fclose(f);
    free(line);

    struct rec out[5], in[5];
    for (int i = 0; i < 5; i++) {
        out[i].id = i * i - 3;
        snprintf(out[i].tag, sizeof out[i].tag, "t%d", i);
    }
    f = fopen("recs.bin", "w+b");
    printf("fwrite %zu\n", fwrite(out, sizeof out[0], 5, f));
    rewind(f);
    printf("fread %zu\n", fread(in, sizeof in[0], 5, f));
    printf("records equal: %d\n", memcmp(in, out, sizeof in) == 0);
    fclose(f);
    f = fopen("data.txt", "a+");
    fputs("\nappended", f);
    fseek(f, 0, SEEK_SET);
    fgets(buf, sizeof buf, f);
    printf("a+ reads from start: %s", buf);
    fclose(f);
    FILE *t = tmpfile();
    fputs("temporary", t);
    rewind(t);
    fgets(buf, sizeof buf, t);
    printf("tmpfile: %s\n", buf);
    fclose(t);
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("line buffered now\n");
    int total = 0, count = 0;
    while (fgets(buf, sizeof buf, stdin)) {
        count++;
        total += atoi(buf);
        buf[strcspn(buf, "\n")] = 0;
        printf("stdin line %d: [%s]\n", count, buf);
    }
    printf("stdin lines %d total %d eof %d\n", count, total, feof(stdin));
    remove("data.txt");
    remove("recs.bin");
    return 0;
}
