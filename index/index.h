/*
 * index.h - the C API over Xapian: the only place that knows Xapian exists.
 *
 * Everything here is implemented in C++ (the .cc files of index/); every entry
 * point catches every exception and returns an fg_status_t.  A failed call leaves a text in
 * the handle (fg_index_error()) or in the caller's err buffer saying what went
 * wrong; no call returns a bare pointer or bool.
 *
 * What an index holds (term prefixes, value slots, document data keys,
 * metadata) is named in index/schema.h, Xapian Omega's prefixes where Omega
 * has one, so delve/quest/omega can read an index.
 *
 * On disk: the index folder holds a Xapian stub file "XAPIANDB" naming the
 * live generation, a glass database in the subfolder gen-N (delve/quest can
 * be pointed at the index folder: Xapian follows the stub), segments being
 * built (seg-*, see "segments" below) and the lock file "fundgrube.lock".
 * An index of the older layout (glass files in the folder itself) is still
 * read and written; its first merge moves it to gen-1.
 *
 * Concurrency: one writer per index, enforced by a lock file "fundgrube.lock"
 * in the index folder holding the writer's pid (a second writer gets FG_LOCKED
 * and "index DIR is locked by pid N").  The lock is an open file description
 * lock (F_OFD_SETLK): a second writer in the same process is refused too, and
 * the kernel drops it when the writer exits or is killed.  Never waits.  Any
 * number of readers.  A handle is not thread-safe; Xapian objects never cross
 * threads.
 */
#ifndef FG_INDEX_INDEX_H
#define FG_INDEX_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#include "index/schema.h"

/* Longest term Xapian accepts is 245 bytes; we keep a margin. */
#define FG_TERM_MAX 240

/* ------------------------------------------------------------ documents */

typedef struct fg_doc fg_doc_t;

/* Creates an empty document.  Free with fg_doc_free(). */
fg_status_t fg_doc_new(fg_doc_t **out);

/* Frees a document; NULL is allowed. */
void fg_doc_free(fg_doc_t *doc);

/* Adds one occurrence of term at position pos (wdf += 1).  A term longer than
 * FG_TERM_MAX bytes is not added and FG_TOO_LONG returned. */
fg_status_t fg_doc_add_posting(fg_doc_t *doc, const char *term, size_t len, uint32_t pos);

/* Adds term without position.  wdf_inc 0 makes a boolean (filter) term.
 * FG_TOO_LONG as above. */
fg_status_t fg_doc_add_term(fg_doc_t *doc, const char *term, size_t len, uint32_t wdf_inc);

/* Sets value slot to len bytes. */
fg_status_t fg_doc_set_value(fg_doc_t *doc, unsigned slot, const char *val, size_t len);

/* Sets the document data (copied). */
fg_status_t fg_doc_set_data(fg_doc_t *doc, const char *data, size_t len);

/* Encodes a number so that byte order equals numeric order (Xapian's
 * sortable_serialise); buf needs 18 bytes; returns the length written. */
size_t fg_sortable_serialise(double v, char *buf);

/* Decodes fg_sortable_serialise() output. */
double fg_sortable_unserialise(const char *buf, size_t len);

/* ------------------------------------------------------------ the index */

typedef struct fg_index fg_index_t;

/* Flags of fg_index_open_writable(). */
#define FG_INDEX_CREATE 0x1u /* create the folder (mode 0700) and database if missing */

/* True when the index folder dir exists and its group or others have any
 * access to it (an index made before folders were created private, or by
 * hand); *mode (may be NULL) receives its permission bits.  The index holds
 * the text of private files: callers warn, saying `chmod 700 DIR`. */
bool fg_index_dir_is_shared(const char *dir, unsigned *mode);

/*
 * Opens (or with FG_INDEX_CREATE creates) the index in folder dir for
 * writing.  Takes the writer lock first: FG_LOCKED with "index DIR is locked
 * by pid N" if another process holds it (no waiting).  An existing index with
 * another FG_META_FORMAT gives FG_VERSION; a folder that is not an index
 * gives FG_CORRUPT or FG_NOT_FOUND.  FG_INDEX_CREATE makes an index only in
 * a missing or empty folder: one that holds other files but no index gives
 * FG_INVALID (no database is scattered among somebody's files).  On failure
 * *out is NULL and err holds the message.
 */
