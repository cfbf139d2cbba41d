/*
 * test_facts.c - Xapian 1.4 behaviours our wrapper works around, pinned
 * through the wrapper:
 *   (a) a reader two commits behind the writer gets DatabaseModifiedError
 *       from Xapian; fg_index_search() reopens and reruns, so callers never
 *       see it (in-process, and against a writer in another process);
 *   (b) long words are not dropped: Xapian's TermGenerator skips words over
 *       64 bytes, but fg_doc_add_posting() takes anything up to FG_TERM_MAX;
 *   (c) no waiting for the lock: a second writer fails at once (Xapian's
 *       DB_RETRY_LOCK would block until the first closes).
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

TestSuite(facts, .init = tdir_setup, .fini = tdir_teardown);

/* Documents in the retry tests: enough that two commits reuse blocks an old
 * reader still needs (with 1500 documents of this shape Xapian 1.4.22 never
 * threw in an experiment, from 2000 on always). */
#define NDOCS 3000

/* Replaces documents /d/0 .. /d/NDOCS-1, each with "common" and a word that
 * depends on round, then commits.  Returns 0 on success (no asserts: it runs
 * in forked children too). */
static int rewrite_all(fg_index_t *w, int round) {
    char uid[64], word[64], data[128];
    for (int i = 0; i < NDOCS; i++) {
        fg_doc_t *doc = NULL;
        if (fg_doc_new(&doc) != FG_OK)
            return 1;
        snprintf(uid, sizeof uid, "/d/%d", i);
        int wl = snprintf(word, sizeof word, "w%dr%d", i, round);
        int dl = snprintf(data, sizeof data, "url=%s\nround=%d\n%0*d", uid, round, 60, i);
        int bad = fg_doc_add_posting(doc, "common", 6, 1) != FG_OK ||
                  fg_doc_add_posting(doc, word, (size_t)wl, 2) != FG_OK ||
                  fg_doc_set_data(doc, data, (size_t)dl) != FG_OK ||
                  fg_index_replace(w, uid, doc) != FG_OK;
        fg_doc_free(doc);
        if (bad)
            return 1;
    }
    return fg_index_commit(w) == FG_OK ? 0 : 1;
}

/* Searches "common" on r and checks the page is full and consistent. */
static void search_common(fg_index_t *r, fg_xquery_t *q) {
    fg_search_params_t p;
    fg_search_params_default(&p);
    p.limit = 50;
    fg_mset_t *m = NULL;
    fg_status_t st = fg_index_search(r, q, &p, &m);
    cr_assert_eq(st, FG_OK, "search: %s (%s)", fg_status_str(st), fg_index_error(r));
    cr_assert_eq(fg_mset_size(m), 50);
    cr_assert_eq(fg_mset_estimate(m), NDOCS);
    for (size_t i = 0; i < fg_mset_size(m); i++)
        cr_assert(strncmp(fg_mset_hit(m, i)->data, "url=/d/", 7) == 0);
    fg_mset_free(m);
}

/* Fact (a): a reader two commits behind still searches (after a retry). */
Test(facts, reader_two_commits_behind_is_retried) {
    fg_index_t *w = open_writer(tdir);
    cr_assert_eq(rewrite_all(w, 0), 0);
    fg_xquery_t *q = qterm("common");
    uint32_t before = 0;
    for (int round = 1; round <= 6; round += 2) {
        fg_index_t *r = open_reader(tdir);
        search_common(r, q);
        cr_assert_eq(rewrite_all(w, round), 0);
        cr_assert_eq(rewrite_all(w, round + 1), 0);
        search_common(r, q); /* Xapian threw DatabaseModifiedError inside */
        before += fg_index_retries(r);
        /* The other reads retry too. */
        fg_doc_stamp_t st;
        cr_assert_eq(fg_index_stamp(r, "/d/7", &st), FG_OK, "%s", fg_index_error(r));
        fg_index_close(r);
    }
    cr_assert_geq(before, 1, "Xapian 1.4 no longer discards old revisions? (retries %u)", before);
    fg_xquery_free(q);
    fg_index_close(w);
}

/* Counts foreach callbacks. */
static int count_fn(void *ctx, uint32_t docid, const char *data, size_t len) {
    (void)docid;
    (void)data;
    (void)len;
    (*(int *)ctx)++;
    return 0;
}

