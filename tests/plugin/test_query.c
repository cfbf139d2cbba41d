/*
 * test_query.c - the query language and the search features of ABI 1.1
 * through the built libfundgrube.so: NEAR, wildcards, fields and date ranges,
 * malformed input, sorting and paging, collapsing of duplicates, facets,
 * spelling suggestions and "more like this"; an index built before the hash
 * terms and facet values; and a host compiled against the ABI 1.0 table,
 * which must keep working.
 *
 * The index holds the sample article, the examples and a small tree of our
 * own (dates, duplicates, folders):
 *   docs/alpha/notiz.txt        "date 2023-05" header
 *   docs/alpha/kopie.txt        same content as docs/beta/original.txt
 *   docs/beta/original.txt
 *   docs/beta/tief/plan.md      front matter: title, date 2024-07-15
 *   docs/beta/tief/herbst.md    "date 2024-10-02" header
 */
#include <criterion/criterion.h>
#include <criterion/logging.h>
#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "fundgrube/fundgrube.h"
#include "index/index.h"
#include "plugin/query.h"
#include "plugin_host.h"
#include "testutil.h"

static char *dir, *ixdir, *docs;
static void *so;
static const fg_plugin_api_t *api;
static fg_handle_t *h;

static const char kaffee[] = "Die Kaffeemaschine entkalken: Essig und Wasser im Verhältnis "
                             "eins zu drei mischen, durchlaufen lassen und gründlich spülen.\n";

/* Writes our small tree, indexes it with the sample and the examples, and
 * opens the index through the plugin. */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    cr_assert(asprintf(&ixdir, "%s/index", dir) > 0);
    cr_assert(asprintf(&docs, "%s/docs", dir) > 0);
    free(tu_write_str(docs, "alpha/notiz.txt",
                      "date 2023-05\n\nQuartalsbericht über Verzeichnisdienste und "
                      "Verzeichnisse.  Der Wanderweg führt am Fluss entlang.\n"));
    free(tu_write_str(docs, "alpha/kopie.txt", kaffee));
    free(tu_write_str(docs, "beta/original.txt", kaffee));
    free(tu_write_str(docs, "beta/tief/plan.md",
                      "---\ntitle: Reiseplan Sommer\ndate: 2024-07-15\n---\n\nWir fahren im "
                      "Juli an die Ostsee.  Der Zug fährt früh ab.\n"));
    free(tu_write_str(docs, "beta/tief/herbst.md",
                      "date 2024-10-02\n\nHerbstwanderung durch den Wald, danach Kaffee und "
                      "Kuchen.\n"));
    const char *const folders[] = {FG_SHARED_DATA "/sample", FG_SOURCE_DIR "/examples", docs, NULL};
    plugin_host_index(dir, ixdir, folders);
    plugin_host_open(ixdir, &so, &api, &h);
}

/* Closes and removes everything setup() made. */
static void teardown(void) {
    if (api && h)
        api->close(h);
    if (so)
        dlclose(so);
    tu_rmtree(dir);
    free(dir);
    free(ixdir);
    free(docs);
}

TestSuite(query, .init = setup, .fini = teardown);

/* Runs query with options o (NULL: defaults); asserts success. */
static fg_results_t *search(const char *query, const fg_search_options_t *o) {
    fg_results_t *r = NULL;
    int st = api->search(h, query, o, &r);
    cr_assert_eq(st, FG_OK, "search '%s': %s", query, api->last_error(h));
    cr_assert(r);
    return r;
}

/* The number of hits of query (with at most 100 hits per page). */
static size_t count(const char *query) {
    fg_search_options_t o = {.struct_size = sizeof o, .limit = 100, .flags = FG_SEARCH_NO_SNIPPETS};
    fg_results_t *r = search(query, &o);
    size_t n = r->count;
    api->results_free(r);
    return n;
}

/* True when the path p ends with name. */
static bool ends_with(const char *p, const char *name) {
    size_t n = strlen(p), m = strlen(name);
    return n >= m && strcmp(p + n - m, name) == 0;
}

/* True when some hit's path ends with name. */
static bool has_hit(const fg_results_t *r, const char *name) {
    for (size_t i = 0; i < r->count; i++)
        if (ends_with(FG_RESULTS_HIT(r, i)->path, name))
            return true;
    return false;
}

/* ------------------------------------------------------------ language */

Test(query, near_counts_the_words_between) {
    /* "Espresso braucht man frisch gemahlene Bohnen": four words between */
    cr_assert_eq(count("Espresso NEAR/4 Bohnen"), 1);
    cr_assert_eq(count("Espresso NEAR/3 Bohnen"), 0);
    cr_assert_eq(count("Bohnen NEAR/4 Espresso"), 1, "either order");
    cr_assert_eq(count("Espresso NAH/4 Bohnen"), 1, "German NAH");
    cr_assert_eq(count("Espresso NEAR Bohnen"), 1, "NEAR alone: 10 words");
    cr_assert_eq(count("\"Espresso braucht\" NEAR/3 Bohnen"), 1, "a phrase as operand");
    cr_assert_eq(count("Espresso NEAR/10 Kaution"), 0, "in different documents");
    /* inflected forms match through stems */
    cr_assert_eq(count("Bohne NEAR/4 Espresso"), 1);
}

