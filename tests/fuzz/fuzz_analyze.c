/*
 * fuzz_analyze.c - libFuzzer target of the whole analysis with every German
 * feature on (fg_analysis_settings_default(): stems, stop words, compounds,
 * umlaut and gender variants, protected words, Latin plurals): the input is
 * decoded as a document is, then analysed.  Each token must lie inside the
 * text, carry NUL-terminated strings of the lengths it says (a cut piece at
 * most FG_TOKEN_MAX_BYTES), and have a
 * position in the range fg_analyze() reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "stemmers/analysis.h"

static fg_analyzer_t *an;

/* What the token callback checks against. */
typedef struct check {
    size_t len;
    uint32_t first, max_position;
    size_t tokens;
} check_t;

/* Creates the analyzer once. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fg_analysis_settings_t s;
    char err[256];
    fg_analysis_settings_default(&s);
    if (fg_analyzer_new(&s, &an, err, sizeof err) != FG_OK) {
        fprintf(stderr, "fuzz_analyze: %s\n", err);
        abort();
    }
    return 0;
}

/* Checks one token. */
static int on_token(void *ctx, const fg_token_t *t) {
    check_t *c = ctx;
    if (t->offset > c->len || t->length > c->len - t->offset)
        abort();
    if (!t->term || strlen(t->term) != t->term_len || t->term_len == 0)
        abort();
    if (!fuzz_utf8_valid(t->term, t->term_len))
        abort();
    if (t->stem && strlen(t->stem) != t->stem_len)
        abort();
    /* a piece of a cut run is at most FG_TOKEN_MAX_BYTES; joined parts may be longer */
    if ((t->flags & FG_TOKEN_CUT) && !(t->flags & FG_TOKEN_JOINED) &&
        t->term_len > FG_TOKEN_MAX_BYTES)
        abort();
    if (t->position < c->first)
        abort();
    if (t->position > c->max_position)
        c->max_position = t->position;
    c->tokens++;
    return 0;
}

/* Decodes and analyses the input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = NULL;
    size_t len = 0;
    if (fg_text_decode((const char *)data, size, &text, &len, NULL) != FG_OK)
        return 0;
    check_t c = {.len = len, .first = 1, .max_position = 1};
    uint32_t next = 0;
    int rc = fg_analyze(an, text, len, c.first, on_token, &c, &next);
    if (rc == 0 && c.tokens > 0 && next <= c.max_position)
        abort();
    /* the word interface on a bounded piece of the same text */
    const char *folded, *stem;
    size_t n = len < 256 ? len : 256;
    while (n > 0 && n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--;
    (void)fg_analyzer_word(an, text, n, &folded, &stem);
    free(text);
    return 0;
}
