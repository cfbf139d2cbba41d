/*
 * test_plugin.c - a C host that dlopens the built libfundgrube.so, checks its
 * ABI and searches an index of the sample article and the examples.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fundgrube/fundgrube.h"
#include "plugin_host.h"
#include "testutil.h"

static char *dir, *ixdir;
static void *so;
static const fg_plugin_api_t *api;
static fg_handle_t *h;

/* Indexes the sample article and the examples into a fresh index and opens it
 * through the plugin. */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    cr_assert(asprintf(&ixdir, "%s/index", dir) > 0);
    static const char *const folders[] = {FG_SHARED_DATA "/sample", FG_SOURCE_DIR "/examples",
                                          NULL};
    plugin_host_index(dir, ixdir, folders);
    plugin_host_open(ixdir, &so, &api, &h);
}

static void teardown(void) {
    if (api && h)
        api->close(h);
    if (so)
        dlclose(so);
    tu_rmtree(dir);
    free(dir);
    free(ixdir);
}

TestSuite(plugin, .init = setup, .fini = teardown);

/* Runs query with options o (NULL: defaults); asserts success. */
static fg_results_t *search(const char *query, const fg_search_options_t *o) {
    fg_results_t *r = NULL;
    int st = api->search(h, query, o, &r);
    cr_assert_eq(st, FG_OK, "search '%s': %s", query, api->last_error(h));
    cr_assert(r);
    return r;
}

/* True when the path of a hit ends with name. */
static bool hit_is(const fg_results_t *r, size_t i, const char *name) {
    if (i >= r->count)
        return false;
    const char *p = FG_RESULTS_HIT(r, i)->path;
    size_t n = strlen(p), m = strlen(name);
    return n >= m && strcmp(p + n - m, name) == 0;
}

/* True when some hit's path ends with name. */
static bool has_hit(const fg_results_t *r, const char *name) {
    for (size_t i = 0; i < r->count; i++)
        if (hit_is(r, i, name))
            return true;
    return false;
}

Test(plugin, abi_table) {
    cr_assert_eq(api->abi_major, FG_PLUGIN_ABI_MAJOR);
    /* the plugin built with these headers: the same minor, every member */
    cr_assert_eq(api->abi_minor, FG_PLUGIN_ABI_MINOR);
    cr_assert_eq(api->struct_size, sizeof(fg_plugin_api_t));
    cr_assert_not_null(api->open_with);
    cr_assert_str_eq(api->status_str(FG_OK), "success");
    cr_assert(strlen(api->version()) > 0);
    fg_plugin_entry_fn entry = (fg_plugin_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME);
    cr_assert_null(entry(FG_PLUGIN_ABI_MAJOR + 1), "another major gets no table");
    uint64_t n = 0;
    cr_assert_eq(api->doc_count(h, &n), FG_OK);
    cr_assert_eq(n, 7, "the sample and six examples: %llu", (unsigned long long)n);
}

Test(plugin, sample_words_rank_the_article_first) {
    static const char *const queries[] = {"Partnerschaften", "Präsident", "zentralasiatisch",
                                          "PARTNERSCHAFT", "Außenministerin"};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        fg_results_t *r = search(queries[i], NULL);
        cr_assert_geq(r->count, 1, "%s finds something", queries[i]);
        cr_assert(hit_is(r, 0, "zentralasien-deutschland.txt"), "%s: first hit %s", queries[i],
                  FG_RESULTS_HIT(r, 0)->path);
        const fg_hit_t *hit = FG_RESULTS_HIT(r, 0);
        cr_assert_eq(hit->rank, 1);
        cr_assert_gt(hit->score, 0);
        cr_assert(hit->percent > 0 && hit->percent <= 100);
        cr_assert(strchr(hit->snippet, '[') && strchr(hit->snippet, ']'),
                  "%s: snippet highlights: %s", queries[i], hit->snippet);
        cr_assert(strncmp(hit->title, "Im Zuge", 7) == 0, "title %s", hit->title);
        api->results_free(r);
    }
}

