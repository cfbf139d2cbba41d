/*
 * index-private.h - what the files of index/ share and nobody else sees.
 *
 * Included by C++ files only in practice, but kept C-includable (notmuch style):
 * the Xapian parts are hidden behind __cplusplus so that a C test or tool can
 * still include it for the plain declarations.
 *
 * Layout of index/:
 *   error.cc   Xapian exception -> fg_status_t, error buffers
 *   lock.c     the writer lock file and mkdir -p (plain C)
 *   terms.cc   Q (unique id) and P (path) terms, hashed when too long
 *   doc.cc     fg_doc_t and the sortable number encoding
 *   index.cc   opening, closing, reopening, committing, metadata, counts
 *   store.cc   documents by unique id and by path: replace, delete, stamp, foreach
 *   query.cc   fg_xquery_t
 *   search.cc  fg_index_search() and fg_mset_t
 *   rank.cc    ranking a plain OR query term at a time (for fg_index_query())
 *   compact.cc the stub file, generations, segments and their merge
 *
 * On disk (see compact.cc): <dir>/XAPIANDB, a Xapian stub file naming the
 * live generation ("glass gen-N"), the generation folders gen-N (glass
 * databases), segment folders seg-* being built or waiting for a merge, and
 * the lock file.  An index of an older layout has its glass files directly in
 * <dir> and no stub (generation ""); its first merge moves it to gen-1.
 */
#ifndef FG_INDEX_INDEX_PRIVATE_H
#define FG_INDEX_INDEX_PRIVATE_H

#include "index/index.h"

#include <stdarg.h>

/* Size of a handle's error buffer (longer messages are cut). */
#define FG_INDEX_ERRLEN 1024

/* How often a read is rerun after Xapian's DatabaseModifiedError. */
#define FG_INDEX_RETRIES 5

/* Name of the writer lock file inside the index folder. */
#define FG_LOCK_FILE "fundgrube.lock"

/* The stub file naming the live generation (Xapian's name for a stub inside
 * a folder, so delve and quest can still be pointed at the index folder). */
#define FG_STUB_FILE "XAPIANDB"

#ifdef __cplusplus
#include <xapian.h>

#include <string>

/* A document under construction: a plain Xapian::Document, which is never
 * given to Xapian itself (fg_index_replace() copies it, since a Document
 * handle shares its contents with every copy of the handle). */
struct fg_doc {
    Xapian::Document xdoc;
};

#include <vector>

/* A term of a plain query and what its weight is multiplied by. */
struct fg_wleaf {
    std::string term;
    double factor;         /* the product of the scale factors above it */
    Xapian::termcount wqf; /* its within-query frequency */
    int group;             /* -1, or the fg_xquery.excluded group whose
                              documents this term neither weighs nor matches */
};

/* A query: one Xapian::Query (a reference-counted handle).  When it is
 * plain (built of terms, OR, scaling by factors > 0 and AND_NOT of such
 * queries), a document's weight is the sum of the BM25 weights of its leaves
 * (listed with repeats) whose group does not exclude the document, and it
 * matches when one of those has it, so rank.cc can rank it without Xapian's
 * matcher.  excluded[g] lists the terms whose documents group g excludes
 * (the right side of an AND_NOT, which Xapian does not weigh either). */
struct fg_xquery {
    Xapian::Query q;
    bool plain = false;
    std::vector<fg_wleaf> leaves;
    std::vector<std::vector<std::string>> excluded;
};

/* One shard of a shard list (shards.cc). */
struct fg_shard {
    bool remote = false;  /* served by xapian-tcpsrv, else a local folder */
    std::string where;    /* the folder, or the host */
    unsigned port = 0;    /* of a remote shard */
    std::string name;     /* for messages: the folder or "HOST:PORT" */
    bool down = false;    /* it could not be opened: an empty stand-in has its place */
    double failed_ms = 0; /* when it failed last (fg_now_ms()) */
    std::string why;      /* Xapian's message of that failure */
};

