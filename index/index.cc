/*
 * index.cc - opening and closing an index, and what concerns it as a whole:
 * reopen, commit, metadata, counts.
 *
 * On disk an index folder holds the stub XAPIANDB naming the live generation,
 * a glass database in the folder gen-N (Xapian opens such a folder through
 * its stub, so delve, quest and omega can still be pointed at the index
 * folder), and our writer lock file fundgrube.lock.  An index made before
 * generations has its glass files in the folder itself and no stub; it is
 * read and written in place until its first merge (compact.cc) moves it to a
 * generation.  A writer takes our lock before Xapian's own (flintlock);
 * Xapian's lock is only ever met when a foreign program (xapian-compact, an
 * old omindex) writes to the database, and then gives FG_LOCKED as well.
 */
#include "index/index-private.h"

#include <dirent.h>
#include <errno.h>
#include <new>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Does dir hold a glass database (its version file "iamglass")? */
static bool has_glass(const std::string &dir) {
    struct stat sb;
    return stat((dir + "/iamglass").c_str(), &sb) == 0;
}

/* Is dir empty apart from our lock file and what a crashed creation may have
 * left (fg_is_leftover_name())?  (Where FG_INDEX_CREATE may make a database;
 * it refuses to scatter one among somebody's files.) */
static bool is_empty_folder(const char *dir) {
    DIR *d = opendir(dir);
    if (!d)
        return false;
    bool empty = true;
    struct dirent *de;
    while (empty && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
            strcmp(de->d_name, FG_LOCK_FILE) != 0 && !fg_is_leftover_name(de->d_name))
            empty = false;
    }
    closedir(d);
    return empty;
}

/*
 * Checks FG_META_FORMAT of a freshly opened database.  A database without it
 * is stamped with FG_INDEX_FORMAT (and committed) only when creating is
 * allowed and it is entirely empty (no documents, no metadata): it was just
 * created.  Otherwise a missing or different format is FG_VERSION.
 */
static fg_status_t check_format(fg_index_t *idx, bool may_stamp, char *err, size_t errlen) {
    std::string fmt = idx->db.get_metadata(FG_META_FORMAT);
    if (fmt == FG_INDEX_FORMAT)
        return FG_OK;
    if (fmt.empty()) {
        if (may_stamp && idx->db.get_doccount() == 0 &&
            idx->db.metadata_keys_begin() == idx->db.metadata_keys_end()) {
            idx->wdb.set_metadata(FG_META_FORMAT, FG_INDEX_FORMAT);
            idx->wdb.commit();
            return FG_OK;
        }
        return fg_set_error(err, errlen, FG_VERSION,
                            "index %s has no %s: not a Fundgrube index (this program reads "
                            "format %s)",
                            idx->path.c_str(), FG_META_FORMAT, FG_INDEX_FORMAT);
    }
    return fg_set_error(err, errlen, FG_VERSION,
                        "index %s has format %s, this program reads format %s", idx->path.c_str(),
                        fmt.c_str(), FG_INDEX_FORMAT);
}

/* Frees a handle without committing: closes Xapian's side first (releasing
 * its flintlock), then our lock, so that the next writer finds both free. */
static void destroy(fg_index_t *idx) {
    if (!idx)
        return;
    try {
        idx->db.close();
    } catch (...) {
        /* nothing more can be done; the destructors below still run */
    }
    int fd = idx->lock_fd;
    delete idx;
    fg_lock_release(fd);
}

/* Turns an open failure into the message the header promises. */
static fg_status_t open_failure(const char *dir, const Xapian::Error &e, char *err, size_t errlen) {
    fg_status_t st = fg_xapian_error(err, errlen, e);
    if (st == FG_NOT_FOUND)
        return fg_set_error(err, errlen, FG_NOT_FOUND, "no index at %s", dir);
    if (st == FG_LOCKED)
        return fg_set_error(err, errlen, FG_LOCKED,
                            "index %s is locked by another Xapian writer (not Fundgrube)", dir);
    if (st == FG_CORRUPT) {
        std::string why(err);
        return fg_set_error(err, errlen, FG_CORRUPT, "index %s is damaged (%s)", dir, why.c_str());
    }
    return st;
}

/*
 * Opens the writer's database on the live generation of idx (stub, else the
 * old layout in the folder itself, else with create a new generation gen-1
 * whose stub is written once the database is complete and stamped), checks
 * the format and removes what a crash may have left.  Throws Xapian errors.
 */
static fg_status_t open_live(fg_index_t *idx, bool create, char *err, size_t errlen) {
    std::string gen;
    bool fresh = false;
    if (!fg_stub_read(idx->path, &gen) && !has_glass(idx->path)) {
        gen = "gen-1";
        fresh = true;
        fg_remove_tree(fg_gen_path(idx->path, gen));
    }
    idx->gen = gen;
    int xflags = fresh ? Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS : Xapian::DB_OPEN;
    idx->wdb = Xapian::WritableDatabase(fg_gen_path(idx->path, gen), xflags);
    idx->db = idx->wdb;
    fg_status_t st = check_format(idx, create, err, errlen);
    if (st == FG_OK && fresh)
        st = fg_stub_write(idx->path, gen, err, errlen);
    if (st == FG_OK)
        fg_remove_leftovers(idx->path, gen);
    return st;
}

