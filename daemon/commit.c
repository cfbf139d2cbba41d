/*
 * commit.c - when the writer commits (see commit.h).
 */
#include "daemon/commit.h"

/* The smaller of two times. */
static int64_t earlier(int64_t a, int64_t b) {
    return a < b ? a : b;
}

/* The deadline before waiting for an empty queue, outside a burst (see
 * commit.h). */
static int64_t drained_deadline(const fgd_commit_policy_t *p, const fgd_commit_state_t *s,
                                int64_t now) {
    if (s->pending_docs == 0)
        return FGD_COMMIT_NONE;
    /* commit at once if the last commit is old enough */
    return s->commits ? s->last_commit + p->interval_ms : now;
}

/* The deadline right after an operation, more work perhaps following,
 * outside a burst (see commit.h). */
static int64_t busy_deadline(const fgd_commit_policy_t *p, const fgd_commit_state_t *s,
                             int64_t now) {
    if (s->pending_docs == 0)
        return FGD_COMMIT_NONE;
    if (s->pending_docs >= p->batch_docs || s->pending_bytes >= p->batch_bytes)
        return now;
    return s->first_change + p->max_age_ms;
}

/* The commit due (see commit.h). */
fgd_commit_t fgd_commit_next(const fgd_commit_policy_t *p, const fgd_commit_state_t *s,
                             int64_t now) {
    /* the fast lane: the interval, whatever else goes on */
    int64_t fast = FGD_COMMIT_NONE;
    if (s->fast_docs > 0)
        fast = s->commits ? s->last_commit + p->interval_ms : now;
    if (s->held_docs > 0) {
        if (!s->drained || s->bulk_active)
            return (fgd_commit_t){fast, false};
        int64_t end = s->last_work; /* the burst's end */
        if (s->held_docs > p->few_held)
            end += p->burst_idle_ms;
        if (end <= fast)
            return (fgd_commit_t){end, true};
        return (fgd_commit_t){fast, false};
    }
    int64_t other = s->drained ? drained_deadline(p, s, now) : busy_deadline(p, s, now);
    return (fgd_commit_t){earlier(fast, other), false};
}

/* When to commit (see commit.h). */
int64_t fgd_commit_deadline(const fgd_commit_policy_t *p, const fgd_commit_state_t *s,
                            int64_t now) {
    return fgd_commit_next(p, s, now).at;
}
