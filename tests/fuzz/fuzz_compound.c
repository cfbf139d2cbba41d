/*
 * fuzz_compound.c - libFuzzer target of the German compound splitter,
 * fg_compound_split() (stemmers/compound.c) with the built-in dictionary.
 * The first byte chooses the shortest part (2..10 letters), the rest is a
 * word, decoded and case-folded as the analysis folds it.  A split must have
 * 2..FG_COMPOUND_MAX_PARTS parts that cover the word in order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stemmers/analysis.h"
#include "stemmers/compound.h"

static fg_compound_dict_t *dict;
static fg_analyzer_t *an;

/* Opens the dictionary and an analyzer (for folding) once. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    char err[256];
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    if (fg_compound_dict_builtin(&dict, err, sizeof err) != FG_OK ||
        fg_analyzer_new(&s, &an, err, sizeof err) != FG_OK) {
        fprintf(stderr, "fuzz_compound: %s\n", err);
        abort();
    }
    return 0;
}

/* Checks a split of w[0..len). */
static void check(const char *w, size_t len, unsigned min_part) {
    fg_compound_part_t parts[FG_COMPOUND_MAX_PARTS + 1];
    memset(parts, 0xAA, sizeof parts);
    size_t n = fg_compound_split(dict, w, len, min_part, parts);
    if (n == 0)
        return;
    if (n < 2 || n > FG_COMPOUND_MAX_PARTS || len > FG_COMPOUND_MAX_WORD)
        abort();
    if (parts[0].off != 0 || parts[n - 1].end != len)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (parts[i].off >= parts[i].end || parts[i].used == 0 ||
            parts[i].used > parts[i].end - parts[i].off || parts[i].add_e > 1)
            abort();
        if (i + 1 < n && parts[i].end != parts[i + 1].off)
            abort();
    }
}

/* Splits the folded input word. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 4 * FG_COMPOUND_MAX_WORD)
        return 0;
    unsigned min_part = 2u + data[0] % 9u;
    char *text = NULL;
    size_t len = 0;
    if (fg_text_decode((const char *)data + 1, size - 1, &text, &len, NULL) != FG_OK)
        return 0;
    const char *folded = NULL, *stem = NULL;
    if (fg_analyzer_word(an, text, len, &folded, &stem) == FG_OK && folded)
        check(folded, strlen(folded), min_part);
    free(text);
    return 0;
}