fg_status_t fg_index_open_writable(const char *dir, unsigned flags, fg_index_t **out, char *err,
                                   size_t errlen);

/* Opens the index in dir read-only.  FG_NOT_FOUND when there is none. */
fg_status_t fg_index_open_readonly(const char *dir, fg_index_t **out, char *err, size_t errlen);

/* How a shard list is searched (see fg_index_open_cluster()). */
typedef struct fg_cluster_opts {
    const char *shards;          /* NULL, or a shard list's text (Xapian's stub format:
                                    "auto FOLDER" / "remote HOST:PORT" lines), searched
                                    instead of dir ([cluster] shards) */
    uint32_t timeout_ms;         /* a remote shard's answer waits at most this long */
    uint32_t connect_timeout_ms; /* connecting to a remote shard waits this long */
    uint32_t retry_ms;           /* a missing shard is tried again this long after
                                    it failed (0: at every search) */
} fg_cluster_opts_t;

/*
 * Opens a shard list read-only: o->shards when not NULL, else the list file
 * dir (Xapian's stub format; dir may also be an index folder, then this is
 * fg_index_open_readonly()).  Remote shards are opened with o's timeouts (o
 * NULL: 10 s each, retry 1 s).  Shards that cannot be opened or that break
 * later are left out of the searches, and fg_index_warnings() names them; a
 * later search tries them again.  Fails (FG_XAPIAN) when no shard opens.
 */
fg_status_t fg_index_open_cluster(const char *dir, const fg_cluster_opts_t *o, fg_index_t **out,
                                  char *err, size_t errlen);

/* The shards left out of the handle's last search (or open), one line each
 * naming the shard and why ("" when none or no shard list); valid until the
 * next call on the handle. */
const char *fg_index_warnings(const fg_index_t *idx);

/* Closes the index; a writer commits pending changes first (the status of
 * that commit is returned) and releases the lock.  NULL is allowed. */
fg_status_t fg_index_close(fg_index_t *idx);

/* The text of the last failure on this handle ("" if none). */
const char *fg_index_error(const fg_index_t *idx);

/* The index folder as given at open. */
const char *fg_index_path(const fg_index_t *idx);

/* A reader: move to the latest committed revision (of the generation the
 * stub names now, after a merge). */
fg_status_t fg_index_reopen(fg_index_t *idx);

/* How many times this handle has reopened and rerun a read because its
 * revision was discarded by the writer (Xapian's DatabaseModifiedError);
 * for tests and --debug. */
uint32_t fg_index_retries(const fg_index_t *idx);

/* Adds or replaces the document whose unique id is uid (usually the path),
 * adding its Q term and the P terms of uid and every folder above it; a
 * failure stub (a document with the FG_PREFIX_FAILED term, schema.h) gets
 * the Q term only, so fg_index_foreach() and folder filters never see it. */
fg_status_t fg_index_replace(fg_index_t *idx, const char *uid, const fg_doc_t *doc);

/* Deletes the document with unique id uid; FG_OK also when there was none. */
fg_status_t fg_index_delete(fg_index_t *idx, const char *uid);

/* Commits pending changes (a writer). */
fg_status_t fg_index_commit(fg_index_t *idx);

/* Stored facts about one document, for deciding whether a file changed. */
typedef struct fg_doc_stamp {
    double mtime; /* FG_VALUE_MTIME */
    double size;  /* FG_VALUE_SIZE */
    double inode; /* FG_VALUE_INODE, 0 if absent */
} fg_doc_stamp_t;

/* Looks up the document with unique id uid.  FG_NOT_FOUND if absent. */
fg_status_t fg_index_stamp(fg_index_t *idx, const char *uid, fg_doc_stamp_t *out);

/*
 * Copies value slot of document docid into a new buffer *out (*len bytes,
 * NUL-terminated; *out is NULL and *len 0 when the slot is empty).  The
 * caller frees *out.  FG_NOT_FOUND when there is no such document.
 */
fg_status_t fg_index_doc_value(fg_index_t *idx, uint32_t docid, unsigned slot, char **out,
                               size_t *len);

/* Copies the document data of docid into a new buffer *out (*len bytes,
 * NUL-terminated), which the caller frees.  FG_NOT_FOUND when there is no
 * such document. */