/* An open index: a reader (db only) or a writer (wdb, with db sharing it). */
struct fg_index {
    std::string path; /* the folder as given */
    std::string gen;  /* live generation ("gen-N"); "" = path itself */
    bool opened;      /* db is open (on gen) */
    bool writable;
    bool shards = false;      /* path is a shard list (shards.cc); gen holds its state */
    bool remote = false;      /* it names a remote shard */
    bool cluster = false;     /* the list is cluster_text ([cluster] shards), not a file */
    std::string cluster_text; /* that list, in the stub format */
    fg_cluster_opts_t cluster_opts = {NULL, 10000, 10000, 1000}; /* timeouts (shards NULL) */
    std::vector<fg_shard> shard_list;                            /* the shards as last opened */
    std::string warnings; /* the missing shards, one line each ("" none) */
    Xapian::Database db;  /* for reading; a writer's db is its wdb */
    Xapian::WritableDatabase wdb;
    int lock_fd;                 /* the writer lock, -1 for a reader */
    uint32_t retries;            /* reruns after DatabaseModifiedError */
    char error[FG_INDEX_ERRLEN]; /* the last failure's text */
    /* rank.cc's copy of every document's length (index docid), the
     * generation and revision of db it was read from and how often it was
     * read; the length part of BM25's denominator of each document for
     * lenparts_k1 and _b of that reading; its weights by docid */
    std::vector<Xapian::termcount> doclens;
    std::string doclens_gen;
    Xapian::rev doclens_rev = 0;
    bool doclens_valid = false;
    uint64_t doclens_reads = 0;
    std::vector<double> lenparts;
    uint64_t lenparts_read = 0; /* the doclens_reads they were computed for */
    double lenparts_k1 = 0, lenparts_b = 0;
    std::vector<double> scratch;
    /* for collapsing: each document's value of slot keys_slot as a number
     * (0: none; equal values, equal numbers) for that doclens_reads, and
     * per value number the query that last saw it and its hit */
    std::vector<uint32_t> keys;
    int keys_slot = -1;
    uint64_t keys_read = 0;
    std::vector<uint64_t> key_seen;
    std::vector<uint32_t> key_hit;
    uint64_t queries = 0;
};

/* True when path is a regular file: a shard list (shards.cc). */
bool fg_is_shard_list(const std::string &path);

/* Opens idx->db on the shard list (the file idx->path or cluster_text), or
 * refreshes it: reopened; opened again when the list or a local shard's
 * generation changed, when a missing shard answers again, when a
 * connection broke, or always when again is true (after a NetworkError).
 * Shards that cannot be opened are left out (see shards.cc) and named in
 * idx->warnings.  Throws Xapian errors (NetworkError when none opens). */
void fg_shards_refresh(fg_index_t *idx, bool again);

/* Opens idx->db of a new reader handle (path, shards set), checks its format;
 * FG_OK, else the handle is destroyed and err says why (index.cc). */
fg_status_t fg_index_finish_open(fg_index_t *idx, char *err, size_t errlen);

/* A search's deadline (deadline.cc): at_ms on the monotonic clock of
 * fg_now_ms(), 0 for none; passed once it has been seen to pass. */
struct fg_deadline {
    double at_ms = 0;
    bool passed = false;
};

/* Milliseconds of the monotonic clock. */
double fg_now_ms();

/* True once d's deadline has passed (false without one). */
bool fg_deadline_passed(fg_deadline &d);

/* q filtered by a posting source that ends the match at d's deadline; q
 * itself when d has none.  d must outlive the match. */
Xapian::Query fg_deadline_query(const Xapian::Query &q, fg_deadline &d);

/* How fg_rank_plain() ranks: BM25 k1 and b, the page, and collapsing. */
struct fg_rank_params {
    double k1, b;
    uint32_t offset, limit;
    int collapse_slot;       /* -1, or one hit per distinct non-empty value of this slot */
    uint32_t max_duplicates; /* with collapse: a hit lists at most this many others */
    int common_skip;         /* fg_query_params_t.common_skip */
    fg_deadline *deadline;   /* NULL, or stop adding posting lists once it passed */
};

/* A document ranked by fg_rank_plain(); with collapse, the other matching
 * documents of its value, by ascending docid. */
