/*
 * store.cc - documents by unique id and by path: replace, delete, stamp,
 * foreach.
 *
 * fg_index_replace() adds the Q term of the uid and the P terms of the uid
 * and of every folder above it (see index.h), so callers add only their own
 * terms, and fg_index_foreach() can find everything below a folder with one
 * posting list.  A failure stub (a document with the FG_PREFIX_FAILED term)
 * gets its Q term only; fg_index_foreach_term() lists the stubs.
 */
#include "index/index-private.h"

#include <new>
#include <string.h>
#include <vector>

/* A deep copy of src into dst (a Xapian::Document handle shares its
 * contents with every copy of the handle, so "dst = src" would not do). */
static void copy_document(const Xapian::Document &src, Xapian::Document &dst) {
    for (Xapian::TermIterator t = src.termlist_begin(); t != src.termlist_end(); ++t) {
        const std::string term = *t;
        dst.add_term(term, t.get_wdf());
        for (Xapian::PositionIterator p = t.positionlist_begin(); p != t.positionlist_end(); ++p)
            dst.add_posting(term, *p, 0);
    }
    for (Xapian::ValueIterator v = src.values_begin(); v != src.values_end(); ++v)
        dst.add_value(v.get_valueno(), *v);
    dst.set_data(src.get_data());
}

/* Adds the boolean P terms of path: the path itself and, for every '/' in
 * it, the part before it ("/" for the leading one). */
static void add_path_terms(Xapian::Document &doc, const char *path) {
    size_t len = strlen(path);
    doc.add_boolean_term(fg_path_term(path, len));
    for (size_t i = len; i-- > 0;) {
        if (path[i] == '/')
            doc.add_boolean_term(i == 0 ? fg_path_term("/", 1) : fg_path_term(path, i));
    }
}

/* True when xdoc is a failure stub: it has the FG_PREFIX_FAILED term
 * (schema.h).  Throws Xapian errors. */
static bool is_failure_stub(const Xapian::Document &xdoc) {
    Xapian::TermIterator t = xdoc.termlist_begin();
    t.skip_to(FG_PREFIX_FAILED);
    return t != xdoc.termlist_end() && *t == FG_PREFIX_FAILED;
}

/* Adds the Q term of uid to xdoc and, unless it is a failure stub (which no
 * folder filter may find), the P terms. */
static void add_id_terms(Xapian::Document &xdoc, const std::string &qterm, const char *uid) {
    bool stub = is_failure_stub(xdoc);
    xdoc.add_boolean_term(qterm);
    if (!stub)
        add_path_terms(xdoc, uid);
}

/* Adds the Q and P terms of uid to xdoc itself and stores it in wdb in place
 * of any document of uid (see index-private.h).  Throws Xapian errors. */
void fg_store_xdoc(Xapian::WritableDatabase &wdb, const char *uid, Xapian::Document &xdoc) {
    std::string qterm = fg_uid_term(uid);
    add_id_terms(xdoc, qterm, uid);
    wdb.replace_document(qterm, xdoc);
}

/* As fg_store_xdoc() for a uid known to have no document in wdb: added
 * without looking for one. */
void fg_add_xdoc(Xapian::WritableDatabase &wdb, const char *uid, Xapian::Document &xdoc) {
    add_id_terms(xdoc, fg_uid_term(uid), uid);
    wdb.add_document(xdoc);
}

/* Adds or replaces the document of uid in wdb: a copy of doc with the Q and
 * P terms of uid (see index-private.h).  Throws Xapian errors. */
void fg_store_document(Xapian::WritableDatabase &wdb, const char *uid, const fg_doc_t *doc) {
    Xapian::Document xdoc;
    copy_document(doc->xdoc, xdoc);
    fg_store_xdoc(wdb, uid, xdoc);
}