fg_status_t fg_index_doc_data(fg_index_t *idx, uint32_t docid, char **out, size_t *len);

/* Callback of fg_index_foreach(): docid and document data; nonzero stops. */
typedef int (*fg_doc_fn)(void *ctx, uint32_t docid, const char *data, size_t len);

/* Calls fn for every document whose P term for path_prefix exists (every
 * document below that folder or that file); NULL prefix: all documents.
 * Trailing slashes of path_prefix are ignored.  The documents are those
 * present when the call starts (minus any deleted meanwhile), so fn may
 * replace or delete documents through the same writer handle. */
fg_status_t fg_index_foreach(fg_index_t *idx, const char *path_prefix, fg_doc_fn fn, void *ctx);

/* Calls fn for every document indexed by term (e.g. FG_PREFIX_FAILED: the
 * failure stubs), those present when the call starts, like
 * fg_index_foreach().  FG_INVALID for an empty term or no fn. */
fg_status_t fg_index_foreach_term(fg_index_t *idx, const char *term, fg_doc_fn fn, void *ctx);

/* Number of documents (failure stubs included: subtract the term frequency
 * of FG_PREFIX_FAILED for the files that are searchable). */
fg_status_t fg_index_doc_count(fg_index_t *idx, uint64_t *out);

/* Reads metadata key; *out malloc'ed ("" when unset). */
fg_status_t fg_index_get_metadata(fg_index_t *idx, const char *key, char **out);

/* Sets metadata key (a writer; takes effect at the next commit). */
fg_status_t fg_index_set_metadata(fg_index_t *idx, const char *key, const char *value);

/* Number of documents containing term (0 if none). */
fg_status_t fg_index_term_freq(fg_index_t *idx, const char *term, uint32_t *out);

/* ------------------------------------------------------------ queries */

typedef struct fg_xquery fg_xquery_t;

/* Operators of fg_xquery_combine(); the names are Xapian's. */
typedef enum fg_xquery_op {
    FG_XQ_AND,
    FG_XQ_OR,
    FG_XQ_AND_NOT,   /* first AND NOT (OR of the rest) */
    FG_XQ_AND_MAYBE, /* first, weighted up by the rest */
    FG_XQ_FILTER,    /* first, restricted to the rest, which add no weight */
    FG_XQ_PHRASE,    /* window = 0: exact phrase */
    FG_XQ_NEAR,      /* window words */
    FG_XQ_SYNONYM,   /* weighted as one term */
    FG_XQ_MAX
} fg_xquery_op_t;

/* A query for one term; wqf is its within-query frequency (1 usually). */
fg_status_t fg_xquery_term(const char *term, size_t len, uint32_t wqf, fg_xquery_t **out);

/* Combines n subqueries (not consumed: the caller still frees them). */
fg_status_t fg_xquery_combine(fg_xquery_op_t op, fg_xquery_t *const *subs, size_t n,
                              uint32_t window, fg_xquery_t **out);

/* Scales the weight of q by factor (>= 0). */
fg_status_t fg_xquery_scale(const fg_xquery_t *q, double factor, fg_xquery_t **out);

/* Matches every document but the failure stubs (FG_PREFIX_FAILED), weight 0. */
fg_status_t fg_xquery_match_all(fg_xquery_t **out);

/* Documents whose value in slot is between lo and hi (either may be NULL). */
fg_status_t fg_xquery_value_range(unsigned slot, const char *lo, const char *hi, fg_xquery_t **out);

/* All terms starting with prefix, OR-ed (SYNONYM), at most max_expansion of
 * them: FG_QUERY if more would match (err says how many were allowed). */
fg_status_t fg_xquery_wildcard(const char *prefix, uint32_t max_expansion, fg_xquery_t **out);

/* Frees a query; NULL is allowed. */
void fg_xquery_free(fg_xquery_t *q);

/* Xapian's description of the query (for tests and --debug); malloc'ed. */
fg_status_t fg_xquery_describe(const fg_xquery_t *q, char **out);

/* ------------------------------------------------------------ search */

