/*
 * test_deadline.c - the time limit of fg_index_query() (index/deadline.cc):
 * a search over its limit ends with what it ranked and says so, on both
 * rankers (rank.cc term at a time, Xapian's matcher through the deadline
 * filter); a limit that is not reached changes nothing.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

TestSuite(deadline, .init = tdir_setup, .fini = tdir_teardown, .timeout = 120);

#define DOCS 12000
#define WORDS 3000

/* An index of DOCS documents of 12 words each from WORDS words "wNNNN"
 * (deterministic), opened as a reader. */
static fg_index_t *make_index(void) {
    fg_index_t *w = open_writer(tdir);
    uint32_t x = 12345;
    char uid[32], words[12 * 8 + 1];
    for (int d = 0; d < DOCS; d++) {
        size_t len = 0;
        for (int k = 0; k < 12; k++) {
            x = x * 1103515245u + 12345u;
            len += (size_t)snprintf(words + len, sizeof words - len, "%sw%04u", k ? " " : "",
                                    (x >> 8) % WORDS);
        }
        snprintf(uid, sizeof uid, "/d/%d", d);
        put_words(w, uid, words);
    }
    cr_assert_eq(fg_index_commit(w), FG_OK, "%s", fg_index_error(w));
    fg_index_close(w);
    return open_reader(tdir);
}

/* An OR of the n words w0000, w0001, ... (plain: ranked by rank.cc). */
static fg_xquery_t *plain_or(size_t n) {
    fg_xquery_t **subs = calloc(n, sizeof *subs);
    char term[16];
    for (size_t i = 0; i < n; i++) {
        snprintf(term, sizeof term, "w%04zu", i);
        subs[i] = qterm(term);
    }
    fg_xquery_t *q = NULL;
    cr_assert_eq(fg_xquery_combine(FG_XQ_OR, subs, n, 0, &q), FG_OK);
    for (size_t i = 0; i < n; i++)
        fg_xquery_free(subs[i]);
    free(subs);
    return q;
}

/* Runs q with the time limit ms (0: none), sorted by value 5 when sorted
 * (Xapian's matcher), and returns the result; *secs gets the time taken. */
static fg_qresult_t *run(fg_index_t *r, const fg_xquery_t *q, uint32_t ms, bool sorted,
                         double *secs) {
    fg_query_params_t p;
    fg_query_params_default(&p);
    p.limit = 20;
    p.time_limit_ms = ms;
    if (sorted)
        p.sort_value = 5; /* no document has it: by relevance, through Xapian's matcher */
    fg_qresult_t *res = NULL;
    double t0 = now_seconds();
    cr_assert_eq(fg_index_query(r, q, &p, &res), FG_OK, "%s", fg_index_error(r));
    if (secs)
        *secs = now_seconds() - t0;
    return res;
}

/* Asserts that a and b hold the same hits and weights, and the same
 * percentages when ranked term at a time (on Xapian's matcher the deadline
 * filter raises b's, see index/deadline.cc). */
static void assert_same(const fg_qresult_t *a, const fg_qresult_t *b, const char *what) {
    cr_assert_eq(a->n, b->n, "%s: %zu hits, %zu", what, a->n, b->n);
    cr_assert_eq(a->estimate, b->estimate, "%s", what);
    for (size_t i = 0; i < a->n; i++) {
        cr_assert_eq(a->hits[i].docid, b->hits[i].docid, "%s hit %zu", what, i);
        cr_assert(fabs(a->hits[i].weight - b->hits[i].weight) <= 1e-12 * a->hits[i].weight);
        if (a->term_at_a_time)
            cr_assert_eq(a->hits[i].percent, b->hits[i].percent, "%s hit %zu: %d%%, %d%%", what, i,
                         a->hits[i].percent, b->hits[i].percent);
        else
            cr_assert_geq(b->hits[i].percent, a->hits[i].percent, "%s hit %zu", what, i);
    }
}

Test(deadline, a_limit_not_reached_changes_nothing) {
    fg_index_t *r = make_index();
    fg_xquery_t *q = plain_or(40), *wild = NULL;
    cr_assert_eq(fg_xquery_wildcard("w00", 1000, &wild), FG_OK);
    for (int sorted = 0; sorted < 2; sorted++) {
        const fg_xquery_t *qs[] = {q, wild};
        for (int k = 0; k < 2; k++) {
            fg_qresult_t *a = run(r, qs[k], 0, sorted, NULL);
            fg_qresult_t *b = run(r, qs[k], 600000, sorted, NULL);
            cr_assert(!a->timed_out && !b->timed_out);
            cr_assert_eq(a->term_at_a_time, !sorted && k == 0);
            cr_assert_gt(a->n, 0);
            assert_same(a, b, k ? "w00*" : "40 words");
            fg_qresult_free(a);
            fg_qresult_free(b);
        }
    }
    fg_xquery_free(q);
    fg_xquery_free(wild);
    fg_index_close(r);
}

Test(deadline, term_at_a_time_stops_at_the_limit) {
    fg_index_t *r = make_index();
    fg_xquery_t *q = plain_or(WORDS); /* every posting of the index */
    double full_s, cut_s;
    fg_qresult_t *full = run(r, q, 0, false, &full_s);
    fg_qresult_t *cut = run(r, q, 1, false, &cut_s);
    cr_assert(full->term_at_a_time && cut->term_at_a_time);
    cr_assert(!full->timed_out);
    cr_log_info("all %u words: %.1f ms, with a 1 ms limit %.1f ms", WORDS, full_s * 1e3,
                cut_s * 1e3);
    if (full_s > 0.004) { /* else the whole search fits in the limit */
        cr_assert(cut->timed_out, "%.1f ms for a 1 ms limit, not timed out", cut_s * 1e3);
        cr_assert(!cut->estimate_exact);
        cr_assert_lt(cut->estimate, full->estimate, "fewer postings read, fewer matches");
        cr_assert_gt(cut->n, 0, "the hits of the lists read before the limit");
        cr_assert_lt(cut_s, full_s);
    }
    fg_qresult_free(full);
    fg_qresult_free(cut);
    fg_xquery_free(q);
    fg_index_close(r);
}

Test(deadline, xapian_matcher_ends_at_the_limit) {
    fg_index_t *r = make_index();
    fg_xquery_t *wild = NULL; /* 3,000 words, every document */
    cr_assert_eq(fg_xquery_wildcard("w", 10000, &wild), FG_OK);
    double full_s, cut_s;
    fg_qresult_t *full = run(r, wild, 0, true, &full_s);
    fg_qresult_t *cut = run(r, wild, 1, true, &cut_s);
    cr_assert(!full->term_at_a_time && !cut->term_at_a_time);
    cr_assert(!full->timed_out);
    cr_assert_eq(full->n, 20);
    cr_log_info("w*: %.1f ms, with a 1 ms limit %.1f ms", full_s * 1e3, cut_s * 1e3);
    if (full_s > 0.02) {
        cr_assert(cut->timed_out, "%.1f ms for a 1 ms limit, not timed out", cut_s * 1e3);
        cr_assert_gt(cut->n, 0, "the documents matched before the limit");
        cr_assert_lt(cut_s, full_s * 0.8, "%.1f ms, without a limit %.1f ms", cut_s * 1e3,
                     full_s * 1e3);
    }
    fg_qresult_free(full);
    fg_qresult_free(cut);
    fg_xquery_free(wild);
    fg_index_close(r);
}
