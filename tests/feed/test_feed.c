/*
 * test_feed.c - one-shot indexing of folder trees: new, unchanged, changed,
 * vanished, excluded, bad files; settings recorded and checked.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "feed/docbuild.h"
#include "feed/feed.h"
#include "index/index.h"
#include "testutil.h"

static char *dir, *docs, *ixdir;
static fg_config_t cfg;

static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    setenv("HOME", dir, 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("FUNDGRUBE_CONFIG");
    cr_assert(asprintf(&docs, "%s/docs", dir) > 0);
    cr_assert(asprintf(&ixdir, "%s/index", dir) > 0);
    mkdir(docs, 0755);
    cr_assert_eq(fg_config_init(&cfg), FG_OK);
}

static void teardown(void) {
    fg_config_free(&cfg);
    tu_rmtree(dir);
    free(dir);
    free(docs);
    free(ixdir);
}

TestSuite(feed, .init = setup, .fini = teardown);

/* Counts events by kind. */
typedef struct counts {
    int ev[FG_FEED_RENAMED + 1];
    char last_reason[1024];
} counts_t;

static void on_event(void *ctx, fg_feed_event_t ev, const char *path, const char *reason,
                     const fg_feed_stats_t *st) {
    (void)path;
    (void)st;
    counts_t *c = ctx;
    c->ev[ev]++;
    if (reason)
        snprintf(c->last_reason, sizeof c->last_reason, "%s", reason);
}

/* Runs one fg_feed_tree() over docs; returns the stats. */
static fg_feed_stats_t run_tree(counts_t *c) {
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ixdir, on_event, c, &f, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_feed_tree(f, docs, false), FG_OK, "%s", fg_feed_error(f));
    fg_feed_stats_t s = *fg_feed_stats(f);
    cr_assert_eq(fg_feed_close(f), FG_OK);
    return s;
}

/* Number of documents in the index. */
static uint64_t doc_count(void) {
    fg_index_t *ix = NULL;
    char err[512];
    uint64_t n = 0;
    cr_assert_eq(fg_index_open_readonly(ixdir, &ix, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_index_doc_count(ix, &n), FG_OK);
    fg_index_close(ix);
    return n;
}

/* True when a document with this path is in the index. */
static bool indexed(const char *path) {
    fg_index_t *ix = NULL;
    char err[512];
    fg_doc_stamp_t st;
    cr_assert_eq(fg_index_open_readonly(ixdir, &ix, err, sizeof err), FG_OK, "%s", err);
    fg_status_t s = fg_index_stamp(ix, path, &st);
    fg_index_close(ix);
    return s == FG_OK;
}

Test(feed, new_unchanged_changed_vanished) {
    char *a = tu_write_str(docs, "a.txt", "Erste Datei über Fahrräder.\n");
    char *b = tu_write_str(docs, "sub/b.md", "# Zweite\nDatei über Kaffee.\n");
    char *c = tu_write_str(docs, "sub/deep/c.txt", "Dritte Datei.\n");
    counts_t ct = {0};
    fg_feed_stats_t s = run_tree(&ct);
    cr_assert_eq(s.indexed, 3);
    cr_assert_eq(s.total_files, 3);
    cr_assert_eq(doc_count(), 3);

    memset(&ct, 0, sizeof ct);
    s = run_tree(&ct);
    cr_assert_eq(s.indexed, 0, "unchanged files are not reindexed");
    cr_assert_eq(s.unchanged, 3);

    /* change one (size differs), delete one */
    free(tu_write_str(docs, "a.txt", "Erste Datei über Fahrräder, jetzt länger.\n"));
    unlink(c);
    s = run_tree(&ct);
    cr_assert_eq(s.indexed, 1);
    cr_assert_eq(s.unchanged, 1);
    cr_assert_eq(s.removed, 1);
    cr_assert_eq(doc_count(), 2);
    cr_assert(indexed(a));
    cr_assert(indexed(b));
    cr_assert_not(indexed(c));
    free(a);
    free(b);
    free(c);
}

Test(feed, globs_hidden_and_bad_files) {
    free(tu_write_str(docs, "keep.txt", "behalten"));
    free(tu_write_str(docs, "skip.log", "kein Text nach den Globs"));
    free(tu_write_str(docs, ".hidden.txt", "versteckt"));
    free(tu_write_str(docs, ".git/x.txt", "versteckter Ordner"));
    free(tu_write_str(docs, "build/y.txt", "ausgeschlossen"));
    free(tu_write(docs, "binary.txt", "ab\0cd", 5));
    free(tu_write(docs, "empty.txt", "", 0));
    char *link = NULL;
    cr_assert(asprintf(&link, "%s/link.txt", docs) > 0);
    cr_assert_eq(symlink("/etc/hostname", link), 0);
    char err[256];
    cr_assert_eq(
        fg_config_set(&cfg, "watch", "exclude", "build", FG_CFG_COMMAND_LINE, err, sizeof err),
        FG_OK, "%s", err);
    counts_t ct = {0};
    fg_feed_stats_t s = run_tree(&ct);
    cr_assert_eq(s.indexed, 1, "only keep.txt: %llu", (unsigned long long)s.indexed);
    cr_assert_eq(s.skipped, 2, "binary and empty are skipped with a reason");
    cr_assert_eq(ct.ev[FG_FEED_SKIPPED], 2);
    cr_assert_eq(doc_count(), 1);
    cr_assert_not(indexed(link), "symbolic links are not followed");
    free(link);
}

Test(feed, settings_recorded_and_mismatch_refused) {
    free(tu_write_str(docs, "a.txt", "Text"));
    counts_t ct = {0};
    run_tree(&ct);
    cfg.analysis.stopwords = FG_STOPWORDS_OFF;
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ixdir, NULL, NULL, &f, err, sizeof err), FG_SETTINGS);
    cr_assert_null(f);
    cr_assert(strstr(err, "stopwords") != NULL, "the message says what differs: %s", err);
    cr_assert_eq(doc_count(), 1, "nothing indexed is lost");
}