/* Adds or replaces the document with unique id uid (Q and P terms added). */
extern "C" fg_status_t fg_index_replace(fg_index_t *idx, const char *uid, const fg_doc_t *doc) {
    if (!idx)
        return FG_INVALID;
    if (!uid || !*uid || !doc)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID,
                            "replace: empty uid or NULL document");
    fg_status_t st = fg_need_writer(idx, "replace");
    if (st != FG_OK)
        return st;
    try {
        fg_store_document(idx->wdb, uid, doc);
        return FG_OK;
    }
    FG_INDEX_CATCH(idx)
}

/* Deletes the document(s) with unique id uid; none is fine. */
extern "C" fg_status_t fg_index_delete(fg_index_t *idx, const char *uid) {
    if (!idx)
        return FG_INVALID;
    if (!uid || !*uid)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "delete: empty uid");
    fg_status_t st = fg_need_writer(idx, "delete");
    if (st != FG_OK)
        return st;
    try {
        idx->wdb.delete_document(fg_uid_term(uid));
        return FG_OK;
    }
    FG_INDEX_CATCH(idx)
}

/* A value slot decoded by sortable_unserialise, 0 when unset. */
static double number_value(const Xapian::Document &doc, unsigned slot) {
    std::string v = doc.get_value(slot);
    return v.empty() ? 0.0 : Xapian::sortable_unserialise(v);
}

/* Reads mtime, size and inode of the document with unique id uid. */
extern "C" fg_status_t fg_index_stamp(fg_index_t *idx, const char *uid, fg_doc_stamp_t *out) {
    if (!idx || !out)
        return FG_INVALID;
    memset(out, 0, sizeof *out);
    if (!uid || !*uid)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "stamp: empty uid");
    try {
        std::string qterm = fg_uid_term(uid);
        return fg_with_retry(idx, [&]() {
            Xapian::PostingIterator p = idx->db.postlist_begin(qterm);
            if (p == idx->db.postlist_end(qterm))
                return fg_set_error(idx->error, sizeof idx->error, FG_NOT_FOUND,
                                    "no document %s in %s", uid, idx->path.c_str());
            Xapian::Document doc = idx->db.get_document(*p);
            out->mtime = number_value(doc, FG_VALUE_MTIME);
            out->size = number_value(doc, FG_VALUE_SIZE);
            out->inode = number_value(doc, FG_VALUE_INODE);
            return FG_OK;
        });
    }
    FG_INDEX_CATCH(idx)
}

/* Copies one value slot of a document (see index.h). */
extern "C" fg_status_t fg_index_doc_value(fg_index_t *idx, uint32_t docid, unsigned slot,
                                          char **out, size_t *len) {
    if (!idx || !out || !len)
        return FG_INVALID;
    *out = NULL;
    *len = 0;
    try {
        return fg_with_retry(idx, [&]() {
            std::string v;
            try {
                v = idx->db.get_document(docid, Xapian::DOC_ASSUME_VALID).get_value(slot);
            } catch (const Xapian::DocNotFoundError &) {
                return fg_set_error(idx->error, sizeof idx->error, FG_NOT_FOUND,
                                    "no document %u in %s", docid, idx->path.c_str());
            }
            if (v.empty())
                return FG_OK;
            char *copy = static_cast<char *>(malloc(v.size() + 1));
            if (!copy)
                return FG_NOMEM;
            memcpy(copy, v.data(), v.size());
            copy[v.size()] = '\0';
            *out = copy;
            *len = v.size();
            return FG_OK;
        });
    }
    FG_INDEX_CATCH(idx)
}

