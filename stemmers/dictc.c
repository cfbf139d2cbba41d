/*
 * dictc.c - fg-dictc, the dictionary compiler run at build time:
 *
 *   fg-dictc WORDLIST OUTPUT
 *
 * compiles a word list (one word a line, e.g. /usr/share/dict/ngerman) into
 * the compact dictionary the compound splitter maps at start-up (format in
 * compound_dict.c).  Exits 0 on success, 1 with a message on failure.
 */
#include <stdio.h>
#include <stdlib.h>

#include "stemmers/compound.h"
#include "stemmers/internal.h"

/* Compiles argv[1] into argv[2]; returns the process exit status. */
int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: fg-dictc WORDLIST OUTPUT\n");
        return 1;
    }
    char err[512] = "";
    char *data;
    size_t len;
    fg_status_t st = fg_read_file(argv[1], &data, &len, err, sizeof err);
    if (st != FG_OK) {
        fprintf(stderr, "fg-dictc: %s\n", err[0] ? err : "cannot read the word list");
        return 1;
    }
    fg_compound_dict_t *d;
    st = fg_compound_dict_compile(data, len, &d);
    free(data);
    if (st != FG_OK) {
        fprintf(stderr, "fg-dictc: out of memory\n");
        return 1;
    }
    st = fg_compound_dict_write(d, argv[2], err, sizeof err);
    fg_compound_dict_free(d);
    if (st != FG_OK) {
        fprintf(stderr, "fg-dictc: %s\n", err);
        return 1;
    }
    return 0;
}
