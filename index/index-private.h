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

#ifdef __cplusplus
#include <xapian.h>

#include <string>

/* A document under construction: a plain Xapian::Document, which is never
 * given to Xapian itself (fg_index_replace() copies it, since a Document
 * handle shares its contents with every copy of the handle). */
struct fg_doc {
    Xapian::Document xdoc;
};

/* A query: one Xapian::Query (a reference-counted handle). */
struct fg_xquery {
    Xapian::Query q;
};

/* An open index: a reader (db only) or a writer (wdb, with db sharing it). */
struct fg_index {
    std::string path;            /* the folder as given */
    bool writable;
    Xapian::Database db;         /* for reading; a writer's db is its wdb */
    Xapian::WritableDatabase wdb;
    int lock_fd;                 /* the writer lock, -1 for a reader */
    uint32_t retries;            /* reruns after DatabaseModifiedError */
    char error[FG_INDEX_ERRLEN]; /* the last failure's text */
};

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

/* Runs f (returns fg_status_t) on idx; on Xapian::DatabaseModifiedError
 * reopens idx->db and runs f again, at most FG_INDEX_RETRIES times more.
 * Other exceptions pass through to the caller's catch blocks. */
template <typename F>
fg_status_t fg_with_retry(fg_index_t *idx, F f)
{
    for (unsigned attempt = 0;; attempt++) {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError &) {
            if (attempt >= FG_INDEX_RETRIES)
                throw;
            idx->retries++;
            idx->db.reopen();
        }
    }
}

/* The catch blocks every entry point that has a handle ends with. */
#define FG_INDEX_CATCH(idx)                                                    \
    catch (const Xapian::Error &e_) {                                          \
        return fg_xapian_error((idx)->error, sizeof (idx)->error, e_);         \
    }                                                                          \
    catch (const std::bad_alloc &) {                                           \
        return fg_set_error((idx)->error, sizeof (idx)->error, FG_NOMEM,      \
                            "out of memory");                                  \
    }                                                                          \
    catch (const std::exception &e_) {                                         \
        return fg_set_error((idx)->error, sizeof (idx)->error, FG_XAPIAN,     \
                            "unexpected exception: %s", e_.what());           \
    }                                                                          \
    catch (...) {                                                              \
        return fg_set_error((idx)->error, sizeof (idx)->error, FG_XAPIAN,     \
                            "unexpected exception");                           \
    }

/* The catch blocks of entry points without a handle or error buffer. */
#define FG_PLAIN_CATCH                                                         \
    catch (const Xapian::Error &e_) {                                          \
        return fg_status_of(e_);                                               \
    }                                                                          \
    catch (const std::bad_alloc &) {                                           \
        return FG_NOMEM;                                                       \
    }                                                                          \
    catch (...) {                                                              \
        return FG_XAPIAN;                                                      \
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
