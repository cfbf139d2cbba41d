/*
 * feed-private.h - the inside of a feed, shared by the .c files of feed/.
 * Not for use outside feed/.
 */
#ifndef FG_FEED_FEED_PRIVATE_H
#define FG_FEED_FEED_PRIVATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "extract/extractor.h"
#include "feed/docbuild.h"
#include "feed/feed.h"
#include "index/index.h"

#define FG_FEED_ERRLEN 1024

/* ------------------------------------------------------------ held segments (held.c) */

#define FG_HELD_LEVELS 4 /* segment levels (bulk.c combines each into the next) */

/* Finished segment folders (malloc'ed names), oldest first. */
typedef struct fg_seglist {
    char **paths;
    size_t n, cap;
} fg_seglist_t;

/* The stamp of one document in a held segment. */
typedef struct fg_held_doc {
    char *path;           /* malloc'ed */
    fg_doc_stamp_t stamp; /* fg_stamp_of() the file it was built from */
    uint64_t seq;         /* order of arrival: the latest of one path counts */
} fg_held_doc_t;

/*
 * Segments that bulk runs finished and that are not yet in the live index,
 * with the stamp of every document in them.  Bulk runs hand segments in;
 * fg_feed_flush() takes them all into the live index.  Segments of level
 * l+1 hold only documents older than those of level l, and each list is
 * oldest first, so "highest level first, each list in order" is the order
 * of arrival (the later copy of a path wins).  During a bulk run, bulk.c
 * guards it with its mutex.
 */
typedef struct fg_held {
    fg_seglist_t levels[FG_HELD_LEVELS];
    uint64_t bytes;        /* text in the segments */
    uint64_t docs;         /* documents in them */
    fg_held_doc_t *stamps; /* one per document (a path may come twice) */
    size_t nstamps, cap;
    size_t sorted; /* stamps[0..sorted) are sorted by path, then seq */
    uint64_t seq;
    char **live; /* paths (files or folders) at and below which the live
                    index's documents win over held copies (single changes
                    made while segments were held or being built) */
    size_t nlive, live_cap;
} fg_held_t;

/* Appends path (taken over) to l; false when memory ran out. */
bool fg_seglist_push(fg_seglist_t *l, char *path);

/* Records that a held segment holds the document of path with stamp sb;
 * false when memory ran out. */
bool fg_held_add_stamp(fg_held_t *h, const char *path, const struct stat *sb);

/* The latest stamp of path among the held documents that count (not
 * superseded by fg_held_prefer_live()), or NULL. */
const fg_held_doc_t *fg_held_find(fg_held_t *h, const char *path);

/* True when a held document's path is path or below it (a folder). */
bool fg_held_any_below(fg_held_t *h, const char *path);

/* Calls fn for every held path at or below path (sorted; a path once; not
 * the superseded ones); stops at a nonzero return and returns it. */
int fg_held_each_below(fg_held_t *h, const char *path, int (*fn)(void *, const char *), void *ctx);

/* Number of held segments. */
size_t fg_held_segment_count(const fg_held_t *h);

/*
 * Records that at and below path the live index's documents win over held
 * copies, those held now and those that segments being built will hold:
 * the daemon's single changes go into the live index during a burst, and
 * the held copies of their paths are dropped from the segments before
 * these enter it (fg_held_take()).  False when memory ran out.
 */
bool fg_held_prefer_live(fg_held_t *h, const char *path);

/* True when path is at or below a path given to fg_held_prefer_live(). */
bool fg_held_live_wins(const fg_held_t *h, const char *path);

/* Segments taken out of the held list. */
typedef struct fg_held_batch {
    char **paths; /* malloc'ed names, oldest first (NULL when none) */
    size_t n;
    char **drop; /* unique ids to drop from them first (superseded copies) */
    size_t ndrop;
    uint64_t docs;  /* documents in them */
    uint64_t bytes; /* text in them */
} fg_held_batch_t;

/*
 * Takes every held segment into *out, with the ids of the superseded copies
 * in them, and forgets the stamps; the superseded paths are forgotten too
 * unless keep_live (segments still being built may hold copies of them).
 * The caller puts the segments into the live index with
 * fg_feed_merge_segments().  False when memory ran out (nothing taken).
 */
bool fg_held_take(fg_held_t *h, fg_held_batch_t *out, bool keep_live);