/* What fg_index_search() needs besides the query. */
typedef struct fg_search_params {
    uint32_t offset;   /* first hit to return (0-based) */
    uint32_t limit;    /* at most this many hits */
    double bm25_k1;    /* Xapian's BM25Weight k1 (default 1.2) */
    double bm25_b;     /* BM25Weight b (default 0.75) */
    int sort_value;    /* -1: by relevance; else by this value slot */
    bool sort_reverse; /* with sort_value: descending */
} fg_search_params_t;

/* Fills p with the defaults: offset 0, limit 10, k1 1.2, b 0.75, by relevance. */
void fg_search_params_default(fg_search_params_t *p);

/* One hit of a search, fully read (no Xapian object behind it). */
typedef struct fg_mset_hit {
    uint32_t docid;
    uint32_t rank; /* 0-based rank in the whole result */
    double weight;
    int percent;
    const char *data; /* document data, NUL-terminated, owned by the mset */
    size_t data_len;
} fg_mset_hit_t;

typedef struct fg_mset fg_mset_t;

/*
 * Runs q against idx.  A reader whose revision was discarded by the writer
 * (Xapian's DatabaseModifiedError) is reopened and the whole search rerun,
 * up to a few times, so a caller never sees that error.  The result holds
 * copies of everything it reports.  Free with fg_mset_free().
 */
fg_status_t fg_index_search(fg_index_t *idx, const fg_xquery_t *q, const fg_search_params_t *p,
                            fg_mset_t **out);

/* Number of hits in this page. */
size_t fg_mset_size(const fg_mset_t *m);

/* Xapian's estimate of all matching documents. */
uint64_t fg_mset_estimate(const fg_mset_t *m);

/* Hit i (< fg_mset_size()); the pointer lives as long as the mset. */
const fg_mset_hit_t *fg_mset_hit(const fg_mset_t *m, size_t i);

/* Frees a result; NULL is allowed. */
void fg_mset_free(fg_mset_t *m);

/* ------------------------------------------------------------ renaming */

/*
 * Moves the document with unique id from to unique id to (a file renamed or
 * moved): its Q and P terms become those of to, every other term (positions
 * included) and value is kept, and its data becomes len bytes of data (NULL:
 * unchanged), so that the text need not be extracted and analysed again.  A
 * document that had the unique id to is replaced.  FG_NOT_FOUND when there is
 * no document from; a writer only.
 */
fg_status_t fg_index_rename(fg_index_t *idx, const char *from, const char *to, const char *data,
                            size_t len);

/* ------------------------------------------------------------ exploring (explore.cc) */

/* Callback of fg_index_terms(): a term (NUL-terminated, len bytes) and the
 * number of documents holding it; nonzero stops the walk. */
typedef int (*fg_term_fn)(void *ctx, const char *term, size_t len, uint32_t termfreq);

/* Calls fn for every term of the index that starts with prefix ("" or NULL:
 * every term), in byte order. */
fg_status_t fg_index_terms(fg_index_t *idx, const char *prefix, fg_term_fn fn, void *ctx);

/* The boolean query for the P term of path (the file or folder path and every
 * document below it), hashed like the index does for long paths. */
fg_status_t fg_xquery_path(const char *path, fg_xquery_t **out);

/* What fg_index_query() needs besides the query (zero-initialise, then set). */
typedef struct fg_query_params {
    uint32_t offset, limit;      /* page */
    double bm25_k1, bm25_b;      /* BM25Weight */
    int sort_value;              /* -1: by relevance; else this value slot, then relevance */
    bool sort_reverse;           /* with sort_value: descending */
    int collapse_value;          /* -1: none; else one hit per distinct value of this slot */
    uint32_t max_duplicates;     /* with collapse: at most this many other docids per hit */
    const unsigned *facet_slots; /* count the values of these slots over the matches */
    size_t n_facet_slots;
    uint32_t check_at_least; /* consider at least this many matches (exact counts) */
    bool content;            /* fill fg_qhit_t.content */
    int common_skip;         /* rank.cc's common-term skipping: 0 where it gains
                                (default), 1 always, -1 never (for tests) */
    uint32_t time_limit_ms;  /* 0: none; else the match ends this long after the
                                call, with what it ranked until then (timed_out);
                                on Xapian's matcher (not term at a time) the
                                percentages then come out higher (deadline.cc) */
} fg_query_params_t;

