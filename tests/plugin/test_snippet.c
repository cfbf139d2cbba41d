/*
 * test_snippet.c - snippets built by plugin/snippet.c from query terms parsed
 * by plugin/query.c, with the default analysis settings: stems, compound
 * parts and wildcards highlighted, markers, HTML escaping, the densest window.
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/query.h"
#include "plugin/snippet.h"
#include "stemmers/analysis.h"

static fg_analyzer_t *an;

/* An analyzer with the default settings (as a fresh index records them). */
static void setup(void) {
    fg_analysis_settings_t s;
    char err[256];
    fg_analysis_settings_default(&s);
    cr_assert_eq(fg_analyzer_new(&s, &an, err, sizeof err), FG_OK, "%s", err);
}

/* Frees the analyzer. */
static void teardown(void) {
    fg_analyzer_free(an);
}

TestSuite(snippet, .init = setup, .fini = teardown);

/* The snippet of text for query, with markers [ ] (or html <b></b>). */
static char *snip(const char *query, const char *text, size_t length, bool html) {
    fg_rank_weights_t w;
    fg_rank_weights_default(&w);
    fg_termset_t ts = {0};
    fg_xquery_t *q = NULL;
    char msg[256];
    cr_assert_eq(fg_query_parse(an, &w, NULL, query, &q, &ts, msg, sizeof msg), FG_OK, "%s", msg);
    char *out = NULL;
    cr_assert_eq(fg_snippet_make(an, &ts, text, strlen(text), length, html ? "<b>" : "[",
                                 html ? "</b>" : "]", html, &out),
                 FG_OK);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    return out;
}

/* Context of a compound-part token of "Partnerschaftsformat" with stem "format". */
typedef struct part_probe {
    bool split;      /* a part "format" was delivered */
    bool own_offset; /* at its own offset, not the whole word's */
} part_probe_t;

/* fg_analyze() callback for part_probe_t. */
static int probe(void *ctx, const fg_token_t *tok) {
    part_probe_t *p = ctx;
    if ((tok->flags & FG_TOKEN_COMPOUND_PART) && tok->stem && strcmp(tok->stem, "format") == 0) {
        p->split = true;
        p->own_offset = tok->offset > 0;
    }
    return 0;
}

Test(snippet, compound_parts_are_highlighted) {
    /* Which applies depends on the analyzer: with compound splitting (parts
     * flagged FG_TOKEN_COMPOUND_PART with their own offsets) the part inside
     * the compound is marked; without it the compound is left alone and only
     * the word itself is marked. */
    static const char text[] = "Partnerschaftsformat und ein neues Format.";
    part_probe_t p = {0};
    fg_analyze(an, text, strlen("Partnerschaftsformat"), 1, probe, &p, NULL);
    char *s = snip("Format", text, 200, false);
    cr_assert(strstr(s, "[Format]."), "the word itself: %s", s);
    if (p.split && p.own_offset) {
        cr_log_info("compound splitting active: the part is highlighted");
        cr_assert(strstr(s, "Partnerschafts[format]"), "%s", s);
    } else if (p.split) {
        cr_log_info("compound parts without own offsets: the whole word is highlighted");
        cr_assert(strstr(s, "[Partnerschaftsformat]"), "%s", s);
    } else {
        cr_log_warn("no compound splitting in this analyzer: compound not highlighted");
        cr_assert(strstr(s, "Partnerschaftsformat und"), "%s", s);
    }
    free(s);
    /* the first part of a compound */
    s = snip("Partnerschaft", text, 200, false);
    cr_assert(strstr(s, "[Partnerschaft"), "%s", s);
    free(s);
}

Test(snippet, stems_wildcards_and_markers) {
    char *s = snip("Verzeichnis", "Die Verzeichnisse und ein Verzeichnis.", 200, false);
    cr_assert_str_eq(s, "Die [Verzeichnisse] und ein [Verzeichnis].");
    free(s);
    s = snip("Verz*", "Die Verzeichnisse und Verzug, nicht Verb.", 200, false);
    cr_assert_str_eq(s, "Die [Verzeichnisse] und [Verzug], nicht Verb.");
    free(s);
    s = snip("title:Ostsee", "An der Ostsee.", 200, false);
    cr_assert_str_eq(s, "An der [Ostsee].", "title words highlight in the text too");
    free(s);
    s = snip("Ostsee NEAR/2 Strand", "Ostsee und Strand.", 200, false);
    cr_assert_str_eq(s, "[Ostsee] und [Strand].");
    free(s);
    s = snip("-Ostsee Strand", "Ostsee und Strand.", 200, false);
    cr_assert_str_eq(s, "Ostsee und [Strand].", "excluded words are not marked");
    free(s);
}

