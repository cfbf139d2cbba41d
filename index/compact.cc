/*
 * compact.cc - generations, the stub that names the live one, segments and
 * their merge into a new generation, or their absorption into the live one
 * (see index.h, "segments").
 *
 * Layout of an index folder:
 *   XAPIANDB        Xapian stub file, one line "glass gen-N": the live
 *                   generation (Xapian opens a folder holding XAPIANDB
 *                   through it, so delve and quest still work on the folder)
 *   gen-N/          the live glass database; the writer writes here
 *   seg-XXXXXX/     segments: plain glass databases built by bulk workers
 *   fundgrube.lock  the writer lock (lock.c)
 *
 * A merge, with the writer lock held: commit the live generation; compact
 * live + segments (Xapian::Database::compact: the posting lists are
 * concatenated, docids renumbered in source order) into gen-(N+1); there,
 * delete the older copies of documents whose unique id occurs more than
 * once (a changed file has its old document in the live generation and its
 * new one in a segment: the one with the highest docid, the newest, stays);
 * commit; write the new stub to XAPIANDB.tmp and rename it over XAPIANDB;
 * switch the writer to gen-(N+1); remove gen-N and the segments.
 *
 * Crash safety: XAPIANDB always names a complete, committed database (the
 * new one is complete before the rename, which is atomic).  Whatever a crash
 * leaves (segments, an unfinished gen-(N+1), the old gen-N) is removed by
 * the next writable open (fg_remove_leftovers()); the documents of lost
 * segments are missing from the index, so the next run indexes them again.
 *
 * Readers read the stub themselves and open the generation it names; a
 * reader keeps reading its generation after the writer has deleted it (the
 * files stay alive while open) until fg_index_reopen() moves it on.
 *
 * Test hook: FUNDGRUBE_TEST_KILL_AT=<point> makes the process SIGKILL itself
 * at that point of a merge (merge-start, merge-compacted, merge-deduped,
 * merge-stub, merge-done) or an absorption (absorb-added, absorb-committed)
 * for the crash tests.  It exists only in builds configured with
 * -DFG_TEST_HOOKS=ON (scripts/test); elsewhere kill_point() is empty.
 */
#include "index/index-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <filesystem>
#include <limits.h>
#include <new>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <unordered_set>
#include <vector>

/* ------------------------------------------------------------ stub and generations */

/* The test hook (see the top of this file): SIGKILLs the process when
 * FUNDGRUBE_TEST_KILL_AT names point; does nothing without FG_TEST_HOOKS. */
static void kill_point(const char *point) {
#ifdef FG_TEST_HOOKS
    const char *at = getenv("FUNDGRUBE_TEST_KILL_AT");
    if (at && strcmp(at, point) == 0)
        raise(SIGKILL);
#else
    (void)point;
#endif
}

/* The database folder of generation gen ("" = the index folder itself). */
std::string fg_gen_path(const std::string &dir, const std::string &gen) {
    return gen.empty() ? dir : dir + "/" + gen;
}

/* True for "gen-" followed by one or more digits (and nothing else). */
static bool is_gen_name(const char *name) {
    if (strncmp(name, "gen-", 4) != 0 || !name[4])
        return false;
    for (const char *p = name + 4; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    return true;
}

/* The number N of "gen-N"; 0 for "" (the old layout). */
static unsigned long gen_number(const std::string &gen) {
    return gen.empty() ? 0 : strtoul(gen.c_str() + 4, NULL, 10);
}

/* Reads the stub of dir (see index-private.h). */
bool fg_stub_read(const std::string &dir, std::string *gen) {
    std::string path = dir + "/" FG_STUB_FILE;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return false;
        throw Xapian::DatabaseOpeningError("cannot read " + path, errno);
    }
    char buf[128];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0)
        throw Xapian::DatabaseOpeningError("cannot read " + path, errno);
    buf[n] = '\0';
    char *nl = strchr(buf, '\n');
    if (nl)
        *nl = '\0';
    const char *name = NULL;
    if (strncmp(buf, "glass ", 6) == 0)
        name = buf + 6;
    else if (strncmp(buf, "auto ", 5) == 0)
        name = buf + 5;
    if (!name || !is_gen_name(name))
        throw Xapian::DatabaseCorruptError(path + " does not name a generation gen-N");
    *gen = name;
    return true;
}

