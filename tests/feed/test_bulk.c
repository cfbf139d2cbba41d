/*
 * test_bulk.c - the bulk path of fg_feed_tree(): workers, segments, merges.
 * The same rankings as one-by-one indexing, the same events and counts,
 * no duplicates when files change, and a run killed at any point leaves an
 * index that opens and that a rerun completes.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "feed/feed.h"
#include "index/index.h"
#include "testutil.h"

static char *dir, *docs, *ixdir;
static fg_config_t cfg;

/* A fresh folder with docs/ and the index path, and default settings. */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    setenv("HOME", dir, 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("FUNDGRUBE_CONFIG");
    unsetenv("FUNDGRUBE_TEST_KILL_AT");
    cr_assert(asprintf(&docs, "%s/docs", dir) > 0);
    cr_assert(asprintf(&ixdir, "%s/index", dir) > 0);
    mkdir(docs, 0755);
    cr_assert_eq(fg_config_init(&cfg), FG_OK);
}

/* Removes what setup() made. */
static void teardown(void) {
    fg_config_free(&cfg);
    tu_rmtree(dir);
    free(dir);
    free(docs);
    free(ixdir);
}

TestSuite(bulk, .init = setup, .fini = teardown, .timeout = 300);

/* Counts events by kind; remembers whether two callbacks ever overlapped. */
typedef struct counts {
    int ev[FG_FEED_RENAMED + 1];
    volatile int inside;
    volatile int overlapped;
} counts_t;

/* Event callback: counts, and checks it is never entered twice at once. */
static void on_event(void *ctx, fg_feed_event_t ev, const char *path, const char *reason,
                     const fg_feed_stats_t *st) {
    (void)path;
    (void)reason;
    (void)st;
    counts_t *c = ctx;
    if (__atomic_fetch_add(&c->inside, 1, __ATOMIC_SEQ_CST) != 0)
        c->overlapped = 1;
    c->ev[ev]++;
    struct timespec ts = {0, 1000};
    nanosleep(&ts, NULL); /* widen the window an overlap would need */
    __atomic_fetch_sub(&c->inside, 1, __ATOMIC_SEQ_CST);
}

/* How a run indexes: one by one, or in bulk with tiny segments (many
 * segments, so that combining and the level logic run too), or in bulk with
 * deferred merging as the daemon does: one run per subfolder d0..d6 (as a
 * copied folder arrives in pieces), then the whole tree, held segments
 * merged at the close. */
typedef enum mode { SINGLE, BULK, DEFERRED } mode_t_;

/* Runs fg_feed_tree() over root into index ix; returns the stats. */
static fg_feed_stats_t run(const char *ix, const char *root, mode_t_ mode, bool force,
                           counts_t *c) {
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ix, on_event, c, &f, err, sizeof err), FG_OK, "%s", err);
    if (mode == SINGLE) {
        fg_feed_set_bulk(f, UINT64_MAX, UINT64_MAX, 0);
    } else {
        fg_feed_set_threads(f, 2);
        fg_feed_set_bulk(f, 1, 1, 8 << 10);
    }
    if (mode == DEFERRED) {
        fg_feed_set_defer_merge(f, true);
        for (int i = 0; i < 7; i++) {
            char sub[1024];
            snprintf(sub, sizeof sub, "%s/d%d", root, i);
            struct stat sb;
            if (stat(sub, &sb) == 0)
                cr_assert_eq(fg_feed_tree(f, sub, force), FG_OK, "%s", fg_feed_error(f));
        }
    }
    cr_assert_eq(fg_feed_tree(f, root, force), FG_OK, "%s", fg_feed_error(f));
    fg_feed_stats_t s = *fg_feed_stats(f);
    cr_assert_eq(fg_feed_close(f), FG_OK);
    return s;
}

/* Opens a reader on ix, asserting. */
static fg_index_t *reader(const char *ix) {
    fg_index_t *r = NULL;
    char err[512];
    cr_assert_eq(fg_index_open_readonly(ix, &r, err, sizeof err), FG_OK, "%s", err);
    return r;
}

/* Number of documents in ix. */
static uint64_t doc_count(const char *ix) {
    fg_index_t *r = reader(ix);
    uint64_t n = 0;
    cr_assert_eq(fg_index_doc_count(r, &n), FG_OK);
    fg_index_close(r);
    return n;
}

/* Copies the first n files (in name order) of the man-page corpus into docs;
 * returns how many were copied. */
