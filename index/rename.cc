/*
 * rename.cc - a document follows its file to a new path without the text
 * being extracted and analysed again (see fg_index_rename() in index.h).
 */
#include "index/index-private.h"

#include <new>
#include <string.h>

/* True for the terms that belong to the unique id and the path (Q, P); every
 * other prefix is upper case and body words are folded to lower case. */
static bool is_path_term(const std::string &term) {
    return !term.empty() && (term[0] == 'Q' || term[0] == 'P');
}

/* Moves the document of uid from to uid to (see index.h). */
extern "C" fg_status_t fg_index_rename(fg_index_t *idx, const char *from, const char *to,
                                       const char *data, size_t len) {
    if (!idx)
        return FG_INVALID;
    if (!from || !*from || !to || !*to)
        return fg_set_error(idx->error, sizeof idx->error, FG_INVALID, "rename: empty uid");
    fg_status_t st = fg_need_writer(idx, "rename");
    if (st != FG_OK)
        return st;
    try {
        std::string qfrom = fg_uid_term(from);
        Xapian::PostingIterator p = idx->wdb.postlist_begin(qfrom);
        if (p == idx->wdb.postlist_end(qfrom))
            return fg_set_error(idx->error, sizeof idx->error, FG_NOT_FOUND,
                                "rename: no document %s in %s", from, idx->path.c_str());
        Xapian::Document old = idx->wdb.get_document(*p);
        fg_doc_t moved;
        for (Xapian::TermIterator t = old.termlist_begin(); t != old.termlist_end(); ++t) {
            const std::string term = *t;
            if (is_path_term(term))
                continue;
            moved.xdoc.add_term(term, t.get_wdf());
            for (Xapian::PositionIterator q = t.positionlist_begin(); q != t.positionlist_end();
                 ++q)
                moved.xdoc.add_posting(term, *q, 0);
        }
        for (Xapian::ValueIterator v = old.values_begin(); v != old.values_end(); ++v)
            moved.xdoc.add_value(v.get_valueno(), *v);
        /* the folder value follows the new path (uid = absolute path) */
        const char *slash = strrchr(to, '/');
        if (slash && !old.get_value(FG_VALUE_FOLDER).empty())
            moved.xdoc.add_value(FG_VALUE_FOLDER,
                                 std::string(to, slash == to ? 1 : (size_t)(slash - to)));
        moved.xdoc.set_data(data ? std::string(data, len) : old.get_data());
        if (strcmp(from, to) != 0)
            idx->wdb.delete_document(qfrom);
        return fg_index_replace(idx, to, &moved); /* adds the Q and P terms of to */
    }
    FG_INDEX_CATCH(idx)
}