/*
 * Opens (FG_INDEX_CREATE: creates) the index in dir for writing.  Order:
 * make or check the folder, take our lock, open Xapian's WritableDatabase
 * (never with DB_RETRY_LOCK, which waits) on the live generation, check the
 * format.  Without FG_INDEX_CREATE a folder without an index is FG_NOT_FOUND
 * (and no lock file is left in it); with it, a non-empty folder without an
 * index is FG_INVALID.
 */
extern "C" fg_status_t fg_index_open_writable(const char *dir, unsigned flags, fg_index_t **out,
                                              char *err, size_t errlen) {
    if (!out)
        return fg_set_error(err, errlen, FG_INVALID, "fg_index_open_writable: out is NULL");
    *out = NULL;
    if (!dir || !*dir)
        return fg_set_error(err, errlen, FG_INVALID, "empty index folder name");
    if (flags & ~FG_INDEX_CREATE)
        return fg_set_error(err, errlen, FG_INVALID, "unknown flags 0x%x", flags);
    bool create = flags & FG_INDEX_CREATE;
    if (fg_is_shard_list(dir))
        return fg_set_error(err, errlen, FG_INVALID,
                            "%s is a shard list: it is searched, not written (index into each "
                            "shard's own folder)",
                            dir);
    fg_index_t *idx = NULL;
    try {
        if (create) {
            fg_status_t st = fg_mkdir_p(dir, err, errlen);
            if (st != FG_OK)
                return st;
        }
        std::string gen;
        bool exists = has_glass(dir) || fg_stub_read(dir, &gen);
        if (!exists && !create)
            return fg_set_error(err, errlen, FG_NOT_FOUND, "no index at %s", dir);
        if (!exists && !is_empty_folder(dir))
            return fg_set_error(err, errlen, FG_INVALID,
                                "%s holds files but no index; not creating one there", dir);
        idx = new fg_index_t();
        idx->path = dir;
        idx->writable = true;
        idx->lock_fd = -1;
        fg_status_t st = fg_lock_take(dir, &idx->lock_fd, err, errlen);
        if (st == FG_OK)
            st = open_live(idx, create, err, errlen);
        if (st != FG_OK) {
            destroy(idx);
            return st;
        }
        *out = idx;
        return FG_OK;
    } catch (const Xapian::Error &e) {
        destroy(idx);
        return open_failure(dir, e, err, errlen);
    } catch (const std::bad_alloc &) {
        destroy(idx);
        return fg_set_error(err, errlen, FG_NOMEM, "out of memory");
    } catch (...) {
        destroy(idx);
        return fg_set_error(err, errlen, FG_XAPIAN, "unexpected exception opening %s", dir);
    }
}

/* Opens the index in dir for reading (no lock).  FG_NOT_FOUND "no index at
 * DIR" when the folder or its database is missing. */
extern "C" fg_status_t fg_index_open_readonly(const char *dir, fg_index_t **out, char *err,
                                              size_t errlen) {
    if (!out)
        return fg_set_error(err, errlen, FG_INVALID, "fg_index_open_readonly: out is NULL");
    *out = NULL;
    if (!dir || !*dir)
        return fg_set_error(err, errlen, FG_INVALID, "empty index folder name");
    fg_index_t *idx = NULL;
    try {
        idx = new fg_index_t();
        idx->path = dir;
        idx->writable = false;
        idx->lock_fd = -1;
        idx->shards = fg_is_shard_list(idx->path);
    } catch (const std::bad_alloc &) {
        delete idx;
        return fg_set_error(err, errlen, FG_NOMEM, "out of memory");
    }
    fg_status_t st = fg_index_finish_open(idx, err, errlen);
    if (st == FG_OK)
        *out = idx;
    return st;
}

/* Opens the reader idx (see index-private.h). */
fg_status_t fg_index_finish_open(fg_index_t *idx, char *err, size_t errlen) {
    const char *dir = idx->path.c_str();
    try {
        fg_reader_refresh(idx);
        fg_status_t st = check_format(idx, false, err, errlen);
        if (st != FG_OK) {
            destroy(idx);
            return st;
        }
        return FG_OK;
    } catch (const Xapian::Error &e) {
        fg_status_t st = open_failure(dir, e, err, errlen);
        destroy(idx);
        return st;
    } catch (const std::bad_alloc &) {
        destroy(idx);
        return fg_set_error(err, errlen, FG_NOMEM, "out of memory");
    } catch (...) {
        fg_status_t st =
            fg_set_error(err, errlen, FG_XAPIAN, "unexpected exception opening %s", dir);
        destroy(idx);
        return st;
    }
}