/* Fact (a) for foreach: a reader left behind still visits every document. */
Test(facts, foreach_on_reader_left_behind) {
    fg_index_t *w = open_writer(tdir);
    cr_assert_eq(rewrite_all(w, 0), 0);
    fg_index_t *r = open_reader(tdir);
    uint64_t n = 0;
    cr_assert_eq(fg_index_doc_count(r, &n), FG_OK);
    cr_assert_eq(rewrite_all(w, 1), 0);
    cr_assert_eq(rewrite_all(w, 2), 0);
    int seen = 0;
    cr_assert_eq(fg_index_foreach(r, "/d", count_fn, &seen), FG_OK, "%s", fg_index_error(r));
    cr_assert_eq(seen, NDOCS);
    cr_assert_geq(fg_index_retries(r), 1, "the reader was left behind");
    fg_index_close(r);
    fg_index_close(w);
}

/* Fact (a) with the writer in a child process committing in a loop. */
Test(facts, reader_survives_writer_in_other_process, .timeout = 120) {
    fg_index_t *w = open_writer(tdir);
    cr_assert_eq(rewrite_all(w, 0), 0);
    cr_assert_eq(fg_index_close(w), FG_OK);

    enum { ROUNDS = 20 };
    int go[2];
    cr_assert_eq(pipe(go), 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        close(go[0]);
        fg_index_t *cw = NULL;
        if (fg_index_open_writable(tdir, 0, &cw, NULL, 0) != FG_OK)
            _exit(2);
        if (write(go[1], "g", 1) != 1)
            _exit(3);
        for (int round = 1; round <= ROUNDS; round++) {
            if (rewrite_all(cw, round) != 0)
                _exit(4);
        }
        _exit(fg_index_close(cw) == FG_OK ? 0 : 5);
    }
    close(go[1]);
    char c;
    cr_assert_eq(read(go[0], &c, 1), 1, "writer child failed to start");
    close(go[0]);

    /* Old readers and one long-lived reader search while the child commits. */
    fg_xquery_t *q = qterm("common");
    fg_index_t *lasting = open_reader(tdir);
    int searches = 0, ws = 0;
    uint32_t retries = 0;
    pid_t done = 0;
    while ((done = waitpid(pid, &ws, WNOHANG)) == 0) {
        fg_index_t *r = open_reader(tdir);
        search_common(r, q);
        usleep(20000); /* let the writer get ahead */
        search_common(r, q);
        search_common(lasting, q);
        retries += fg_index_retries(r);
        fg_index_close(r);
        searches++;
    }
    cr_assert_eq(done, pid);
    cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "writer child status 0x%x", ws);
    retries += fg_index_retries(lasting);
    cr_log_info("%d search rounds, %u retries while a child committed %d times", searches, retries,
                ROUNDS);
    cr_assert_gt(searches, 0);
    fg_index_close(lasting);
    fg_xquery_free(q);
}

/* Fact (b): words over 64 bytes (TermGenerator's limit) are searchable. */
Test(facts, long_words_are_kept) {
    char word[FG_TERM_MAX + 1];
    fg_index_t *w = open_writer(tdir);
    size_t lens[] = {65, 100, FG_TERM_MAX};
    for (size_t i = 0; i < 3; i++) {
        memset(word, 'a' + (int)i, lens[i]);
        fg_doc_t *doc = NULL;
        cr_assert_eq(fg_doc_new(&doc), FG_OK);
        cr_assert_eq(fg_doc_add_posting(doc, word, lens[i], 1), FG_OK);
        cr_assert_eq(fg_doc_set_data(doc, "url=/long", 9), FG_OK);
        char uid[32];
        snprintf(uid, sizeof uid, "/long%zu", lens[i]);
        cr_assert_eq(fg_index_replace(w, uid, doc), FG_OK, "%s", fg_index_error(w));
        fg_doc_free(doc);
    }
    cr_assert_eq(fg_index_commit(w), FG_OK);
    fg_index_t *r = open_reader(tdir);
    for (size_t i = 0; i < 3; i++) {
        memset(word, 'a' + (int)i, lens[i]);
        fg_xquery_t *q = NULL;
        cr_assert_eq(fg_xquery_term(word, lens[i], 1, &q), FG_OK);
        fg_mset_t *m = search_all(r, q);
        cr_assert_eq(fg_mset_size(m), 1, "a %zu-byte word is searchable", lens[i]);
        fg_mset_free(m);
        fg_xquery_free(q);
    }
    fg_index_close(r);
    fg_index_close(w);
}

/* Fact (c): a second writer fails at once instead of waiting. */
Test(facts, second_writer_does_not_wait) {
    holder_t h = holder_start(tdir);
    char err[256] = "";
    fg_index_t *idx = NULL;
    for (int i = 0; i < 3; i++) {
        double t0 = now_seconds();
        cr_assert_eq(fg_index_open_writable(tdir, FG_INDEX_CREATE, &idx, err, sizeof err),
                     FG_LOCKED);
        cr_assert_lt(now_seconds() - t0, 1.0, "the second writer waited");
        cr_assert_null(idx);
    }
    holder_stop(&h, 'c');
}
