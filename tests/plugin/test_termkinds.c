/*
 * test_termkinds.c - the index side and the query side agree on the terms of
 * a word (index/termkinds.h).
 *
 * For each word, a document whose title and body are that word is built by
 * the real document builder (feed/docbuild.c) and indexed; the word is parsed
 * as a query by the real query builder (plugin/query*.c), and the terms of
 * the query are read back from Xapian's description of it.  Every query term
 * must have a kind of the table; the query terms the document holds must be
 * of the kinds listed for the word, and the ones it does not hold must be
 * exactly the listed cross-matching ones: a query word as a weak variant of
 * another word (XV), as a part of document compounds (XC of the whole stem),
 * the parts of a query compound as words of their own (Z of a part), and the
 * weak spelling of a query word as a word (umlauts dropped).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "feed/docbuild.h"
#include "index/index.h"
#include "index/termkinds.h"
#include "plugin/query.h"
#include "testutil.h"

/* A list of strings (malloc'ed). */
typedef struct strs {
    char *s[256];
    size_t n;
} strs_t;

/* Appends a copy of s[0..len) unless it is there. */
static void strs_add(strs_t *l, const char *s, size_t len) {
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->s[i]) == len && memcmp(l->s[i], s, len) == 0)
            return;
    cr_assert_lt(l->n, sizeof l->s / sizeof *l->s);
    l->s[l->n] = strndup(s, len);
    cr_assert(l->s[l->n]);
    l->n++;
}

/* True when s is in l. */
static bool strs_has(const strs_t *l, const char *s) {
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->s[i], s) == 0)
            return true;
    return false;
}

/* Frees the strings of l. */
static void strs_free(strs_t *l) {
    for (size_t i = 0; i < l->n; i++)
        free(l->s[i]);
    l->n = 0;
}

/* The list as one line, for messages (static buffer). */
static const char *strs_str(const strs_t *l) {
    static char buf[4096];
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n && o < sizeof buf; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? " " : "", l->s[i]);
    return buf;
}

/* fg_index_terms() callback: collects every term. */
static int collect_term(void *ctx, const char *term, size_t len, uint32_t termfreq) {
    (void)termfreq;
    strs_add(ctx, term, len);
    return 0;
}

/* The terms of the one document indexed for word: title and body are word. */
static void index_terms(const char *word, strs_t *out) {
    char *dir = tu_tmpdir(), err[256];
    cr_assert(dir);
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    fg_docbuild_t *b = NULL;
    cr_assert_eq(fg_docbuild_new(&s, &b, err, sizeof err), FG_OK, "%s", err);
    char text[128], title[128];
    snprintf(text, sizeof text, "%s\n", word);
    snprintf(title, sizeof title, "%s", word);
    fg_extracted_t ex = {.text = text,
                         .text_len = strlen(text),
                         .title = title,
                         .title_in_body = true,
                         .ext = "txt",
                         .content_hash = 1};
    struct stat sb = {.st_size = (off_t)strlen(text), .st_ino = 7};
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_docbuild_make(b, "/w.txt", &sb, &ex, &doc, NULL), FG_OK);
    fg_index_t *ix = NULL;
    cr_assert_eq(fg_index_open_writable(dir, FG_INDEX_CREATE, &ix, err, sizeof err), FG_OK, "%s",
                 err);
    cr_assert_eq(fg_index_replace(ix, "/w.txt", doc), FG_OK);
    cr_assert_eq(fg_index_commit(ix), FG_OK);
    cr_assert_eq(fg_index_terms(ix, NULL, collect_term, out), FG_OK);
    cr_assert_eq(fg_index_close(ix), FG_OK);
    fg_doc_free(doc);
    fg_docbuild_free(b);
    tu_rmtree(dir);
    free(dir);
}

/* The terms the query for word looks for, read from Xapian's description
 * ("Query((a OR 0.5 * Zb OR ...))"): every word of it that is not an
 * operator, a "*" or the factor before one. */
static void query_terms(const char *word, strs_t *out) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    fg_analyzer_t *a = NULL;
    char err[256];
    cr_assert_eq(fg_analyzer_new(&s, &a, err, sizeof err), FG_OK, "%s", err);
    fg_rank_weights_t w;
    fg_rank_weights_default(&w);
    fg_xquery_t *q = NULL;
    fg_termset_t ts = {0};
    cr_assert_eq(fg_query_parse(a, &w, NULL, word, &q, &ts, err, sizeof err), FG_OK, "%s", err);
    cr_assert(q);
    char *d = NULL;
    cr_assert_eq(fg_xquery_describe(q, &d), FG_OK);
    cr_assert_eq(strncmp(d, "Query(", 6), 0, "%s", d);
    const char *c = d + 6;
    while (*c) {
        while (*c == ' ' || *c == '(' || *c == ')')
            c++;
        const char *e = c;
        while (*e && *e != ' ' && *e != '(' && *e != ')')
            e++;
        size_t n = (size_t)(e - c);
        bool factor = strncmp(e, " * ", 3) == 0;
        bool op = (n == 2 && memcmp(c, "OR", 2) == 0) || (n == 1 && *c == '*');
        if (n && !factor && !op)
            strs_add(out, c, n);
        c = e;
    }
    free(d);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    fg_analyzer_free(a);
}

