/*
 * test_durability.c - fundgrubed under stress: lost events (overflow hook),
 * kill -9 during a bulk copy, readers searching while it commits rapidly, the
 * watch limit, configuration reload.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dtest.h"
#include "testutil.h"

static dtest_t t;

static void setup(void) {
    dt_init(&t);
}

static void teardown(void) {
    dt_fini(&t);
}

TestSuite(daemon_durability, .init = setup, .fini = teardown, .timeout = 120);

/* Writes file number i (probe word i) below the watched folder, spread over
 * nested folders. */
static void write_numbered(unsigned i) {
    char path[1024], word[24], text[128];
    snprintf(path, sizeof path, "%s/d%u/e%u/f%u.txt", t.watch, i % 7, i % 3, i);
    snprintf(text, sizeof text, "%s kleine Datei Nummer %u\n", dt_word(i, word), i);
    dt_write(path, text);
}

/* Asserts that the index converges to the tree within timeout_s. */
static void assert_converges(double timeout_s, const char *what) {
    char why[1024];
    double s = dt_wait_tree(&t, timeout_s, why, sizeof why);
    const char *log = s < 0 ? dt_log(&t) : NULL;
    cr_assert(s >= 0, "%s: index does not match the tree: %s\nlog:\n%s", what, why, log ? log : "");
    fprintf(stderr, "daemon: %s: converged in %.0f ms\n", what, s * 1000);
}

Test(daemon_durability, overflow_hook_converges) {
#ifndef FG_TEST_HOOKS
    cr_skip_test("needs a build with -DFG_TEST_HOOKS=ON");
#endif
    const char *env[] = {"FUNDGRUBED_TEST_OVERFLOW_AFTER=40", NULL};
    cr_assert(dt_start(&t, NULL, env), "%s", dt_log(&t));
    for (unsigned i = 0; i < 250; i++)
        write_numbered(i);
    /* and some deletes among them */
    for (unsigned i = 0; i < 250; i += 25) {
        char path[1024];
        snprintf(path, sizeof path, "%s/d%u/e%u/f%u.txt", t.watch, i % 7, i % 3, i);
        cr_assert_eq(unlink(path), 0);
    }
    /* the hook drops events for 300 ms, then rescans as after an overflow */
    double t0 = dt_now();
    while (!strstr(dt_log(&t), "full rescan done") && dt_now() - t0 < 10)
        usleep(10 * 1000);
    cr_assert(strstr(dt_log(&t), "overflow"), "the overflow is logged:\n%s", dt_log(&t));
    cr_assert(strstr(dt_log(&t), "full rescan done"), "and a rescan follows:\n%s", dt_log(&t));
    assert_converges(30, "after a simulated overflow");
    cr_assert_eq(dt_stop(&t), 0);
}

/* Sleeps a random time in [lo, hi) milliseconds. */
static void random_sleep(unsigned lo, unsigned hi) {
    unsigned ms = lo + (unsigned)rand() % (hi - lo);
    usleep(ms * 1000);
}

Test(daemon_durability, kill9_during_bulk_copy_then_restart) {
    srand(tu_seed("daemon_durability.kill9_during_bulk_copy_then_restart"));
    unsigned next = 0;
    for (int round = 0; round < 3; round++) {
        cr_assert(dt_start(&t, NULL, NULL), "round %d: %s", round, dt_log(&t));
        /* a bulk copy of 150 small files by a child process ... */
        fflush(NULL);
        pid_t copier = fork();
        cr_assert(copier >= 0);
        if (copier == 0) {
            for (unsigned i = next; i < next + 150; i++) {
                write_numbered(i);
                usleep(1000);
            }
            _exit(0);
        }
        /* ... interrupted by kill -9 at a random point */
        random_sleep(10, 200);
        dt_kill9(&t);
        cr_assert_eq(dt_wait_exit(copier, 60), 0);
        next += 150;
        /* while the daemon is down: deletes and renames */
        for (unsigned i = (unsigned)round; i < next; i += 37) {
            char path[1024], to[1100];
            snprintf(path, sizeof path, "%s/d%u/e%u/f%u.txt", t.watch, i % 7, i % 3, i);
            if (i % 2) {
                unlink(path);
            } else {
                snprintf(to, sizeof to, "%s.renamed.txt", path);
                rename(path, to);
            }
        }
        cr_assert(dt_start(&t, NULL, NULL), "restart %d: %s", round, dt_log(&t));
        char what[64];
        snprintf(what, sizeof what, "restart after kill -9 (round %d)", round);
        assert_converges(30, what);
        if (round < 2)
            dt_kill9(&t);
    }
    cr_assert_eq(dt_stop(&t), 0);
}