Test(plugin, stems_match_and_are_highlighted) {
    fg_search_options_t o = {.struct_size = sizeof o, .hl_start = "<b>", .hl_end = "</b>"};
    fg_results_t *r = search("Partnerschaften", &o);
    /* the stem finds "Partnerschaft" and the exact form "Partnerschaften" is not in the text */
    cr_assert(strstr(FG_RESULTS_HIT(r, 0)->snippet, "<b>Partnerschaft</b>") != NULL, "%s",
              FG_RESULTS_HIT(r, 0)->snippet);
    api->results_free(r);
}

Test(plugin, capitalised_plural_finds_both) {
    /* both articles contain "Bürgerinnen" (the sample also "Bürgern") */
    fg_results_t *r = search("Bürgerinnen", NULL);
    cr_assert_geq(r->count, 2);
    cr_assert(has_hit(r, "buergerversammlung.txt"));
    cr_assert(has_hit(r, "zentralasien-deutschland.txt"));
    api->results_free(r);
}

Test(plugin, boolean_operators_and_modifiers) {
    fg_results_t *r = search("Espresso OR Reifen", NULL);
    cr_assert_eq(r->count, 2);
    api->results_free(r);
    r = search("Espresso ODER Reifen", NULL);
    cr_assert_eq(r->count, 2);
    api->results_free(r);
    r = search("Kündigung AND Kaution", NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(hit_is(r, 0, "mietvertrag-hinweise.md"));
    api->results_free(r);
    r = search("E-Mail NOT Kündigung", NULL);
    cr_assert_eq(r->count, 1, "E-Mail is in two examples, one of them about Kündigung");
    cr_assert(hit_is(r, 0, "buergerversammlung.txt"));
    api->results_free(r);
    r = search("E-Mail -Kündigung", NULL);
    cr_assert_eq(r->count, 1);
    api->results_free(r);
    r = search("+Espresso Reifen", NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(hit_is(r, 0, "kaffee-zubereitung.md"));
    api->results_free(r);
    r = search("(Espresso OR Reifen) AND (Wasser OR Felge)", NULL);
    cr_assert_eq(r->count, 2, "count %zu", r->count);
    api->results_free(r);
    r = search("(Espresso OR Reifen) AND Felge", NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(hit_is(r, 0, "fahrrad-reparatur.txt"));
    api->results_free(r);
}

Test(plugin, more_matching_words_rank_higher) {
    fg_results_t *r = search("Kaution Kündigung Espresso", NULL);
    cr_assert_eq(r->count, 2);
    cr_assert(hit_is(r, 0, "mietvertrag-hinweise.md"), "two words beat one");
    api->results_free(r);
}

Test(plugin, phrases_over_stems) {
    fg_results_t *r = search("\"strategischen Partnerschaft\"", NULL);
    cr_assert_eq(r->count, 1);
    api->results_free(r);
    r = search("\"strategische Partnerschaften\"", NULL);
    cr_assert_eq(r->count, 1, "inflected forms match in a phrase");
    api->results_free(r);
    r = search("\"Partnerschaft strategischen\"", NULL);
    cr_assert_eq(r->count, 0, "word order counts");
    api->results_free(r);
}

Test(plugin, encodings_and_normal_forms) {
    /* the Windows-1252 example is found by its umlaut words */
    fg_results_t *r = search("Größere Änderungen", NULL);
    cr_assert_geq(r->count, 1);
    cr_assert(hit_is(r, 0, "buero-notiz-cp1252.txt"));
    api->results_free(r);
    /* an NFD query finds NFC text */
    r = search("Mu\xcc\x88ller", NULL);
    cr_assert_eq(r->count, 1);
    api->results_free(r);
    /* a Windows-1252 query */
    r = search("M\xfcller", NULL);
    cr_assert_eq(r->count, 1);
    api->results_free(r);
}

Test(plugin, no_hits_paging_and_options) {
    fg_results_t *r = search("Quantenchromodynamik", NULL);
    cr_assert_eq(r->count, 0);
    cr_assert_eq(r->total_estimate, 0);
    api->results_free(r);
    fg_search_options_t o = {.struct_size = sizeof o, .limit = 1};
    r = search("Bürger OR Espresso OR Reifen", &o);
    cr_assert_eq(r->count, 1);
    cr_assert_geq(r->total_estimate, 3);
    char first[4096];
    snprintf(first, sizeof first, "%s", FG_RESULTS_HIT(r, 0)->path);
    api->results_free(r);
    o.offset = 1;
    r = search("Bürger OR Espresso OR Reifen", &o);
    cr_assert_eq(r->count, 1);
    cr_assert_eq(FG_RESULTS_HIT(r, 0)->rank, 2);
    cr_assert_str_neq(FG_RESULTS_HIT(r, 0)->path, first);
    api->results_free(r);
    o = (fg_search_options_t){.struct_size = sizeof o, .flags = FG_SEARCH_NO_SNIPPETS};
    r = search("Espresso", &o);
    cr_assert_str_eq(FG_RESULTS_HIT(r, 0)->snippet, "");
    api->results_free(r);
    /* a host that knows only the first fields of the options */
    o = (fg_search_options_t){.struct_size = offsetof(fg_search_options_t, hl_start),
                              .limit = 1,
                              .hl_start = "garbage-not-read"};
    r = search("Espresso", &o);
    cr_assert_eq(r->count, 1);
    cr_assert(strstr(FG_RESULTS_HIT(r, 0)->snippet, "[Espresso]") != NULL, "%s",
              FG_RESULTS_HIT(r, 0)->snippet);
    api->results_free(r);
}

Test(plugin, html_snippets_escape_text_not_markers) {
    fg_search_options_t o = {
        .struct_size = sizeof o, .hl_start = "<em>", .hl_end = "</em>", .flags = FG_SEARCH_HTML};
    fg_results_t *r = search("Zentralasien", &o);
    const char *s = FG_RESULTS_HIT(r, 0)->snippet;
    cr_assert(strstr(s, "<em>Zentralasien</em>") != NULL, "%s", s);
    api->results_free(r);
}

Test(plugin, malformed_queries_get_best_effort) {
    fg_results_t *r = search("\"strategischen Partnerschaft", NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(strstr(api->last_error(h), "quote") != NULL, "%s", api->last_error(h));
    api->results_free(r);
    r = search("(Espresso OR Reifen", NULL);
    cr_assert_eq(r->count, 2);
    cr_assert(strstr(api->last_error(h), "parenthesis") != NULL);
    api->results_free(r);
    r = search("Espresso) AND", NULL);
    cr_assert_eq(r->count, 1);
    api->results_free(r);
    r = search("", NULL);
    cr_assert_eq(r->count, 0);
    api->results_free(r);
    r = search("und der die", NULL);
    cr_assert_geq(r->count, 1, "a query of stop words only still searches them");
    api->results_free(r);
    r = search("NOT Espresso", NULL);
    cr_assert_eq(r->count, 6);
    api->results_free(r);
}

Test(plugin, errors_are_reported_not_crashed) {
    fg_handle_t *h2 = NULL;
    char err[512];
    cr_assert_neq(api->open("/nonexistent/fundgrube-index", &h2, err, sizeof err), FG_OK);
    cr_assert_null(h2);
    cr_assert(strstr(err, "/nonexistent/fundgrube-index") != NULL, "%s", err);
    cr_assert_str_eq(api->last_error(NULL), "");
    api->close(NULL);
    api->results_free(NULL);
}

/* A file recorded as unreadable (the encrypted PDF: a failure stub in the
 * index) is no document: doc_count leaves it out. */
Test(plugin, doc_count_leaves_failure_stubs_out) {
    char *folder = NULL, *ix2 = NULL, *cmd = NULL;
    cr_assert(asprintf(&folder, "%s/mit-pdf", dir) > 0);
    cr_assert(asprintf(&ix2, "%s/index2", dir) > 0);
    cr_assert(asprintf(&cmd, "mkdir -p '%s' && cp '%s' '%s/'", folder,
                       FG_SOURCE_DIR "/tests/extract/fixtures/encrypted-user.pdf", folder) > 0);
    cr_assert_eq(system(cmd), 0);
    free(tu_write_str(folder, "notiz.txt", "Die Kaution kommt zurück.\n"));
    const char *const folders[] = {folder, NULL};
    plugin_host_index(dir, ix2, folders);
    void *so2 = NULL;
    const fg_plugin_api_t *api2 = NULL;
    fg_handle_t *h2 = NULL;
    plugin_host_open(ix2, &so2, &api2, &h2);
    uint64_t n = 0;
    cr_assert_eq(api2->doc_count(h2, &n), FG_OK);
    cr_assert_eq(n, 1, "the text file only, not the encrypted PDF's stub: %llu",
                 (unsigned long long)n);
    api2->close(h2);
    dlclose(so2);
    free(folder);
    free(ix2);
    free(cmd);
}

/* A query longer than the limit is refused with a clear message (a search
 * box's text, not a book); one at the limit runs. */
Test(plugin, overlong_query_is_refused) {
    size_t n = 4096;
    char *q = malloc(n + 2);
    cr_assert(q);
    for (size_t i = 0; i < n; i++)
        q[i] = i % 8 == 7 ? ' ' : 'a';
    q[n] = '\0';
    fg_results_t *r = NULL;
    cr_assert_eq(api->search(h, q, NULL, &r), FG_OK, "%s", api->last_error(h));
    api->results_free(r);
    q[n] = 'b';
    q[n + 1] = '\0';
    r = NULL;
    cr_assert_eq(api->search(h, q, NULL, &r), FG_INVALID);
    cr_assert_null(r);
    cr_assert(strstr(api->last_error(h), "query too long"), "%s", api->last_error(h));
    free(q);
}

/* ABI 1.4: document() gives a hit's metadata and its whole text with the
 * query's matches marked (HTML-escaped when asked), and FG_NOT_FOUND for a
 * docid that is no document. */
Test(plugin, document_text_with_marks) {
    fg_results_t *r = search("zentralasiatischer", NULL);
    cr_assert_geq(r->count, 1);
    uint32_t docid = FG_RESULTS_HIT(r, 0)->docid;
    char *path = strdup(FG_RESULTS_HIT(r, 0)->path);
    api->results_free(r);
    cr_assert_geq(api->struct_size, FG_PLUGIN_API_MIN_SIZE(words_free));
    fg_search_options_t o = {.struct_size = sizeof o,
                             .hl_start = "<mark>",
                             .hl_end = "</mark>",
                             .flags = FG_SEARCH_HTML};
    fg_document_t *d = NULL;
    cr_assert_eq(api->document(h, docid, "Partnerschaften", &o, &d), FG_OK, "%s",
                 api->last_error(h));
    cr_expect_eq(d->docid, docid);
    cr_expect_str_eq(d->path, path);
    cr_expect_str_eq(d->type, "txt");
    cr_expect(strstr(d->text, "strategische <mark>Partnerschaft</mark>"), "%s", d->text);
    cr_expect(strstr(d->text, "\n"), "line breaks kept");
    cr_expect_geq(d->matches, 1);
    cr_expect_eq(d->text_len, strlen(d->text));
    cr_expect_eq(d->truncated, 0);
    api->document_free(d);
    /* without a query: the text, nothing marked */
    cr_assert_eq(api->document(h, docid, NULL, NULL, &d), FG_OK);
    cr_expect_eq(d->matches, 0);
    cr_expect(!strstr(d->text, "["), "no markers without a query");
    api->document_free(d);
    d = (fg_document_t *)1;
    cr_expect_eq(api->document(h, 999999, "x", NULL, &d), FG_NOT_FOUND);
    cr_expect_null(d);
    free(path);
}

/* ABI 1.4: complete() gives vocabulary words of a prefix, folded like a
 * query word, most documents first. */
Test(plugin, complete_words_of_a_prefix) {
    fg_words_t *w = NULL;
    cr_assert_eq(api->complete(h, "Partnersch", 5, &w), FG_OK, "%s", api->last_error(h));
    cr_assert_geq(w->count, 1);
    cr_expect_leq(w->count, 5);
    bool found = false;
    for (size_t i = 0; i < w->count; i++) {
        cr_expect_eq(strncmp(w->words[i], "partnersch", 10), 0, "%s", w->words[i]);
        found |= strcmp(w->words[i], "partnerschaft") == 0;
        if (i > 0)
            cr_expect_geq(w->doc_counts[i - 1], w->doc_counts[i], "most documents first");
    }
    cr_expect(found, "partnerschaft is a completion");
    api->words_free(w);
    cr_assert_eq(api->complete(h, "Außenmin", 5, &w), FG_OK);
    cr_expect_geq(w->count, 1, "ß and capitals folded");
    api->words_free(w);
    cr_assert_eq(api->complete(h, "", 5, &w), FG_OK);
    cr_expect_eq(w->count, 0, "an empty prefix completes nothing");
    api->words_free(w);
}