/* The document data of docid (see index.h). */
extern "C" fg_status_t fg_index_doc_data(fg_index_t *idx, uint32_t docid, char **out, size_t *len) {
    if (!idx || !out || !len)
        return FG_INVALID;
    *out = NULL;
    *len = 0;
    if (docid == 0) /* Xapian's InvalidArgumentError: to a caller, no such document */
        return fg_set_error(idx->error, sizeof idx->error, FG_NOT_FOUND, "no document 0 in %s",
                            idx->path.c_str());
    try {
        return fg_with_retry(idx, [&]() {
            std::string v;
            try {
                v = idx->db.get_document(docid).get_data();
            } catch (const Xapian::DocNotFoundError &) {
                return fg_set_error(idx->error, sizeof idx->error, FG_NOT_FOUND,
                                    "no document %u in %s", docid, idx->path.c_str());
            }
            char *copy = static_cast<char *>(malloc(v.size() + 1));
            if (!copy)
                return FG_NOMEM;
            memcpy(copy, v.data(), v.size());
            copy[v.size()] = '\0';
            *out = copy;
            *len = v.size();
            return FG_OK;
        });
    }
    FG_INDEX_CATCH(idx)
}

/* Calls fn with the data of each document in ids (in order); one deleted
 * meanwhile is skipped.  Stops when fn returns nonzero.  Throws Xapian
 * errors. */
static fg_status_t visit_ids(fg_index_t *idx, const std::vector<Xapian::docid> &ids, fg_doc_fn fn,
                             void *ctx) {
    for (Xapian::docid id : ids) {
        std::string data;
        bool found = true;
        fg_status_t st = fg_with_retry(idx, [&]() {
            try {
                data = idx->db.get_document(id).get_data();
            } catch (const Xapian::DocNotFoundError &) {
                found = false;
            }
            return FG_OK;
        });
        if (st != FG_OK)
            return st;
        if (found && fn(ctx, id, data.c_str(), data.size()) != 0)
            break;
    }
    return FG_OK;
}

/* Collects the docids of term's posting list into ids (the whole list again
 * after a reopen).  Throws Xapian errors. */
static fg_status_t postlist_ids(fg_index_t *idx, const std::string &term,
                                std::vector<Xapian::docid> &ids) {
    return fg_with_retry(idx, [&]() {
        ids.clear();
        Xapian::PostingIterator end = idx->db.postlist_end(term);
        for (Xapian::PostingIterator p = idx->db.postlist_begin(term); p != end; ++p)
            ids.push_back(*p);
        return FG_OK;
    });
}

/* Calls fn for every document indexed by term (see index.h). */
extern "C" fg_status_t fg_index_foreach_term(fg_index_t *idx, const char *term, fg_doc_fn fn,
                                             void *ctx) {
    if (!idx)
        return FG_INVALID;
    if (!fn || !term || !*term)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID,
                            "foreach term: no callback or empty term");
    try {
        std::vector<Xapian::docid> ids;
        fg_status_t st = postlist_ids(idx, term, ids);
        return st != FG_OK ? st : visit_ids(idx, ids, fn, ctx);
    }
    FG_INDEX_CATCH(idx)
}

/*
 * Calls fn for every document below path_prefix (NULL or "": all).  The
 * docids are collected first (4 bytes each), so fn may modify the index
 * through a writer handle; a document deleted meanwhile is skipped, one
 * added meanwhile is not visited.  DatabaseModifiedError (a reader left
 * behind) reopens and carries on with the documents not yet visited.
 * Trailing slashes of path_prefix are ignored ("/home/a/" = "/home/a").
 */
extern "C" fg_status_t fg_index_foreach(fg_index_t *idx, const char *path_prefix, fg_doc_fn fn,
                                        void *ctx) {
    if (!idx)
        return FG_INVALID;
    if (!fn)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "foreach: no callback");
    try {
        std::string term; /* "": Xapian's all-documents posting list */
        if (path_prefix && *path_prefix) {
            size_t len = strlen(path_prefix);
            while (len > 1 && path_prefix[len - 1] == '/')
                len--;
            term = fg_path_term(path_prefix, len);
        }
        std::vector<Xapian::docid> ids;
        fg_status_t st = postlist_ids(idx, term, ids);
        return st != FG_OK ? st : visit_ids(idx, ids, fn, ctx);
    }
    FG_INDEX_CATCH(idx)
}
