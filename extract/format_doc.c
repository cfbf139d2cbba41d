/*
 * format_doc.c - the data of format.h that both sides of the sandbox use:
 * type names, default limits, freeing a document.  No parser is linked
 * here, so the daemon and the CLI can use it without poppler or libxml2.
 */
#include "extract/format.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Returns the type's name (see format.h). */
const char *fg_doctype_name(fg_doctype_t type) {
    static const char *const names[] = {
#define FG_DOCTYPE_NAME_(name, str, mime, sandboxed) str,
        FG_DOCTYPE_MAP(FG_DOCTYPE_NAME_)
#undef FG_DOCTYPE_NAME_
    };
    return (unsigned)type < FG_DOCTYPE_LAST_ ? names[type] : "";
}

/* Returns the type's MIME type (see format.h). */
const char *fg_doctype_mime(fg_doctype_t type) {
    static const char *const mimes[] = {
#define FG_DOCTYPE_MIME_(name, str, mime, sandboxed) mime,
        FG_DOCTYPE_MAP(FG_DOCTYPE_MIME_)
#undef FG_DOCTYPE_MIME_
    };
    return (unsigned)type < FG_DOCTYPE_LAST_ ? mimes[type] : mimes[FG_DOCTYPE_UNKNOWN];
}

/* True for the sandboxed document formats (see format.h). */
bool fg_doctype_sandboxed(fg_doctype_t type) {
    static const bool sandboxed[] = {
#define FG_DOCTYPE_SANDBOXED_(name, str, mime, sandboxed) sandboxed,
        FG_DOCTYPE_MAP(FG_DOCTYPE_SANDBOXED_)
#undef FG_DOCTYPE_SANDBOXED_
    };
    return (unsigned)type < FG_DOCTYPE_LAST_ && sandboxed[type];
}

/* The type of a file name extension (see format.h). */
fg_doctype_t fg_doctype_of_extension(const char *ext) {
    /* the names of the types, and other spellings of them */
    static const struct {
        const char *ext;
        fg_doctype_t type;
    } aliases[] = {
        {"htm", FG_DOCTYPE_HTML},          {"xhtml", FG_DOCTYPE_HTML}, {"ott", FG_DOCTYPE_ODT},
        {"markdown", FG_DOCTYPE_MARKDOWN}, {"mbox", FG_DOCTYPE_EML},   {"mbx", FG_DOCTYPE_EML},
    };
    if (!ext || !*ext)
        return FG_DOCTYPE_UNKNOWN;
    for (int t = FG_DOCTYPE_UNKNOWN + 1; t < FG_DOCTYPE_LAST_; t++)
        if (strcasecmp(ext, fg_doctype_name((fg_doctype_t)t)) == 0)
            return (fg_doctype_t)t;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (strcasecmp(ext, aliases[i].ext) == 0)
            return aliases[i].type;
    return FG_DOCTYPE_UNKNOWN;
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
    free(doc->from);
    free(doc->to);
    free(doc->parts);
    free(doc->notes);
    memset(doc, 0, sizeof *doc);
}

/* The type of a file name's extension (see format.h). */
fg_doctype_t fg_doctype_of_path(const char *path) {
    if (!path)
        return FG_DOCTYPE_UNKNOWN;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    fg_doctype_t t = dot && dot != base ? fg_doctype_of_extension(dot + 1) : FG_DOCTYPE_UNKNOWN;
    return t == FG_DOCTYPE_UNKNOWN && fg_doctype_path_maildir(path) ? FG_DOCTYPE_EML : t;
}

/* True for a file directly in a Maildir's cur/ or new/ (see format.h). */
bool fg_doctype_path_maildir(const char *path) {
    const char *base = path ? strrchr(path, '/') : NULL;
    if (!base || base == path || base[1] == '.' || base[1] == '\0')
        return false;
    const char *parent = base;
    while (parent > path && parent[-1] != '/')
        parent--;
    size_t n = (size_t)(base - parent);
    return (n == 3 && (!strncmp(parent, "cur", 3) || !strncmp(parent, "new", 3)));
}

/* True for a file name of a sandboxed format (see format.h). */
bool fg_doctype_path_sandboxed(const char *path) {
    return fg_doctype_sandboxed(fg_doctype_of_path(path));
}