/* State of the file-changing thread of the reader test. */
typedef struct churn {
    volatile int stop;
    unsigned writes;
} churn_t;

/* Keeps writing and rewriting files (no Xapian here: plain files). */
static void *churn_main(void *arg) {
    churn_t *c = arg;
    while (!c->stop) {
        char path[1024], text[128], word[24];
        unsigned i = c->writes % 40;
        snprintf(path, sizeof path, "%s/churn%u.txt", t.watch, i);
        char text2[4096];
        snprintf(text, sizeof text, "%s gemeinsam Version %u\n", dt_word(i, word), c->writes);
        size_t n = strlen(text);
        memcpy(text2, text, n);
        for (size_t k = n; k + 12 < sizeof text2; k += 11) /* some bulk: more blocks change */
            snprintf(text2 + k, 12, "wort%06u ", (unsigned)((k * 7 + c->writes) % 100000));
        dt_write(path, text2);
        c->writes++;
        usleep(2000);
    }
    return NULL;
}

Test(daemon_durability, readers_search_while_commits_are_rapid) {
    const char *args[] = {"--commit-interval", "0", NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    char first[512];
    snprintf(first, sizeof first, "%s/churn0.txt", t.watch);
    dt_write(first, "zqka gemeinsam Anfang\n");
    cr_assert(dt_wait_freq(&t, "gemeinsam", 1, 10) >= 0);
    /* rd follows the writer (reopened before every search, as the plugin
     * does); stale is never reopened, so its revision is soon discarded */
    fg_index_t *rd = NULL, *stale = NULL;
    char err[1024];
    cr_assert_eq(fg_index_open_readonly(t.index, &rd, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_index_open_readonly(t.index, &stale, err, sizeof err), FG_OK, "%s", err);
    fg_xquery_t *q = NULL;
    cr_assert_eq(fg_xquery_term("gemeinsam", 9, 1, &q), FG_OK);
    fg_search_params_t sp;
    fg_search_params_default(&sp);

    churn_t c = {0};
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, churn_main, &c), 0);
    unsigned searches = 0, failures = 0;
    double end = dt_now() + 3.0;
    const char *last_err = "";
    while (dt_now() < end) {
        fg_mset_t *m = NULL;
        fg_index_t *h = searches % 2 ? stale : rd;
        fg_status_t st = h == rd ? fg_index_reopen(rd) : FG_OK;
        if (st == FG_OK)
            st = fg_index_search(h, q, &sp, &m);
        if (st != FG_OK) {
            failures++;
            last_err = fg_index_error(h);
        } else if (fg_mset_size(m) == 0) {
            failures++;
            last_err = "no hits";
        }
        fg_mset_free(m);
        searches++;
    }
    c.stop = 1;
    pthread_join(th, NULL);
    fprintf(stderr,
            "daemon: %u searches during %u file writes: %u failed, reopen-and-retry: "
            "%u (following reader), %u (stale reader)\n",
            searches, c.writes, failures, fg_index_retries(rd), fg_index_retries(stale));
    cr_assert_eq(failures, 0, "searches failed: %s", last_err);
    cr_assert_gt(searches, 10u);
    fg_xquery_free(q);
    fg_index_close(rd);
    fg_index_close(stale);
    cr_assert_eq(dt_stop(&t), 0);
}