/* Fills p: offset 0, limit 10, k1 1.2, b 0.75, by relevance, no collapse,
 * no facets. */
void fg_query_params_default(fg_query_params_t *p);

/* One hit of fg_index_query(); everything is owned by the result. */
typedef struct fg_qhit {
    uint32_t docid;
    uint32_t rank; /* 0-based rank in the whole result */
    double weight;
    int percent;
    char *data; /* document data, NUL-terminated */
    size_t data_len;
    uint32_t n_duplicates; /* with collapse: the other matching documents of
                              the same value (at most max_duplicates) */
    uint32_t *duplicates;  /* their docids */
    char **duplicate_data; /* and their document data */
    char content[24];      /* with fg_query_params_t.content: its FG_VALUE_CHECKSUM,
                              the content hash at indexing ("" when none or
                              too long) */
} fg_qhit_t;

/* One counted value of a facet slot. */
typedef struct fg_value_count {
    char *value;
    uint64_t count;
} fg_value_count_t;

/* A result of fg_index_query(): plain C memory, free with fg_qresult_free(). */
typedef struct fg_qresult {
    uint64_t estimate;   /* Xapian's estimate of all matches (collapsed), or
                            rank.cc's count */
    bool term_at_a_time; /* ranked by rank.cc, not by Xapian's matcher */
    bool estimate_exact; /* the estimate is the exact count (rank.cc, unless
                            it skipped common terms in a large index) */
    bool common_skipped; /* rank.cc weighed common terms for candidates only */
    bool timed_out;      /* the time limit ended the match: hits and counts are
                            of the documents ranked until then */
    size_t n;            /* hits in this page */
    fg_qhit_t *hits;
    size_t n_facets; /* one per facet slot asked, in that order */
    struct {
        unsigned slot;
        size_t n;
        fg_value_count_t *values; /* by descending count */
    } * facets;
} fg_qresult_t;

/*
 * Runs q like fg_index_search() with sorting, collapsing of documents with the
 * same value (their docids and data found by a second, boolean search for
 * that value among the matches) and value counts (Xapian's
 * ValueCountMatchSpy).  A wildcard over its limit is FG_QUERY.
 * On a reader, a query of terms, OR and weight scaling only, by relevance
 * without collapse or facets, is ranked term at a time (rank.cc): the same
 * hits, weights and percentages as Xapian's matcher, faster for long ORs,
 * and an exact count of matches as the estimate.
 */
fg_status_t fg_index_query(fg_index_t *idx, const fg_xquery_t *q, const fg_query_params_t *p,
                           fg_qresult_t **out);

/* Frees a result; NULL is allowed. */
void fg_qresult_free(fg_qresult_t *r);

/*
 * "More like this": the query for documents like document docid: the
 * nterms best terms of its expand set (Xapian's RSet and ESet) whose prefix is
 * one of prefixes (e.g. "Z" for body stems; a term of a longer upper-case
 * prefix such as "ZS" does not count as "Z"), OR-ed, excluding the document
 * itself.  *terms (may be NULL) receives the chosen terms without their prefix
 * as a malloc'ed array of *n_terms malloc'ed strings.  FG_NOT_FOUND for a
 * docid not in the index.
 */
fg_status_t fg_index_similar(fg_index_t *idx, uint32_t docid, const char *prefix, uint32_t nterms,
                             fg_xquery_t **out, char ***terms, size_t *n_terms);

/* ------------------------------------------------------------ segments */

/*
 * Bulk indexing builds segments: plain glass databases in folders
 * <dir>/seg-XXXXXX of the index folder dir, each built by one thread without
 * any lock (Xapian objects never cross threads: a segment is used by the
 * thread that created it, or handed over whole after fg_segment_finish()),
 * and merged into the live index by its writer with fg_index_merge().
 *
 * On disk the live index is a generation: the stub file <dir>/XAPIANDB (a
 * Xapian stub, "glass gen-N") names the glass database <dir>/gen-N.  A merge
 * writes a new generation and replaces the stub atomically, so readers see
 * either the old index or the merged one, and a crash at any point leaves
 * the stub naming a complete index.  Segments and generations a crash left
 * behind are removed by the next fg_index_open_writable(), so only a process
 * that holds the writer lock may create segments in dir.  An index of the
 * older layout (glass files in dir itself) moves to gen-1 at its first merge.
 */
