/*
 * feed.h - keeping an index in step with folder trees.
 *
 * The one code path by which files get into an index: `fundgrube index` uses
 * it directly, the daemon for every event.  A feed owns the writable index
 * (and so its writer lock) and a document builder.
 *
 *   fg_feed_open()    opens or creates the index; records the analysis settings
 *                     in a new index, refuses (FG_SETTINGS, saying what differs)
 *                     an index built with other settings
 *   fg_feed_file()    indexes one file unless its mtime and size are unchanged
 *   fg_feed_remove()  removes a file's document, or every document below a folder
 *   fg_feed_tree()    walks a folder tree: feeds every file that the include and
 *                     exclude globs admit, then removes the documents below that
 *                     folder whose files are gone or no longer admitted
 *   fg_feed_commit()  makes the changes visible to searches
 *
 * Bad input never stops a run: a file that cannot be read or is not text is
 * reported through the event callback and counted, and the walk goes on.
 */
#ifndef FG_FEED_FEED_H
#define FG_FEED_FEED_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Counters of a feed since it was opened. */
typedef struct fg_feed_stats {
    uint64_t seen;        /* files looked at */
    uint64_t indexed;     /* files (re)indexed */
    uint64_t unchanged;   /* skipped: mtime and size as indexed */
    uint64_t skipped;     /* not text, empty, too large, excluded symlink ... */
    uint64_t failed;      /* could not be read */
    uint64_t removed;     /* documents removed */
    uint64_t bytes;       /* bytes of files indexed */
    uint64_t total_files; /* files a walk expects (0 when unknown) */
    uint64_t total_bytes; /* bytes a walk expects (0 when unknown) */
} fg_feed_stats_t;

/* What the event callback reports. */
typedef enum fg_feed_event {
    FG_FEED_INDEXED,   /* path indexed */
    FG_FEED_UNCHANGED, /* path unchanged since it was indexed */
    FG_FEED_SKIPPED,   /* path skipped; reason says why */
    FG_FEED_FAILED,    /* path could not be indexed; reason says why */
    FG_FEED_REMOVED,   /* the document of path was removed */
    FG_FEED_COMMITTED, /* a commit finished (path NULL) */
    FG_FEED_RENAMED    /* the document of reason (the old path) now is path's */
} fg_feed_event_t;

/* Receives events; reason is NULL unless the event is SKIPPED or FAILED (or
 * RENAMED: then it is the old path; or INDEXED when parts of the file were
 * skipped, e.g. a mail's broken attachment: then it says which, "PATH: ..."). */
typedef void (*fg_feed_event_fn)(void *ctx, fg_feed_event_t ev, const char *path,
                                 const char *reason, const fg_feed_stats_t *stats);

typedef struct fg_feed fg_feed_t;

/*
 * Opens (creating if needed) the index at index_dir for writing, with the
 * globs, size limit, bulk workers and analysis settings of cfg (copied; cfg may be freed
 * afterwards).  fn (may be NULL) receives events.  Errors: FG_LOCKED,
 * FG_SETTINGS, FG_VERSION, FG_IO ... with err saying what.
 */
fg_status_t fg_feed_open(const fg_config_t *cfg, const char *index_dir, fg_feed_event_fn fn,
                         void *ctx, fg_feed_t **out, char *err, size_t errlen);

/*
 * fg_feed_open() of an existing index with the analysis settings it was
 * built with (recorded in it) instead of cfg's, for the daemon's fast lane
 * into the old index while a rebuild with new settings runs: documents
 * added there are analysed as the rest of that index.  The other settings
 * are cfg's.
 */
fg_status_t fg_feed_open_as_built(const fg_config_t *cfg, const char *index_dir,
                                  fg_feed_event_fn fn, void *ctx, fg_feed_t **out, char *err,
                                  size_t errlen);

/* Commits and closes; returns the commit's status.  NULL is allowed. */
fg_status_t fg_feed_close(fg_feed_t *f);

/*
 * Indexes the file at path (absolute) unless it is unchanged (mtime, size)
 * and force is false.  Returns FG_OK when it was indexed or unchanged,
 * FG_SKIPPED or FG_IO for a file that was reported and left out (its old
 * document, if any, is removed; a document format that crashed, stalled or
 * was refused by its parser is recorded as a failure stub instead, see
 * failed.h, and not retried until it changes), or an index error
 * (FG_XAPIAN, FG_NOMEM ...) that should stop the caller.
 */
fg_status_t fg_feed_file(fg_feed_t *f, const char *path, bool force);

/* Removes the document of the file at path and every document below it when
 * it is a folder.  Returns FG_OK (also when there was none) or an index error. */
fg_status_t fg_feed_remove(fg_feed_t *f, const char *path);

/*
 * Walks the tree below root (absolute), feeding every admitted file and then
 * removing documents below root whose files are gone or no longer admitted.
 * force reindexes unchanged files too.  Symbolic links are not followed.
 * Returns FG_OK or an index error.
 */
fg_status_t fg_feed_tree(fg_feed_t *f, const char *root, bool force);

/* True when cfg's globs and hidden setting admit the file at path (absolute),
 * below the folder root. */
bool fg_feed_admits(const fg_config_t *cfg, const char *root, const char *path);

/* Commits pending changes, and puts held segments (see
 * fg_feed_set_defer_merge()) into the live index. */
fg_status_t fg_feed_commit(fg_feed_t *f);

/* The counters so far. */
const fg_feed_stats_t *fg_feed_stats(const fg_feed_t *f);

/* The text of the last error. */
const char *fg_feed_error(const fg_feed_t *f);

/* Sets how many documents or bytes of text may wait before an automatic
 * commit during fg_feed_tree() (defaults: 10000 documents, 64 MB). */
