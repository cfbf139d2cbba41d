/*
 * test_failed.c - a document-format file that breaks the extractor costs that
 * file only: recorded as a failure stub with its stamp, not retried until it
 * changes, listed with its reason, found by no search, replaced once it reads.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "feed/failed.h"
#include "feed/feed.h"
#include "index/index.h"
#include "testutil.h"

#define FIXTURES FG_SOURCE_DIR "/tests/extract/fixtures/"

static char *dir, *docs, *ixdir;
static fg_config_t cfg;

/* Sets one configuration key from the command line; asserts. */
static void set_key(const char *section, const char *key, const char *value) {
    char err[256];
    cr_assert_eq(fg_config_set(&cfg, section, key, value, FG_CFG_COMMAND_LINE, err, sizeof err),
                 FG_OK, "%s", err);
}

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
    set_key("watch", "include", "*");
    set_key("extract", "timeout", "1");
}

static void teardown(void) {
    fg_config_free(&cfg);
    tu_rmtree(dir);
    free(dir);
    free(docs);
    free(ixdir);
}

TestSuite(failed, .init = setup, .fini = teardown, .timeout = 120);

/* Events of one run: counts by kind and the last reason. */
typedef struct counts {
    int ev[FG_FEED_RENAMED + 1];
    char reason[1024];
} counts_t;

static void on_event(void *ctx, fg_feed_event_t ev, const char *path, const char *reason,
                     const fg_feed_stats_t *st) {
    (void)path;
    (void)st;
    counts_t *c = ctx;
    c->ev[ev]++;
    if (reason && (ev == FG_FEED_FAILED || ev == FG_FEED_SKIPPED))
        snprintf(c->reason, sizeof c->reason, "%s", reason);
}

/* Runs fg_feed_tree() over docs (bulk: through worker segments); returns the
 * stats and, in *searchable, fg_feed_doc_count() after the run. */
static fg_feed_stats_t run_tree(counts_t *c, bool bulk, uint64_t *searchable) {
    fg_feed_t *f = NULL;
    char err[1024];
    memset(c, 0, sizeof *c);
    cr_assert_eq(fg_feed_open(&cfg, ixdir, on_event, c, &f, err, sizeof err), FG_OK, "%s", err);
    if (bulk)
        fg_feed_set_bulk(f, 1, 1, 0);
    cr_assert_eq(fg_feed_tree(f, docs, false), FG_OK, "%s", fg_feed_error(f));
    fg_feed_stats_t s = *fg_feed_stats(f);
    cr_assert_eq(fg_feed_commit(f), FG_OK, "%s", fg_feed_error(f));
    if (searchable)
        cr_assert_eq(fg_feed_doc_count(f, searchable), FG_OK);
    cr_assert_eq(fg_feed_close(f), FG_OK);
    return s;
}

/* The stubs of the index as "path: reason" lines. */
typedef struct listing {
    char text[4096];
    int n;
} listing_t;

static int list_stub(void *ctx, const char *path, const char *reason) {
    listing_t *l = ctx;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%s: %s\n", path, reason);
    l->n++;
    return 0;
}

/* Reads the stubs (below prefix, NULL: all) into l, and the facts of the
 * index a search would see. */
typedef struct facts {
    uint64_t docs;       /* fg_index_doc_count(): stubs included */
    uint64_t stubs;      /* fg_failed_count() */
    uint32_t under_root; /* documents a dir:/ filter finds (P term of "/") */
    uint32_t pdf;        /* documents a type:pdf filter finds */
} facts_t;

static facts_t read_index(listing_t *l, const char *prefix) {
    fg_index_t *ix = NULL;
    char err[512];
    facts_t fx = {0};
    cr_assert_eq(fg_index_open_readonly(ixdir, &ix, err, sizeof err), FG_OK, "%s", err);
    memset(l, 0, sizeof *l);
    cr_assert_eq(fg_failed_each(ix, prefix, list_stub, l), FG_OK, "%s", fg_index_error(ix));
    cr_assert_eq(fg_index_doc_count(ix, &fx.docs), FG_OK);
    cr_assert_eq(fg_failed_count(ix, &fx.stubs), FG_OK);
    cr_assert_eq(fg_index_term_freq(ix, FG_PREFIX_PATH "/", &fx.under_root), FG_OK);
    cr_assert_eq(fg_index_term_freq(ix, FG_PREFIX_EXT "pdf", &fx.pdf), FG_OK);
    fg_index_close(ix);
    return fx;
}

