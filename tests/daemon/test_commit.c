/*
 * test_commit.c - when the writer commits (daemon/commit.h): the pure rule
 * over policy, waiting changes and the time.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "daemon/commit.h"

/* The defaults: [daemon] commit_interval 25 ms, commit_max_age 1000 ms,
 * batches of 10000 documents or 64 MB, bursts over after 250 ms. */
static const fgd_commit_policy_t policy = {.interval_ms = 25,
                                           .max_age_ms = 1000,
                                           .batch_docs = 10000,
                                           .batch_bytes = 64u << 20,
                                           .burst_idle_ms = 250,
                                           .few_held = 4};

/* A state with n changes since first, the last of c commits at last. */
static fgd_commit_state_t waiting(uint64_t n, int64_t first, int64_t last, uint64_t c,
                                  bool drained) {
    return (fgd_commit_state_t){.pending_docs = n,
                                .pending_bytes = n * 100,
                                .first_change = first,
                                .last_commit = last,
                                .commits = c,
                                .last_work = first,
                                .drained = drained};
}

Test(commit, nothing_pending_no_commit) {
    fgd_commit_state_t s = waiting(0, 0, 5000, 3, true);
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 100000), FGD_COMMIT_NONE);
    s.drained = false;
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 100000), FGD_COMMIT_NONE);
    s.commits = 0; /* nor before the first commit */
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 100000), FGD_COMMIT_NONE);
    s.drained = true;
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 100000), FGD_COMMIT_NONE);
}

Test(commit, first_change_after_long_quiet_commits_at_once) {
    /* last commit an hour ago: one dropped file is committed at once */
    fgd_commit_state_t s = waiting(1, 3600000, 0, 1, true);
    int64_t now = 3600010;
    cr_expect_leq(fgd_commit_deadline(&policy, &s, now), now);
    /* the first commit ever: at once too, whatever last_commit holds (the
     * clock may be early: 10 ms, before 0 + interval) */
    s.commits = 0;
    s.last_commit = 0;
    s.first_change = 5;
    cr_expect_leq(fgd_commit_deadline(&policy, &s, 10), 10);
    fgd_commit_policy_t slow = policy;
    slow.interval_ms = 7200000;
    cr_expect_leq(fgd_commit_deadline(&slow, &s, now), now);
}

Test(commit, trickle_waits_interval_since_last_commit) {
    /* committed 10 ms ago: the next change waits until 25 ms after it */
    fgd_commit_state_t s = waiting(1, 10005, 10000, 4, true);
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 10010), 10025);
    /* once that time has passed, at once */
    int64_t d = fgd_commit_deadline(&policy, &s, 10030);
    cr_expect_leq(d, 10030);
}

Test(commit, busy_queue_bound_by_max_age) {
    /* operations keep coming: no commit before max_age after the first change */
    fgd_commit_state_t s = waiting(50, 20000, 1000, 2, false);
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 20500), 21000);
    cr_expect_gt(fgd_commit_deadline(&policy, &s, 20999), 20999);
    cr_expect_leq(fgd_commit_deadline(&policy, &s, 21000), 21000);
    cr_expect_leq(fgd_commit_deadline(&policy, &s, 25000), 25000);
    /* the interval plays no part while busy */
    s.last_commit = 0;
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 20500), 21000);
}

Test(commit, busy_queue_batch_limits_commit_at_once) {
    fgd_commit_state_t s = waiting(10000, 20000, 1000, 2, false);
    cr_expect_leq(fgd_commit_deadline(&policy, &s, 20001), 20001, "batch_docs reached");
    s.pending_docs = 9999;
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 20001), 21000, "below batch_docs");
    s.pending_bytes = 64u << 20;
    cr_expect_leq(fgd_commit_deadline(&policy, &s, 20001), 20001, "batch_bytes reached");
}

Test(commit, drained_queue_commits_once_interval_passed) {
    /* the queue drained: the max age does not matter, the interval does */
    fgd_commit_state_t s = waiting(50, 20000, 19990, 7, true);
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 20100), 20015);
    fgd_commit_policy_t slow = policy;
    slow.interval_ms = 5000;
    slow.max_age_ms = 100;
    cr_expect_eq(fgd_commit_deadline(&slow, &s, 20200), 24990,
                 "drained: the interval, not the max age");
}

Test(commit, burst_commits_at_its_end_only) {
    fgd_commit_state_t s = waiting(20000, 1000, 500, 1, true);
    s.held_docs = 3000;
    s.last_work = 8000;
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 8010), 8250, "drained: the burst's end");
    s.pending_docs = 0; /* held segments alone are waiting too */
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 8010), 8250);
    s.pending_docs = 20000;
    s.drained = false; /* busy: not even batch limits or max age commit */
    cr_expect_eq(fgd_commit_deadline(&policy, &s, 8010), FGD_COMMIT_NONE);
}