void fg_feed_set_commit_batch(fg_feed_t *f, uint64_t docs, uint64_t bytes);

/* ------------------------------------------------------------ for the daemon */

/* True when the folder at path (absolute) below root is walked: no component
 * below root is hidden (unless cfg allows it) or matches an exclude glob.
 * The include globs, which name files, are not looked at. */
bool fg_feed_admits_folder(const fg_config_t *cfg, const char *root, const char *path);

/* Counts the documents of the feed's index into *out (changes not yet
 * committed included), the failure stubs of files that could not be read
 * (failed.h) left out.  Returns FG_OK or an index error (fg_feed_error()). */
fg_status_t fg_feed_doc_count(fg_feed_t *f, uint64_t *out);

/*
 * The file or folder from was renamed to to (absolute paths; the caller
 * checked that the globs admit both): every document at or below from moves
 * to the same place below to.  A document whose file is unchanged (mtime,
 * size, inode, extension) keeps its terms and only gets the new path
 * (fg_index_rename(): no extraction, no analysis); any other is indexed
 * afresh from its new path, or removed when nothing is there.  Files below to
 * that had no document are not looked for (fg_feed_tree() does that).
 * Returns FG_OK or an index error.
 */
fg_status_t fg_feed_rename(fg_feed_t *f, const char *from, const char *to);

/* ------------------------------------------------------------ bulk indexing */

/*
 * Feeds the n files paths (absolute; sorted, each once) as fg_feed_file()
 * would one by one.  When many need (re)indexing (by default 500 files or
 * 32 MB, see fg_feed_set_bulk()) they are extracted and analysed by worker
 * threads into segments that are merged into the index (index.h,
 * "segments"); the event callback may then be called from the workers, never
 * by two threads at once.  The index is committed by the merge.  Returns
 * FG_OK or an index error.  Used by fg_feed_tree().
 */
fg_status_t fg_feed_files(fg_feed_t *f, const char *const *paths, size_t n, bool force);

/*
 * Deferred merging, for a daemon that sees a burst of copied files as many
 * fg_feed_files() calls: the segments of a bulk run are held (not yet
 * searchable) instead of merged at its end, later runs add to them, and
 * they enter the live index when they have grown large beside it (at least
 * 32 MB of text and three times as many documents as the index, or 256 MB), at
 * fg_feed_commit() (call it when the burst is over) or fg_feed_close().  A
 * single change that touches a held document (fg_feed_file(),
 * fg_feed_remove(), fg_feed_rename()) goes into the live index at once and
 * wins: the held copies of its path are dropped from the segments before
 * they enter (so it is searchable after fg_feed_commit_live(), without the
 * merge).  While segments are held, every fg_feed_files() call takes the
 * bulk path.  A document known from a held segment counts as indexed for
 * the unchanged check.  Off by default.
 */
void fg_feed_set_defer_merge(fg_feed_t *f, bool on);

/* Whether fg_feed_files() hands document formats (the sandboxed ones) to
 * its workers however few files there are, so that a slow extraction never
 * holds the calling thread (the daemon).  Off by default. */
void fg_feed_set_parallel_documents(fg_feed_t *f, bool on);

/* Commits the changes of the live index writer, and only them: held
 * segments stay held.  Reports COMMITTED.  Returns FG_OK or the index
 * error. */
fg_status_t fg_feed_commit_live(fg_feed_t *f);

/* A function long work calls between files; see fg_feed_set_yield(). */
typedef void (*fg_feed_yield_fn)(void *ctx);

/*
 * The fast lane of a daemon: fn(ctx) is called in the calling thread about
 * every 5 ms while fg_feed_tree(), fg_feed_files() and a bulk run's wait for
 * its workers go on.  fn may make single changes on the same feed
 * (fg_feed_file(), fg_feed_remove(), fg_feed_rename(), fg_feed_files() and
 * fg_feed_tree() of a few files, which then go one by one into the live
 * index) and fg_feed_commit_live(); not fg_feed_commit() or fg_feed_close().
 * They win over the run's copies of the same paths.  Not called again while
 * it runs.  NULL: never.
 */
void fg_feed_set_yield(fg_feed_t *f, fg_feed_yield_fn fn, void *ctx);

/* True while a bulk run's workers are building segments (so fg_feed_commit()
 * must not be called). */
bool fg_feed_in_run(const fg_feed_t *f);

/*
 * Makes long work stoppable: once *flag is true (set from any thread),
 * fg_feed_tree() and fg_feed_files() stop taking files, finish the ones in
 * progress and return FG_CANCELLED; a walk cut short removes nothing (the
 * files it did not reach are not known to be gone).  What was indexed stays
 * and is committed as usual; a later walk picks up the rest.  NULL: never.
 */
void fg_feed_set_cancel(fg_feed_t *f, const atomic_bool *flag);

/* Documents in held segments, waiting to become searchable (0: none). */
uint64_t fg_feed_held_docs(const fg_feed_t *f);

/* Sets the number of bulk worker threads (0: one per CPU, at most 4). */
void fg_feed_set_threads(fg_feed_t *f, unsigned threads);

/* Sets how many files (min_files) or bytes (min_bytes) needing indexing make
 * fg_feed_files() take the bulk path (UINT64_MAX for both: never), and how
 * many bytes of text a worker adds to its segment between two commits
 * (memory grows with it and with the number of workers; small commits are
 * fastest); a segment is handed over after 16 commits.  0 keeps a default
 * (500 files, 32 MB; 1 MB per commit). */
void fg_feed_set_bulk(fg_feed_t *f, uint64_t min_files, uint64_t min_bytes, uint64_t segment_bytes);

#ifdef __cplusplus
}
#endif
#endif