/* Copies the fixture name into docs as as; returns the new path (free it). */
static char *copy_fixture(const char *name, const char *as) {
    char from[1024];
    snprintf(from, sizeof from, FIXTURES "%s", name);
    size_t len = 0;
    char *data = tu_read(from, &len);
    cr_assert(data, "%s", from);
    char *p = tu_write(docs, as, data, len);
    free(data);
    return p;
}

/* Gives the file a new mtime (an hour later than it has). */
static void touch_later(const char *path) {
    struct stat sb;
    cr_assert_eq(stat(path, &sb), 0);
    struct timespec ts[2] = {sb.st_atim, sb.st_mtim};
    ts[1].tv_sec += 3600;
    cr_assert_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

/* The crash test, through fg_feed_file() one by one or through the bulk
 * workers. */
static void crash_recorded_not_retried(bool bulk) {
    char *txt = tu_write_str(docs, "gut.txt", "Eine gute Datei über Fahrräder.\n");
    char *pdf = tu_write_str(docs, "bad-fg-test-segv.pdf", "%PDF-1.4 egal\n");
    counts_t c;
    uint64_t searchable = 0;
    fg_feed_stats_t s = run_tree(&c, bulk, &searchable);
    cr_assert_eq(s.indexed, 1, "the text file is indexed");
    cr_assert_eq(s.failed, 1);
    cr_assert_eq(c.ev[FG_FEED_FAILED], 1);
    cr_assert(strstr(c.reason, "crashed: SIGSEGV"), "%s", c.reason);
    cr_assert_eq(searchable, 1, "the stub is no document users see");

    listing_t l;
    facts_t fx = read_index(&l, NULL);
    cr_assert_eq(fx.docs, 2);
    cr_assert_eq(fx.stubs, 1);
    cr_assert_eq(l.n, 1);
    char want[2048];
    snprintf(want, sizeof want, "%s: crashed: SIGSEGV\n", pdf);
    cr_assert_str_eq(l.text, want);
    cr_assert_eq(fx.under_root, 1, "dir:/ finds the text file only");
    cr_assert_eq(fx.pdf, 0, "type:pdf finds no stub");

    /* the second run does not retry it */
    s = run_tree(&c, bulk, NULL);
    cr_assert_eq(s.unchanged, 2);
    cr_assert_eq(s.failed, 0);
    cr_assert_eq(c.ev[FG_FEED_FAILED], 0);
    cr_assert_eq(c.ev[FG_FEED_UNCHANGED], 2);

    /* a new mtime: retried (and recorded again) */
    touch_later(pdf);
    s = run_tree(&c, bulk, NULL);
    cr_assert_eq(s.unchanged, 1);
    cr_assert_eq(s.failed, 1);
    cr_assert_eq(read_index(&l, NULL).stubs, 1);

    /* the file gone: its stub goes with it */
    unlink(pdf);
    s = run_tree(&c, bulk, NULL);
    cr_assert_eq(s.removed, 1);
    fx = read_index(&l, NULL);
    cr_assert_eq(fx.stubs, 0);
    cr_assert_eq(fx.docs, 1);
    free(txt);
    free(pdf);
}

Test(failed, crash_recorded_not_retried_until_changed) {
#ifndef FG_TEST_HOOKS
    cr_skip_test("needs a build with -DFG_TEST_HOOKS=ON");
#endif
    crash_recorded_not_retried(false);
}

Test(failed, bulk_crash_recorded_not_retried_until_changed) {
#ifndef FG_TEST_HOOKS
    cr_skip_test("needs a build with -DFG_TEST_HOOKS=ON");
#endif
    crash_recorded_not_retried(true);
}

Test(failed, timeout_recorded) {
#ifndef FG_TEST_HOOKS
    cr_skip_test("needs a build with -DFG_TEST_HOOKS=ON");
#endif
    char *pdf = tu_write_str(docs, "slow-fg-test-hang.pdf", "%PDF-1.4 egal\n");
    counts_t c;
    fg_feed_stats_t s = run_tree(&c, false, NULL);
    cr_assert_eq(s.failed, 1);
    listing_t l;
    read_index(&l, docs);
    char want[2048];
    snprintf(want, sizeof want, "%s: timeout after 1 s\n", pdf);
    cr_assert_str_eq(l.text, want);
    s = run_tree(&c, false, NULL);
    cr_assert_eq(s.unchanged, 1, "not stalled on again");
    free(pdf);
}

/* An encrypted PDF (a refusal of the parser, no test hook needed) is
 * recorded; the same path holding a readable PDF later replaces the stub. */
Test(failed, refusal_recorded_then_replaced) {
    char *pdf = copy_fixture("encrypted-user.pdf", "brief.pdf");
    counts_t c;
    fg_feed_stats_t s = run_tree(&c, false, NULL);
    cr_assert_eq(s.skipped, 1, "%s", c.reason);
    listing_t l;
    facts_t fx = read_index(&l, NULL);
    cr_assert_eq(fx.stubs, 1, "%s", c.reason);
    cr_assert(strstr(l.text, ": encrypted\n"), "%s", l.text);
    s = run_tree(&c, false, NULL);
    cr_assert_eq(s.unchanged, 1);
    cr_assert_eq(s.skipped, 0);

    free(copy_fixture("sample-lo.pdf", "brief.pdf"));
    touch_later(pdf);
    uint64_t searchable = 0;
    s = run_tree(&c, false, &searchable);
    cr_assert_eq(s.indexed, 1, "%s", c.reason);
    fx = read_index(&l, NULL);
    cr_assert_eq(fx.stubs, 0, "the document replaced the stub");
    cr_assert_eq(fx.docs, 1);
    cr_assert_eq(fx.pdf, 1);
    cr_assert_eq(searchable, 1);
    free(pdf);
}

/* The cheap skips before any parser runs are not recorded: an empty .pdf and
 * a binary .txt are reported again on the next run. */
Test(failed, cheap_skips_not_recorded) {
    free(tu_write(docs, "leer.pdf", "", 0));
    free(tu_write(docs, "binär.txt", "ab\0cd", 5));
    counts_t c;
    fg_feed_stats_t s = run_tree(&c, false, NULL);
    cr_assert_eq(s.skipped, 2);
    listing_t l;
    cr_assert_eq(read_index(&l, NULL).docs, 0);
    s = run_tree(&c, false, NULL);
    cr_assert_eq(s.skipped, 2, "reported again");
}

/* A stub follows its file when it is renamed, and stays out of folder
 * filters at the new path. */
Test(failed, stub_follows_rename) {
    char *pdf = copy_fixture("encrypted-user.pdf", "alt/brief.pdf");
    counts_t c;
    run_tree(&c, false, NULL);
    char *from = NULL, *to = NULL;
    cr_assert(asprintf(&from, "%s/alt", docs) > 0);
    cr_assert(asprintf(&to, "%s/neu", docs) > 0);
    cr_assert_eq(rename(from, to), 0);
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ixdir, on_event, &c, &f, err, sizeof err), FG_OK, "%s", err);
    memset(&c, 0, sizeof c);
    cr_assert_eq(fg_feed_rename(f, from, to), FG_OK, "%s", fg_feed_error(f));
    cr_assert_eq(c.ev[FG_FEED_RENAMED], 1);
    cr_assert_eq(fg_feed_close(f), FG_OK);
    listing_t l;
    facts_t fx = read_index(&l, NULL);
    char want[2048];
    snprintf(want, sizeof want, "%s/brief.pdf: encrypted\n", to);
    cr_assert_str_eq(l.text, want);
    cr_assert_eq(fx.under_root, 0);
    free(from);
    free(to);
    free(pdf);
}