/* Writes the stub atomically (see index-private.h). */
fg_status_t fg_stub_write(const std::string &dir, const std::string &gen, char *err,
                          size_t errlen) {
    std::string tmp = dir + "/" FG_STUB_FILE ".tmp", path = dir + "/" FG_STUB_FILE;
    std::string line = "glass " + gen + "\n";
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return fg_set_error(err, errlen, FG_IO, "cannot write %s: %s", tmp.c_str(),
                            strerror(errno));
    bool ok = write(fd, line.data(), line.size()) == (ssize_t)line.size() && fsync(fd) == 0;
    int e = errno;
    close(fd);
    if (!ok || rename(tmp.c_str(), path.c_str()) != 0) {
        e = ok ? errno : e;
        unlink(tmp.c_str());
        return fg_set_error(err, errlen, FG_IO, "cannot write %s: %s", path.c_str(), strerror(e));
    }
    int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        if (fsync(dfd) != 0) {
            /* the rename is done; only its durability across a power cut is in doubt */
        }
        close(dfd);
    }
    return FG_OK;
}

/* Removes a file or folder tree, ignoring failures. */
void fg_remove_tree(const std::string &path) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
}

/* True for the files of a glass database (what the old layout keeps in the
 * index folder itself). */
static bool is_glass_file(const char *name) {
    size_t len = strlen(name);
    return strcmp(name, "iamglass") == 0 || strcmp(name, "flintlock") == 0 ||
           (len > 6 && strcmp(name + len - 6, ".glass") == 0);
}

/* Names fg_remove_leftovers() removes (see index-private.h). */
bool fg_is_leftover_name(const char *name) {
    return is_gen_name(name) || (strncmp(name, "seg-", 4) == 0 && strlen(name) == 10) ||
           strcmp(name, FG_STUB_FILE ".tmp") == 0;
}

/* Removes what a crash may have left (see index-private.h). */
void fg_remove_leftovers(const std::string &dir, const std::string &gen) {
    DIR *d = opendir(dir.c_str());
    if (!d)
        return;
    std::vector<std::string> doomed;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        if ((fg_is_leftover_name(name) && gen != name) || (!gen.empty() && is_glass_file(name)))
            doomed.push_back(dir + "/" + name);
    }
    closedir(d);
    for (const std::string &p : doomed)
        fg_remove_tree(p);
}

/* Removes generation gen of the index in dir: its folder, or for "" the glass
 * files of the old layout in dir itself.  Failures are ignored. */
static void remove_generation(const std::string &dir, const std::string &gen) {
    if (!gen.empty()) {
        /* the version file first: a reader opening it now fails and rereads
         * the stub, instead of finding some tables gone */
        unlink((fg_gen_path(dir, gen) + "/iamglass").c_str());
        fg_remove_tree(fg_gen_path(dir, gen));
        return;
    }
    DIR *d = opendir(dir.c_str());
    if (!d)
        return;
    std::vector<std::string> doomed;
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (is_glass_file(de->d_name))
            doomed.push_back(dir + "/" + de->d_name);
    closedir(d);
    for (const std::string &p : doomed)
        unlink(p.c_str());
}

/* Opens a reader on the generation the stub names (see index-private.h).
 * Between reading the stub and opening (or reopening), a merge may have
 * replaced and removed that generation: then the stub names another one,
 * and the open is tried again (a few times). */