static size_t copy_corpus(size_t n) {
    const char *src = FG_SHARED_DATA "/manpages-de/docs";
    struct dirent **names = NULL;
    int total = scandir(src, &names, NULL, alphasort);
    if (total < 0)
        return 0;
    size_t copied = 0;
    for (int i = 0; i < total; i++) {
        if (names[i]->d_name[0] != '.' && copied < n) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", src, names[i]->d_name);
            size_t len = 0;
            char *data = tu_read(path, &len);
            if (data) {
                char name[600];
                snprintf(name, sizeof name, "d%zu/%s", copied % 7, names[i]->d_name);
                free(tu_write(docs, name, data, len));
                free(data);
                copied++;
            }
        }
        free(names[i]);
    }
    free(names);
    return copied;
}

/* One hit: its url and weight. */
typedef struct hit {
    char url[512];
    double weight;
} hit_t;

/* Orders hits by weight (descending), then url. */
static int cmp_hits(const void *a, const void *b) {
    const hit_t *x = a, *y = b;
    if (x->weight != y->weight && fabs(x->weight - y->weight) > 1e-9)
        return x->weight > y->weight ? -1 : 1;
    return strcmp(x->url, y->url);
}

/* Runs q on r and returns all hits (at most 2000) sorted by cmp_hits. */
static hit_t *all_hits(fg_index_t *r, const fg_xquery_t *q, size_t *n) {
    fg_search_params_t p;
    fg_search_params_default(&p);
    p.limit = 2000;
    fg_mset_t *m = NULL;
    cr_assert_eq(fg_index_search(r, q, &p, &m), FG_OK, "%s", fg_index_error(r));
    *n = fg_mset_size(m);
    hit_t *h = calloc(*n + 1, sizeof *h);
    for (size_t i = 0; i < *n; i++) {
        const fg_mset_hit_t *x = fg_mset_hit(m, i);
        const char *u = strstr(x->data, "url=");
        cr_assert_not_null(u);
        u += 4;
        size_t len = strcspn(u, "\n");
        snprintf(h[i].url, sizeof h[i].url, "%.*s", (int)len, u);
        h[i].weight = x->weight;
    }
    fg_mset_free(m);
    qsort(h, *n, sizeof *h, cmp_hits);
    return h;
}

/* A term query. */
static fg_xquery_t *term(const char *t) {
    fg_xquery_t *q = NULL;
    cr_assert_eq(fg_xquery_term(t, strlen(t), 1, &q), FG_OK);
    return q;
}

/* Combines two queries (consuming them). */
static fg_xquery_t *combine(fg_xquery_op_t op, fg_xquery_t *a, fg_xquery_t *b) {
    fg_xquery_t *subs[2] = {a, b}, *q = NULL;
    cr_assert_eq(fg_xquery_combine(op, subs, 2, 0, &q), FG_OK);
    fg_xquery_free(a);
    fg_xquery_free(b);
    return q;
}

/* The same corpus indexed one by one and in bulk gives the same rankings
 * (urls and weights) for ~30 queries. */
