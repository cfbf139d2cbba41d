/*
 * failed.h - failure stubs: a document-format file the extractor could not
 * read is recorded in the index with its stamp, so it costs one attempt and
 * is not retried until it changes.
 *
 * A stub is a document with the file's Q term (fg_index_replace()), the
 * stamp values FG_VALUE_MTIME, SIZE and INODE, the data keys FG_DATA_URL and
 * FG_DATA_FAILED (the reason) and the one term FG_PREFIX_FAILED: no P, E,
 * Y or word term, so no search or filter finds it.  The unchanged check of
 * the feed (the stamp) skips it like any document; a file that extracts
 * later replaces it (same Q term).
 *
 * What is recorded: a crash, timeout or memory kill in the sandbox, and the
 * sandbox's refusals and parser errors (encrypted, not a supported format,
 * zip bomb, truncated).  What is not: a helper that could not start (not
 * the file's fault), a file that cannot be opened, and the cheap skips
 * decided before any parser runs (empty, over max_file_size, not a regular
 * file, and the text path's "binary file" or bad encoding): those are
 * reported again on every run, as before, and follow a changed setting.
 */
#ifndef FG_FEED_FAILED_H
#define FG_FEED_FAILED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "extract/sandbox.h"
#include "index/index.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * True when the outcome st / failure of fg_extractor_run() on the file at
 * path (stat sb, read with limit max_size) is the file's own failure in a
 * parser: a stub is to be recorded (see the top of this file).  Reads the
 * file's first bytes again to tell the sandbox path from the text path.
 */
bool fg_failed_records(fg_status_t st, fg_sandbox_failure_t failure, const char *path,
                       const struct stat *sb, uint64_t max_size);

/*
 * Builds the stub of the file at path (stat sb) that failed with reason (as
 * fg_extractor_run() gives it, "PATH: why"; the "PATH: " is left out).  On
 * success *out is a new document (fg_doc_free() it).  FG_OK or FG_NOMEM.
 */
fg_status_t fg_failed_stub(const char *path, const struct stat *sb, const char *reason,
                           fg_doc_t **out);

/* Receives one stub: the file's path and the reason it failed. */
typedef int (*fg_failed_fn)(void *ctx, const char *path, const char *reason);

/*
 * Calls fn for every stub of idx whose path is path_prefix or below it
 * (NULL: every stub), in docid order, until fn returns nonzero.  Returns
 * FG_OK, FG_NOMEM or the index error (fg_index_error()).
 */
fg_status_t fg_failed_each(fg_index_t *idx, const char *path_prefix, fg_failed_fn fn, void *ctx);

/* The number of stubs in idx into *out.  FG_OK or the index error. */
fg_status_t fg_failed_count(fg_index_t *idx, uint64_t *out);

#ifdef __cplusplus
}
#endif
#endif