typedef struct fg_segment fg_segment_t;

/* Creates a new, empty segment in the index folder dir (which must exist).
 * On failure *out is NULL and err says why. */
fg_status_t fg_segment_create(const char *dir, fg_segment_t **out, char *err, size_t errlen);

/* Adds or replaces the document with unique id uid, as fg_index_replace()
 * does, except that the Q and P terms are added to doc itself (no copy is
 * made; the caller still frees doc).  Memory grows with the documents added
 * until fg_segment_finish(). */
fg_status_t fg_segment_add(fg_segment_t *seg, const char *uid, fg_doc_t *doc);

/* Documents added to the segment so far. */
uint64_t fg_segment_doc_count(const fg_segment_t *seg);

/* Commits the documents added so far into the segment's database and frees
 * the memory that held them; more can be added.  Their posting lists join
 * the ones already there, so a large segment built in several commits has
 * as few posting-list chunks as one built at once (a merge copies chunks as
 * they are: many small segments make a slower index). */
fg_status_t fg_segment_commit(fg_segment_t *seg);

/* Commits and closes the segment's database; its folder (fg_segment_path())
 * is then ready for fg_index_merge().  No more documents can be added. */
fg_status_t fg_segment_finish(fg_segment_t *seg);

/* The segment's folder; lives as long as the handle. */
const char *fg_segment_path(const fg_segment_t *seg);

/* The text of the last failure on this segment ("" if none). */
const char *fg_segment_error(const fg_segment_t *seg);

/* Frees the handle; an unfinished database is closed without committing.
 * remove: the folder is removed too (else a merge or the next writable open
 * removes it).  NULL is allowed. */
void fg_segment_free(fg_segment_t *seg, bool remove);

/* Removes the segment folder path (a segment not to be merged); a missing
 * folder is fine, failures are ignored (the next writable open retries). */
void fg_segment_remove(const char *path);

/*
 * Deletes from the finished segment at the folder segment the documents of
 * the n unique ids uids (ids it does not hold are ignored), so that a merge
 * or an absorption no longer puts them into the live index: the daemon's
 * single changes, made in the live index while a burst's segments are held,
 * win over the held copies this way.  *dropped (may be NULL) receives the
 * number deleted.  The segment must not be open elsewhere.  Returns FG_OK or
 * the error (err says what).
 */
fg_status_t fg_segment_drop(const char *segment, const char *const *uids, size_t n,
                            uint64_t *dropped, char *err, size_t errlen);

/*
 * Compacts the n finished segments at the folders segments into one new
 * finished segment in the index folder dir (a unique id in several keeps
 * its document of the latest in the list) and removes them; *out receives
 * the new segment's folder (malloc'ed).  Bulk indexing uses it to merge
 * many small segments, which are quick to build, into fewer large ones
 * before they meet the live index.  On failure the inputs are left alone.
 */
fg_status_t fg_segment_combine(const char *dir, const char *const *segments, size_t n, char **out,
                               char *err, size_t errlen);

/*
 * Merges the finished segments at the n folders segments into the live
 * index of writer idx: commits idx, compacts it and the segments into a new
 * generation in which a unique id present in several sources keeps only its
 * last document (a segment's replaces the live one; of two segments, the
 * later in the list wins), makes that generation live atomically, moves idx
 * onto it and removes the old generation and the segment folders.  The
 * metadata is the live index's.  A reader sees the merged documents after
 * its next fg_index_reopen().  n 0 compacts the live index alone.
 */
fg_status_t fg_index_merge(fg_index_t *idx, const char *const *segments, size_t n);

/*
 * Copies the documents of the n finished segments at the folders segments
 * into the live index of writer idx, each replacing the document of its
 * unique id (of two segments, the later in the list wins), commits, and
 * removes the segment folders.  The work grows with the segments, where
 * fg_index_merge() rewrites the whole live index: the choice for a few
 * documents added to a large index.  Killed before the commit, the live
 * index is as it was (the segments are removed by the next writable open).
 */
fg_status_t fg_index_absorb(fg_index_t *idx, const char *const *segments, size_t n);

#ifdef __cplusplus
}
#endif
#endif
