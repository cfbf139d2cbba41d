/*
 * index.h - the C API over Xapian: the only place that knows Xapian exists.
 *
 * Everything here is implemented in C++ (the .cc files of index/); every entry
 * point catches every exception and returns an fg_status_t.  A failed call leaves a text in
 * the handle (fg_index_error()) or in the caller's err buffer saying what went
 * wrong; no call returns a bare pointer or bool.
 *
 * Term scheme (Xapian Omega's prefixes, so delve/quest/omega can read an index):
 *   Q<uid>     unique id (the absolute path); hashed past 240 bytes
 *   P<dir>     the path and every folder above it ("P/home/a/b.txt", "P/home/a", "P/home", "P/")
 *   E<ext>     lower-case extension without the dot ("Etxt")
 *   S<word>    title word (folded), ZS<stem> its stem
 *   D<YYYYMMDD>, M<YYYYMM>, Y<YYYY>   document date
 *   <word>     body word, folded, with positions
 *   Z<stem>    body word's stem, with positions (phrase queries over stems work)
 * Values: see FG_VALUE_*.  Document data: Omega-style "key=value" lines
 * (url=, caption=, modtime=, size=, sample=, date=).
 * Metadata: "fundgrube.format" (FG_INDEX_FORMAT) and "fundgrube.analysis"
 * (the serialised analysis settings that built the index).
 *
 * On disk: the index folder is itself a Xapian glass database (delve/quest
 * can be pointed at it) plus the lock file "fundgrube.lock".
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

#define FG_INDEX_FORMAT "1"
#define FG_META_FORMAT "fundgrube.format"
#define FG_META_ANALYSIS "fundgrube.analysis"

/* Value slots (Omega uses 0 for the modification time as well). */
#define FG_VALUE_MTIME 0 /* sortable_serialise(mtime seconds) */
#define FG_VALUE_MD5 1   /* content hash (hex), for collapsing duplicates */
#define FG_VALUE_SIZE 2  /* sortable_serialise(size in bytes) */
#define FG_VALUE_DATE 3  /* "YYYYMMDD": document date, else mtime's date */
#define FG_VALUE_INODE 4 /* sortable_serialise(inode) */

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
#define FG_INDEX_CREATE 0x1u    /* create the folder and database if missing */

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
fg_status_t fg_index_open_writable(const char *dir, unsigned flags, fg_index_t **out,
                                   char *err, size_t errlen);

/* Opens the index in dir read-only.  FG_NOT_FOUND when there is none. */
fg_status_t fg_index_open_readonly(const char *dir, fg_index_t **out, char *err,
                                   size_t errlen);

/* Closes the index; a writer commits pending changes first (the status of
 * that commit is returned) and releases the lock.  NULL is allowed. */
fg_status_t fg_index_close(fg_index_t *idx);

/* The text of the last failure on this handle ("" if none). */
const char *fg_index_error(const fg_index_t *idx);

/* The index folder as given at open. */
const char *fg_index_path(const fg_index_t *idx);

/* A reader: move to the latest committed revision. */
fg_status_t fg_index_reopen(fg_index_t *idx);

/* How many times this handle has reopened and rerun a read because its
 * revision was discarded by the writer (Xapian's DatabaseModifiedError);
 * for tests and --debug. */
uint32_t fg_index_retries(const fg_index_t *idx);

/* Adds or replaces the document whose unique id is uid (usually the path). */
fg_status_t fg_index_replace(fg_index_t *idx, const char *uid, const fg_doc_t *doc);

/* Deletes the document with unique id uid; FG_OK also when there was none. */
fg_status_t fg_index_delete(fg_index_t *idx, const char *uid);

/* Commits pending changes (a writer). */
fg_status_t fg_index_commit(fg_index_t *idx);

/* Stored facts about one document, for deciding whether a file changed. */
typedef struct fg_doc_stamp {
    double mtime;      /* FG_VALUE_MTIME */
    double size;       /* FG_VALUE_SIZE */
    double inode;      /* FG_VALUE_INODE, 0 if absent */
} fg_doc_stamp_t;

/* Looks up the document with unique id uid.  FG_NOT_FOUND if absent. */
fg_status_t fg_index_stamp(fg_index_t *idx, const char *uid, fg_doc_stamp_t *out);

/* Callback of fg_index_foreach(): docid and document data; nonzero stops. */
typedef int (*fg_doc_fn)(void *ctx, uint32_t docid, const char *data, size_t len);

