/*
 * commit.h - when the writer commits: one pure rule over the commit policy,
 * what is waiting, and the time.
 *
 * The writer (writer.c) keeps a fgd_commit_state_t up to date as the feed
 * reports changes and commits, and asks fgd_commit_deadline() twice per turn:
 *   - before it waits for the queue (drained = true): the answer is the
 *     deadline of that wait; if it passes with the queue still empty, the
 *     writer commits;
 *   - after it carried out an operation (drained = false): an answer <= now
 *     means commit at once, before taking the next operation.
 * The rule (see writer.h for the why):
 *   - nothing waiting: no commit (FGD_COMMIT_NONE);
 *   - single changes of the fast lane waiting (fast_docs): a commit of the
 *     live writer at once for the first commit, else interval_ms after the
 *     previous one, whatever else goes on (a burst, its held segments, a
 *     rebuild): the lane's latency does not depend on the bulk work;
 *   - a burst going on (held segments): when drained and no bulk work is
 *     left (bulk_active false), BURST_IDLE ms after the last work (at once
 *     when few_held documents or fewer are held) (its end:
 *     the one commit that merges the held segments, `merge`); else never
 *     for the burst (other changes of the live writer wait for its end or
 *     go with the fast lane's commits);
 *   - drained: at once for the first commit, else interval_ms after the
 *     previous commit;
 *   - busy: at once when batch_docs documents or batch_bytes bytes wait, else
 *     max_age_ms after the oldest waiting change.
 * Nothing here reads a clock or a global: times are fgd_now_ms() values
 * passed in.
 */
#ifndef FGD_COMMIT_H
#define FGD_COMMIT_H

#include <stdbool.h>
#include <stdint.h>

/* fgd_commit_deadline(): nothing is due, from this state, at any time. */
#define FGD_COMMIT_NONE INT64_MAX

/* The commit policy: the [daemon] settings and the options' batch limits. */
typedef struct fgd_commit_policy {
    int64_t interval_ms;   /* drained: the least time between two commits */
    int64_t max_age_ms;    /* busy: the longest a change waits */
    uint64_t batch_docs;   /* busy: this many waiting documents commit */
    uint64_t batch_bytes;  /* busy: this many waiting bytes of text commit */
    int64_t burst_idle_ms; /* a burst is over after this long without work */
    uint64_t few_held;     /* this many held documents or fewer (single documents
                              that a worker extracted) enter as soon as the bulk
                              work is done, without the burst's wait */
} fgd_commit_policy_t;

/* What is waiting for a commit, and the times that matter. */
typedef struct fgd_commit_state {
    uint64_t pending_docs;  /* changes since the last commit (0: none) */
    uint64_t pending_bytes; /* bytes of text indexed since the last commit */
    int64_t first_change;   /* when the oldest of them came (if any) */
    int64_t last_commit;    /* when the last commit was (if commits > 0) */
    uint64_t commits;       /* commits so far */
    int64_t last_work;      /* when the last operation ended */
    uint64_t held_docs;     /* documents in held segments: a burst (0: none) */
    uint64_t fast_docs;     /* of pending_docs, single changes of the fast lane */
    bool bulk_active;       /* bulk work is running or waiting (a burst not over) */
    bool drained;           /* true: about to wait for the queue; false: just
                               carried out an operation */
} fgd_commit_state_t;

/* A commit that is due: when, and whether it is the burst's end that puts
 * the held segments into the index (else only the live writer commits). */
typedef struct fgd_commit {
    int64_t at; /* <= now: at once; FGD_COMMIT_NONE: nothing due */
    bool merge;
} fgd_commit_t;

/*
 * The time at which to commit, given policy p, state s and the time now:
 * a time <= now means commit now, a later one is when to wake up and commit
 * (if the queue stays empty), FGD_COMMIT_NONE that no commit is due.
 * Pure: the result depends on the arguments only.
 */
int64_t fgd_commit_deadline(const fgd_commit_policy_t *p, const fgd_commit_state_t *s, int64_t now);

/* fgd_commit_deadline() with the kind of commit that is due then.  Pure. */
fgd_commit_t fgd_commit_next(const fgd_commit_policy_t *p, const fgd_commit_state_t *s,
                             int64_t now);

#endif
