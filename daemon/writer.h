/*
 * writer.h - the writer thread: the one owner of the feed, and so of the
 * Xapian WritableDatabase and the index's writer lock.
 *
 * It takes operations from the queue (queue.h) and carries them out through
 * the feed (feed/feed.h), the same code path as `fundgrube index`, and decides
 * when to commit:
 *   - when the queue has drained and at least [daemon] commit_interval ms
 *     passed since the previous commit (an idle daemon commits a single
 *     dropped file at once; a trickle of files is committed at most every
 *     interval);
 *   - while events keep coming, when batch_docs documents or batch_bytes
 *     bytes are waiting, or the oldest change has waited commit_max_age ms;
 *   - a burst of file events goes to the feed's bulk path with deferred
 *     merging: its segments become searchable when it is over (250 ms
 *     without work) or when they have grown large beside the index.
 * Xapian objects are created, used and destroyed on this thread only.
 */
#ifndef FGD_WRITER_H
#define FGD_WRITER_H

#include <stddef.h>

#include "config/config.h"
#include "daemon/options.h"
#include "daemon/queue.h"
#include "daemon/status.h"
#include "fundgrube/status.h"

typedef struct fgd_writer fgd_writer_t;

/* What a writer is started with. */
typedef struct fgd_writer_params {
    const fg_config_t *cfg;     /* copied */
    const fgd_options_t *opts;  /* the commit policy (read at start) */
    fgd_queue_t *queue;         /* borrowed; outlives the writer */
    fgd_status_t *status;       /* borrowed; outlives the writer */
    void (*on_exit)(void *ctx); /* called on the writer thread as it ends */
    void *ctx;
} fgd_writer_params_t;

/*
 * Starts the writer thread and waits until it has opened the index (taking
 * the writer lock).  On failure returns the feed's status (FG_LOCKED with
 * "index DIR is locked by pid N", FG_SETTINGS ...) with err saying what, and
 * no thread is left running.
 */
fg_status_t fgd_writer_start(const fgd_writer_params_t *p, fgd_writer_t **out, char *err,
                             size_t errlen);

/*
 * Asks the writer to stop soon (any thread; before queueing FGD_OP_STOP):
 * a long walk or bulk run finishes the documents in progress and stops, the
 * operations still queued are dropped (the next start's rescan does their
 * work), and the writer commits and ends at the STOP.
 */
void fgd_writer_cancel(fgd_writer_t *w);

/*
 * Waits for the thread to end (after a FGD_OP_STOP, or by itself after an
 * index error) and frees the writer.  Returns FG_OK, or the index error that
 * stopped it.
 */
fg_status_t fgd_writer_join(fgd_writer_t *w);

#endif