/* Frees a batch's names (the folders stay) and drop list. */
void fg_held_batch_free(fg_held_batch_t *batch);

/* Frees everything held; the segment folders are removed. */
void fg_held_free(fg_held_t *h);

struct fg_feed {
    fg_index_t *index;
    fg_docbuild_t *builder;
    fg_config_t cfg; /* the globs, size limit and analysis used */
    fg_feed_event_fn fn;
    void *ctx;
    fg_feed_stats_t stats;
    uint64_t pending_docs, pending_bytes;
    uint64_t batch_docs, batch_bytes;
    unsigned bulk_threads;                   /* bulk.c: workers (0: one per CPU, at most 4) */
    uint64_t bulk_min_files, bulk_min_bytes; /* bulk path from here on (0: defaults) */
    uint64_t bulk_segment_bytes;             /* text per segment (0: default budget / workers) */
    fg_held_t held;                          /* held.c: segments not yet in the live index */
    bool defer_merge;                        /* held.c: keep segments between bulk runs */
    bool parallel_documents;                 /* fg_feed_set_parallel_documents() */
    const atomic_bool *cancel;               /* fg_feed_set_cancel(): stop long work when true */
    fg_docbuild_t **builders;                /* bulk.c: one per worker, kept across runs */
    fg_extractor_t **extractors; /* bulk.c: one per worker (n_builders of them), kept too */
    unsigned n_builders;
    fg_feed_yield_fn yield; /* fg_feed_set_yield(): single changes during long work */
    void *yield_ctx;
    bool in_yield;           /* yield is running: no bulk run, no second yield */
    bool in_run;             /* bulk.c: workers are running (held copies may still come) */
    pthread_mutex_t *run_mu; /* bulk.c: the run's mutex, held while yield runs in it */
    int64_t last_yield_ms;
    fg_extractor_t *extractor;    /* fg_feed_file()'s: its sandbox starts on first use */
    fg_sandbox_options_t sandbox; /* the [extract] limits of every extractor */
    char err[FG_FEED_ERRLEN];
};

/*
 * Puts the segments of batch into the live index: copies them into it
 * (fg_index_absorb()) when they are small beside it, else merges them into
 * a new generation (fg_index_merge()).  The caller reports COMMITTED.  Frees
 * the names and removes folders left.  Returns FG_OK or the index error
 * (err says what).  The calling thread must own the live index writer.
 */
fg_status_t fg_feed_merge_segments(fg_feed_t *f, fg_held_batch_t *batch, char *err, size_t errlen);

/* True when stamp is that of the file sb: the same mtime and size, and the
 * same inode unless the stamp has none (documents of older indexes). */
static inline bool fg_stamp_matches(const fg_doc_stamp_t *stamp, const struct stat *sb) {
    fg_doc_stamp_t now = fg_stamp_of(sb);
    return stamp->mtime == now.mtime && stamp->size == now.size &&
           (stamp->inode == 0 || stamp->inode == now.inode);
}

/* The stamp of the document of path: a held one (the newer) else the live
 * index's.  Returns FG_OK, FG_NOT_FOUND, or an index error (f->err says
 * what). */
fg_status_t fg_feed_stamp(fg_feed_t *f, const char *path, fg_doc_stamp_t *out);

/* True when the feed's work is to stop (fg_feed_set_cancel()). */
static inline bool fg_feed_cancelled(const fg_feed_t *f) {
    return f->cancel && atomic_load(f->cancel);
}

/* How often long work calls the yield function (ms). */
#define FG_FEED_YIELD_MS 5

/* Calls the feed's yield function (fg_feed_set_yield()) unless it is
 * running already, or (unless always) it ran less than FG_FEED_YIELD_MS
 * ago. */
void fg_feed_yield(fg_feed_t *f, bool always);

/* Puts every held segment into the live index (fg_feed_merge_segments())
 * and reports COMMITTED; FG_OK at once when none is held. */
fg_status_t fg_feed_flush(fg_feed_t *f);

/* Writes what extraction skipped inside a file that was still indexed
 * (ex->notes: a mail's broken part, a refused attachment) into buf as
 * "PATH: note; note", for the INDEXED event's reason.  False when there is
 * nothing to say (buf is then untouched). */
bool fg_feed_notes(const char *path, const fg_extracted_t *ex, char *buf, size_t len);

#endif