/* Calls fn for every document whose P term for path_prefix exists (every
 * document below that folder or that file); NULL prefix: all documents.
 * Trailing slashes of path_prefix are ignored.  The documents are those
 * present when the call starts (minus any deleted meanwhile), so fn may
 * replace or delete documents through the same writer handle. */
fg_status_t fg_index_foreach(fg_index_t *idx, const char *path_prefix, fg_doc_fn fn,
                             void *ctx);

/* Number of documents. */
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
    FG_XQ_AND_NOT,    /* first AND NOT (OR of the rest) */
    FG_XQ_AND_MAYBE,  /* first, weighted up by the rest */
    FG_XQ_FILTER,     /* first, restricted to the rest, which add no weight */
    FG_XQ_PHRASE,     /* window = 0: exact phrase */
    FG_XQ_NEAR,       /* window words */
    FG_XQ_SYNONYM,    /* weighted as one term */
    FG_XQ_MAX
} fg_xquery_op_t;

/* A query for one term; wqf is its within-query frequency (1 usually). */
fg_status_t fg_xquery_term(const char *term, size_t len, uint32_t wqf, fg_xquery_t **out);

/* Combines n subqueries (not consumed: the caller still frees them). */
fg_status_t fg_xquery_combine(fg_xquery_op_t op, fg_xquery_t *const *subs, size_t n,
                              uint32_t window, fg_xquery_t **out);

/* Scales the weight of q by factor (>= 0). */
fg_status_t fg_xquery_scale(const fg_xquery_t *q, double factor, fg_xquery_t **out);

/* Matches every document (weight 0). */
fg_status_t fg_xquery_match_all(fg_xquery_t **out);

/* Documents whose value in slot is between lo and hi (either may be NULL). */
fg_status_t fg_xquery_value_range(unsigned slot, const char *lo, const char *hi,
                                  fg_xquery_t **out);

/* All terms starting with prefix, OR-ed (SYNONYM), at most max_expansion of
 * them: FG_QUERY if more would match (err says how many were allowed). */
fg_status_t fg_xquery_wildcard(const char *prefix, uint32_t max_expansion,
                               fg_xquery_t **out);

/* Frees a query; NULL is allowed. */
void fg_xquery_free(fg_xquery_t *q);

/* Xapian's description of the query (for tests and --debug); malloc'ed. */
fg_status_t fg_xquery_describe(const fg_xquery_t *q, char **out);

/* ------------------------------------------------------------ search */

/* What fg_index_search() needs besides the query. */
typedef struct fg_search_params {
    uint32_t offset;     /* first hit to return (0-based) */
    uint32_t limit;      /* at most this many hits */
    double bm25_k1;      /* Xapian's BM25Weight k1 (default 1.2) */
    double bm25_b;       /* BM25Weight b (default 0.75) */
    int sort_value;      /* -1: by relevance; else by this value slot */
    bool sort_reverse;   /* with sort_value: descending */
} fg_search_params_t;

/* Fills p with the defaults: offset 0, limit 10, k1 1.2, b 0.75, by relevance. */
void fg_search_params_default(fg_search_params_t *p);

/* One hit of a search, fully read (no Xapian object behind it). */
typedef struct fg_mset_hit {
    uint32_t docid;
    uint32_t rank;       /* 0-based rank in the whole result */
    double weight;
    int percent;
    const char *data;    /* document data, NUL-terminated, owned by the mset */
    size_t data_len;
} fg_mset_hit_t;

typedef struct fg_mset fg_mset_t;

/*
 * Runs q against idx.  A reader whose revision was discarded by the writer
 * (Xapian's DatabaseModifiedError) is reopened and the whole search rerun,
 * up to a few times, so a caller never sees that error.  The result holds
 * copies of everything it reports.  Free with fg_mset_free().
 */
fg_status_t fg_index_search(fg_index_t *idx, const fg_xquery_t *q,
                            const fg_search_params_t *p, fg_mset_t **out);

/* Number of hits in this page. */
size_t fg_mset_size(const fg_mset_t *m);

/* Xapian's estimate of all matching documents. */
uint64_t fg_mset_estimate(const fg_mset_t *m);

/* Hit i (< fg_mset_size()); the pointer lives as long as the mset. */
const fg_mset_hit_t *fg_mset_hit(const fg_mset_t *m, size_t i);

/* Frees a result; NULL is allowed. */
void fg_mset_free(fg_mset_t *m);

#ifdef __cplusplus
}
#endif
#endif