Test(daemon_durability, watch_limit_falls_back_to_rescans) {
#ifndef FG_TEST_HOOKS
    cr_skip_test("needs a build with -DFG_TEST_HOOKS=ON");
#endif
    for (unsigned i = 0; i < 30; i++)
        write_numbered(i); /* 7 d folders x 3 e folders: more than 4 watches */
    const char *args[] = {"--rescan-interval", "1", NULL};
    const char *env[] = {"FUNDGRUBED_TEST_MAX_WATCHES=4", NULL};
    cr_assert(dt_start(&t, args, env), "%s", dt_log(&t));
    assert_converges(10, "start-up with too few watches");
    for (unsigned i = 30; i < 60; i++)
        write_numbered(i);
    assert_converges(15, "new files in unwatched folders (periodic rescans)");
    const char *log = dt_log(&t);
    cr_assert(strstr(log, "fs.inotify.max_user_watches"), "the sysctl is named:\n%s", log);
    cr_assert_eq(dt_stop(&t), 0);
}

Test(daemon_durability, sighup_reloads_globs) {
    char *cfg = NULL;
    cr_assert(asprintf(&cfg, "%s/test.conf", t.dir) > 0);
    dt_write(cfg, "[watch]\ninclude = *.txt\n");
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/a.txt", t.watch);
    snprintf(b, sizeof b, "%s/b.md", t.watch);
    dt_write(a, "zqktext Inhalt");
    dt_write(b, "zqkmarkdown Inhalt");
    const char *args[] = {"--config", cfg, NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    cr_assert_eq(dt_freq(&t, "zqkmarkdown"), 0);
    dt_write(cfg, "[watch]\ninclude = *.md\n");
    kill(t.pid, SIGHUP);
    cr_assert(dt_wait_freq(&t, "zqkmarkdown", 1, 10) >= 0, "%s", dt_log(&t));
    cr_assert(dt_wait_freq(&t, "zqktext", 0, 10) >= 0, "no longer admitted: removed");
    /* the new globs apply to events too */
    char c[512];
    snprintf(c, sizeof c, "%s/c.md", t.watch);
    dt_write(c, "zqkneumd Inhalt");
    cr_assert(dt_wait_freq(&t, "zqkneumd", 1, 10) >= 0, "%s", dt_log(&t));
    cr_assert_eq(dt_stop(&t), 0);
    free(cfg);
}

Test(daemon_durability, analysis_change_rebuilds_and_swaps) {
    for (unsigned i = 0; i < 40; i++)
        write_numbered(i);
    char *cfg = NULL;
    cr_assert(asprintf(&cfg, "%s/test.conf", t.dir) > 0);
    dt_write(cfg, "[analysis]\nstemming = yes\n");
    const char *args[] = {"--config", cfg, NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    assert_converges(10, "first index");
    cr_assert_eq(dt_stop(&t), 0);
    char *a = dt_analysis(&t);
    cr_assert(strstr(a, "stemming=1"), "%s", a);
    free(a);

    /* restart with other settings: rebuilt before it watches */
    dt_write(cfg, "[analysis]\nstemming = no\n");
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    a = dt_analysis(&t);
    cr_assert(strstr(a, "stemming=0"), "rebuilt with the new settings: %s", a);
    free(a);
    assert_converges(10, "after the rebuild at start-up");
    cr_assert(strstr(dt_log(&t), "rebuilding the index"), "%s", dt_log(&t));
    char *rb = NULL;
    cr_assert(asprintf(&rb, "%s.rebuild", t.index) > 0);
    cr_assert_neq(access(rb, F_OK), 0, "the old index is removed");

    /* and on SIGHUP, while a reader keeps searching */
    fg_index_t *rd = NULL;
    char err[1024];
    cr_assert_eq(fg_index_open_readonly(t.index, &rd, err, sizeof err), FG_OK, "%s", err);
    dt_write(cfg, "[analysis]\nstemming = yes\n");
    kill(t.pid, SIGHUP);
    double s = dt_wait_analysis(&t, "stemming=1", 20);
    cr_assert(s >= 0, "rebuilt on SIGHUP:\n%s", dt_log(&t));
    fprintf(stderr, "daemon: rebuild after SIGHUP swapped in after %.0f ms\n", s * 1000);
    assert_converges(10, "after the rebuild on SIGHUP");
    /* the reader opened before the swap still answers (its files stay open) */
    uint64_t n = 0;
    fg_status_t st = fg_index_doc_count(rd, &n);
    fprintf(stderr, "daemon: reader opened before the swap: %s, %llu documents\n",
            fg_status_str(st), (unsigned long long)n);
    fg_index_close(rd);
    /* new files go into the new index */
    write_numbered(1000);
    assert_converges(10, "a new file after the rebuild");
    cr_assert_neq(access(rb, F_OK), 0);
    cr_assert_eq(dt_stop(&t), 0);
    free(rb);
    free(cfg);
}

Test(daemon_durability, sighup_changes_the_watch_set) {
    char *second = NULL, *cfg = NULL;
    cr_assert(asprintf(&second, "%s/zweiter", t.dir) > 0);
    cr_assert(asprintf(&cfg, "%s/test.conf", t.dir) > 0);
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/a.txt", t.watch);
    snprintf(b, sizeof b, "%s/b.txt", second);
    dt_write(a, "zqkerster Ordner");
    dt_write(b, "zqkzweiter Ordner");
    char text[2048];
    snprintf(text, sizeof text, "[watch]\nfolder = %s\n", t.watch);
    dt_write(cfg, text);
    t.no_watch = true; /* the folders come from the file */
    const char *args[] = {"--config", cfg, NULL};
    cr_assert(dt_start(&t, args, NULL), "%s", dt_log(&t));
    cr_assert_eq(dt_freq(&t, "zqkzweiter"), 0);
    snprintf(text, sizeof text, "[watch]\nfolder = %s\n", second);
    dt_write(cfg, text);
    kill(t.pid, SIGHUP);
    cr_assert(dt_wait_freq(&t, "zqkzweiter", 1, 10) >= 0, "%s", dt_log(&t));
    cr_assert(dt_wait_freq(&t, "zqkerster", 0, 10) >= 0, "the dropped folder's documents go");
    char c[512];
    snprintf(c, sizeof c, "%s/c.txt", second);
    dt_write(c, "zqkdritter Datei");
    cr_assert(dt_wait_freq(&t, "zqkdritter", 1, 10) >= 0, "the new folder is watched");
    cr_assert_eq(dt_stop(&t), 0);
    free(second);
    free(cfg);
}

Test(daemon_durability, large_reconciliation_then_kill9_and_restart) {
    /* enough files for the feed's bulk path (worker threads, segments) */
    for (unsigned i = 0; i < 700; i++)
        write_numbered(i);
    t.pid = dt_spawn(&t, NULL, NULL);
    random_sleep(50, 400); /* somewhere in the reconciliation, or after it */
    dt_kill9(&t);
    cr_assert(dt_start(&t, NULL, NULL), "%s", dt_log(&t));
    assert_converges(60, "700 files after kill -9 during the start-up reconciliation");
    cr_assert_eq(dt_stop(&t), 0, "%s", dt_log(&t));
}

/* SIGTERM in the middle of a long start-up reconciliation: the daemon does
 * not walk on to the end; it finishes the documents in progress, commits
 * and exits 0 with part of the tree indexed; the next start does the rest. */
Test(daemon_durability, sigterm_cuts_a_long_reconciliation_short) {
    const unsigned files = 6000;
    for (unsigned i = 0; i < files; i++)
        write_numbered(i);
    t.pid = dt_spawn(&t, NULL, NULL);
    char *sp = NULL;
    cr_assert(asprintf(&sp, "%s/fundgrubed.status", t.index) > 0);
    double t0 = dt_now();
    for (;;) { /* until the status file says it reconciles */
        char *st = tu_read(sp, NULL);
        bool reconciling = st && strstr(st, "\"state\": \"reconciling\"");
        free(st);
        if (reconciling)
            break;
        cr_assert(dt_now() - t0 < 30, "never reconciling:\n%s", dt_log(&t));
        usleep(5 * 1000);
    }
    free(sp);
    double t1 = dt_now();
    cr_assert_eq(dt_stop(&t), 0, "exit code 0; log:\n%s", dt_log(&t));
    fprintf(stderr, "daemon: SIGTERM during the reconciliation of %u files: stopped in %.0f ms\n",
            files, (dt_now() - t1) * 1000);
    long n = dt_count(&t);
    cr_assert(n >= 0 && n < (long)files, "%ld of %u documents: the walk was not cut short", n,
              files);
    cr_assert(strstr(dt_log(&t), "cut short"), "%s", dt_log(&t));
    cr_assert(dt_start(&t, NULL, NULL), "%s", dt_log(&t));
    assert_converges(120, "6000 files after a SIGTERM during the start-up reconciliation");
    cr_assert_eq(dt_stop(&t), 0, "%s", dt_log(&t));
}

Test(daemon_durability, searches_work_during_reconciliation) {
    for (unsigned i = 0; i < 600; i++)
        write_numbered(i);
    cr_assert(dt_start(&t, NULL, NULL), "%s", dt_log(&t));
    cr_assert_eq(dt_stop(&t), 0);
    /* every file changed while the daemon is down: all are indexed again */
    for (unsigned i = 0; i < 600; i++)
        write_numbered(i);
    fg_index_t *rd = NULL;
    char err[1024];
    cr_assert_eq(fg_index_open_readonly(t.index, &rd, err, sizeof err), FG_OK, "%s", err);
    fg_xquery_t *q = NULL;
    cr_assert_eq(fg_xquery_term("kleine", 6, 1, &q), FG_OK);
    fg_search_params_t sp;
    fg_search_params_default(&sp);
    t.pid = dt_spawn(&t, NULL, NULL);
    char pidpat[64];
    snprintf(pidpat, sizeof pidpat, "\"pid\": %ld,", (long)t.pid);
    unsigned searches = 0, failures = 0, during = 0;
    double t0 = dt_now();
    while (dt_now() - t0 < 60) {
        fg_mset_t *m = NULL;
        fg_status_t st = fg_index_reopen(rd);
        if (st == FG_OK)
            st = fg_index_search(rd, q, &sp, &m);
        if (st != FG_OK || fg_mset_estimate(m) == 0)
            failures++;
        fg_mset_free(m);
        searches++;
        char p[600];
        snprintf(p, sizeof p, "%s/fundgrubed.status", t.index);
        char *s = tu_read(p, NULL);
        bool done = s && strstr(s, pidpat) && strstr(s, "\"state\": \"watching\"");
        free(s);
        if (done)
            break;
        during++;
    }
    fprintf(stderr, "daemon: %u searches during the reconciliation, %u failed\n", during, failures);
    cr_assert_eq(failures, 0);
    fg_xquery_free(q);
    fg_index_close(rd);
    assert_converges(30, "after the reconciliation");
    cr_assert_eq(dt_stop(&t), 0);
}

/* The index folder removed while the daemon runs: it says so and stops with
 * exit code 1 instead of indexing into a deleted folder; started again, it
 * creates the index afresh and indexes the watched folder. */
Test(daemon_durability, index_folder_removed_while_running) {
    for (unsigned i = 0; i < 20; i++)
        write_numbered(i);
    cr_assert(dt_start(&t, NULL, NULL), "%s", dt_log(&t));
    assert_converges(10, "first index");
    fg_index_close(t.rd); /* its files go with the folder */
    t.rd = NULL;
    tu_rmtree(t.index);
    pid_t pid = t.pid;
    int code = dt_wait_exit(pid, 10);
    t.pid = 0;
    cr_assert_eq(code, 1, "exit code %d:\n%s", code, dt_log(&t));
    cr_assert(strstr(dt_log(&t), "was removed or moved away"), "%s", dt_log(&t));
    cr_assert(dt_start(&t, NULL, NULL), "%s", dt_log(&t));
    assert_converges(10, "after a restart");
    cr_assert_eq(dt_stop(&t), 0);
}
