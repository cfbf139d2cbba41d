/*
 * queue.h - the work queue from the event loop to the writer thread.
 *
 * The loop pushes what changed; the writer takes one operation at a time.
 * A sync operation says "make the index match the file system at this path"
 * (a file, or a folder and everything below it): it is decided by looking at
 * the path when it is taken, so several events for one path collapse into
 * one queued operation (dedupe by path), and the order of operations on
 * different paths does not matter.  A rescan of all roots is queued at most
 * once as well.  Thread-safe: any thread may push, one thread waits.
 */
#ifndef FGD_QUEUE_H
#define FGD_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kinds of operations. */
typedef enum fgd_op_kind {
    FGD_OP_SYNC,   /* path: index, refresh or remove what is at (and below) path */
    FGD_OP_MOVE,   /* path -> to: a file or folder moved within the watched tree */
    FGD_OP_RESCAN, /* reconcile every watched root (start-up, overflow, SIGUSR1) */
    FGD_OP_RELOAD, /* arg: a new configuration (fg_config_t *, owned by the op) */
    FGD_OP_STOP    /* finish: commit and leave */
} fgd_op_kind_t;

/* One queued operation; free with fgd_op_free(). */
typedef struct fgd_op {
    fgd_op_kind_t kind;
    char *path; /* SYNC, MOVE: absolute path */
    char *to;   /* MOVE: the new path */
    void *arg;  /* RELOAD: the configuration */
    void (*arg_free)(void *arg);
    int64_t queued_ms;    /* when it was queued (fgd_now_ms(); a sync collapsed
                             into a waiting one keeps the first time) */
    bool folder_bursts;   /* SYNC: its folder was bursting when it came (lane.h) */
    struct fgd_op *next;  /* private: FIFO order */
    struct fgd_op *hnext; /* private: hash chain of SYNC ops */
} fgd_op_t;

typedef struct fgd_queue fgd_queue_t;

/* Creates an empty queue.  Returns 0 or -ENOMEM. */
int fgd_queue_new(fgd_queue_t **out);

/* Frees the queue and every operation still in it; NULL is allowed. */
void fgd_queue_free(fgd_queue_t *q);

/* Queues a sync of path (copied) unless one for path is waiting already.
 * Returns 0 or -ENOMEM. */
int fgd_queue_sync(fgd_queue_t *q, const char *path);

/* Queues a move from -> to (both copied).  Returns 0 or -ENOMEM. */
int fgd_queue_move(fgd_queue_t *q, const char *from, const char *to);

/* Queues a rescan unless one is waiting.  Returns 0 or -ENOMEM. */
int fgd_queue_rescan(fgd_queue_t *q);

/* Queues a stop, or a reload carrying arg (freed with arg_free by
 * fgd_op_free()).  Returns 0 or -ENOMEM (arg is then freed). */
int fgd_queue_push(fgd_queue_t *q, fgd_op_kind_t kind, void *arg, void (*arg_free)(void *));

/*
 * Takes the oldest operation, waiting for one until deadline_ms (a time of
 * fgd_now_ms(); negative: no deadline).  Syncs of a folder that is bursting
 * (fgd_lane_folder_bursts(): a copy) wait in a second FIFO and come after
 * every other operation, so a single change never waits behind a burst.
 * Returns NULL when the deadline passed with the queue empty.  The caller
 * owns the operation.
 */
fgd_op_t *fgd_queue_take(fgd_queue_t *q, int64_t deadline_ms);

/* Number of waiting operations. */
size_t fgd_queue_length(fgd_queue_t *q);

/* Frees an operation; NULL is allowed. */
void fgd_op_free(fgd_op_t *op);

/* Milliseconds of the monotonic clock. */
int64_t fgd_now_ms(void);

#endif
