/*
 * queue.c - the loop -> writer work queue, deduplicated by path (see queue.h).
 */
#include "daemon/queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/hash.h"
#include "daemon/lane.h"

/* The two FIFOs: single changes and everything else first, then the syncs
 * of folders that are bursting (lane.h), so a save never waits behind the
 * thousands of events of a copy. */
enum { FAST, BULK };

struct fgd_queue {
    pthread_mutex_t mu;
    pthread_cond_t cond; /* signalled on every push; uses CLOCK_MONOTONIC */
    fgd_op_t *head[2], *tail[2];
    size_t length;
    fgd_lanes_t lanes;  /* arrivals per folder, for the choice of FIFO */
    fgd_op_t **buckets; /* waiting SYNC ops by path */
    size_t nbuckets, nsync;
    bool rescan_waiting;
};

/* ------------------------------------------------------------ helpers */

/* Milliseconds of the monotonic clock (see queue.h). */
int64_t fgd_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* FNV-1a hash of a string. */
static size_t hash_str(const char *s) {
    return (size_t)fg_fnv1a64(FG_FNV64_OFFSET, s, strlen(s));
}

/* Frees an operation (see queue.h). */
void fgd_op_free(fgd_op_t *op) {
    if (!op)
        return;
    if (op->arg && op->arg_free)
        op->arg_free(op->arg);
    free(op->path);
    free(op->to);
    free(op);
}

/* Appends op at the tail and wakes the writer; q->mu is held. */
static void append_locked(fgd_queue_t *q, fgd_op_t *op) {
    op->next = NULL;
    op->queued_ms = fgd_now_ms();
    op->folder_bursts =
        op->kind == FGD_OP_SYNC && fgd_lane_folder_bursts(&q->lanes, op->path, op->queued_ms);
    int l = op->folder_bursts ? BULK : FAST;
    if (q->tail[l])
        q->tail[l]->next = op;
    else
        q->head[l] = op;
    q->tail[l] = op;
    q->length++;
    pthread_cond_signal(&q->cond);
}

/* Doubles the hash table when it gets crowded; q->mu is held.  Failure to
 * grow is harmless (chains get longer). */
static void maybe_grow_locked(fgd_queue_t *q) {
    if (q->nsync < q->nbuckets)
        return;
    size_t n = q->nbuckets * 2;
    fgd_op_t **b = calloc(n, sizeof *b);
    if (!b)
        return;
    for (size_t i = 0; i < q->nbuckets; i++) {
        fgd_op_t *op = q->buckets[i];
        while (op) {
            fgd_op_t *nx = op->hnext;
            size_t k = hash_str(op->path) & (n - 1);
            op->hnext = b[k];
            b[k] = op;
            op = nx;
        }
    }
    free(q->buckets);
    q->buckets = b;
    q->nbuckets = n;
}

/* Removes a SYNC op from the hash table; q->mu is held. */
static void unhash_locked(fgd_queue_t *q, fgd_op_t *op) {
    fgd_op_t **pp = &q->buckets[hash_str(op->path) & (q->nbuckets - 1)];
    while (*pp && *pp != op)
        pp = &(*pp)->hnext;
    if (*pp) {
        *pp = op->hnext;
        q->nsync--;
    }
}

/* ------------------------------------------------------------ API */

/* Creates a queue (see queue.h). */
int fgd_queue_new(fgd_queue_t **out) {
    *out = NULL;
    fgd_queue_t *q = calloc(1, sizeof *q);
    if (!q)
        return -ENOMEM;
    q->nbuckets = 1024;
    q->buckets = calloc(q->nbuckets, sizeof *q->buckets);
    if (!q->buckets) {
        free(q);
        return -ENOMEM;
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cond, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&q->mu, NULL);
    *out = q;
    return 0;
}

/* Frees a queue (see queue.h). */
void fgd_queue_free(fgd_queue_t *q) {
    if (!q)
        return;
    for (int l = FAST; l <= BULK; l++) {
        fgd_op_t *op = q->head[l];
        while (op) {
            fgd_op_t *nx = op->next;
            fgd_op_free(op);
            op = nx;
        }
    }
    free(q->buckets);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cond);
    free(q);
}

