/*
 * test_shards_manpages.c - three xapian-tcpsrv shards over thirds of the
 * German man pages rank as one index over all of them: for 40 dev queries
 * (and phrases, a filter, an exclusion of each), by relevance, by date, with
 * facets and without collapsing, the same hits in the same order, scores
 * equal within 1e-9 relative, the same totals and facets.
 *
 * The corpus is the pages the 40 queries look for plus every tenth other
 * page (about 170 of the 1345), so the suite stays within a few seconds.
 * The files are indexed in one order into "all" and dealt round into the
 * shards (page i into shard i % 3): Xapian's interleaved docids of the
 * shards, (d - 1) * 3 + s + 1, are then the docids of "all", and ties of
 * score (ordered by docid) come out in the same order too.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcpsrv.h"
#include "testutil.h"

#define QUERIES 40
#define SHARDS 3
#define MAX_FILES 2000

static char *dir, *exe, *home_env, *docs;
static char *files[MAX_FILES];
static size_t n_files;
static char *queries[QUERIES];
static tcpsrv_t srv[SHARDS];
/* What each line of the batch is: 'w' words, 'p' a phrase, 'f' with a
 * filter, 'x' with an exclusion (words and exclusions are plain queries,
 * which one index ranks term at a time and counts exactly). */
static char kinds[4 * QUERIES];
static size_t n_kinds;

