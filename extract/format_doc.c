/*
 * format_doc.c - the data of format.h that both sides of the sandbox use:
 * type names, default limits, freeing a document.  No parser is linked
 * here, so the daemon and the CLI can use it without poppler or libxml2.
 */
#include "extract/format.h"

#include <stdlib.h>
#include <string.h>

/* Returns the type's name (see format.h). */
const char *fg_doctype_name(fg_doctype_t type) {
    static const char *const names[] = {
#define FG_DOCTYPE_NAME_(name, str) str,
        FG_DOCTYPE_MAP(FG_DOCTYPE_NAME_)
#undef FG_DOCTYPE_NAME_
    };
    return (unsigned)type < FG_DOCTYPE_LAST_ ? names[type] : "";
}

/* Fills the default limits (see format.h). */
void fg_format_limits_default(fg_format_limits_t *lim) {
    lim->max_text = 32u << 20;
    lim->max_inflate = 256u << 20;
}

/* Frees what doc owns (see format.h). */
void fg_format_doc_free(fg_format_doc_t *doc) {
    if (!doc)
        return;
    free(doc->text);
    free(doc->pages);
    free(doc->title);
    free(doc->author);
    memset(doc, 0, sizeof *doc);
}