Test(bulk, same_rankings_as_one_by_one) {
    size_t n = copy_corpus(300);
    if (n < 300)
        cr_skip_test("the man-page corpus is missing from %s", FG_SHARED_DATA);
    char *ix1 = NULL, *ix2 = NULL, *ix3 = NULL;
    cr_assert(asprintf(&ix1, "%s/ix-single", dir) > 0);
    cr_assert(asprintf(&ix2, "%s/ix-bulk", dir) > 0);
    cr_assert(asprintf(&ix3, "%s/ix-deferred", dir) > 0);
    counts_t c1 = {0}, c2 = {0}, c3 = {0};
    fg_feed_stats_t s1 = run(ix1, docs, SINGLE, false, &c1);
    fg_feed_stats_t s2 = run(ix2, docs, BULK, false, &c2);
    fg_feed_stats_t s3 = run(ix3, docs, DEFERRED, false, &c3);
    /* deferred: the whole-tree run found every file unchanged in the held
     * segments, so each was indexed once */
    cr_assert_eq(s3.indexed, s1.indexed);
    cr_assert_eq(s3.unchanged, s1.indexed);
    cr_assert_eq(c3.ev[FG_FEED_COMMITTED], 1, "deferred: one merge, at the close");
    cr_assert_not(c3.overlapped, "the callback was entered by two threads at once");
    cr_assert_eq(doc_count(ix3), s3.indexed);
    cr_assert_eq(s1.indexed, s2.indexed);
    cr_assert_eq(s1.skipped, s2.skipped);
    cr_assert_eq(s1.bytes, s2.bytes);
    cr_assert_eq(c2.ev[FG_FEED_INDEXED], (int)s2.indexed);
    cr_assert_not(c2.overlapped, "the callback was entered by two threads at once");
    cr_assert_eq(doc_count(ix1), doc_count(ix2));
    cr_assert_eq(doc_count(ix2), s2.indexed);
    /* one by one: no merge (gen-1); bulk: segments merged once (gen-2) */
    char stub[1024];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", ix1);
    char *text = tu_read(stub, NULL);
    cr_assert_str_eq(text, "glass gen-1\n");
    free(text);
    snprintf(stub, sizeof stub, "%s/XAPIANDB", ix2);
    text = tu_read(stub, NULL);
    cr_assert_str_eq(text, "glass gen-2\n");
    free(text);

    static const char *words[] = {"datei",   "verzeichnis", "option",   "befehl",   "programm",
                                  "ausgabe", "eingabe",     "benutzer", "system",   "fehler",
                                  "zeichen", "zeile",       "standard", "wert",     "prozess",
                                  "signal",  "speicher",    "netzwerk", "passwort", "terminal",
                                  "kernel",  "modus",       "format",   "name",     "pfad",
                                  "liste",   "beispiel",    "version",  "hilfe",    "gerät"};
    size_t nw = sizeof words / sizeof *words;
    fg_index_t *r1 = reader(ix1), *r2 = reader(ix2), *r3 = reader(ix3);
    size_t nonempty = 0;
    for (size_t i = 0; i < nw + 6; i++) {
        fg_xquery_t *q;
        if (i < nw)
            q = term(words[i]);
        else if (i < nw + 3)
            q = combine(FG_XQ_OR, term(words[i - nw]), term(words[i - nw + 10]));
        else
            q = combine(FG_XQ_AND, term(words[i - nw]), term(words[i - nw + 1]));
        size_t n1 = 0, n2 = 0, n3 = 0;
        hit_t *h1 = all_hits(r1, q, &n1), *h2 = all_hits(r2, q, &n2), *h3 = all_hits(r3, q, &n3);
        cr_assert_eq(n1, n2, "query %zu: %zu hits one by one, %zu in bulk", i, n1, n2);
        cr_assert_eq(n1, n3, "query %zu: %zu hits one by one, %zu deferred", i, n1, n3);
        for (size_t k = 0; k < n1; k++) {
            cr_assert_str_eq(h1[k].url, h2[k].url, "query %zu rank %zu", i, k);
            cr_assert(fabs(h1[k].weight - h2[k].weight) <= 1e-9, "query %zu rank %zu: %.12f %.12f",
                      i, k, h1[k].weight, h2[k].weight);
            cr_assert_str_eq(h1[k].url, h3[k].url, "deferred: query %zu rank %zu", i, k);
            cr_assert(fabs(h1[k].weight - h3[k].weight) <= 1e-9,
                      "deferred: query %zu rank %zu: %.12f %.12f", i, k, h1[k].weight,
                      h3[k].weight);
        }
        nonempty += n1 > 0;
        free(h1);
        free(h2);
        free(h3);
        fg_xquery_free(q);
    }
    cr_assert_geq(nonempty, 20, "the queries should find something");
    char *a = NULL, *b = NULL;
    cr_assert_eq(fg_index_get_metadata(r1, FG_META_ANALYSIS, &a), FG_OK);
    cr_assert_eq(fg_index_get_metadata(r2, FG_META_ANALYSIS, &b), FG_OK);
    cr_assert_str_eq(a, b, "the analysis settings survive the merges");
    free(a);
    free(b);
    fg_index_close(r1);
    fg_index_close(r2);
    fg_index_close(r3);
    free(ix1);
    free(ix2);
    free(ix3);
}

/* Writes count small text files below docs. */
static void write_files(int count, const char *word) {
    for (int i = 0; i < count; i++) {
        char name[64], text[256];
        snprintf(name, sizeof name, "f%d/file%03d.txt", i % 5, i);
        snprintf(text, sizeof text, "Datei %d über %s und Fahrräder, Nummer %d.\n", i, word, i);
        free(tu_write_str(docs, name, text));
    }
}