void fg_reader_refresh(fg_index_t *idx) {
    if (idx->shards) {
        fg_shards_refresh(idx, false);
        return;
    }
    for (unsigned attempt = 0;; attempt++) {
        std::string gen;
        if (!fg_stub_read(idx->path, &gen))
            gen.clear();
        try {
            if (idx->opened && gen == idx->gen) {
                idx->db.reopen(); /* reads the version file: may meet a removal */
                return;
            }
            Xapian::Database db(fg_gen_path(idx->path, gen));
            idx->db = db;
            idx->gen = gen;
            idx->opened = true;
            return;
        } catch (const Xapian::DatabaseError &) {
            std::string now;
            if (!fg_stub_read(idx->path, &now))
                now.clear();
            if (attempt >= FG_INDEX_RETRIES || now == gen)
                throw;
        }
    }
}

/* ------------------------------------------------------------ segments */

/* A segment being built: a glass database of its own, used by one thread. */
struct fg_segment {
    std::string path;
    Xapian::WritableDatabase wdb;
    std::unordered_set<std::string> uids; /* Q terms added (replace only those) */
    bool open;
    uint64_t docs;
    char error[FG_INDEX_ERRLEN];
};

/* Creates a segment folder <dir>/seg-XXXXXX and its database (see index.h). */
extern "C" fg_status_t fg_segment_create(const char *dir, fg_segment_t **out, char *err,
                                         size_t errlen) {
    if (!out)
        return fg_set_error(err, errlen, FG_INVALID, "fg_segment_create: out is NULL");
    *out = NULL;
    if (!dir || !*dir)
        return fg_set_error(err, errlen, FG_INVALID, "empty index folder name");
    fg_segment_t *seg = NULL;
    try {
        std::string templ = std::string(dir) + "/seg-XXXXXX";
        std::vector<char> buf(templ.begin(), templ.end());
        buf.push_back('\0');
        if (!mkdtemp(buf.data()))
            return fg_set_error(err, errlen, FG_IO, "cannot create a segment in %s: %s", dir,
                                strerror(errno));
        seg = new fg_segment_t();
        seg->path = buf.data();
        /* No fsync: a segment counts only once merged, and the merge's
         * output is synced. */
        seg->wdb =
            Xapian::WritableDatabase(seg->path, Xapian::DB_CREATE_OR_OVERWRITE |
                                                    Xapian::DB_BACKEND_GLASS | Xapian::DB_NO_SYNC);
        seg->open = true;
        *out = seg;
        return FG_OK;
    } catch (const Xapian::Error &e) {
        if (seg)
            fg_segment_free(seg, true);
        return fg_xapian_error(err, errlen, e);
    } catch (const std::bad_alloc &) {
        if (seg)
            fg_segment_free(seg, true);
        return fg_set_error(err, errlen, FG_NOMEM, "out of memory");
    } catch (...) {
        if (seg)
            fg_segment_free(seg, true);
        return fg_set_error(err, errlen, FG_XAPIAN, "unexpected exception creating a segment");
    }
}

/* Adds or replaces the document of uid in the segment (see index.h). */
extern "C" fg_status_t fg_segment_add(fg_segment_t *seg, const char *uid, fg_doc_t *doc) {
    if (!seg)
        return FG_INVALID;
    if (!uid || !*uid || !doc)
        return fg_set_error(seg->error, sizeof seg->error, FG_INVALID,
                            "segment add: empty uid or NULL document");
    if (!seg->open)
        return fg_set_error(seg->error, sizeof seg->error, FG_INVALID,
                            "segment add: segment %s is finished", seg->path.c_str());
    try {
        /* A uid new to the segment is added without Xapian's lookup of the
         * unique term (replace_document() searches its posting list). */
        bool fresh = seg->uids.insert(fg_uid_term(uid)).second;
        if (fresh)
            fg_add_xdoc(seg->wdb, uid, doc->xdoc);
        else
            fg_store_xdoc(seg->wdb, uid, doc->xdoc);
        seg->docs++;
        return FG_OK;
    }
    FG_INDEX_CATCH(seg)
}