Test(commit, burst_end_merges_and_waits_for_bulk_work) {
    fgd_commit_state_t s = waiting(0, 1000, 500, 1, true);
    s.held_docs = 3000;
    s.last_work = 8000;
    fgd_commit_t c = fgd_commit_next(&policy, &s, 8010);
    cr_expect_eq(c.at, 8250);
    cr_expect(c.merge, "the burst's end puts the held segments in");
    s.bulk_active = true; /* a run or its backlog: the burst is not over */
    c = fgd_commit_next(&policy, &s, 8010);
    cr_expect_eq(c.at, FGD_COMMIT_NONE);
    cr_expect_not(c.merge);
}

Test(commit, a_few_held_documents_enter_without_the_burst_wait) {
    /* a saved PDF, extracted by a worker: in as soon as the work is done */
    fgd_commit_state_t s = waiting(0, 1000, 500, 1, true);
    s.held_docs = 1;
    s.last_work = 8000;
    fgd_commit_t c = fgd_commit_next(&policy, &s, 8001);
    cr_expect_eq(c.at, 8000);
    cr_expect(c.merge);
    s.held_docs = 5; /* more: a burst's first run waits for its end */
    cr_expect_eq(fgd_commit_next(&policy, &s, 8001).at, 8250);
}

Test(commit, fast_lane_commits_at_interval_whatever_goes_on) {
    /* a single change during a burst: the live writer commits within the
     * interval, without the merge, drained or busy, bulk work or not */
    fgd_commit_state_t s = waiting(1, 9000, 8990, 7, false);
    s.fast_docs = 1;
    s.held_docs = 5000;
    s.bulk_active = true;
    s.last_work = 9000;
    fgd_commit_t c = fgd_commit_next(&policy, &s, 9001);
    cr_expect_eq(c.at, 9015);
    cr_expect_not(c.merge);
    s.drained = true;
    c = fgd_commit_next(&policy, &s, 9001);
    cr_expect_eq(c.at, 9015);
    cr_expect_not(c.merge);
    /* the burst's end comes first once the bulk work is done: it commits
     * the single change too */
    s.bulk_active = false;
    s.last_work = 8700;
    c = fgd_commit_next(&policy, &s, 9001);
    cr_expect_eq(c.at, 8950);
    cr_expect(c.merge);
    /* no burst, busy: the interval, not the max age */
    s.held_docs = 0;
    s.drained = false;
    c = fgd_commit_next(&policy, &s, 9001);
    cr_expect_eq(c.at, 9015);
    s.commits = 0; /* the first commit ever: at once */
    cr_expect_leq(fgd_commit_deadline(&policy, &s, 9001), 9001);
}

Test(commit, interval_zero_commits_whenever_drained) {
    fgd_commit_policy_t p = policy;
    p.interval_ms = 0;
    fgd_commit_state_t s = waiting(1, 5000, 5000, 9, true);
    cr_expect_leq(fgd_commit_deadline(&p, &s, 5000), 5000);
    s.drained = false; /* busy: still the max age */
    cr_expect_eq(fgd_commit_deadline(&p, &s, 5000), 6000);
}

Test(commit, max_age_zero_commits_after_every_operation) {
    fgd_commit_policy_t p = policy;
    p.max_age_ms = 0;
    fgd_commit_state_t s = waiting(1, 5000, 4000, 9, false);
    cr_expect_leq(fgd_commit_deadline(&p, &s, 5000), 5000);
    s.drained = true; /* drained: still the interval */
    cr_expect_eq(fgd_commit_deadline(&p, &s, 5000), 4025);
    s.last_commit = 4990;
    cr_expect_eq(fgd_commit_deadline(&p, &s, 5000), 5015);
}

Test(commit, reload_values_apply_to_kept_state) {
    /* a reload sets interval and max age from the new configuration; the
     * state (last commit, commits) is kept */
    fgd_commit_state_t s = waiting(3, 30000, 29000, 12, true);
    cr_expect_leq(fgd_commit_deadline(&policy, &s, 30010), 30010);
    fgd_commit_policy_t p = policy;
    p.interval_ms = 2000;
    p.max_age_ms = 60000;
    cr_expect_eq(fgd_commit_deadline(&p, &s, 30010), 31000);
    s.drained = false;
    cr_expect_eq(fgd_commit_deadline(&p, &s, 30010), 90000);
}

Test(commit, pure) {
    /* the same arguments give the same answer; the state is not changed */
    fgd_commit_state_t s = waiting(2, 100, 50, 1, true), copy = s;
    int64_t a = fgd_commit_deadline(&policy, &s, 120), b = fgd_commit_deadline(&policy, &s, 120);
    cr_expect_eq(a, b);
    cr_expect_eq(a, 75);
    cr_expect_eq(memcmp(&s, &copy, sizeof s), 0);
}
