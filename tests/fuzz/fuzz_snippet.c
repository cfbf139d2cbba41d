/*
 * fuzz_snippet.c - libFuzzer target of the snippet maker, fg_snippet_make_at()
 * (plugin/snippet.c), with the query terms fg_query_parse() finds.  The input
 * is: one byte of options (bit 0: HTML, the rest: the snippet length), the
 * query up to the first newline, then the document text; query and text are
 * decoded as the plugin decodes them.  The snippet must be valid UTF-8 and a
 * match must lie inside the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "fuzz_util.h"
#include "plugin/query.h"
#include "plugin/snippet.h"
#include "stemmers/analysis.h"

static fg_analyzer_t *an;

/* Creates the analyzer (default settings, as a fresh index records them). */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fg_analysis_settings_t s;
    char err[256];
    fg_analysis_settings_default(&s);
    if (fg_analyzer_new(&s, &an, err, sizeof err) != FG_OK) {
        fprintf(stderr, "fuzz_snippet: %s\n", err);
        abort();
    }
    return 0;
}

/* Parses the query, makes the snippet of the text and checks it. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1)
        return 0;
    bool html = data[0] & 1;
    size_t length = 10 + (size_t)(data[0] >> 1) * 4;
    const char *rest = (const char *)data + 1;
    size_t n = size - 1;
    const char *nl = memchr(rest, '\n', n);
    size_t qlen = nl ? (size_t)(nl - rest) : n;
    const char *body = nl ? nl + 1 : rest + n;
    size_t blen = n - (size_t)(body - rest);

    char *query = NULL, *text = NULL;
    size_t ql = 0, tl = 0;
    if (fg_text_decode(rest, qlen, &query, &ql, NULL) != FG_OK)
        return 0;
    if (fg_text_decode(body, blen, &text, &tl, NULL) != FG_OK) {
        free(query);
        return 0;
    }
    fg_rank_weights_t w;
    fg_rank_weights_default(&w);
    fg_termset_t ts = {0};
    fg_xquery_t *q = NULL;
    char msg[512];
    if (fg_query_parse(an, &w, NULL, query, &q, &ts, msg, sizeof msg) == FG_OK) {
        char *out = NULL;
        size_t at = SIZE_MAX;
        if (fg_snippet_make_at(an, &ts, text, tl, length, html ? "<b>" : "[", html ? "</b>" : "]",
                               html, &out, &at) == FG_OK) {
            if (!out || !fuzz_utf8_valid(out, strlen(out)))
                abort();
            if (at != SIZE_MAX && at >= tl)
                abort();
            free(out);
        }
        fg_xquery_free(q);
    }
    fg_termset_free(&ts);
    free(query);
    free(text);
    return 0;
}
