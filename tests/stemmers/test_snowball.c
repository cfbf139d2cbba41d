/*
 * test_snowball.c - the Snowball German reference vocabulary through the
 * whole pipeline: every word of voc.txt, analysed by fg_analyze() with the
 * default settings minus the German features (plain_settings()), is one
 * token whose stem is the same line of output.txt; capitalised, it stems the
 * same.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "helpers.h"
#include "stemmers/internal.h"

#define VOC_WORDS 35033

/* Reads a file of FG_SHARED_DATA/snowball-german into *text, asserting. */
static void read_data(const char *name, char **text, size_t *len) {
    char path[1024], err[512];
    snprintf(path, sizeof path, "%s/snowball-german/%s", FG_SHARED_DATA, name);
    cr_assert_eq(fg_read_file(path, text, len, err, sizeof err), FG_OK, "%s", err);
}

/* Returns the next line of *p (NUL-terminated in place) and advances *p, or
 * NULL at the end. */
static char *next_line(char **p) {
    char *s = *p;
    if (!*s)
        return NULL;
    char *e = strchr(s, '\n');
    if (e) {
        *e = '\0';
        *p = e + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

/* Writes word with its first code point upper-cased into out (size n). */
static void capitalise(const char *word, char *out, size_t n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)word, -1, &cp);
    cr_assert_gt(k, 0);
    char first[8];
    size_t m = fg_utf8_encode(utf8proc_toupper(cp), first);
    snprintf(out, n, "%.*s%s", (int)m, first, word + k);
}

Test(snowball, german_reference_vocabulary, .timeout = 300) {
    char *voc, *stems;
    size_t voc_len, stems_len;
    read_data("voc.txt", &voc, &voc_len);
    read_data("output.txt", &stems, &stems_len);
    fg_analysis_settings_t plain; /* the plain Snowball stage: no German features */
    plain_settings(&plain);
    fg_analyzer_t *a = new_analyzer(&plain);
    static toks_t k, kc;

    size_t words = 0, same = 0, same_capitalised = 0;
    char *vp = voc, *sp = stems;
    char *w, *want;
    char cap[256];
    while ((w = next_line(&vp)) != NULL) {
        want = next_line(&sp);
        cr_assert_not_null(want, "output.txt is shorter than voc.txt");
        words++;
        analyze(a, w, &k, NULL);
        if (k.n == 1 && k.t[0].has_stem && strcmp(k.t[0].stem, want) == 0)
            same++;
        else
            cr_log_error("'%s': %zu tokens, stem '%s', want '%s'", w, k.n, k.n ? k.t[0].stem : "",
                         want);
        capitalise(w, cap, sizeof cap);
        analyze(a, cap, &kc, NULL);
        if (kc.n == 1 && strcmp(kc.t[0].stem, want) == 0)
            same_capitalised++;
        else
            cr_log_error("'%s': %zu tokens, stem '%s', want '%s'", cap, kc.n,
                         kc.n ? kc.t[0].stem : "", want);
    }
    cr_assert_null(next_line(&sp), "output.txt is longer than voc.txt");
    cr_assert_eq(words, VOC_WORDS);
    cr_assert_eq(same, VOC_WORDS, "%zu of %d stems as in output.txt", same, VOC_WORDS);
    cr_assert_eq(same_capitalised, VOC_WORDS, "%zu of %d capitalised", same_capitalised, VOC_WORDS);
    cr_log_info("snowball german: %zu of %zu words, %zu capitalised", same, words,
                same_capitalised);
    fg_analyzer_free(a);
    free(voc);
    free(stems);
}