Test(snippet, html_escaping) {
    char *s = snip("Kaffee", "<p>Kaffee & \"Kuchen\"</p>", 200, true);
    cr_assert_str_eq(s, "&lt;p&gt;<b>Kaffee</b> &amp; &quot;Kuchen&quot;&lt;/p&gt;");
    free(s);
}

Test(snippet, densest_window_wins) {
    char text[4096] = "";
    strcat(text, "Kaffee am Anfang. ");
    for (int i = 0; i < 40; i++)
        strcat(text, "Füllwort ");
    strcat(text, "Hier Kaffee und Kuchen beisammen. ");
    for (int i = 0; i < 40; i++)
        strcat(text, "Füllwort ");
    char *s = snip("Kaffee Kuchen", text, 80, false);
    cr_assert(strstr(s, "[Kaffee] und [Kuchen]"), "%s", s);
    cr_assert(!strstr(s, "Anfang"), "%s", s);
    cr_assert(strncmp(s, "\xE2\x80\xA6", 3) == 0, "cut before: %s", s);
    free(s);
}

Test(snippet, long_texts_find_inflections_parts_and_short_words) {
    /* past 2 KB only the words around likely places are analysed: inflections
     * with umlauts, compound parts, hyphenated and short words must still be
     * found, wherever they are */
    size_t cap = 64 * 1024;
    char *text = calloc(1, cap);
    cr_assert(text);
    for (int i = 0; i < 300; i++)
        strcat(text, "Füllwort ");
    strcat(text, "Die alten Häuser am Fluss, per E-Mail gemeldet, im Partnerschaftsformat. ");
    for (int i = 0; i < 300; i++)
        strcat(text, "Füllwort ");
    char *s = snip("Haus Fluss", text, 120, false);
    cr_assert(strstr(s, "[Häuser] am [Fluss]"), "%s", s);
    free(s);
    s = snip("E-Mail", text, 120, false);
    cr_assert(strstr(s, "[E]-[Mail]") || strstr(s, "[E-Mail]"), "%s", s);
    free(s);
    s = snip("am Fluss", text, 120, false);
    cr_assert(strstr(s, "[Fluss]"), "%s", s);
    free(s);
    s = snip("Gemeldete", text, 120, false);
    cr_assert(strstr(s, "[gemeldet]"), "%s", s);
    free(s);
    part_probe_t p = {0};
    fg_analyze(an, "Partnerschaftsformat", 20, 1, probe, &p, NULL);
    s = snip("Format", text, 120, false);
    if (p.split && p.own_offset)
        cr_assert(strstr(s, "Partnerschafts[format]"), "%s", s);
    free(s);
    free(text);
}

/* text of filler words, then middle, then filler again: long enough (past
 * 2 KB) for the prefilter; malloc'ed. */
static char *long_text(const char *middle) {
    size_t cap = 64 * 1024;
    char *text = calloc(1, cap);
    cr_assert(text);
    for (int i = 0; i < 300; i++)
        strcat(text, "Füllwort ");
    strcat(text, middle);
    for (int i = 0; i < 300; i++)
        strcat(text, "Füllwort ");
    return text;
}

Test(snippet, case_umlauts_and_sharp_s_fold_alike) {
    /* the query and the text are folded alike (ß = ẞ = ss, capitals, umlauts,
     * capitals beyond Latin-1, ’ = '), in short texts analysed whole and in
     * long ones through the prefilter */
    const char *middle = "Die STRASSE und die Straße, GROẞE Häuser, die HÄUSER am ÖLBERG, "
                         "in ŁÓDŹ geht’s los. ";
    char *texts[2] = {strdup(middle), long_text(middle)};
    for (int t = 0; t < 2; t++) {
        char *s = snip("strasse", texts[t], 200, false);
        cr_assert(strstr(s, "[STRASSE] und die [Straße]"), "%s", s);
        free(s);
        s = snip("Straße", texts[t], 200, false);
        cr_assert(strstr(s, "[STRASSE] und die [Straße]"), "%s", s);
        free(s);
        s = snip("grosse", texts[t], 200, false);
        cr_assert(strstr(s, "[GROẞE]"), "%s", s);
        free(s);
        s = snip("häuser", texts[t], 200, false);
        cr_assert(strstr(s, "[Häuser], die [HÄUSER]"), "%s", s);
        free(s);
        s = snip("Ölberg", texts[t], 200, false);
        cr_assert(strstr(s, "[ÖLBERG]"), "%s", s);
        free(s);
        s = snip("łódź", texts[t], 200, false);
        cr_assert(strstr(s, "[ŁÓDŹ]"), "%s", s);
        free(s);
        s = snip("geht's", texts[t], 200, false);
        cr_assert(strstr(s, "[geht’s]"), "%s", s);
        free(s);
        free(texts[t]);
    }
}