/* Bad files are reported from the workers as on the single path; unchanged
 * files are not touched again; changed files replace their documents. */
Test(bulk, events_counts_and_changes) {
    write_files(60, "Kaffee");
    free(tu_write(docs, "binary.txt", "ab\0cd", 5));
    free(tu_write_str(docs, "empty.txt", ""));
    counts_t c = {0};
    fg_feed_stats_t s = run(ixdir, docs, BULK, false, &c);
    cr_assert_eq(s.indexed, 60);
    cr_assert_eq(s.skipped, 2);
    cr_assert_eq(c.ev[FG_FEED_SKIPPED], 2);
    cr_assert_eq(c.ev[FG_FEED_INDEXED], 60);
    cr_assert_geq(c.ev[FG_FEED_COMMITTED], 1);
    cr_assert_eq(doc_count(ixdir), 60);

    memset(&c, 0, sizeof c);
    s = run(ixdir, docs, BULK, false, &c);
    cr_assert_eq(s.indexed, 0);
    cr_assert_eq(s.unchanged, 60);

    /* every file changes (longer text): all replaced, no duplicates */
    write_files(60, "Kaffee und Kuchen");
    memset(&c, 0, sizeof c);
    s = run(ixdir, docs, BULK, false, &c);
    cr_assert_eq(s.indexed, 60);
    cr_assert_eq(doc_count(ixdir), 60);
    fg_index_t *r = reader(ixdir);
    uint32_t tf = 0;
    cr_assert_eq(fg_index_term_freq(r, "kuchen", &tf), FG_OK);
    cr_assert_eq(tf, 60);
    fg_index_close(r);

    /* forced: everything again, still no duplicates; a file turned binary
     * loses its document */
    free(tu_write(docs, "f0/file000.txt", "\0\1\2\3", 4));
    memset(&c, 0, sizeof c);
    s = run(ixdir, docs, BULK, true, &c);
    cr_assert_eq(s.indexed, 59);
    cr_assert_eq(doc_count(ixdir), 59);
    cr_assert_geq(c.ev[FG_FEED_REMOVED], 1);
}

/* The run of the kill tests: the child indexes docs in bulk and exits 0. */
static void child_run(const char *kill_at) {
    if (kill_at)
        setenv("FUNDGRUBE_TEST_KILL_AT", kill_at, 1);
    fg_feed_t *f = NULL;
    char err[1024];
    if (fg_feed_open(&cfg, ixdir, NULL, NULL, &f, err, sizeof err) != FG_OK)
        _exit(2);
    fg_feed_set_threads(f, 2);
    fg_feed_set_bulk(f, 1, 1, 8 << 10);
    if (fg_feed_tree(f, docs, false) != FG_OK)
        _exit(3);
    if (fg_feed_close(f) != FG_OK)
        _exit(4);
    _exit(0);
}

/* Checks the index after a finished run: every file once, the right text. */
static void check_complete(int files) {
    cr_assert_eq(doc_count(ixdir), (uint64_t)files);
    fg_index_t *r = reader(ixdir);
    uint32_t tf = 0;
    cr_assert_eq(fg_index_term_freq(r, "fahrräder", &tf), FG_OK);
    cr_assert_eq(tf, (uint32_t)files);
    for (int i = 0; i < files; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/f%d/file%03d.txt", docs, i % 5, i);
        fg_doc_stamp_t st;
        cr_assert_eq(fg_index_stamp(r, path, &st), FG_OK, "%s missing", path);
    }
    fg_index_close(r);
}

/* Killed at each point of a merge, then rerun: the index opens after the
 * kill (with no file twice), and the rerun completes it. */
Test(bulk, killed_in_merge_then_rerun) {
#ifndef FG_TEST_HOOKS
    cr_skip_test("needs a build with -DFG_TEST_HOOKS=ON");
#endif
    static const char *points[] = {"merge-start", "merge-compacted", "merge-deduped", "merge-stub",
                                   "merge-done"};
    const int files = 80;
    write_files(files, "Tee");
    for (size_t k = 0; k < sizeof points / sizeof *points; k++) {
        tu_rmtree(ixdir);
        pid_t pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0)
            child_run(points[k]);
        int ws = 0;
        cr_assert_eq(waitpid(pid, &ws, 0), pid);
        cr_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL, "%s: 0x%x", points[k], ws);
        uint64_t n = doc_count(ixdir);
        cr_assert(n == 0 || n == (uint64_t)files, "%s: %lu documents", points[k], (unsigned long)n);
        pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0)
            child_run(NULL);
        cr_assert_eq(waitpid(pid, &ws, 0), pid);
        cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "%s rerun: 0x%x", points[k], ws);
        check_complete(files);
    }
}