Test(feed, second_writer_is_refused) {
    fg_feed_t *f = NULL, *g = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ixdir, NULL, NULL, &f, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_feed_open(&cfg, ixdir, NULL, NULL, &g, err, sizeof err), FG_LOCKED);
    cr_assert(strstr(err, "locked by pid") != NULL, "%s", err);
    fg_feed_close(f);
}

Test(feed, remove_folder_and_single_files) {
    char *a = tu_write_str(docs, "x/a.txt", "eins");
    char *b = tu_write_str(docs, "x/b.txt", "zwei");
    char *c = tu_write_str(docs, "y/c.txt", "drei");
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ixdir, NULL, NULL, &f, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_feed_file(f, a, false), FG_OK);
    cr_assert_eq(fg_feed_file(f, b, false), FG_OK);
    cr_assert_eq(fg_feed_file(f, c, false), FG_OK);
    char *x = NULL;
    cr_assert(asprintf(&x, "%s/x", docs) > 0);
    cr_assert_eq(fg_feed_remove(f, x), FG_OK);
    cr_assert_eq(fg_feed_stats(f)->removed, 2);
    cr_assert_eq(fg_feed_close(f), FG_OK);
    cr_assert_eq(doc_count(), 1);
    cr_assert(indexed(c));
    free(a);
    free(b);
    free(c);
    free(x);
}

Test(feed, document_terms_and_data) {
    char *p = tu_write_str(docs, "z.txt", "date 2024-07 Partnerschaften im Format E-Mail.\n");
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ixdir, NULL, NULL, &f, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_feed_file(f, p, false), FG_OK);
    cr_assert_eq(fg_feed_close(f), FG_OK);
    fg_index_t *ix = NULL;
    cr_assert_eq(fg_index_open_readonly(ixdir, &ix, err, sizeof err), FG_OK);
    static const char *const terms[] = {
        "partnerschaften", "Zpartnerschaft", "Spartnerschaften", "ZSpartnerschaft", "email", "Etxt",
        "Y2024",           "M202407",        "format",           "Zformat"};
    for (size_t i = 0; i < sizeof terms / sizeof *terms; i++) {
        uint32_t n = 0;
        cr_assert_eq(fg_index_term_freq(ix, terms[i], &n), FG_OK);
        cr_assert_eq(n, 1, "term %s", terms[i]);
    }
    uint32_t n = 9;
    cr_assert_eq(fg_index_term_freq(ix, "date", &n), FG_OK);
    cr_assert_eq(n, 0, "the date header is not indexed as text");
    fg_index_close(ix);
    free(p);
}

Test(feed, docdata_escapes) {
    const char data[] = "url=/a\\nb\\\\c\ncaption=T\n";
    char *v = NULL;
    cr_assert_eq(fg_docdata_get(data, sizeof data - 1, "url", &v), FG_OK);
    cr_assert_str_eq(v, "/a\nb\\c");
    free(v);
    cr_assert_eq(fg_docdata_get(data, sizeof data - 1, "size", &v), FG_OK);
    cr_assert_str_eq(v, "");
    free(v);
}