/* Documents added so far. */
extern "C" uint64_t fg_segment_doc_count(const fg_segment_t *seg) {
    return seg ? seg->docs : 0;
}

/* Commits the segment's database, keeping it open (see index.h). */
extern "C" fg_status_t fg_segment_commit(fg_segment_t *seg) {
    if (!seg || !seg->open)
        return FG_INVALID;
    try {
        seg->wdb.commit();
        return FG_OK;
    }
    FG_INDEX_CATCH(seg)
}

/* Commits and closes the segment's database (see index.h). */
extern "C" fg_status_t fg_segment_finish(fg_segment_t *seg) {
    if (!seg)
        return FG_INVALID;
    if (!seg->open)
        return FG_OK;
    try {
        seg->wdb.commit();
        seg->wdb.close();
        seg->open = false;
        return FG_OK;
    }
    FG_INDEX_CATCH(seg)
}

/* The segment's folder. */
extern "C" const char *fg_segment_path(const fg_segment_t *seg) {
    return seg ? seg->path.c_str() : "";
}

/* The last failure's text ("" if none). */
extern "C" const char *fg_segment_error(const fg_segment_t *seg) {
    return seg ? seg->error : "";
}

/* Frees the handle, closing an unfinished database without committing;
 * remove: its folder too. */
extern "C" void fg_segment_free(fg_segment_t *seg, bool remove) {
    if (!seg)
        return;
    try {
        seg->wdb.close();
    } catch (...) {
        /* the folder is removed below or at the next writable open */
    }
    if (remove)
        fg_remove_tree(seg->path);
    delete seg;
}

/* Removes a segment folder (see index.h); only seg-* folders are touched. */
extern "C" void fg_segment_remove(const char *path) {
    if (!path)
        return;
    try {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        if (strncmp(base, "seg-", 4) == 0)
            fg_remove_tree(path);
    } catch (...) {
        /* the next writable open removes it */
    }
}

/* ------------------------------------------------------------ merge */

/*
 * In the merged database at path, deletes every document whose unique id (Q
 * term) also belongs to a document with a higher docid, for the Q terms of
 * the sources segs (only they can occur twice: each source holds one
 * document per unique id).  Looks first with a reader and opens a writer
 * only when there is something to delete; out receives that writer (else it
 * is left alone).  Returns how many were deleted.
 */
static uint64_t drop_older_copies(const std::string &path,
                                  const std::vector<Xapian::Database> &segs,
                                  Xapian::WritableDatabase *out) {
    std::vector<std::string> dups;
    {
        Xapian::Database merged(path);
        for (const Xapian::Database &s : segs)
            for (Xapian::TermIterator t = s.allterms_begin(FG_PREFIX_UID);
                 t != s.allterms_end(FG_PREFIX_UID); ++t)
                if (merged.get_termfreq(*t) > 1)
                    dups.push_back(*t);
    }
    if (dups.empty())
        return 0;
    *out = Xapian::WritableDatabase(path, Xapian::DB_OPEN);
    uint64_t dropped = 0;
    std::vector<Xapian::docid> ids;
    for (const std::string &q : dups) {
        ids.clear();
        for (Xapian::PostingIterator p = out->postlist_begin(q); p != out->postlist_end(q); ++p)
            ids.push_back(*p);
        for (size_t i = 0; i + 1 < ids.size(); i++) { /* ascending: the last is newest */
            out->delete_document(ids[i]);
            dropped++;
        }
    }
    out->commit();
    return dropped;
}

/* Compaction flags: FUNDGRUBE_COMPACT_MULTIPASS=1 merges the posting lists
 * in several passes (meant for many sources; bulk indexing keeps merges to a
 * few dozen sources, so it is off by default). */
static unsigned compact_flags() {
    const char *mp = getenv("FUNDGRUBE_COMPACT_MULTIPASS");
    unsigned flags = Xapian::DB_BACKEND_GLASS;
    if (mp && strcmp(mp, "1") == 0)
        flags |= Xapian::DBCOMPACT_MULTIPASS;
    return flags;
}