/* Queues a deduplicated sync (see queue.h). */
int fgd_queue_sync(fgd_queue_t *q, const char *path) {
    pthread_mutex_lock(&q->mu);
    size_t k = hash_str(path) & (q->nbuckets - 1);
    for (fgd_op_t *op = q->buckets[k]; op; op = op->hnext) {
        if (strcmp(op->path, path) == 0) {
            pthread_mutex_unlock(&q->mu);
            return 0;
        }
    }
    fgd_op_t *op = calloc(1, sizeof *op);
    if (!op || !(op->path = strdup(path))) {
        pthread_mutex_unlock(&q->mu);
        free(op);
        return -ENOMEM;
    }
    op->kind = FGD_OP_SYNC;
    op->hnext = q->buckets[k];
    q->buckets[k] = op;
    q->nsync++;
    append_locked(q, op);
    maybe_grow_locked(q);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

/* Queues a move (see queue.h). */
int fgd_queue_move(fgd_queue_t *q, const char *from, const char *to) {
    fgd_op_t *op = calloc(1, sizeof *op);
    if (!op || !(op->path = strdup(from)) || !(op->to = strdup(to))) {
        fgd_op_free(op);
        return -ENOMEM;
    }
    op->kind = FGD_OP_MOVE;
    pthread_mutex_lock(&q->mu);
    append_locked(q, op);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

/* Queues a rescan unless one waits (see queue.h). */
int fgd_queue_rescan(fgd_queue_t *q) {
    return fgd_queue_push(q, FGD_OP_RESCAN, NULL, NULL);
}

/* Queues a stop, reload or (once) a rescan (see queue.h). */
int fgd_queue_push(fgd_queue_t *q, fgd_op_kind_t kind, void *arg, void (*arg_free)(void *)) {
    fgd_op_t *op = calloc(1, sizeof *op);
    if (!op) {
        if (arg && arg_free)
            arg_free(arg);
        return -ENOMEM;
    }
    op->kind = kind;
    op->arg = arg;
    op->arg_free = arg_free;
    pthread_mutex_lock(&q->mu);
    if (kind == FGD_OP_RESCAN) {
        if (q->rescan_waiting) {
            pthread_mutex_unlock(&q->mu);
            free(op);
            return 0;
        }
        q->rescan_waiting = true;
    }
    append_locked(q, op);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

/* Takes the oldest operation, waiting until deadline_ms (see queue.h). */
fgd_op_t *fgd_queue_take(fgd_queue_t *q, int64_t deadline_ms) {
    pthread_mutex_lock(&q->mu);
    while (!q->head[FAST] && !q->head[BULK]) {
        if (deadline_ms < 0) {
            pthread_cond_wait(&q->cond, &q->mu);
            continue;
        }
        if (fgd_now_ms() >= deadline_ms)
            break;
        struct timespec ts = {.tv_sec = deadline_ms / 1000,
                              .tv_nsec = (long)(deadline_ms % 1000) * 1000000};
        pthread_cond_timedwait(&q->cond, &q->mu, &ts);
    }
    int l = q->head[FAST] ? FAST : BULK; /* single changes first */
    fgd_op_t *op = q->head[l];
    if (op) {
        q->head[l] = op->next;
        if (!q->head[l])
            q->tail[l] = NULL;
        q->length--;
        op->next = NULL;
        if (op->kind == FGD_OP_SYNC)
            unhash_locked(q, op);
        else if (op->kind == FGD_OP_RESCAN)
            q->rescan_waiting = false;
    }
    pthread_mutex_unlock(&q->mu);
    return op;
}

/* Number of waiting operations (see queue.h). */
size_t fgd_queue_length(fgd_queue_t *q) {
    pthread_mutex_lock(&q->mu);
    size_t n = q->length;
    pthread_mutex_unlock(&q->mu);
    return n;
}
