/*
 * helpers.c - shared helpers of the stemmers tests (see helpers.h).
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies a token into the toks_t at ctx; returns 7 to stop when asked to. */
int collect(void *ctx, const fg_token_t *t) {
    toks_t *k = ctx;
    cr_assert_lt(k->n, TOK_MAX);
    cr_assert_eq(strlen(t->term), t->term_len);
    cr_assert_lt(t->term_len, sizeof k->t[0].term);
    tok_t *o = &k->t[k->n++];
    memcpy(o->term, t->term, t->term_len + 1);
    o->has_stem = t->stem != NULL;
    if (t->stem) {
        cr_assert_eq(strlen(t->stem), t->stem_len);
        cr_assert_lt(t->stem_len, sizeof o->stem);
        memcpy(o->stem, t->stem, t->stem_len + 1);
    } else {
        o->stem[0] = '\0';
    }
    o->offset = t->offset;
    o->length = t->length;
    o->position = t->position;
    o->flags = t->flags;
    if (k->stop_after > 0 && k->n == (size_t)k->stop_after)
        return 7;
    return 0;
}

/* The defaults without the German features (see helpers.h). */
void plain_settings(fg_analysis_settings_t *s) {
    fg_analysis_settings_default(s);
    s->decompound = false;
    s->umlauts = false;
    s->gender = false;
    s->protected_words = false;
    s->latin_plurals = false;
}

/* Creates an analyzer, asserting success. */
fg_analyzer_t *new_analyzer(const fg_analysis_settings_t *s) {
    fg_analysis_settings_t def;
    if (!s) {
        fg_analysis_settings_default(&def);
        s = &def;
    }
    fg_analyzer_t *a = NULL;
    char err[256] = "";
    fg_status_t st = fg_analyzer_new(s, &a, err, sizeof err);
    cr_assert_eq(st, FG_OK, "fg_analyzer_new: %s (%s)", fg_status_str(st), err);
    cr_assert_not_null(a);
    return a;
}

/* Analyses text from position 0 into *out. */
int analyze(fg_analyzer_t *a, const char *text, toks_t *out, uint32_t *next) {
    int stop_after = out->stop_after;
    memset(out, 0, sizeof *out);
    out->stop_after = stop_after;
    return fg_analyze(a, text, strlen(text), 0, collect, out, next);
}

/* Writes text into a new temporary file; returns its malloc'ed path. */
char *temp_file(const char *text) {
    char *path = strdup("/tmp/fg-stemmers-test-XXXXXX");
    cr_assert_not_null(path);
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    size_t len = strlen(text);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}
