/*
 * test_search_cli.c - the ABI 1.1 features as `fundgrube search` shows them:
 * --sort, --html, --markers, --facets, duplicates, suggestions, --similar and
 * the JSON shapes (hit objects, the final object, batch lines).
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *dir, *exe, *ixopt, *home_env;

static const char kaffee[] = "Die Kaffeemaschine entkalken: Essig und Wasser mischen.\n";

/* Writes a small tree and indexes it with the sample. */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    exe = tu_build_path("cli/fundgrube");
    cr_assert(asprintf(&ixopt, "--index=%s/index", dir) > 0);
    cr_assert(asprintf(&home_env, "HOME=%s", dir) > 0);
    free(tu_write_str(dir, "docs/a/eins.txt", kaffee));
    free(tu_write_str(dir, "docs/b/zwei.txt", kaffee));
    free(tu_write_str(dir, "docs/b/alt.md", "date 2019-02\n\nDer Wanderweg am Fluss.\n"));
    char *docs = NULL;
    cr_assert(asprintf(&docs, "%s/docs", dir) > 0);
    const char *argv[] = {exe, "index", ixopt, docs, FG_SHARED_DATA "/sample", NULL};
    const char *env[] = {home_env, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_run_free(&r);
    free(docs);
}

/* Removes what setup() made. */
static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
    free(exe);
    free(ixopt);
    free(home_env);
}

TestSuite(search_cli, .init = setup, .fini = teardown);

/* Runs `fundgrube search --index=... a1 a2 a3 a4`; asserts it ran. */
static tu_run_t search(const char *a1, const char *a2, const char *a3, const char *a4) {
    const char *argv[] = {exe, "search", ixopt, a1, a2, a3, a4, NULL};
    const char *env[] = {home_env, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    return r;
}

Test(search_cli, duplicates_and_all_duplicates) {
    tu_run_t r = search("entkalken", NULL, NULL, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "1 document found"), "%s", r.out);
    cr_assert(strstr(r.out, "   = "), "the other path is listed: %s", r.out);
    tu_run_free(&r);
    r = search("--all-duplicates", "entkalken", NULL, NULL);
    cr_assert(strstr(r.out, "2 documents found"), "%s", r.out);
    tu_run_free(&r);
}

Test(search_cli, json_hits_and_final_object) {
    tu_run_t r = search("--json", "--facets", "entkalken OR Wanderweg", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    int lines = 0;
    json_t *last = NULL;
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_error_t e;
        json_t *j = json_loads(l, 0, &e);
        cr_assert(j, "%s: %s", e.text, l);
        if (json_object_get(j, "path")) {
            cr_assert(json_integer_value(json_object_get(j, "total")) >= 2, "%s", l);
            cr_assert(json_object_get(j, "docid") && json_object_get(j, "date"), "%s", l);
        }
        json_decref(last);
        last = j;
        lines++;
    }
    cr_assert_eq(lines, 3, "two hits and the final object");
    cr_assert_null(json_object_get(last, "path"));
    json_t *facets = json_object_get(last, "facets");
    cr_assert(json_is_array(json_object_get(facets, "type")));
    cr_assert(json_is_array(json_object_get(facets, "year")));
    cr_assert(json_is_array(json_object_get(facets, "folder")));
    cr_assert_eq(json_integer_value(json_object_get(last, "total")), 2);
    json_decref(last);
    tu_run_free(&r);
    /* no facets, no suggestion: hit lines only, as before */
    r = search("--json", "Wanderweg", NULL, NULL);
    cr_assert_eq(strchr(r.out, '\n'), strrchr(r.out, '\n'), "one line: %s", r.out);
    tu_run_free(&r);
}

Test(search_cli, suggestion_for_people_json_and_batch) {
    tu_run_t r = search("Wanderwek", NULL, NULL, NULL);
    cr_assert(strstr(r.out, "Meinten Sie: Wanderweg"), "%s", r.out);
    tu_run_free(&r);
    r = search("--json", "Wanderwek", NULL, NULL);
    json_error_t e;
    json_t *j = json_loads(r.out, JSON_DISABLE_EOF_CHECK, &e);
    cr_assert(j, "%s", r.out);
    cr_assert_str_eq(json_string_value(json_object_get(j, "suggestion")), "Wanderweg");
    json_decref(j);
    tu_run_free(&r);
    char *qf = tu_write_str(dir, "q.txt", "Wanderwek\nWanderweg\n");
    r = search("--batch", qf, "--facets", NULL);
    char *nl = strchr(r.out, '\n');
    cr_assert(nl, "%s", r.out);
    *nl = '\0';
    j = json_loads(r.out, 0, &e);
    cr_assert(j, "%s", r.out);
    cr_assert_str_eq(json_string_value(json_object_get(j, "suggestion")), "Wanderweg");
    cr_assert(json_is_object(json_object_get(j, "facets")));
    json_decref(j);
    j = json_loads(nl + 1, JSON_DISABLE_EOF_CHECK, &e);
    cr_assert(j, "%s", nl + 1);
    cr_assert_null(json_object_get(j, "suggestion"));
    cr_assert_eq(json_array_size(json_object_get(j, "hits")), 1);
    json_decref(j);
    tu_run_free(&r);
    free(qf);
}

Test(search_cli, sort_html_markers_facets) {
    tu_run_t r =
        search("--sort=date", "--no-snippets", "--all-duplicates", "entkalken OR Wanderweg");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *alt = strstr(r.out, "alt.md"), *eins = strstr(r.out, "eins.txt");
    cr_assert(alt && eins && eins < alt, "2019 comes last: %s", r.out);
    tu_run_free(&r);
    r = search("--sort=size", "x", NULL, NULL);
    cr_assert_eq(r.status, 2);
    tu_run_free(&r);
    r = search("--html", "Wanderweg", NULL, NULL);
    cr_assert(strstr(r.out, "<mark>Wanderweg</mark>"), "%s", r.out);
    tu_run_free(&r);
    r = search("--markers", "<<,>>", "Wanderweg", NULL);
    cr_assert(strstr(r.out, "<<Wanderweg>>"), "%s", r.out);
    tu_run_free(&r);
    r = search("--facets", "--no-snippets", "entkalken OR Wanderweg", NULL);
    cr_assert(strstr(r.out, "Typ ") && strstr(r.out, "Jahr ") && strstr(r.out, "2019 (1)") &&
                  strstr(r.out, "Ordner "),
              "%s", r.out);
    tu_run_free(&r);
    r = search("--max-wildcard", "1", "e*", NULL);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "more than 1 words"), "%s", r.err);
    tu_run_free(&r);
}

Test(search_cli, similar_by_docid) {
    tu_run_t r = search("--json", "--all-duplicates", "entkalken", NULL);
    json_error_t e;
    json_t *j = json_loads(r.out, JSON_DISABLE_EOF_CHECK, &e);
    cr_assert(j, "%s", r.out);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(j, "docid")));
    json_decref(j);
    tu_run_free(&r);
    r = search("--similar", id, "--all-duplicates", NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "1. "), "the copy is found: %s", r.out);
    tu_run_free(&r);
    r = search("--similar", id, "x", NULL);
    cr_assert_eq(r.status, 2, "either a query or --similar");
    tu_run_free(&r);
    r = search("--similar", "987654", NULL, NULL);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "987654"), "%s", r.err);
    tu_run_free(&r);
}