/* The merge proper (see the top of this file); throws Xapian errors. */
static fg_status_t merge(fg_index_t *idx, const char *const *segments, size_t n) {
    idx->wdb.commit();
    kill_point("merge-start");
    std::string oldgen = idx->gen;
    std::string newgen = "gen-" + std::to_string(gen_number(oldgen) + 1);
    std::string newpath = fg_gen_path(idx->path, newgen);
    fg_remove_tree(newpath);

    Xapian::Database src(fg_gen_path(idx->path, oldgen)); /* first: its metadata wins */
    bool live_docs = src.get_doccount() > 0;
    std::vector<Xapian::Database> segs;
    for (size_t i = 0; i < n; i++) {
        segs.emplace_back(segments[i]);
        src.add_database(segs.back());
    }
    src.compact(newpath, compact_flags());
    kill_point("merge-compacted");

    Xapian::WritableDatabase out;
    if (live_docs || n > 1)
        drop_older_copies(newpath, segs, &out);
    segs.clear();
    src.close();
    out.close();
    kill_point("merge-deduped");

    fg_status_t st = fg_stub_write(idx->path, newgen, idx->error, sizeof idx->error);
    if (st != FG_OK) {
        out.close();
        fg_remove_tree(newpath);
        return st;
    }
    kill_point("merge-stub");
    idx->wdb.close();
    idx->wdb = Xapian::WritableDatabase(newpath, Xapian::DB_OPEN);
    idx->db = idx->wdb;
    idx->gen = newgen;
    remove_generation(idx->path, oldgen);
    for (size_t i = 0; i < n; i++)
        fg_remove_tree(segments[i]);
    kill_point("merge-done");
    return FG_OK;
}

/* Compacts the finished segments into a new segment (see index.h). */
static fg_status_t combine(const char *dir, const char *const *segments, size_t n, char **out,
                           char *err, size_t errlen) {
    std::string templ = std::string(dir) + "/seg-XXXXXX";
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data()))
        return fg_set_error(err, errlen, FG_IO, "cannot create a segment in %s: %s", dir,
                            strerror(errno));
    std::string path = buf.data();
    try {
        Xapian::Database src;
        std::vector<Xapian::Database> segs;
        for (size_t i = 0; i < n; i++) {
            segs.emplace_back(segments[i]);
            src.add_database(segs.back());
        }
        src.compact(path, compact_flags()); /* (DB_NO_SYNC is not a compaction flag) */
        Xapian::WritableDatabase w;
        if (n > 1)
            drop_older_copies(path, segs, &w);
    } catch (...) {
        fg_remove_tree(path);
        throw;
    }
    *out = strdup(path.c_str());
    if (!*out) {
        fg_remove_tree(path);
        throw std::bad_alloc();
    }
    for (size_t i = 0; i < n; i++)
        fg_remove_tree(segments[i]);
    return FG_OK;
}

/* Combines segments into one (see index.h). */
extern "C" fg_status_t fg_segment_combine(const char *dir, const char *const *segments, size_t n,
                                          char **out, char *err, size_t errlen) {
    if (!out)
        return fg_set_error(err, errlen, FG_INVALID, "fg_segment_combine: out is NULL");
    *out = NULL;
    if (!dir || !*dir || (n > 0 && !segments))
        return fg_set_error(err, errlen, FG_INVALID, "combine: no folder or no segments");
    for (size_t i = 0; i < n; i++)
        if (!segments[i] || !*segments[i])
            return fg_set_error(err, errlen, FG_INVALID, "combine: empty segment name");
    try {
        return combine(dir, segments, n, out, err, errlen);
    } catch (const Xapian::Error &e) {
        return fg_xapian_error(err, errlen, e);
    } catch (const std::bad_alloc &) {
        return fg_set_error(err, errlen, FG_NOMEM, "out of memory");
    } catch (...) {
        return fg_set_error(err, errlen, FG_XAPIAN, "unexpected exception combining segments");
    }
}