/* SIGKILLed at random moments of bulk runs (indexing, combining, merging),
 * with files changing between runs: the index always opens with each file
 * at most once, and a final run completes it. */
Test(bulk, killed_at_random_then_rerun) {
    const int files = 120;
    write_files(files, "Tee");
    srand(tu_seed("bulk.killed_at_random_then_rerun"));
    /* how long an undisturbed run takes, to spread the kills over it */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0)
        child_run(NULL);
    int ws = 0;
    cr_assert_eq(waitpid(pid, &ws, 0), pid);
    cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long span_us = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
    for (int round = 0; round < 12; round++) {
        if (round % 3 == 0)
            write_files(files, round % 2 ? "Tee mit Milch" : "Tee ohne Zucker");
        if (round % 4 == 0)
            tu_rmtree(ixdir);
        pid = fork();
        cr_assert_neq(pid, -1);
        if (pid == 0)
            child_run(NULL);
        useconds_t delay = (useconds_t)(rand() % (span_us + 1));
        usleep(delay);
        kill(pid, SIGKILL);
        cr_assert_eq(waitpid(pid, &ws, 0), pid);
        struct stat sb;
        char stub[1024];
        snprintf(stub, sizeof stub, "%s/XAPIANDB", ixdir);
        if (stat(stub, &sb) == 0) {
            uint64_t n = doc_count(ixdir);
            cr_assert_leq(n, (uint64_t)files, "round %d: %lu documents", round, (unsigned long)n);
        }
    }
    pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0)
        child_run(NULL);
    cr_assert_eq(waitpid(pid, &ws, 0), pid);
    cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "final run: 0x%x", ws);
    check_complete(files);
}

/* ------------------------------------------------------------ deferred merging */

/* A feed on ixdir with deferred merging and tiny segments. */
static fg_feed_t *open_deferred(counts_t *c) {
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ixdir, on_event, c, &f, err, sizeof err), FG_OK, "%s", err);
    fg_feed_set_threads(f, 2);
    fg_feed_set_bulk(f, 1, 1, 8 << 10);
    fg_feed_set_defer_merge(f, true);
    return f;
}

/* The number of documents holding term in ixdir. */
static uint32_t term_docs(const char *t) {
    fg_index_t *r = reader(ixdir);
    uint32_t tf = 0;
    cr_assert_eq(fg_index_term_freq(r, t, &tf), FG_OK);
    fg_index_close(r);
    return tf;
}

/* fg_index_stamp()'s status for path in ixdir. */
static fg_status_t stamp_of(const char *path) {
    fg_index_t *r = reader(ixdir);
    fg_doc_stamp_t st;
    fg_status_t rc = fg_index_stamp(r, path, &st);
    fg_index_close(r);
    return rc;
}

/* The live generation ixdir's stub names. */
static char *live_gen(void) {
    char stub[1024];
    snprintf(stub, sizeof stub, "%s/XAPIANDB", ixdir);
    char *text = tu_read(stub, NULL);
    cr_assert(text);
    return text;
}

/* Held documents are not searchable until the commit; a file seen again is
 * unchanged (not indexed twice); the commit makes all of them searchable. */
Test(bulk, deferred_held_until_commit) {
    write_files(40, "Kaffee");
    counts_t c = {0};
    fg_feed_t *f = open_deferred(&c);
    cr_assert_eq(fg_feed_tree(f, docs, false), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_held_docs(f), 40);
    cr_assert_eq(c.ev[FG_FEED_COMMITTED], 0);
    cr_assert_eq(doc_count(ixdir), 0, "held documents are not searchable yet");
    cr_assert_eq(fg_feed_tree(f, docs, false), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_stats(f)->indexed, 40);
    cr_assert_eq(fg_feed_stats(f)->unchanged, 40);
    /* a few files more: through segments too, while others are held */
    char path[1024];
    snprintf(path, sizeof path, "%s/extra.txt", docs);
    free(tu_write_str(docs, "extra.txt", "Ein Nachzügler über Kaffee.\n"));
    const char *one[] = {path};
    cr_assert_eq(fg_feed_files(f, one, 1, false), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_held_docs(f), 41);
    cr_assert_eq(fg_feed_commit(f), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_held_docs(f), 0);
    cr_assert_eq(c.ev[FG_FEED_COMMITTED], 1);
    cr_assert_eq(doc_count(ixdir), 41);
    cr_assert_eq(term_docs("kaffee"), 41);
    cr_assert_eq(fg_feed_close(f), FG_OK);
}

