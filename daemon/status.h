/*
 * status.h - what the daemon is doing, for `fundgrube status`.
 *
 * Both threads report here (under a mutex); the event loop writes the record
 * now and then as JSON to INDEX/fundgrubed.status, atomically (a temporary
 * file renamed over the old one), so a reader sees a whole record or the
 * previous one.  The fields:
 *
 *   pid, started, updated     the daemon's pid; start and write times (Unix s)
 *   state                     "starting", "reconciling", "watching", "rescanning",
 *                             "reloading", "stopping", "stopped" or "failed"
 *   index                     the index folder
 *   documents                 documents in the index after the last commit
 *   last_commit, commits      time (Unix s, 0: none yet) and number of commits
 *   queue                     operations waiting for the writer
 *   indexed, removed, failed  counters since the start
 *   failures                  the last FGD_STATUS_FAILURES failures:
 *                             [{"time", "path", "reason"}...]
 *   watched                   [{"folder", "present": false when missing}...]
 *   watches                   inotify watches in use
 *   polled                    folders rescanned periodically (no watch left)
 *   rebuild                   true while the index is rebuilt beside the old
 *                             one (analysis settings changed)
 *   failed_files              files recorded in the index as failed (failure
 *                             stubs, feed/failed.h: not retried until they change)
 *   failed_list               the first FGD_STATUS_FAILURES of them:
 *                             [{"path", "reason"}...]
 *   scan                      the progress of a rescan (the start-up one, the
 *                             initial indexing of a folder, a rebuild's fill):
 *                             {"done", "total": files, "bytes": bytes indexed,
 *                             "elapsed_ms"}; total 0 when none runs.  total
 *                             grows as each watched folder is walked.
 *
 * documents leaves the failure stubs out.  The stubs are read from the index
 * (a reader of its own) by the thread that calls fgd_status_write(), after
 * each commit.
 */
#ifndef FGD_STATUS_H
#define FGD_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FGD_STATUS_FILE "fundgrubed.status"
#define FGD_STATUS_FAILURES 20

typedef struct fgd_status fgd_status_t;

/* Creates the record for the index in index_dir.  Returns 0 or -ENOMEM. */
int fgd_status_new(const char *index_dir, fgd_status_t **out);

/* Frees the record; NULL is allowed. */
void fgd_status_free(fgd_status_t *s);

/* Sets the state word (a static string, see above). */
void fgd_status_set_state(fgd_status_t *s, const char *state);

/* Says whether a rebuild is running. */
void fgd_status_set_rebuild(fgd_status_t *s, bool rebuilding);

/* Records a commit that left docs documents in the index. */
void fgd_status_committed(fgd_status_t *s, uint64_t docs);

/* Counts one file indexed (or, with removed, one document removed). */
void fgd_status_count(fgd_status_t *s, bool removed);

/* Records a file that could not be indexed and why. */
void fgd_status_failed(fgd_status_t *s, const char *path, const char *reason);

/* Replaces the watch part: folders (n roots with their state words), the
 * number of watches and the periodically rescanned folders. */
void fgd_status_set_watch(fgd_status_t *s, const char *const *folders, const char *const *states,
                          size_t n, uint64_t watches, const char *const *polled, size_t npolled);

/*
 * The lanes (writer.c): single changes taken but not yet searchable, and
 * the progress of a burst in the bulk lane (files done of total, the
 * estimated seconds left, -1 when unknown; total 0: no burst).
 */
void fgd_status_set_lanes(fgd_status_t *s, uint64_t fast_waiting, uint64_t burst_done,
                          uint64_t burst_total, int64_t eta_s);

/* The progress of a rescan: files done of total and bytes indexed since
 * started_ms (fgd_now_ms()); total 0 ends it. */
void fgd_status_set_scan(fgd_status_t *s, uint64_t done, uint64_t total, uint64_t bytes,
                         int64_t started_ms);

/*
 * Writes the record if anything changed since the last write (or force),
 * with queue_length as the queue; after a commit it reads the failure stubs
 * of the index first (always from the same thread: the reader is its own).  Returns 0 or a negative
 * errno (the file could not be written; the caller logs it).
 */
int fgd_status_write(fgd_status_t *s, uint64_t queue_length, bool force);

#endif