/* Drops documents from a finished segment (see index.h); throws Xapian
 * errors. */
static fg_status_t drop(const char *segment, const char *const *uids, size_t n, uint64_t *dropped) {
    Xapian::WritableDatabase db(segment, Xapian::DB_OPEN);
    uint64_t count = 0;
    for (size_t i = 0; i < n; i++) {
        std::string q = fg_uid_term(uids[i]);
        if (db.term_exists(q)) {
            db.delete_document(q);
            count++;
        }
    }
    if (count)
        db.commit();
    db.close();
    if (dropped)
        *dropped = count;
    return FG_OK;
}

/* Deletes documents of given unique ids from a finished segment (see
 * index.h). */
extern "C" fg_status_t fg_segment_drop(const char *segment, const char *const *uids, size_t n,
                                       uint64_t *dropped, char *err, size_t errlen) {
    if (dropped)
        *dropped = 0;
    if (!segment || !*segment || (n > 0 && !uids))
        return fg_set_error(err, errlen, FG_INVALID, "drop: no segment or no ids");
    try {
        return drop(segment, uids, n, dropped);
    } catch (const Xapian::Error &e) {
        return fg_xapian_error(err, errlen, e);
    } catch (const std::bad_alloc &) {
        return fg_set_error(err, errlen, FG_NOMEM, "out of memory");
    } catch (...) {
        return fg_set_error(err, errlen, FG_XAPIAN, "unexpected exception dropping documents");
    }
}

/* The absorption proper (see fg_index_absorb() in index.h); throws Xapian
 * errors. */
static fg_status_t absorb(fg_index_t *idx, const char *const *segments, size_t n) {
    for (size_t i = 0; i < n; i++) {
        Xapian::Database seg(segments[i]);
        for (Xapian::PostingIterator p = seg.postlist_begin(""); p != seg.postlist_end(""); ++p) {
            Xapian::Document doc = seg.get_document(*p);
            Xapian::TermIterator t = doc.termlist_begin();
            t.skip_to(FG_PREFIX_UID);
            if (t == doc.termlist_end() || (*t)[0] != 'Q')
                continue; /* not one of ours: every document has a unique id */
            std::string uid = *t;
            idx->wdb.replace_document(uid, doc);
        }
    }
    kill_point("absorb-added");
    idx->wdb.commit();
    kill_point("absorb-committed");
    for (size_t i = 0; i < n; i++)
        fg_remove_tree(segments[i]);
    return FG_OK;
}

/* Checks the arguments of a merge or an absorption (what names it):
 * a writer, and n non-empty segment names.  Returns FG_OK or the error
 * (recorded in idx when there is one). */
static fg_status_t check_segments(fg_index_t *idx, const char *const *segments, size_t n,
                                  const char *what) {
    if (!idx)
        return FG_INVALID;
    fg_status_t st = fg_need_writer(idx, what);
    if (st != FG_OK)
        return st;
    if (n > 0 && !segments)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "%s: no segments", what);
    for (size_t i = 0; i < n; i++)
        if (!segments[i] || !*segments[i])
            return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "%s: empty segment name",
                                what);
    return FG_OK;
}

/* Copies segments into the live index (see index.h). */
extern "C" fg_status_t fg_index_absorb(fg_index_t *idx, const char *const *segments, size_t n) {
    fg_status_t st = check_segments(idx, segments, n, "absorb");
    if (st != FG_OK)
        return st;
    try {
        return absorb(idx, segments, n);
    }
    FG_INDEX_CATCH(idx)
}

/* Merges finished segments into the live index (see index.h). */
extern "C" fg_status_t fg_index_merge(fg_index_t *idx, const char *const *segments, size_t n) {
    fg_status_t st = check_segments(idx, segments, n, "merge");
    if (st != FG_OK)
        return st;
    try {
        return merge(idx, segments, n);
    }
    FG_INDEX_CATCH(idx)
}