Test(query, near_malformed_is_best_effort) {
    fg_results_t *r = search("Espresso NEAR/4", NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(strstr(api->last_error(h), "NEAR") != NULL, "%s", api->last_error(h));
    api->results_free(r);
    r = search("NEAR Espresso", NULL);
    cr_assert_geq(r->count, 1);
    api->results_free(r);
    r = search("NEAR/", NULL);
    api->results_free(r);
    r = search("a NEAR/99999999 b", NULL);
    api->results_free(r);
}

Test(query, prefix_wildcard_expands_and_highlights) {
    fg_results_t *r = search("Verzeichnis*", NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(ends_with(FG_RESULTS_HIT(r, 0)->path, "alpha/notiz.txt"));
    const char *s = FG_RESULTS_HIT(r, 0)->snippet;
    cr_assert(strstr(s, "[Verzeichnisdienste]") && strstr(s, "[Verzeichnisse]"), "%s", s);
    api->results_free(r);
    cr_assert_eq(count("verzeich*"), 1, "case does not matter");
    cr_assert_eq(count("Verzeich* AND Wanderweg"), 1);
    cr_assert_eq(count("Xylophon*"), 0);
}

Test(query, max_wildcard_default_from_host_settings) {
    static const char *const settings[] = {"search.max_wildcard=2", NULL};
    fg_handle_t *limited = NULL;
    char err[512];
    int st = api->open_with(ixdir, settings, &limited, err, sizeof err);
    cr_assert_eq(st, FG_OK, "%s", err);
    fg_search_options_t o = {.struct_size = sizeof o};
    fg_results_t *r = NULL;
    cr_assert_eq(api->search(limited, "e*", &o, &r), FG_QUERY);
    cr_assert(strstr(api->last_error(limited), "more than 2"), "%s", api->last_error(limited));
    o.max_wildcard = 1000; /* the option overrides the setting */
    cr_assert_eq(api->search(limited, "e*", &o, &r), FG_OK, "%s", api->last_error(limited));
    cr_assert_geq(r->count, 1);
    api->results_free(r);
    api->close(limited);
}

/* The plugin never reads the user's configuration: with HOME and
 * FUNDGRUBE_CONFIG pointing at broken files, and a config saying
 * max_wildcard = 2, a host opens and searches with the defaults. */
Test(query, user_config_is_not_read) {
    char *home = tu_tmpdir();
    char *bad = tu_write_str(home, ".config/fundgrube/fundgrube.conf",
                             "[search]\nmax_wildcard = 2\n[ranking\nbm25_k1 = nonsense\n");
    cr_assert(bad);
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    setenv("HOME", home, 1);
    setenv("FUNDGRUBE_CONFIG", bad, 1);
    unsetenv("XDG_CONFIG_HOME");
    fg_handle_t *h2 = NULL;
    char err[512] = "";
    int st = api->open(ixdir, &h2, err, sizeof err);
    unsetenv("FUNDGRUBE_CONFIG");
    if (old_home)
        setenv("HOME", old_home, 1);
    free(old_home);
    cr_assert_eq(st, FG_OK, "%s", err);
    fg_search_options_t o = {.struct_size = sizeof o};
    fg_results_t *r = NULL;
    cr_assert_eq(api->search(h2, "e*", &o, &r), FG_OK, "%s", api->last_error(h2));
    cr_assert_geq(r->count, 1);
    api->results_free(r);
    api->close(h2);
    free(bad);
    tu_rmtree(home);
    free(home);
}

/* Bad host settings fail the open with an error naming the setting. */
Test(query, bad_host_settings_are_named) {
    static const char *const typo[] = {"ranking.bm25_k1=viel", NULL};
    static const char *const unknown[] = {"ranking.no_such_key=1", NULL};
    static const char *const shape[] = {"bm25_k1", NULL};
    const char *const *cases[] = {typo, unknown, shape};
    for (size_t i = 0; i < 3; i++) {
        fg_handle_t *h2 = (fg_handle_t *)&h2;
        char err[512] = "";
        cr_assert_neq(api->open_with(ixdir, cases[i], &h2, err, sizeof err), FG_OK, "%s",
                      cases[i][0]);
        cr_assert_null(h2);
        cr_assert(strstr(err, cases[i][0]), "%s: %s", cases[i][0], err);
    }
}

Test(query, wildcard_limit_gives_a_clear_error) {
    fg_search_options_t o = {.struct_size = sizeof o, .max_wildcard = 2};
    fg_results_t *r = NULL;
    int st = api->search(h, "e*", &o, &r);
    cr_assert_eq(st, FG_QUERY);
    cr_assert_null(r);
    const char *e = api->last_error(h);
    cr_assert(strstr(e, "wildcard") && strstr(e, "more than 2"), "%s", e);
    /* the default limit (1000) is enough for this small index */
    r = search("e*", NULL);
    cr_assert_geq(r->count, 1);
    api->results_free(r);
    /* a lone star is a word of no letters: nothing, no crash */
    r = search("*", NULL);
    api->results_free(r);
}

Test(query, at_most_16_wildcards_are_searched) {
    /* 16 wildcards that match nothing, then one that matches: left out, with a warning */
    char q[512] = "";
    for (int i = 0; i < 16; i++)
        snprintf(q + strlen(q), sizeof q - strlen(q), "qqq%c* ", 'a' + i);
    size_t n = strlen(q);
    snprintf(q + n, sizeof q - n, "Wanderw*");
    fg_results_t *r = search(q, NULL);
    cr_expect_eq(r->count, 0, "the 17th wildcard is not searched");
    const char *w = api->last_error(h);
    cr_expect(strstr(w, "more than 16 wildcards") && strstr(w, "'wanderw*'") == NULL &&
                  strstr(w, "Wanderw*"),
              "%s", w);
    api->results_free(r);
    /* the same wildcard as the 16th is searched */
    memmove(q, q + 6, strlen(q + 6) + 1); /* drop "qqqa* " */
    r = search(q, NULL);
    cr_expect_geq(r->count, 1, "%s", q);
    cr_expect(!strstr(api->last_error(h), "wildcards"), "%s", api->last_error(h));
    api->results_free(r);
}

Test(query, title_field) {
    fg_results_t *r = search("title:Reiseplan", NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(ends_with(FG_RESULTS_HIT(r, 0)->path, "tief/plan.md"));
    api->results_free(r);
    cr_assert_eq(count("title:\"Reiseplan Sommer\""), 1);
    cr_assert_eq(count("titel:„Reiseplan Sommer“"), 1, "German name and quotes");
    cr_assert_eq(count("title:\"Reiseplan Winter\""), 0);
    cr_assert_eq(count("title:Ostsee"), 0, "a body word is not a title word");
    cr_assert_eq(count("title:Reisepläne"), 1, "through the stem");
}

Test(query, dir_and_path_filter_by_folder) {
    char q[4096];
    snprintf(q, sizeof q, "dir:%s/beta", docs);
    cr_assert_eq(count(q), 3);
    snprintf(q, sizeof q, "path:%s/beta/", docs);
    cr_assert_eq(count(q), 3, "trailing slash");
    snprintf(q, sizeof q, "dir:%s/bet", docs);
    cr_assert_eq(count(q), 0, "a folder, not a string prefix");
    snprintf(q, sizeof q, "Kaffeemaschine dir:%s/alpha", docs);
    fg_results_t *r = search(q, NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(ends_with(FG_RESULTS_HIT(r, 0)->path, "alpha/kopie.txt"));
    api->results_free(r);
    cr_assert_eq(count("dir:~/docs/beta/tief"), 2, "~ is the home folder");
    cr_assert_eq(count("ordner:~/docs/alpha/../beta/./tief"), 2, ". and .. resolved");
    cr_assert_eq(chdir(docs), 0);
    cr_assert_eq(count("dir:beta"), 3, "relative to the working folder");
    cr_assert_eq(count("dir:."), 5);
    cr_assert_eq(count("-dir:alpha dir:."), 3, "excluded folder");
    snprintf(q, sizeof q, "dir:%s/alpha/notiz.txt", docs);
    cr_assert_eq(count(q), 1, "a file");
}

Test(query, ext_and_type_filter) {
    cr_assert_eq(count("dir:~/docs ext:md"), 2);
    cr_assert_eq(count("dir:~/docs type:txt"), 3);
    cr_assert_eq(count("dir:~/docs ext:.MD"), 2, "dot and case ignored");
    cr_assert_eq(count("dir:~/docs ext:md,txt"), 5, "a list is OR-ed");
    cr_assert_eq(count("dir:~/docs ext:md ext:txt"), 5, "one field twice is OR-ed");
    cr_assert_eq(count("dir:~/docs -ext:md"), 3);
    fg_results_t *r = search("Kaffee ext:md", NULL);
    cr_assert_eq(r->count, 2, "words and a filter");
    cr_assert(has_hit(r, "tief/herbst.md") && has_hit(r, "kaffee-zubereitung.md"));
    api->results_free(r);
}

Test(query, date_field_and_ranges) {
    cr_assert_eq(count("dir:~/docs date:2023"), 1);
    cr_assert_eq(count("dir:~/docs date:2023-05"), 1, "a month; the day is unknown");
    cr_assert_eq(count("dir:~/docs date:2023-05-17"), 0, "a day needs a known day");
    cr_assert_eq(count("dir:~/docs date:2024"), 2);
    cr_assert_eq(count("dir:~/docs date:2024-07"), 1);
    cr_assert_eq(count("dir:~/docs date:2024-7"), 1);
    cr_assert_eq(count("dir:~/docs date:2024-07-15"), 1);
    cr_assert_eq(count("dir:~/docs datum:2024-07..2024-12"), 2);
    cr_assert_eq(count("dir:~/docs date:2024-08..2024-12"), 1);
    cr_assert_eq(count("dir:~/docs date:..2023"), 1);
    cr_assert_eq(count("dir:~/docs date:..2024-07"), 2);
    cr_assert_eq(count("dir:~/docs date:2023..2024"), 3);
    /* without a date of its own a document has its modification date (now) */
    cr_assert_eq(count("dir:~/docs date:2025.."), 2);
    cr_assert_eq(count("Wanderweg date:2023"), 1);
    cr_assert_eq(count("Wanderweg date:2024"), 0);
}

Test(query, malformed_fields_warn_and_search) {
    fg_results_t *r = search("dir:~/docs date:2024-13", NULL);
    cr_assert_eq(r->count, 5, "filter ignored");
    cr_assert(strstr(api->last_error(h), "date:2024-13 is not a date"), "%s", api->last_error(h));
    api->results_free(r);
    r = search("farbe:rot Wanderweg", NULL);
    cr_assert_eq(r->count, 1);
    cr_assert(strstr(api->last_error(h), "unknown field 'farbe:'"), "%s", api->last_error(h));
    api->results_free(r);
    r = search("title: Reiseplan", NULL);
    cr_assert_geq(r->count, 1);
    cr_assert(ends_with(FG_RESULTS_HIT(r, 0)->path, "plan.md"), "title: without a value: words");
    api->results_free(r);
    static const char *const odd[] = {"title:",
                                      "date:",
                                      "ext:",
                                      "dir:",
                                      "title:\"",
                                      "date:..",
                                      "date:2024..2023",
                                      "ext:,,,",
                                      "(((title:x",
                                      "\"NEAR/3\"",
                                      "-*",
                                      "NOT dir:/",
                                      "http://example.org",
                                      "date:9999-99-99..",
                                      "path:~",
                                      "+ext:md -ext:md"};
    for (size_t i = 0; i < sizeof odd / sizeof *odd; i++) {
        fg_results_t *x = NULL;
        int st = api->search(h, odd[i], NULL, &x);
        cr_assert(st == FG_OK || st == FG_QUERY, "%s: %d %s", odd[i], st, api->last_error(h));
        api->results_free(x);
    }
}

/* ------------------------------------------------------------ sorting, paging */

Test(query, sort_by_date_newest_first) {
    fg_search_options_t o = {.struct_size = sizeof o,
                             .limit = 100,
                             .sort = FG_SORT_DATE,
                             .flags = FG_SEARCH_NO_SNIPPETS};
    fg_results_t *r = search("dir:~/docs", &o);
    cr_assert_eq(r->count, 5);
    for (size_t i = 1; i < r->count; i++)
        cr_assert_geq(strcmp(FG_RESULTS_HIT(r, i - 1)->date, FG_RESULTS_HIT(r, i)->date), 0,
                      "%s before %s", FG_RESULTS_HIT(r, i - 1)->date, FG_RESULTS_HIT(r, i)->date);
    cr_assert(ends_with(FG_RESULTS_HIT(r, 2)->path, "herbst.md"));
    cr_assert_str_eq(FG_RESULTS_HIT(r, 2)->date, "2024-10-02");
    cr_assert_str_eq(FG_RESULTS_HIT(r, 3)->date, "2024-07-15");
    cr_assert(ends_with(FG_RESULTS_HIT(r, 4)->path, "notiz.txt"));
    cr_assert_str_eq(FG_RESULTS_HIT(r, 4)->date, "2023-05");
    char third[4096];
    snprintf(third, sizeof third, "%s", FG_RESULTS_HIT(r, 3)->path);
    api->results_free(r);
    /* paging keeps the order */
    o.offset = 3;
    o.limit = 1;
    r = search("dir:~/docs", &o);
    cr_assert_eq(r->count, 1);
    cr_assert_str_eq(FG_RESULTS_HIT(r, 0)->path, third);
    cr_assert_eq(FG_RESULTS_HIT(r, 0)->rank, 4);
    cr_assert_eq(r->total_estimate, 5);
    api->results_free(r);
    /* relevance decides among equal dates */
    o = (fg_search_options_t){.struct_size = sizeof o, .sort = FG_SORT_DATE};
    r = search("Kaffee OR Kaffeemaschine OR entkalken", &o);
    cr_assert_geq(r->count, 2);
    api->results_free(r);
}

Test(query, stop_words_are_highlighted_only_alone) {
    /* "und" and "im" are stop words: left out of the query and the snippet's
     * highlights when other words are there */
    fg_results_t *r = search("Essig und Wasser im", NULL);
    cr_assert_geq(r->count, 1);
    const char *s = FG_RESULTS_HIT(r, 0)->snippet;
    cr_assert(strstr(s, "[Essig]") && strstr(s, "[Wasser]"), "%s", s);
    cr_assert(!strstr(s, "[und]") && !strstr(s, "[im]"), "%s", s);
    api->results_free(r);
    /* a query of stop words only searches and highlights them */
    r = search("und im", NULL);
    cr_assert_geq(r->count, 1);
    s = FG_RESULTS_HIT(r, 0)->snippet;
    cr_assert(strstr(s, "[und]") || strstr(s, "[im]"), "%s", s);
    api->results_free(r);
}

/* ------------------------------------------------------------ duplicates */

Test(query, copies_get_the_same_snippet) {
    /* the second copy's snippet comes from the page's snippet cache */
    fg_results_t *r = search("entkalken Essig", NULL);
    cr_assert_eq(r->count, 2);
    const char *a = FG_RESULTS_HIT(r, 0)->snippet, *b = FG_RESULTS_HIT(r, 1)->snippet;
    cr_assert(strstr(a, "[entkalken]") && strstr(a, "[Essig]"), "%s", a);
    cr_assert_str_eq(a, b);
    api->results_free(r);
    /* a copy changed since indexing (here: its time) is read, and its text
     * found in the cache */
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/alpha/kopie.txt", docs) > 0);
    struct timeval tv[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    cr_assert_eq(utimes(path, tv), 0);
    free(path);
    r = search("entkalken Essig", NULL);
    cr_assert_eq(r->count, 2);
    cr_assert_str_eq(FG_RESULTS_HIT(r, 0)->snippet, FG_RESULTS_HIT(r, 1)->snippet);
    cr_assert(strstr(FG_RESULTS_HIT(r, 0)->snippet, "[entkalken]"));
    api->results_free(r);
}

Test(query, duplicates_collapse_into_one_hit) {
    fg_results_t *r = search("entkalken Essig", NULL);
    cr_assert_eq(r->count, 2, "without FG_SEARCH_COLLAPSE both copies");
    cr_assert_eq(FG_RESULTS_HIT(r, 0)->n_duplicates, 0);
    api->results_free(r);
    fg_search_options_t o = {.struct_size = sizeof o, .flags = FG_SEARCH_COLLAPSE};
    r = search("entkalken Essig", &o);
    cr_assert_eq(r->count, 1);
    const fg_hit_t *hit = FG_RESULTS_HIT(r, 0);
    cr_assert_eq(hit->n_duplicates, 1);
    bool a = ends_with(hit->path, "alpha/kopie.txt"), b = ends_with(hit->path, "beta/original.txt");
    cr_assert(a || b, "%s", hit->path);
    cr_assert(ends_with(hit->duplicates[0], a ? "beta/original.txt" : "alpha/kopie.txt"), "%s",
              hit->duplicates[0]);
    api->results_free(r);
    /* documents without duplicates are not touched */
    r = search("Wanderweg", &o);
    cr_assert_eq(r->count, 1);
    cr_assert_eq(FG_RESULTS_HIT(r, 0)->n_duplicates, 0);
    cr_assert_null(FG_RESULTS_HIT(r, 0)->duplicates);
    api->results_free(r);
}

/* ------------------------------------------------------------ facets */

/* The count of value in facet name of r (0 if absent). */
static uint64_t facet(const fg_results_t *r, const char *name, const char *value) {
    for (size_t f = 0; f < r->n_facets; f++) {
        if (strcmp(r->facets[f].name, name) != 0)
            continue;
        for (size_t k = 0; k < r->facets[f].count; k++)
            if (strcmp(r->facets[f].values[k].value, value) == 0)
                return r->facets[f].values[k].count;
    }
    return 0;
}

Test(query, facets_by_type_year_and_folder) {
    fg_search_options_t o = {.struct_size = sizeof o, .limit = 1, .flags = FG_SEARCH_FACETS};
    fg_results_t *r = search("dir:~/docs", &o);
    cr_assert_eq(r->count, 1, "facets count all hits, not the page");
    cr_assert_eq(r->n_facets, 4);
    cr_assert_str_eq(r->facets[0].name, "type");
    cr_assert_str_eq(r->facets[1].name, "year");
    cr_assert_str_eq(r->facets[2].name, "folder");
    cr_assert_str_eq(r->facets[3].name, "author");
    cr_assert_eq(r->facets[3].count, 0, "text files name no author");
    cr_assert_eq(facet(r, "type", "txt"), 3);
    cr_assert_eq(facet(r, "type", "md"), 2);
    cr_assert_str_eq(r->facets[0].values[0].value, "txt", "most frequent first");
    cr_assert_eq(facet(r, "year", "2024"), 2);
    cr_assert_eq(facet(r, "year", "2023"), 1);
    char alpha[4096], beta[4096];
    snprintf(alpha, sizeof alpha, "%s/alpha", docs);
    snprintf(beta, sizeof beta, "%s/beta", docs);
    cr_assert_eq(facet(r, "folder", alpha), 2, "the first folder below the shared one");
    cr_assert_eq(facet(r, "folder", beta), 3, "beta/tief counts as beta");
    cr_assert_eq(r->facets[2].count, 2);
    api->results_free(r);
    /* all hits in one folder: that folder */
    char q[4200];
    snprintf(q, sizeof q, "dir:%s/tief", beta);
    r = search(q, &o);
    cr_assert_eq(r->facets[2].count, 1);
    snprintf(q, sizeof q, "%s/tief", beta);
    cr_assert_eq(facet(r, "folder", q), 2);
    api->results_free(r);
    /* without the flag: no facets; no hits: empty facets */
    r = search("dir:~/docs", NULL);
    cr_assert_eq(r->n_facets, 0);
    cr_assert_null(r->facets);
    api->results_free(r);
    r = search("Quantenchromodynamik", &o);
    cr_assert_eq(r->n_facets, 4);
    cr_assert_eq(r->facets[0].count + r->facets[1].count + r->facets[2].count + r->facets[3].count,
                 0);
    api->results_free(r);
}

/* ------------------------------------------------------------ suggestions */

Test(query, suggestions_from_the_index_vocabulary) {
    fg_search_options_t o = {.struct_size = sizeof o, .flags = FG_SEARCH_SUGGEST};
    fg_results_t *r = search("Wanderwek", &o);
    cr_assert_not_null(r->suggestion);
    cr_assert_str_eq(r->suggestion, "Wanderweg");
    api->results_free(r);
    r = search("Espreso UND Bohnen", &o);
    cr_assert_str_eq(r->suggestion, "Espresso UND Bohnen", "only the unknown word changes");
    api->results_free(r);
    r = search("partnerschafft", &o);
    cr_assert_str_eq(r->suggestion, "partnerschaft");
    api->results_free(r);
    r = search("Wanderweg", &o);
    cr_assert_null(r->suggestion, "known words get none");
    api->results_free(r);
    r = search("Qxzvbnm", &o);
    cr_assert_null(r->suggestion, "nothing close");
    api->results_free(r);
    r = search("Wanderwek", NULL);
    cr_assert_null(r->suggestion, "only when asked");
    api->results_free(r);
}

/* ------------------------------------------------------------ more like this */

Test(query, more_like_this) {
    fg_search_options_t o = {.struct_size = sizeof o, .flags = FG_SEARCH_NO_SNIPPETS};
    fg_results_t *r = search("entkalken Essig", &o);
    cr_assert_eq(r->count, 2);
    uint32_t docid = FG_RESULTS_HIT(r, 0)->docid;
    char other[4096];
    snprintf(other, sizeof other, "%s", FG_RESULTS_HIT(r, 1)->path);
    api->results_free(r);
    cr_assert_geq(api->struct_size, FG_PLUGIN_API_MIN_SIZE(similar));
    fg_search_options_t so = {.struct_size = sizeof so};
    cr_assert_eq(api->similar(h, docid, &so, &r), FG_OK, "%s", api->last_error(h));
    cr_assert_geq(r->count, 1);
    cr_assert_str_eq(FG_RESULTS_HIT(r, 0)->path, other, "the copy is the most similar");
    for (size_t i = 0; i < r->count; i++)
        cr_assert_neq(FG_RESULTS_HIT(r, i)->docid, docid, "the document itself is excluded");
    cr_assert(strchr(FG_RESULTS_HIT(r, 0)->snippet, '['), "%s", FG_RESULTS_HIT(r, 0)->snippet);
    api->results_free(r);
    /* the sample article: similar documents, never itself */
    r = search("Partnerschaften", &o);
    docid = FG_RESULTS_HIT(r, 0)->docid;
    api->results_free(r);
    cr_assert_eq(api->similar(h, docid, NULL, &r), FG_OK, "%s", api->last_error(h));
    for (size_t i = 0; i < r->count; i++)
        cr_assert_neq(FG_RESULTS_HIT(r, i)->docid, docid);
    api->results_free(r);
    /* a docid that is not there */
    r = NULL;
    cr_assert_eq(api->similar(h, 999999, NULL, &r), FG_NOT_FOUND);
    cr_assert_null(r);
    cr_assert(strstr(api->last_error(h), "999999"), "%s", api->last_error(h));
}

/* ------------------------------------------------------------ ABI 1.0 host */

/* The table, options, hit and results exactly as ABI 1.0 declared them: what
 * a host compiled against the foundation's fundgrube.h knows. */
typedef struct v10_options {
    size_t struct_size;
    uint32_t offset;
    uint32_t limit;
    const char *hl_start;
    const char *hl_end;
    uint32_t snippet_length;
    uint32_t flags;
} v10_options_t;

typedef struct v10_hit {
    const char *path;
    const char *title;
    const char *snippet;
    double score;
    int percent;
    uint32_t rank;
    int64_t mtime;
    uint64_t size;
    uint32_t docid;
} v10_hit_t;

typedef struct v10_results {
    size_t struct_size;
    uint64_t total_estimate;
    size_t count;
    size_t hit_size;
    const v10_hit_t *hits;
} v10_results_t;

typedef struct v10_api {
    uint32_t abi_major;
    uint32_t abi_minor;
    size_t struct_size;
    const char *(*version)(void);
    const char *(*status_str)(int status);
    int (*open)(const char *index_path, fg_handle_t **out, char *err, size_t errlen);
    int (*search)(fg_handle_t *h, const char *query, const v10_options_t *opts,
                  v10_results_t **out);
    void (*results_free)(v10_results_t *r);
    const char *(*last_error)(const fg_handle_t *h);
    void (*close)(fg_handle_t *h);
    int (*doc_count)(fg_handle_t *h, uint64_t *out);
} v10_api_t;

Test(query, abi_1_0_host_keeps_working) {
    typedef const v10_api_t *(*v10_entry_fn)(uint32_t);
    v10_entry_fn entry = (v10_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME);
    const v10_api_t *old = entry(1);
    cr_assert(old);
    cr_assert_eq(old->abi_major, 1);
    cr_assert_geq(old->abi_minor, 1, "this plugin is 1.1");
    cr_assert_geq(old->struct_size, sizeof(v10_api_t));
    fg_handle_t *oh = NULL;
    char err[512];
    cr_assert_eq(old->open(ixdir, &oh, err, sizeof err), FG_OK, "%s", err);
    uint64_t n = 0;
    cr_assert_eq(old->doc_count(oh, &n), FG_OK);
    cr_assert_eq(n, 12);
    v10_options_t o = {.struct_size = sizeof o, .limit = 5, .hl_start = "<", .hl_end = ">"};
    v10_results_t *r = NULL;
    cr_assert_eq(old->search(oh, "entkalken OR Espresso", &o, &r), FG_OK, "%s",
                 old->last_error(oh));
    cr_assert_eq(r->count, 3, "1.0 hosts get no collapsing: both copies and the espresso text");
    cr_assert_geq(r->hit_size, sizeof(v10_hit_t));
    for (size_t i = 0; i < r->count; i++) {
        const v10_hit_t *hit =
            (const v10_hit_t *)(const void *)((const char *)r->hits + i * r->hit_size);
        cr_assert_eq(hit->rank, i + 1);
        cr_assert(hit->path[0] == '/', "%s", hit->path);
        cr_assert(strchr(hit->snippet, '<') && strchr(hit->snippet, '>'), "%s", hit->snippet);
    }
    old->results_free(r);
    /* 1.0 options with garbage where 1.1 fields would be: not read */
    struct {
        v10_options_t o;
        uint32_t garbage[2];
    } padded = {{.struct_size = sizeof(v10_options_t), .limit = 1}, {FG_SORT_DATE, 1}};
    cr_assert_eq(old->search(oh, "e*", &padded.o, &r), FG_OK, "max_wildcard not read: %s",
                 old->last_error(oh));
    old->results_free(r);
    old->close(oh);
}

Test(query, random_queries_never_crash) {
    /* pieces of the query language glued at random: every result is a
     * success or FG_QUERY, never a crash or a leak (ASan) */
    static const char *const pieces[] = {"Espresso",    "\"",     "„",
                                         "“",           "(",      ")",
                                         "AND",         "OR",     "NOT",
                                         "UND",         "NICHT",  "+",
                                         "-",           "NEAR/2", "NAH",
                                         "NEAR/",       "*",      "Verz*",
                                         "title:",      "dir:",   "path:~",
                                         "ext:md",      "type:",  "date:",
                                         "date:2024..", "..",     "date:..2023-13",
                                         "foo:",        ":",      "title:\"a b",
                                         "ü",           "\xff",   "e",
                                         " ",           "Bohnen", "-ext:txt",
                                         "+dir:.",      "\\",     "::",
                                         "a:b:c"};
    unsigned seed = 12345;
    fg_search_options_t o = {.struct_size = sizeof o,
                             .max_wildcard = 50,
                             .flags = FG_SEARCH_NO_SNIPPETS | FG_SEARCH_SUGGEST | FG_SEARCH_FACETS |
                                      FG_SEARCH_COLLAPSE};
    for (int i = 0; i < 1500; i++) {
        char q[512] = "";
        int n = 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 8;
        for (int k = 0; k < n; k++) {
            seed = seed * 1103515245u + 12345u;
            strcat(q, pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)]);
            if ((seed >> 8) & 1)
                strcat(q, " ");
        }
        fg_results_t *r = NULL;
        int st = api->search(h, q, &o, &r);
        cr_assert(st == FG_OK || st == FG_QUERY, "'%s': %d %s", q, st, api->last_error(h));
        cr_assert((st == FG_OK) == (r != NULL));
        api->results_free(r);
    }
}

/* ------------------------------------------------------------ older indexes */

/* Adds a document with one body word, data for url, and the hash value,
 * as an index built before the XH terms and the facet values had it. */
static void add_old_doc(fg_index_t *ix, const char *path, const char *word, const char *hash) {
    fg_doc_t *d = NULL;
    cr_assert_eq(fg_doc_new(&d), FG_OK);
    cr_assert_eq(fg_doc_add_posting(d, word, strlen(word), 1), FG_OK);
    cr_assert_eq(fg_doc_set_value(d, FG_VALUE_CHECKSUM, hash, strlen(hash)), FG_OK);
    cr_assert_eq(fg_doc_set_value(d, FG_VALUE_DATE, "20200100", 8), FG_OK);
    char data[512];
    int n =
        snprintf(data, sizeof data, "url=%s\ncaption=\nmodtime=0\nsize=1\nsample=%s\n", path, word);
    cr_assert_eq(fg_doc_set_data(d, data, (size_t)n), FG_OK);
    cr_assert_eq(fg_index_replace(ix, path, d), FG_OK);
    fg_doc_free(d);
}

Test(query, older_index_without_hash_terms_or_facet_values) {
    char *old = NULL, err[512];
    cr_assert(asprintf(&old, "%s/old-index", dir) > 0);
    fg_index_t *ix = NULL;
    cr_assert_eq(fg_index_open_writable(old, FG_INDEX_CREATE, &ix, err, sizeof err), FG_OK, "%s",
                 err);
    add_old_doc(ix, "/nirgends/a/eins.txt", "zwiebel", "00000000000000aa");
    add_old_doc(ix, "/nirgends/b/zwei.txt", "zwiebel", "00000000000000aa");
    add_old_doc(ix, "/nirgends/b/drei.txt", "zwiebel", "00000000000000bb");
    cr_assert_eq(fg_index_close(ix), FG_OK);
    fg_handle_t *oh = NULL;
    cr_assert_eq(api->open(old, &oh, err, sizeof err), FG_OK, "%s", err);
    fg_search_options_t o = {.struct_size = sizeof o,
                             .flags =
                                 FG_SEARCH_COLLAPSE | FG_SEARCH_FACETS | FG_SEARCH_NO_SNIPPETS};
    fg_results_t *r = NULL;
    cr_assert_eq(api->search(oh, "zwiebel", &o, &r), FG_OK, "%s", api->last_error(oh));
    cr_assert_eq(r->count, 2, "the copies collapse through the value");
    size_t dups = 0;
    for (size_t i = 0; i < r->count; i++)
        dups += FG_RESULTS_HIT(r, i)->n_duplicates;
    cr_assert_eq(dups, 1);
    cr_assert_eq(r->n_facets, 4);
    cr_assert_eq(r->facets[0].count, 0, "no extension values");
    cr_assert_eq(r->facets[1].count, 1, "the year from the date value");
    cr_assert_str_eq(r->facets[1].values[0].value, "2020");
    cr_assert_eq(r->facets[2].count, 0, "no folder values");
    cr_assert_str_eq(FG_RESULTS_HIT(r, 0)->date, "1970-01-01", "no date line: the mtime's");
    api->results_free(r);
    api->close(oh);
    free(old);
}

/* ------------------------------------------------------------ term at a time */

/* Parses text with the default analysis and weights (asserted); NULL when
 * nothing searchable is left. */
static fg_xquery_t *parse_default(fg_analyzer_t *a, const char *text) {
    fg_rank_weights_t w;
    fg_rank_weights_default(&w);
    fg_query_opts_t qo = {0};
    fg_xquery_t *q = NULL;
    fg_termset_t ts = {0};
    char err[512];
    cr_assert_eq(fg_query_parse(a, &w, &qo, text, &q, &ts, err, sizeof err), FG_OK, "%s", err);
    fg_termset_free(&ts);
    return q;
}

/* A new analyzer with the default settings (asserted). */
static fg_analyzer_t *default_analyzer(void) {
    fg_analysis_settings_t settings;
    fg_analysis_settings_default(&settings);
    fg_analyzer_t *a = NULL;
    char err[512];
    cr_assert_eq(fg_analyzer_new(&settings, &a, err, sizeof err), FG_OK, "%s", err);
    return a;
}

/* How many assert_as_xapian() calls skipped common terms. */
static int skipped;

/*
 * Asserts that fg_index_query() on the reader r, with common_skip set to
 * skip, ranks q term at a time with the hits, weights and percentages
 * Xapian's matcher gives (fg_index_search()) for the page offset/limit with
 * BM25 k1 and b, and counts its matches (exactly, or within 10% when it
 * estimated).  what names the query in messages.
 */
static void assert_as_xapian_with(fg_index_t *r, fg_xquery_t *q, uint32_t offset, uint32_t limit,
                                  double k1, double b, const char *what, int skip) {
    cr_log_info("%s", what);
    fg_query_params_t p;
    fg_query_params_default(&p);
    p.offset = offset;
    p.limit = limit;
    p.bm25_k1 = k1;
    p.bm25_b = b;
    p.common_skip = skip;
    fg_qresult_t *mine = NULL;
    cr_assert_eq(fg_index_query(r, q, &p, &mine), FG_OK, "%s", fg_index_error(r));
    cr_assert(mine->term_at_a_time, "'%s' was not ranked term at a time", what);
    fg_search_params_t sp;
    fg_search_params_default(&sp);
    sp.offset = offset;
    sp.limit = limit;
    sp.bm25_k1 = k1;
    sp.bm25_b = b;
    fg_mset_t *m = NULL;
    cr_assert_eq(fg_index_search(r, q, &sp, &m), FG_OK, "%s", fg_index_error(r));
    cr_assert_eq(mine->n, fg_mset_size(m), "'%s' +%u: %zu hits, Xapian %zu", what, offset, mine->n,
                 fg_mset_size(m));
    for (size_t i = 0; i < mine->n; i++) {
        const fg_mset_hit_t *x = fg_mset_hit(m, i);
        const fg_qhit_t *y = &mine->hits[i];
        cr_assert_eq(y->docid, x->docid, "'%s' +%u, hit %zu: docid %u, Xapian %u (%.17g, %.17g)",
                     what, offset, i, y->docid, x->docid, y->weight, x->weight);
        cr_assert(fabs(y->weight - x->weight) <= 1e-12 * x->weight,
                  "'%s' hit %zu: weight %.17g, Xapian %.17g", what, i, y->weight, x->weight);
        cr_assert_eq(y->percent, x->percent, "'%s' hit %zu: %d%%, Xapian %d%%", what, i, y->percent,
                     x->percent);
        cr_assert_eq(y->rank, x->rank);
        cr_assert_str_eq(y->data, x->data);
    }
    fg_mset_free(m);
    /* every match, counted by Xapian's matcher going through them all: the
     * count is exact, or, when terms in more than a quarter of the documents
     * were weighed for the candidates only, estimated within 10% */
    cr_assert(mine->estimate_exact || mine->common_skipped);
    sp.offset = 0;
    sp.limit = 1000000;
    cr_assert_eq(fg_index_search(r, q, &sp, &m), FG_OK, "%s", fg_index_error(r));
    double all = (double)fg_mset_size(m);
    if (mine->estimate_exact)
        cr_assert_eq(mine->estimate, fg_mset_size(m), "'%s': %llu matches counted, Xapian %zu",
                     what, (unsigned long long)mine->estimate, fg_mset_size(m));
    else
        cr_assert(fabs((double)mine->estimate - all) <= 0.1 * all,
                  "'%s': %llu matches estimated, Xapian %zu", what,
                  (unsigned long long)mine->estimate, fg_mset_size(m));
    skipped += mine->common_skipped;
    fg_mset_free(m);
    fg_qresult_free(mine);
}

/* assert_as_xapian_with() where common-term skipping gains (never on these
 * small corpora) and with it always. */
static void assert_as_xapian(fg_index_t *r, fg_xquery_t *q, uint32_t offset, uint32_t limit,
                             double k1, double b, const char *what) {
    assert_as_xapian_with(r, q, offset, limit, k1, b, what, 0);
    assert_as_xapian_with(r, q, offset, limit, k1, b, what, 1);
}

Test(query, ranks_term_at_a_time_as_xapian_does, .timeout = 600) {
    /* the man-page corpus: long ORs of the query words' ways with scaled
     * weak and compound-part groups, common words in most documents */
    char *man = NULL, err[512];
    cr_assert(asprintf(&man, "%s/man-index", dir) > 0);
    const char *const folders[] = {FG_SHARED_DATA "/manpages-de/docs", NULL};
    plugin_host_index(dir, man, folders);
    fg_index_t *r = NULL;
    cr_assert_eq(fg_index_open_readonly(man, &r, err, sizeof err), FG_OK, "%s", err);
    fg_analyzer_t *a = default_analyzer();
    FILE *f = fopen(FG_SHARED_DATA "/manpages-de/queries-dev.tsv", "r");
    cr_assert_not_null(f);
    char line[1024];
    int n = 0;
    while (n < 60 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\t\n")] = '\0';
        fg_xquery_t *q = parse_default(a, line);
        if (!q)
            continue;
        assert_as_xapian(r, q, 0, 10, 1.2, 0.75, line);
        if (n % 6 == 0) {
            assert_as_xapian(r, q, 10, 10, 1.2, 0.75, line); /* a later page */
            assert_as_xapian(r, q, 3, 200, 1.2, 0.75, line);
        }
        fg_xquery_free(q);
        n++;
    }
    fclose(f);
    cr_assert_eq(n, 60);
    cr_assert_gt(skipped, 20, "common terms skipped for the candidates: %d", skipped);
    /* one word, a repeated word, a weak spelling, compounds, words left out
     * of parts of the query; other BM25 parameters (b or k1 0: document
     * length does not count) */
    static const char *const more[] = {"Datei",
                                       "Datei Datei Verzeichnis",
                                       "Mueller Muller",
                                       "Partitionstabelle Festplatten-Partitionstabelle",
                                       "Zeichenkette ausgeben",
                                       "Datei -Verzeichnis",
                                       "Prozess ODER Datei -Verzeichnis -Liste",
                                       "(Datei -Verzeichnis) ODER (Prozess -Signal) Benutzer"};
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) {
        fg_xquery_t *q = parse_default(a, more[i]);
        cr_assert_not_null(q, "%s", more[i]);
        assert_as_xapian(r, q, 0, 10, 1.2, 0.75, more[i]);
        assert_as_xapian(r, q, 0, 10, 2.0, 0.3, more[i]);
        assert_as_xapian(r, q, 0, 10, 1.2, 0, more[i]);
        assert_as_xapian(r, q, 0, 10, 0, 0.75, more[i]);
        fg_xquery_free(q);
    }
    fg_analyzer_free(a);
    fg_index_close(r);
    free(man);
}

Test(query, term_at_a_time_only_for_plain_queries_on_readers) {
    fg_analyzer_t *a = default_analyzer();
    char err[512];
    fg_index_t *r = NULL;
    cr_assert_eq(fg_index_open_readonly(ixdir, &r, err, sizeof err), FG_OK, "%s", err);
    fg_query_params_t p;
    fg_query_params_default(&p);
    /* phrases, AND, filters and wildcards go through Xapian's matcher */
    static const char *const other[] = {"\"Der Wanderweg\"", "Kaffee AND Kuchen", "Kaffee ext:md",
                                        "Kaff*"};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        fg_xquery_t *q = parse_default(a, other[i]);
        fg_qresult_t *res = NULL;
        cr_assert_eq(fg_index_query(r, q, &p, &res), FG_OK, "%s", fg_index_error(r));
        cr_assert_not(res->term_at_a_time, "%s", other[i]);
        cr_assert_gt(res->n, 0, "%s", other[i]);
        fg_qresult_free(res);
        fg_xquery_free(q);
    }
    fg_xquery_t *q = parse_default(a, "Kaffeemaschine Wanderweg");
    fg_qresult_t *res = NULL;
    /* sorting by date and facets need Xapian's matcher too */
    p.sort_value = FG_VALUE_DATE;
    cr_assert_eq(fg_index_query(r, q, &p, &res), FG_OK);
    cr_assert_not(res->term_at_a_time);
    fg_qresult_free(res);
    fg_query_params_default(&p);
    static const unsigned slots[1] = {FG_VALUE_EXT};
    p.facet_slots = slots;
    p.n_facet_slots = 1;
    cr_assert_eq(fg_index_query(r, q, &p, &res), FG_OK);
    cr_assert_not(res->term_at_a_time);
    fg_qresult_free(res);
    fg_query_params_default(&p);
    cr_assert_eq(fg_index_query(r, q, &p, &res), FG_OK);
    cr_assert(res->term_at_a_time);
    size_t found = res->n;
    cr_assert_geq(found, 3, "the two copies of the Kaffee text and the note: %zu", found);
    uint64_t matches = res->estimate;
    fg_qresult_free(res);
    /* a page far beyond the matches is empty, with the count still exact */
    p.offset = 4000000000u;
    cr_assert_eq(fg_index_query(r, q, &p, &res), FG_OK, "%s", fg_index_error(r));
    cr_assert(res->term_at_a_time);
    cr_assert_eq(res->n, 0);
    cr_assert_eq(res->estimate, matches);
    fg_qresult_free(res);
    p.offset = 0;
    fg_index_close(r);
    /* a writer's lengths change before they are committed: Xapian's matcher */
    fg_index_t *w = NULL;
    cr_assert_eq(fg_index_open_writable(ixdir, 0, &w, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_index_query(w, q, &p, &res), FG_OK);
    cr_assert_not(res->term_at_a_time);
    cr_assert_eq(res->n, found);
    fg_qresult_free(res);
    fg_index_close(w);
    fg_xquery_free(q);
    fg_analyzer_free(a);
}

Test(query, term_at_a_time_reads_lengths_of_each_revision) {
    fg_analyzer_t *a = default_analyzer();
    char err[512];
    fg_index_t *r = NULL;
    cr_assert_eq(fg_index_open_readonly(ixdir, &r, err, sizeof err), FG_OK, "%s", err);
    fg_xquery_t *q = parse_default(a, "Kaffeemaschine Wasser");
    assert_as_xapian(r, q, 0, 10, 1.2, 0.75, "before");
    /* the writer replaces a document (same docid: the index does not grow)
     * with a shorter one, then adds one; the reader moves to each revision */
    fg_index_t *w = NULL;
    cr_assert_eq(fg_index_open_writable(ixdir, 0, &w, err, sizeof err), FG_OK, "%s", err);
    char *kopie = NULL, *neu = NULL;
    cr_assert(asprintf(&kopie, "%s/alpha/kopie.txt", docs) > 0);
    cr_assert(asprintf(&neu, "%s/alpha/neu.txt", docs) > 0);
    uint64_t before = 0, after = 0;
    cr_assert_eq(fg_index_doc_count(r, &before), FG_OK);
    fg_doc_t *d = NULL; /* long, so that its length counts (BM25's normlen) */
    cr_assert_eq(fg_doc_new(&d), FG_OK);
    for (uint32_t pos = 1; pos <= 3000; pos++)
        cr_assert_eq(
            fg_doc_add_posting(d, pos % 7 ? "fuellwort" : "kaffeemaschine", pos % 7 ? 9 : 14, pos),
            FG_OK);
    cr_assert_eq(fg_doc_set_data(d, "url=kopie\n", 10), FG_OK);
    cr_assert_eq(fg_index_replace(w, kopie, d), FG_OK, "%s", fg_index_error(w));
    fg_doc_free(d);
    cr_assert_eq(fg_index_commit(w), FG_OK, "%s", fg_index_error(w));
    cr_assert_eq(fg_index_reopen(r), FG_OK, "%s", fg_index_error(r));
    cr_assert_eq(fg_index_doc_count(r, &after), FG_OK);
    cr_assert_eq(after, before, "%s replaced, not added", kopie);
    assert_as_xapian(r, q, 0, 10, 1.2, 0.75, "replaced");
    add_old_doc(w, neu, "wasser", "00000000000000dd");
    cr_assert_eq(fg_index_commit(w), FG_OK, "%s", fg_index_error(w));
    cr_assert_eq(fg_index_reopen(r), FG_OK, "%s", fg_index_error(r));
    assert_as_xapian(r, q, 0, 10, 1.2, 0.75, "added");
    fg_qresult_t *res = NULL;
    fg_query_params_t p;
    fg_query_params_default(&p);
    cr_assert_eq(fg_index_query(r, q, &p, &res), FG_OK);
    bool seen = false;
    for (size_t i = 0; i < res->n; i++)
        seen |= strstr(res->hits[i].data, "neu.txt") != NULL;
    cr_assert(seen, "the new document is found");
    fg_qresult_free(res);
    fg_index_close(w);
    fg_index_close(r);
    fg_xquery_free(q);
    fg_analyzer_free(a);
    free(kopie);
    free(neu);
}

/* Copies the first n files (in name order) of the man-page corpus into each
 * of the folders dir/copies/c1 .. c<copies>. */
static void copy_man_pages(size_t n, int copies) {
    const char *src = FG_SHARED_DATA "/manpages-de/docs";
    struct dirent **names = NULL;
    int total = scandir(src, &names, NULL, alphasort);
    cr_assert_geq(total, 0);
    size_t copied = 0;
    for (int i = 0; i < total; i++) {
        if (names[i]->d_name[0] != '.' && copied < n) {
            char path[4096], name[600];
            snprintf(path, sizeof path, "%s/%s", src, names[i]->d_name);
            size_t len = 0;
            char *data = tu_read(path, &len);
            cr_assert_not_null(data, "%s", path);
            for (int c = 1; c <= copies; c++) {
                snprintf(name, sizeof name, "copies/c%d/%s", c, names[i]->d_name);
                free(tu_write(dir, name, data, len));
            }
            free(data);
            copied++;
        }
        free(names[i]);
    }
    free(names);
}

/* The number of distinct contents (FG_VALUE_CHECKSUM; documents without one
 * count one each) among all documents matching q, found by ix. */
static uint64_t distinct_matches(fg_index_t *ix, const fg_xquery_t *q) {
    fg_query_params_t p;
    fg_query_params_default(&p);
    p.limit = 1000000;
    p.content = true;
    fg_qresult_t *all = NULL;
    cr_assert_eq(fg_index_query(ix, q, &p, &all), FG_OK, "%s", fg_index_error(ix));
    uint64_t n = 0;
    for (size_t i = 0; i < all->n; i++) {
        bool before = false;
        for (size_t k = 0; k < i && all->hits[i].content[0] && !before; k++)
            before = strcmp(all->hits[k].content, all->hits[i].content) == 0;
        n += !before;
    }
    fg_qresult_free(all);
    return n;
}

Test(query, collapses_term_at_a_time_as_xapian_does, .timeout = 600) {
    /* 150 man pages in three copies: every hit has two duplicates */
    copy_man_pages(150, 3);
    char *copies = NULL, *cix = NULL, err[512];
    cr_assert(asprintf(&copies, "%s/copies", dir) > 0);
    cr_assert(asprintf(&cix, "%s/copies-index", dir) > 0);
    const char *const folders[] = {copies, NULL};
    plugin_host_index(dir, cix, folders);
    fg_index_t *r = NULL, *w = NULL;
    cr_assert_eq(fg_index_open_readonly(cix, &r, err, sizeof err), FG_OK, "%s", err);
    /* the writer's fg_index_query() uses Xapian's collapse (and counts every
     * match with check_at_least) */
    cr_assert_eq(fg_index_open_writable(cix, 0, &w, err, sizeof err), FG_OK, "%s", err);
    fg_analyzer_t *a = default_analyzer();
    FILE *f = fopen(FG_SHARED_DATA "/manpages-de/queries-dev.tsv", "r");
    cr_assert_not_null(f);
    char line[1024];
    int n = 0, with_dups = 0;
    while (n < 40 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\t\n")] = '\0';
        fg_xquery_t *q = parse_default(a, line);
        if (!q)
            continue;
        for (uint32_t offset = 0; offset <= 10; offset += 10) {
            fg_query_params_t p;
            fg_query_params_default(&p);
            p.offset = offset;
            p.collapse_value = FG_VALUE_CHECKSUM;
            p.max_duplicates = 1 + (uint32_t)n % 3; /* also fewer than there are */
            fg_qresult_t *mine = NULL, *xap = NULL;
            cr_assert_eq(fg_index_query(r, q, &p, &mine), FG_OK, "%s", fg_index_error(r));
            cr_assert(mine->term_at_a_time, "%s", line);
            p.check_at_least = 1000000;
            cr_assert_eq(fg_index_query(w, q, &p, &xap), FG_OK, "%s", fg_index_error(w));
            cr_assert_not(xap->term_at_a_time);
            cr_assert_eq(mine->n, xap->n, "'%s' +%u: %zu hits, Xapian %zu", line, offset, mine->n,
                         xap->n);
            cr_assert_eq(mine->estimate, distinct_matches(w, q), "'%s': %llu results", line,
                         (unsigned long long)mine->estimate);
            for (size_t i = 0; i < mine->n; i++) {
                const fg_qhit_t *x = &xap->hits[i], *y = &mine->hits[i];
                cr_assert_eq(y->docid, x->docid, "'%s' +%u hit %zu: docid %u, Xapian %u", line,
                             offset, i, y->docid, x->docid);
                cr_assert(fabs(y->weight - x->weight) <= 1e-12 * x->weight);
                cr_assert_eq(y->percent, x->percent, "'%s' hit %zu", line, i);
                cr_assert_eq(y->n_duplicates, x->n_duplicates, "'%s' hit %zu: %u dups, Xapian %u",
                             line, i, y->n_duplicates, x->n_duplicates);
                for (uint32_t k = 0; k < y->n_duplicates; k++) {
                    cr_assert_eq(y->duplicates[k], x->duplicates[k]);
                    cr_assert_str_eq(y->duplicate_data[k], x->duplicate_data[k]);
                }
                with_dups += y->n_duplicates > 0;
            }
            fg_qresult_free(mine);
            fg_qresult_free(xap);
        }
        fg_xquery_free(q);
        n++;
    }
    fclose(f);
    cr_assert_eq(n, 40);
    cr_assert_gt(with_dups, 200, "the copies are listed as duplicates");
    fg_analyzer_free(a);
    fg_index_close(w);
    fg_index_close(r);
    free(copies);
    free(cix);
}