/* Commits a writer's pending changes, then closes and frees the handle and
 * releases the lock, whatever the commit gave.  Returns the commit's status
 * (its message is lost with the handle: commit first to see it). */
extern "C" fg_status_t fg_index_close(fg_index_t *idx) {
    if (!idx)
        return FG_OK;
    fg_status_t st = FG_OK;
    if (idx->writable) {
        try {
            idx->wdb.commit();
        } catch (const Xapian::Error &e) {
            st = fg_status_of(e);
        } catch (const std::bad_alloc &) {
            st = FG_NOMEM;
        } catch (...) {
            st = FG_XAPIAN;
        }
    }
    destroy(idx);
    return st;
}

/* The last failure's text on this handle ("" if none). */
extern "C" const char *fg_index_error(const fg_index_t *idx) {
    return idx ? idx->error : "";
}

/* The folder given at open. */
extern "C" const char *fg_index_path(const fg_index_t *idx) {
    return idx ? idx->path.c_str() : "";
}

/* Reruns after DatabaseModifiedError so far (an addition for tests/--debug). */
extern "C" uint32_t fg_index_retries(const fg_index_t *idx) {
    return idx ? idx->retries : 0;
}

/* A reader moves to the latest revision, of the generation the stub names
 * now; for a writer, which always sees its own latest state, this does
 * nothing. */
extern "C" fg_status_t fg_index_reopen(fg_index_t *idx) {
    if (!idx)
        return FG_INVALID;
    try {
        if (!idx->writable)
            fg_reader_refresh(idx);
        return FG_OK;
    }
    FG_INDEX_CATCH(idx)
}

/* FG_INVALID with a message unless idx is a writer. */
fg_status_t fg_need_writer(fg_index_t *idx, const char *what) {
    if (idx->writable)
        return FG_OK;
    return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "%s: index %s is open read-only",
                        what, idx->path.c_str());
}

/* Commits the writer's pending changes. */
extern "C" fg_status_t fg_index_commit(fg_index_t *idx) {
    if (!idx)
        return FG_INVALID;
    fg_status_t st = fg_need_writer(idx, "commit");
    if (st != FG_OK)
        return st;
    try {
        idx->wdb.commit();
        return FG_OK;
    }
    FG_INDEX_CATCH(idx)
}

/* Number of documents (a writer counts its uncommitted changes). */
extern "C" fg_status_t fg_index_doc_count(fg_index_t *idx, uint64_t *out) {
    if (!idx || !out)
        return FG_INVALID;
    *out = 0;
    try {
        return fg_with_retry(idx, [&]() {
            *out = idx->db.get_doccount();
            return FG_OK;
        });
    }
    FG_INDEX_CATCH(idx)
}

/* Copies s into a new malloc'ed C string. */
static char *dup_string(const std::string &s) {
    char *p = static_cast<char *>(malloc(s.size() + 1));
    if (p) {
        memcpy(p, s.data(), s.size());
        p[s.size()] = '\0';
    }
    return p;
}

/* Reads metadata key into a malloc'ed string ("" when unset). */
extern "C" fg_status_t fg_index_get_metadata(fg_index_t *idx, const char *key, char **out) {
    if (!idx || !out)
        return FG_INVALID;
    *out = NULL;
    if (!key || !*key)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "empty metadata key");
    try {
        std::string value;
        fg_status_t st = fg_with_retry(idx, [&]() {
            value = idx->db.get_metadata(key);
            return FG_OK;
        });
        if (st != FG_OK)
            return st;
        *out = dup_string(value);
        if (!*out)
            return fg_set_error(idx->error, sizeof idx->error, FG_NOMEM, "out of memory");
        return FG_OK;
    }
    FG_INDEX_CATCH(idx)
}

/* Sets metadata key (a writer; visible to readers after the next commit). */
extern "C" fg_status_t fg_index_set_metadata(fg_index_t *idx, const char *key, const char *value) {
    if (!idx)
        return FG_INVALID;
    if (!key || !*key || !value)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID,
                            "empty metadata key or NULL value");
    fg_status_t st = fg_need_writer(idx, "set metadata");
    if (st != FG_OK)
        return st;
    try {
        idx->wdb.set_metadata(key, value);
        return FG_OK;
    }
    FG_INDEX_CATCH(idx)
}

/* Number of documents indexed by term. */
extern "C" fg_status_t fg_index_term_freq(fg_index_t *idx, const char *term, uint32_t *out) {
    if (!idx || !out)
        return FG_INVALID;
    *out = 0;
    if (!term || !*term)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "empty term");
    try {
        return fg_with_retry(idx, [&]() {
            *out = idx->db.get_termfreq(term);
            return FG_OK;
        });
    }
    FG_INDEX_CATCH(idx)
}
