/*
 * doc.cc - fg_doc_t, a document being built, and the sortable encoding of
 * numbers for value slots.
 */
#include "index/index-private.h"

#include <new>
#include <string.h>

/* Creates an empty document. */
extern "C" fg_status_t fg_doc_new(fg_doc_t **out) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    try {
        *out = new fg_doc_t();
        return FG_OK;
    }
    FG_PLAIN_CATCH
}

/* Frees a document; NULL is allowed. */
extern "C" void fg_doc_free(fg_doc_t *doc) {
    delete doc; /* Xapian::Document's destructor does not throw */
}

/* Checks a term given to fg_doc_add_posting() or fg_doc_add_term(). */
static fg_status_t check_term(const fg_doc_t *doc, const char *term, size_t len) {
    if (!doc || !term || len == 0)
        return FG_INVALID;
    if (len > FG_TERM_MAX)
        return FG_TOO_LONG;
    return FG_OK;
}

/* Adds one occurrence of term at position pos (wdf += 1). */
extern "C" fg_status_t fg_doc_add_posting(fg_doc_t *doc, const char *term, size_t len,
                                          uint32_t pos) {
    fg_status_t st = check_term(doc, term, len);
    if (st != FG_OK)
        return st;
    try {
        doc->xdoc.add_posting(std::string(term, len), pos);
        return FG_OK;
    }
    FG_PLAIN_CATCH
}

/* Adds term without a position, raising its wdf by wdf_inc (0: boolean). */
extern "C" fg_status_t fg_doc_add_term(fg_doc_t *doc, const char *term, size_t len,
                                       uint32_t wdf_inc) {
    fg_status_t st = check_term(doc, term, len);
    if (st != FG_OK)
        return st;
    try {
        doc->xdoc.add_term(std::string(term, len), wdf_inc);
        return FG_OK;
    }
    FG_PLAIN_CATCH
}

/* Sets value slot to len bytes (len 0 removes the value). */
extern "C" fg_status_t fg_doc_set_value(fg_doc_t *doc, unsigned slot, const char *val, size_t len) {
    if (!doc || (!val && len))
        return FG_INVALID;
    if (slot == Xapian::BAD_VALUENO)
        return FG_INVALID;
    try {
        doc->xdoc.add_value(slot, std::string(val ? val : "", len));
        return FG_OK;
    }
    FG_PLAIN_CATCH
}

/* Sets the document data to a copy of len bytes (NULs allowed). */
extern "C" fg_status_t fg_doc_set_data(fg_doc_t *doc, const char *data, size_t len) {
    if (!doc || (!data && len))
        return FG_INVALID;
    try {
        doc->xdoc.set_data(std::string(data ? data : "", len));
        return FG_OK;
    }
    FG_PLAIN_CATCH
}

/* Xapian::sortable_serialise() into buf (at most 9 bytes are written; the
 * header promises callers an 18-byte buffer is enough).  Returns the length,
 * 0 only if memory ran out. */
extern "C" size_t fg_sortable_serialise(double v, char *buf) {
    try {
        std::string s = Xapian::sortable_serialise(v);
        memcpy(buf, s.data(), s.size());
        return s.size();
    } catch (...) {
        return 0;
    }
}

/* Xapian::sortable_unserialise() of len bytes; 0 only if memory ran out. */
extern "C" double fg_sortable_unserialise(const char *buf, size_t len) {
    try {
        return Xapian::sortable_unserialise(std::string(buf ? buf : "", buf ? len : 0));
    } catch (...) {
        return 0;
    }
}
