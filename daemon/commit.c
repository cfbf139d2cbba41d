/*
 * commit.c - when the writer commits (see commit.h).
 */
#include "daemon/commit.h"

/* The deadline before waiting for an empty queue (see commit.h). */
static int64_t drained_deadline(const fgd_commit_policy_t *p, const fgd_commit_state_t *s,
                                int64_t now) {
    if (s->held_docs > 0) /* the burst's end: make it searchable */
        return s->last_work + p->burst_idle_ms;
    if (s->pending_docs == 0)
        return FGD_COMMIT_NONE;
    /* commit at once if the last commit is old enough */
    return s->commits ? s->last_commit + p->interval_ms : now;
}

/* The deadline right after an operation, more work perhaps following (see
 * commit.h). */
static int64_t busy_deadline(const fgd_commit_policy_t *p, const fgd_commit_state_t *s,
                             int64_t now) {
    if (s->held_docs > 0 || s->pending_docs == 0)
        return FGD_COMMIT_NONE;
    if (s->pending_docs >= p->batch_docs || s->pending_bytes >= p->batch_bytes)
        return now;
    return s->first_change + p->max_age_ms;
}

/* When to commit (see commit.h). */
int64_t fgd_commit_deadline(const fgd_commit_policy_t *p, const fgd_commit_state_t *s,
                            int64_t now) {
    return s->drained ? drained_deadline(p, s, now) : busy_deadline(p, s, now);
}