/* "dir/name" (malloc'ed). */
static char *at(const char *name) {
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

/* Runs fundgrube with the NULL-terminated args (any number); returns the run. */
static tu_run_t run(const char *const *args) {
    size_t n = 0;
    while (args[n])
        n++;
    const char **argv = calloc(n + 2, sizeof *argv);
    cr_assert(argv);
    argv[0] = exe;
    memcpy(argv + 1, args, n * sizeof *args);
    const char *env[] = {home_env, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    free(argv);
    return r;
}

/* qsort() order of strings. */
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads the first QUERIES dev queries; marks their pages in wanted (names). */
static size_t read_queries(char **wanted) {
    char *path = NULL;
    cr_assert(asprintf(&path, "%s/manpages-de/queries-dev.tsv", FG_SHARED_DATA) > 0);
    FILE *f = fopen(path, "r");
    cr_assert(f, "%s", path);
    char line[1024];
    size_t n = 0;
    while (n < QUERIES && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        cr_assert(tab);
        *tab = '\0';
        tab[strcspn(tab + 1, "\r\n") + 1] = '\0';
        queries[n] = strdup(line);
        wanted[n] = strdup(tab + 1);
        n++;
    }
    fclose(f);
    free(path);
    return n;
}

/* Indexes files[k] for k % step == first (step 1: all) into dir/name. */
static void index_into(const char *name, size_t first, size_t step) {
    char *ix = at(name), *opt = NULL;
    cr_assert(asprintf(&opt, "--index=%s", ix) > 0);
    const char **args = calloc(n_files + 4, sizeof *args);
    size_t n = 0;
    args[n++] = "index";
    args[n++] = opt;
    for (size_t k = first; k < n_files; k += step)
        args[n++] = files[k];
    tu_run_t r = run(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_run_free(&r);
    free(args);
    free(opt);
    free(ix);
}

/* The corpus, "all", the shards i0..i2 and their servers. */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    exe = tu_build_path("cli/fundgrube");
    cr_assert(asprintf(&home_env, "HOME=%s", dir) > 0);
    cr_assert(asprintf(&docs, "%s/manpages-de/docs", FG_SHARED_DATA) > 0);
    char *wanted[QUERIES] = {0};
    size_t n_wanted = read_queries(wanted);
    DIR *d = opendir(docs);
    cr_assert(d, "%s", docs);
    char *names[MAX_FILES];
    size_t n_names = 0;
    for (struct dirent *e; (e = readdir(d)) && n_names < MAX_FILES;)
        if (e->d_name[0] != '.')
            names[n_names++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n_names, sizeof *names, cmp_str);
    for (size_t i = 0; i < n_names; i++) {
        bool keep = i % 10 == 0;
        for (size_t q = 0; q < n_wanted && !keep; q++)
            keep = strcmp(names[i], wanted[q]) == 0;
        if (keep)
            cr_assert(asprintf(&files[n_files++], "%s/%s", docs, names[i]) > 0);
        free(names[i]);
    }
    for (size_t q = 0; q < n_wanted; q++)
        free(wanted[q]);
    index_into("all", 0, 1);
    for (size_t s = 0; s < SHARDS; s++) {
        char name[8];
        snprintf(name, sizeof name, "i%zu", s);
        index_into(name, s, SHARDS);
        char *ix = at(name);
        cr_assert(tcpsrv_start(&srv[s], ix, 0), "xapian-tcpsrv (xapian-tools) did not start");
        free(ix);
    }
}

static void teardown(void) {
    for (size_t s = 0; s < SHARDS; s++)
        tcpsrv_stop(&srv[s]);
    for (size_t i = 0; i < n_files; i++)
        free(files[i]);
    for (size_t q = 0; q < QUERIES; q++)
        free(queries[q]);
    tu_rmtree(dir);
    free(dir);
    free(exe);
    free(home_env);
    free(docs);
}

TestSuite(manpages, .init = setup, .fini = teardown, .timeout = 120);

/* The batch file: each query as written, its first two words as a phrase,
 * with a filter (ext:txt), and without its last word (-word). */
static char *write_batch(void) {
    size_t cap = 1 << 16, len = 0;
    char *text = malloc(cap);
    cr_assert(text);
    for (size_t q = 0; q < QUERIES && queries[q]; q++) {
        char a[128] = "", b[128] = "", last[128] = "";
        const char *sp = strrchr(queries[q], ' ');
        snprintf(last, sizeof last, "%s", sp ? sp + 1 : "");
        sscanf(queries[q], "%127s %127s", a, b);
        len += (size_t)snprintf(text + len, cap - len, "%s\n\"%s %s\"\n%s ext:txt\n", queries[q], a,
                                b, queries[q]);
        kinds[n_kinds++] = 'w';
        kinds[n_kinds++] = 'p';
        kinds[n_kinds++] = 'f';
        if (sp && strlen(last) > 3) {
            len += (size_t)snprintf(text + len, cap - len, "%.*s -%s\n", (int)(sp - queries[q]),
                                    queries[q], last);
            kinds[n_kinds++] = 'x';
        }
        cr_assert_lt(len, cap - 1024);
    }
    char *path = tu_write_str(dir, "batch", text);
    free(text);
    return path;
}

/* Runs the batch on the index (option value ix) with extra options;
 * returns the JSON lines, one per query. */
static json_t *batch_of(const char *ix, const char *batch, const char *extra) {
    char *opt = NULL, *bopt = NULL;
    cr_assert(asprintf(&opt, "--index=%s", ix) > 0);
    cr_assert(asprintf(&bopt, "--batch=%s", batch) > 0);
    const char *args[] = {"search", opt, bopt, "--limit=20", "--no-snippets", extra, NULL};
    tu_run_t r = run(args);
    cr_assert_eq(r.status, 0, "%s: %s", ix, r.err);
    json_t *lines = json_array();
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *j = json_loads(line, 0, NULL);
        cr_assert(j, "%s", line);
        json_array_append_new(lines, j);
    }
    tu_run_free(&r);
    free(opt);
    free(bopt);
    return lines;
}

/* The score of hit k of the hits array a. */
static double score_of(json_t *a, size_t k) {
    return json_real_value(json_object_get(json_array_get(a, k), "score"));
}

/* True when x and y are equal within 1e-9 relative. */
static bool close_to(double x, double y) {
    return fabs(x - y) <= 1e-9 * fabs(x);
}

/* True when the hits array a holds a hit of path among [from, to), or one
 * that lists path among its duplicates (files of the same content: which
 * of them is the hit depends on the order of ties). */
static bool holds(json_t *a, size_t from, size_t to, const char *path) {
    for (size_t k = from; k < to && k < json_array_size(a); k++) {
        json_t *hit = json_array_get(a, k), *dups = json_object_get(hit, "duplicates");
        if (strcmp(json_string_value(json_object_get(hit, "path")), path) == 0)
            return true;
        for (size_t d = 0; d < json_array_size(dups); d++)
            if (strcmp(json_string_value(json_array_get(dups, d)), path) == 0)
                return true;
    }
    return false;
}

/*
 * Expects the results got (shards) to equal want (one index): per query
 * the facets and the hits in order, scores within 1e-9 relative.  Hits whose
 * scores are equal within 1e-9 (ties, which the two sums round apart in the
 * last bit) may come in either order among themselves, and at the page's end
 * a run of ties may be cut at another of them; of files of equal content,
 * collapsed into one hit, either may be the hit.  Totals: equal where both
 * count exactly (exact is true: a plain query by relevance without facets,
 * which one index ranks term at a time and a shard list checks fully), else
 * Xapian's estimates, which are only asked to cover the page.  Returns the
 * hits compared.
 */
static size_t expect_same(json_t *want, json_t *got, const char *how, bool exact) {
    cr_assert_eq(json_array_size(got), json_array_size(want), "%s", how);
    cr_assert_eq(json_array_size(want), n_kinds, "%s", how);
    size_t compared = 0;
    for (size_t i = 0; i < json_array_size(want); i++) {
        json_t *w = json_array_get(want, i), *g = json_array_get(got, i);
        const char *q = json_string_value(json_object_get(w, "query"));
        cr_assert(q && !json_object_get(w, "error"), "%s: %s", how, q);
        cr_expect(!json_object_get(g, "warnings"), "%s %s: warnings", how, q);
        json_int_t gt = json_integer_value(json_object_get(g, "total")),
                   wt = json_integer_value(json_object_get(w, "total"));
        json_t *wh = json_object_get(w, "hits"), *gh = json_object_get(g, "hits");
        if (exact && (kinds[i] == 'w' || kinds[i] == 'x'))
            cr_expect_eq(gt, wt, "%s %s: total %lld, want %lld", how, q, (long long)gt,
                         (long long)wt);
        else
            cr_expect_geq(gt, (json_int_t)json_array_size(gh), "%s %s: total %lld", how, q,
                          (long long)gt);
        json_t *wf = json_object_get(w, "facets"), *gf = json_object_get(g, "facets");
        cr_expect((!wf && !gf) || json_equal(gf, wf), "%s %s: facets", how, q);
        size_t n = json_array_size(wh);
        cr_expect_eq(json_array_size(gh), n, "%s %s: hits", how, q);
        for (size_t k = 0; k < n && k < json_array_size(gh); k++) {
            json_t *b = json_array_get(gh, k);
            const char *path = json_string_value(json_object_get(b, "path"));
            double y = score_of(gh, k);
            cr_expect(close_to(score_of(wh, k), y), "%s %s: hit %zu score %.17g, want %.17g", how,
                      q, k + 1, y, score_of(wh, k));
            /* the run of ties around hit k in want */
            size_t from = k, to = k + 1;
            while (from > 0 && close_to(score_of(wh, from - 1), score_of(wh, k)))
                from--;
            while (to < n && close_to(score_of(wh, to), score_of(wh, k)))
                to++;
            bool at_end = to == n && n == 20;
            cr_expect(at_end || holds(wh, from, to, path), "%s %s: hit %zu %s (%.17g) not in want",
                      how, q, k + 1, path, y);
            if (to == k + 1 && from == k && holds(wh, k, k + 1, path) &&
                strcmp(json_string_value(json_object_get(json_array_get(wh, k), "path")), path) ==
                    0) /* no tie, the same file: the same docid */
                cr_expect_eq(json_integer_value(json_object_get(b, "docid")),
                             json_integer_value(json_object_get(json_array_get(wh, k), "docid")),
                             "%s %s: docid of hit %zu", how, q, k + 1);
            compared++;
        }
    }
    return compared;
}

Test(manpages, three_tcpsrv_shards_rank_as_one_index) {
    char *batch = write_batch(), *all = at("all"), text[256];
    int n = 0;
    for (size_t s = 0; s < SHARDS; s++)
        n += snprintf(text + n, sizeof text - (size_t)n, "remote localhost:%u\n", srv[s].port);
    char *list = tu_write_str(dir, "shards", text);
    static const char *const variants[] = {"--json", "--sort=date", "--facets", "--all-duplicates"};
    size_t compared = 0;
    for (size_t v = 0; v < sizeof variants / sizeof *variants; v++) {
        json_t *want = batch_of(all, batch, variants[v]);
        json_t *got = batch_of(list, batch, variants[v]);
        bool exact = v == 0 || v == 3; /* by relevance, no facets */
        compared += expect_same(want, got, variants[v], exact);
        json_decref(want);
        json_decref(got);
    }
    cr_expect_gt(compared, 4 * QUERIES * 5, "hits compared: %zu", compared);
    free(list);
    free(all);
    free(batch);
}