/* Checks word: the kinds of the query terms the document holds are exactly
 * held_kinds, and the query terms it does not hold are exactly cross. */
static void check_word(const char *word, const char *const *held_kinds, const char *const *cross) {
    strs_t idx = {0}, qry = {0}, kinds = {0}, missing = {0}, want_kinds = {0}, want_missing = {0};
    index_terms(word, &idx);
    query_terms(word, &qry);
    cr_assert_gt(qry.n, 0);
    for (size_t i = 0; i < qry.n; i++) {
        const fg_termkind_t *tk = fg_termkind_of_term(qry.s[i]);
        cr_assert(tk, "%s: query term %s has no kind of the table", word, qry.s[i]);
        if (strs_has(&idx, qry.s[i]))
            strs_add(&kinds, tk->name, strlen(tk->name));
        else
            strs_add(&missing, qry.s[i], strlen(qry.s[i]));
    }
    for (size_t i = 0; held_kinds[i]; i++)
        strs_add(&want_kinds, held_kinds[i], strlen(held_kinds[i]));
    for (size_t i = 0; cross[i]; i++)
        strs_add(&want_missing, cross[i], strlen(cross[i]));
    cr_expect_eq(kinds.n, want_kinds.n, "%s: held kinds %s", word, strs_str(&kinds));
    for (size_t i = 0; i < want_kinds.n; i++)
        cr_expect(strs_has(&kinds, want_kinds.s[i]), "%s: no held query term of kind %s (%s)", word,
                  want_kinds.s[i], strs_str(&kinds));
    cr_expect_eq(missing.n, want_missing.n, "%s: query terms not in the document: %s", word,
                 strs_str(&missing));
    for (size_t i = 0; i < want_missing.n; i++)
        cr_expect(strs_has(&missing, want_missing.s[i]), "%s: %s expected as a cross term (%s)",
                  word, want_missing.s[i], strs_str(&missing));
    strs_free(&idx);
    strs_free(&qry);
    strs_free(&kinds);
    strs_free(&missing);
    strs_free(&want_kinds);
    strs_free(&want_missing);
}

Test(termkinds, compound) {
    const char *const held[] = {"exact", "stem", "title_stem", "lead", "part", NULL};
    /* XV: the word as another's weak spelling; XC of the whole: the word as a
     * part of document compounds; Z of the parts: the parts as words */
    const char *const cross[] = {"XVpartnerschaftsformat", "XCpartnerschaftsformat",
                                 "Zpartnerschaft", "Zformat", NULL};
    check_word("Partnerschaftsformat", held, cross);
}

Test(termkinds, capitalised_noun) {
    const char *const held[] = {"exact", "stem", "title_stem", "lead", NULL};
    const char *const cross[] = {"XVpartnerschaften", "XCpartnerschaft", NULL};
    check_word("Partnerschaften", held, cross);
}

Test(termkinds, umlaut) {
    /* the document holds the weak spelling as XVmuller; the query also
     * looks for "muller" written so */
    const char *const held[] = {"exact", "stem", "title_stem", "lead", "weak", NULL};
    const char *const cross[] = {"XVmüller", "XCmull", "muller", NULL};
    check_word("Müller", held, cross);
}

Test(termkinds, gender_form) {
    /* "Schüler:innen" comes with its base form "schüler" (a variant indexed
     * like a word) and the weak spelling "schulerinnen" */
    const char *const held[] = {"exact", "stem", "title_stem", "lead", "weak", NULL};
    const char *const cross[] = {"XVschülerinnen", "XCschulerinn", "schulerinnen",
                                 "XVschüler",      "XCschul",      NULL};
    check_word("Schüler:innen", held, cross);
}

/* A phrase looks for the kind that carries positions: the stem of a word. */
Test(termkinds, phrase_uses_positional_kind) {
    strs_t idx = {0}, qry = {0};
    index_terms("Partnerschaften", &idx);
    query_terms("\"strategische Partnerschaften\"", &qry);
    const fg_termkind_t *tk = fg_termkind_positional(true);
    cr_assert_eq(tk->id, FG_TK_STEM);
    cr_assert(strs_has(&qry, "Zpartnerschaft"), "%s", strs_str(&qry));
    cr_assert(strs_has(&idx, "Zpartnerschaft"));
    strs_free(&idx);
    strs_free(&qry);
}