struct fg_ranked {
    Xapian::docid docid;
    double weight;
    std::vector<Xapian::docid> duplicates;
};

/* What fg_rank_plain() found besides the page. */
struct fg_rank_info {
    uint64_t matches = 0;   /* results (documents, or distinct values with collapse) */
    Xapian::docid best = 0; /* the document of the greatest weight (0: none) */
    double greatest = 0;    /* its weight */
    size_t best_leaves = 0; /* the leaves that match best (with repeats) */
    bool exact = true;      /* matches is exact, not estimated */
    bool skipped = false;   /* common leaves were weighed for candidates only */
    bool timed_out = false; /* the deadline passed: not every posting was read */
};

/* Ranks the plain query q (see fg_xquery) with Xapian's BM25Weight(k1, 0, 1,
 * b, 0.5) term at a time: page receives the hits offset .. offset+limit-1
 * by descending weight, ties by ascending docid, as Xapian's matcher orders
 * them, with the weights it gives (up to rounding); with collapse_slot, only
 * the first document of each non-empty value of that slot is a hit (as
 * Xapian's collapse with one per key) and lists the others.  Returns false,
 * with nothing done, when q is not plain, idx is a writer (its lengths change
 * uncommitted), its docids are too many for arrays of them or it has more
 * than 32 exclusion groups.  Throws Xapian errors. */
bool fg_rank_plain(fg_index_t *idx, const fg_xquery_t *q, const fg_rank_params &rp,
                   std::vector<fg_ranked> &page, fg_rank_info &info);

/* The Q term of unique id uid (NUL-terminated), hashed when too long. */
std::string fg_uid_term(const char *uid);

/* "P" + path, hashed when too long. */
std::string fg_path_term(const char *path, size_t len);

/* prefix + body; when longer than FG_TERM_MAX, prefix + the start of body +
 * 16 hex digits of a 64-bit hash of the whole, exactly FG_TERM_MAX bytes. */
std::string fg_bounded_term(const char *prefix, const char *body, size_t len);

/* FG_OK for a writer; else FG_INVALID, "<what>: index DIR is open read-only". */
fg_status_t fg_need_writer(fg_index_t *idx, const char *what);

/* The status for a Xapian exception (see error.cc for the mapping). */
fg_status_t fg_status_of(const Xapian::Error &e);

/* Stores "Xapian <type>: <msg>" in buf and returns fg_status_of(e). */
fg_status_t fg_xapian_error(char *buf, size_t len, const Xapian::Error &e);

/* The glass database of generation gen of the index in dir ("" = dir). */
std::string fg_gen_path(const std::string &dir, const std::string &gen);

/* Reads the stub of dir: true with *gen set ("gen-N") when there is one,
 * false when there is none; throws Xapian::DatabaseCorruptError for a stub
 * that is not ours. */
bool fg_stub_read(const std::string &dir, std::string *gen);

/* Writes the stub of dir naming generation gen, atomically (a temporary
 * file, fsync, rename, fsync of the folder).  FG_IO with a message. */
fg_status_t fg_stub_write(const std::string &dir, const std::string &gen, char *err, size_t errlen);

/* Removes a folder tree or file; failures are ignored (a leftover is
 * removed again at the next writable open). */
void fg_remove_tree(const std::string &path);

/* What a crash may have left in the index folder dir whose live generation
 * is gen: every seg-* folder, every gen-* folder but gen, temporary stubs,
 * and, when gen is not "", the glass files of the old layout in dir itself.
 * The caller holds the writer lock.  Failures are ignored. */
void fg_remove_leftovers(const std::string &dir, const std::string &gen);

/* True for the names fg_remove_leftovers() may remove (and which an empty
 * folder may hold before FG_INDEX_CREATE). */
bool fg_is_leftover_name(const char *name);

/* A reader: opens idx->db afresh on the generation the stub names now, or
 * reopens it when that is still its own.  Throws Xapian errors. */
void fg_reader_refresh(fg_index_t *idx);

/* Adds or replaces the document of uid in wdb: a copy of doc plus the Q and
 * P terms of uid (store.cc).  Throws Xapian errors. */
