/*
 * test_fuzz_regress.c - inputs the fuzz targets (tests/fuzz) found to crash
 * the query parser, kept as regression tests.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "plugin/query.h"
#include "stemmers/analysis.h"

/* Parses text with the default analysis settings and weights; returns its status. */
static fg_status_t parse(const char *text) {
    fg_analysis_settings_t s;
    fg_analyzer_t *an = NULL;
    char err[256];
    fg_analysis_settings_default(&s);
    cr_assert_eq(fg_analyzer_new(&s, &an, err, sizeof err), FG_OK, "%s", err);
    fg_rank_weights_t w;
    fg_rank_weights_default(&w);
    fg_termset_t ts = {0};
    fg_xquery_t *q = NULL;
    char msg[256];
    fg_status_t st = fg_query_parse(an, &w, NULL, text, &q, &ts, msg, sizeof msg);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    fg_analyzer_free(an);
    return st;
}

/* fuzz_snippet, crash-2de13b99...: unclosed '(' nest parse_primary -> parse_or
 * -> parse_and -> parse_not -> parse_group -> group_item -> parse_primary once
 * per parenthesis without a bound (plugin/query.c), each level with a group_t
 * on the stack: about 500 of them overflow the stack under ASan.  The plugin
 * admits queries of up to 4096 bytes, so 4000 '(' before a word must parse
 * (or fail cleanly), not crash. */
Test(fuzz_regress, deeply_nested_parentheses) {
    size_t n = 4000;
    char *text = malloc(n + sizeof "Kaffee");
    cr_assert(text);
    memset(text, '(', n);
    memcpy(text + n, "Kaffee", sizeof "Kaffee");
    fg_status_t st = parse(text);
    cr_assert(st == FG_OK || st == FG_QUERY, "status %d", (int)st);
    free(text);
}

/* The same nesting closed again: "((( ... Kaffee ... )))". */
Test(fuzz_regress, deeply_nested_closed_parentheses) {
    size_t n = 2045; /* 4096 bytes, the longest query the plugin admits */
    char *text = malloc(2 * n + sizeof "Kaffee");
    cr_assert(text);
    memset(text, '(', n);
    memcpy(text + n, "Kaffee", 6);
    memset(text + n + 6, ')', n);
    text[2 * n + 6] = '\0';
    fg_status_t st = parse(text);
    cr_assert(st == FG_OK || st == FG_QUERY, "status %d", (int)st);
    free(text);
}