/* A change to a held document goes past the held copy: the new text wins,
 * a removed file stays removed, a renamed one moves, a folder removed takes
 * its held documents along, and a rescan drops a held file that vanished
 * without an event.  No duplicates. */
Test(bulk, deferred_changes_win_over_held) {
    write_files(40, "Kaffee");
    counts_t c = {0};
    fg_feed_t *f = open_deferred(&c);
    cr_assert_eq(fg_feed_tree(f, docs, false), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_held_docs(f), 40);

    char changed[1024], gone[1024], from[1024], to[1024], vanished[1024], folder[1024];
    snprintf(changed, sizeof changed, "%s/f0/file000.txt", docs);
    snprintf(gone, sizeof gone, "%s/f1/file001.txt", docs);
    snprintf(from, sizeof from, "%s/f2/file002.txt", docs);
    snprintf(to, sizeof to, "%s/f2/umbenannt.txt", docs);
    snprintf(vanished, sizeof vanished, "%s/f3/file003.txt", docs);
    snprintf(folder, sizeof folder, "%s/f4", docs);

    free(tu_write_str(docs, "f0/file000.txt",
                      "Ganz neuer Text über Earl Grey, länger als vorher.\n"));
    cr_assert_eq(fg_feed_file(f, changed, false), FG_OK, "%s", fg_feed_error(f));
    /* the change goes into the live index at once: searchable after a
     * commit of the live writer, while the others stay held */
    cr_assert_eq(fg_feed_held_docs(f), 40, "changing a held document does not merge");
    cr_assert_eq(fg_feed_commit_live(f), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(doc_count(ixdir), 1);
    cr_assert_eq(term_docs("grey"), 1);
    cr_assert_eq(fg_feed_held_docs(f), 40);
    /* and the held copy does not overwrite it when the rest enters */
    cr_assert_eq(fg_feed_commit(f), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(doc_count(ixdir), 40);
    cr_assert_eq(term_docs("grey"), 1);
    cr_assert_eq(term_docs("kaffee"), 39);
    cr_assert_eq(fg_feed_tree(f, docs, false), FG_OK); /* nothing new: nothing held */
    cr_assert_eq(fg_feed_held_docs(f), 0);

    /* hold them again (forced), then remove, rename, drop a folder, vanish */
    cr_assert_eq(fg_feed_tree(f, docs, true), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_held_docs(f), 40);
    /* each change is checked right after a commit: a later rescan would
     * repair what a change got wrong */
    cr_assert_eq(unlink(gone), 0);
    cr_assert_eq(fg_feed_file(f, gone, false), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_commit(f), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(doc_count(ixdir), 39);
    cr_assert_eq(stamp_of(gone), FG_NOT_FOUND);

    cr_assert_eq(fg_feed_tree(f, docs, true), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(rename(from, to), 0);
    cr_assert_eq(fg_feed_rename(f, from, to), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_commit(f), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(doc_count(ixdir), 39);
    cr_assert_eq(stamp_of(from), FG_NOT_FOUND);
    cr_assert_eq(stamp_of(to), FG_OK);

    cr_assert_eq(fg_feed_tree(f, docs, true), FG_OK, "%s", fg_feed_error(f));
    tu_rmtree(folder);
    cr_assert_eq(fg_feed_remove(f, folder), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_commit(f), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(doc_count(ixdir), 31); /* the 8 of f4 */
    char in_folder[1100];
    snprintf(in_folder, sizeof in_folder, "%s/file004.txt", folder);
    cr_assert_eq(stamp_of(in_folder), FG_NOT_FOUND);

    cr_assert_eq(fg_feed_tree(f, docs, true), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(unlink(vanished), 0);
    cr_assert_eq(fg_feed_tree(f, docs, false), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_close(f), FG_OK);
    cr_assert_eq(doc_count(ixdir), 30);
    cr_assert_eq(stamp_of(vanished), FG_NOT_FOUND);
    cr_assert_eq(term_docs("grey"), 1);
    cr_assert_eq(term_docs("kaffee"), 29);
}

/* A few held documents beside a large index are copied into it (the live
 * generation stays: no rewrite of the index), with the same result. */
Test(bulk, deferred_few_are_copied_not_merged) {
    write_files(100, "Kaffee");
    counts_t c = {0};
    fg_feed_stats_t s = run(ixdir, docs, BULK, false, &c);
    cr_assert_eq(s.indexed, 100);
    char *gen = live_gen();
    free(tu_write_str(docs, "f0/file000.txt", "Jetzt über Tee und Gebäck, und länger.\n"));
    free(tu_write_str(docs, "f1/file001.txt", "Jetzt über Tee und Kuchen, und länger.\n"));
    free(tu_write_str(docs, "neu/a.txt", "Eine neue Datei über Tee.\n"));
    memset(&c, 0, sizeof c);
    fg_feed_t *f = open_deferred(&c);
    cr_assert_eq(fg_feed_tree(f, docs, false), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_held_docs(f), 3);
    cr_assert_eq(fg_feed_commit(f), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_close(f), FG_OK);
    char *now = live_gen();
    cr_assert_str_eq(now, gen, "copied into the live generation, not merged into a new one");
    free(gen);
    free(now);
    cr_assert_eq(doc_count(ixdir), 101);
    cr_assert_eq(term_docs("tee"), 3);
    cr_assert_eq(term_docs("kaffee"), 98);
    /* no segment folders left behind */
    DIR *d = opendir(ixdir);
    cr_assert(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        cr_assert_neq(strncmp(de->d_name, "seg-", 4), 0, "%s left behind", de->d_name);
    closedir(d);
}

/* Counts INDEXED events and those reported on another thread than the one
 * that called fg_feed_tree() (a bulk worker's). */
typedef struct threads_seen {
    pthread_t caller;
    int indexed, on_worker;
} threads_seen_t;

/* Event callback of documents_go_to_the_workers. */
static void on_thread(void *ctx, fg_feed_event_t ev, const char *path, const char *reason,
                      const fg_feed_stats_t *st) {
    (void)path;
    (void)reason;
    (void)st;
    threads_seen_t *t = ctx;
    if (ev != FG_FEED_INDEXED)
        return;
    t->indexed++;
    if (!pthread_equal(pthread_self(), t->caller))
        t->on_worker++;
}

/* Indexes n files named <stem>N.<ext> (small HTML pages) with the default
 * thresholds (as `fundgrube index` does) and returns where they went. */
static threads_seen_t index_pages(int n, const char *ext) {
    char sub[64], ix[1024];
    snprintf(sub, sizeof sub, "%s%d", ext, n);
    snprintf(ix, sizeof ix, "%s/ix-%s", dir, sub);
    for (int i = 0; i < n; i++) {
        char name[128], page[256];
        snprintf(name, sizeof name, "%s/seite%d.%s", sub, i, ext);
        snprintf(page, sizeof page,
                 "<html><head><title>Seite %d</title></head><body><p>Straßenfest "
                 "Nummer %d</p></body></html>\n",
                 i, i);
        free(tu_write_str(docs, name, page));
    }
    char root[1024];
    snprintf(root, sizeof root, "%s/%s", docs, sub);
    threads_seen_t t = {.caller = pthread_self()};
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ix, on_thread, &t, &f, err, sizeof err), FG_OK, "%s", err);
    fg_feed_set_threads(f, 2);
    cr_assert_eq(fg_feed_tree(f, root, false), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(fg_feed_close(f), FG_OK);
    cr_assert_eq(doc_count(ix), (uint64_t)n);
    return t;
}

/* A folder of 40 documents is extracted by the bulk workers in parallel
 * even though it is far below the 500 files of the bulk threshold (each
 * document weighs 16 files); 40 text files, or 20 documents, are still
 * fed one by one by the calling thread. */
Test(bulk, documents_go_to_the_workers) {
    threads_seen_t t = index_pages(40, "html");
    cr_assert_eq(t.indexed, 40);
    cr_assert_eq(t.on_worker, 40, "%d of 40 documents indexed by a worker", t.on_worker);
    t = index_pages(20, "html");
    cr_assert_eq(t.indexed, 20);
    cr_assert_eq(t.on_worker, 0, "20 documents stay below the threshold");
    t = index_pages(40, "txt");
    cr_assert_eq(t.indexed, 40);
    cr_assert_eq(t.on_worker, 0, "text files weigh one file each");
}