void fg_store_document(Xapian::WritableDatabase &wdb, const char *uid, const fg_doc_t *doc);

/* As fg_store_document() without the copy: the Q and P terms are added to
 * xdoc itself. */
void fg_store_xdoc(Xapian::WritableDatabase &wdb, const char *uid, Xapian::Document &xdoc);

/* As fg_store_xdoc() for a uid known to have no document in wdb (no lookup). */
void fg_add_xdoc(Xapian::WritableDatabase &wdb, const char *uid, Xapian::Document &xdoc);

/* Runs f (returns fg_status_t) on idx; on Xapian::DatabaseModifiedError
 * refreshes idx->db (fg_reader_refresh()) and runs f again, at most
 * FG_INDEX_RETRIES times more; for a shard list also on NetworkError (and,
 * with remote shards, DatabaseOpeningError), after opening the shards
 * again without the broken ones.  Other exceptions pass through to the
 * caller's catch blocks. */
template <typename F> fg_status_t fg_with_retry(fg_index_t *idx, F f) {
    for (unsigned attempt = 0;; attempt++) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt >= FG_INDEX_RETRIES)
                throw;
            idx->retries++;
            if (idx->writable)
                idx->db.reopen();
            else if (idx->remote) /* a server's generation swapped: connect again */
                fg_shards_refresh(idx, true);
            else
                fg_reader_refresh(idx);
        } catch (const Xapian::NetworkError &) {
            if (!idx->shards || attempt >= FG_INDEX_RETRIES)
                throw;
            idx->retries++;
            fg_shards_refresh(idx, true); /* the broken shard is left out */
        } catch (const Xapian::DatabaseOpeningError &) {
            if (!idx->remote || attempt >= FG_INDEX_RETRIES)
                throw; /* a server's reopen met a removed generation */
            idx->retries++;
            fg_shards_refresh(idx, true);
        }
    }
}

/* The catch blocks every entry point that has a handle ends with. */
#define FG_INDEX_CATCH(idx)                                                                        \
    catch (const Xapian::Error &e_) {                                                              \
        return fg_xapian_error((idx)->error, sizeof(idx)->error, e_);                              \
    }                                                                                              \
    catch (const std::bad_alloc &) {                                                               \
        return fg_set_error((idx)->error, sizeof(idx)->error, FG_NOMEM, "out of memory");          \
    }                                                                                              \
    catch (const std::exception &e_) {                                                             \
        return fg_set_error((idx)->error, sizeof(idx)->error, FG_XAPIAN,                           \
                            "unexpected exception: %s", e_.what());                                \
    }                                                                                              \
    catch (...) {                                                                                  \
        return fg_set_error((idx)->error, sizeof(idx)->error, FG_XAPIAN, "unexpected exception");  \
    }

/* The catch blocks of entry points without a handle or error buffer. */
#define FG_PLAIN_CATCH                                                                             \
    catch (const Xapian::Error &e_) {                                                              \
        return fg_status_of(e_);                                                                   \
    }                                                                                              \
    catch (const std::bad_alloc &) {                                                               \
        return FG_NOMEM;                                                                           \
    }                                                                                              \
    catch (...) {                                                                                  \
        return FG_XAPIAN;                                                                          \
    }

extern "C" {
#endif /* __cplusplus */

/* Formats a message into buf (may be NULL or len 0) and returns status. */
fg_status_t fg_set_error(char *buf, size_t len, fg_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Creates dir and its parents (mode 0777 & ~umask).  FG_IO with a message. */
fg_status_t fg_mkdir_p(const char *dir, char *err, size_t errlen);

/* Takes the writer lock <dir>/fundgrube.lock without waiting and writes our
 * pid into it.  *fd_out gets the lock's descriptor.  FG_LOCKED with "index DIR
 * is locked by pid N" when another writer (any process, this one included)
 * holds it. */
fg_status_t fg_lock_take(const char *dir, int *fd_out, char *err, size_t errlen);

/* Releases a lock taken by fg_lock_take(); -1 is allowed. */
void fg_lock_release(int fd);

#ifdef __cplusplus
}
#endif
#endif
