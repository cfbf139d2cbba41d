/*
 * format.h - the text inside a file of a known document format: PDF,
 * OpenDocument, OOXML, EPUB, HTML and RTF.
 *
 * These parsers read untrusted files with third-party libraries (poppler,
 * libxml2, libzip) and our RTF code, so the daemon and the CLI never call them
 * in their own process: they run in a child of the extractor helper
 * (extract/sandbox.h), which applies resource limits and a seccomp filter
 * first.  Plain text and Markdown keep the in-process path of extract.h.
 *
 * The type is decided by the content; the file name's extension is only a
 * hint (a PDF named .txt is read as PDF; a .docx that is not a zip is
 * skipped with that reason).
 */
#ifndef FG_EXTRACT_FORMAT_H
#define FG_EXTRACT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, lower-case type name used in the index, filters and facets). */
#define FG_DOCTYPE_MAP(X)                                                                          \
    X(UNKNOWN, "")                                                                                 \
    X(TEXT, "txt")                                                                                 \
    X(MARKDOWN, "md")                                                                              \
    X(HTML, "html")                                                                                \
    X(PDF, "pdf")                                                                                  \
    X(ODT, "odt")                                                                                  \
    X(ODS, "ods")                                                                                  \
    X(ODP, "odp")                                                                                  \
    X(DOCX, "docx")                                                                                \
    X(XLSX, "xlsx")                                                                                \
    X(PPTX, "pptx")                                                                                \
    X(EPUB, "epub")                                                                                \
    X(RTF, "rtf")

typedef enum fg_doctype {
#define FG_DOCTYPE_ENUM_(name, str) FG_DOCTYPE_##name,
    FG_DOCTYPE_MAP(FG_DOCTYPE_ENUM_)
#undef FG_DOCTYPE_ENUM_
        FG_DOCTYPE_LAST_
} fg_doctype_t;

/* Returns the type's name ("pdf", "docx", ...; "" for UNKNOWN); never NULL. */
const char *fg_doctype_name(fg_doctype_t type);

/* Limits one extraction stays within (beside the sandbox's own rlimits). */
typedef struct fg_format_limits {
    uint64_t max_text;    /* bytes of extracted text kept; more is cut, truncated = true */
    uint64_t max_inflate; /* bytes inflated from a zip, per member and in total */
} fg_format_limits_t;

/* Defaults: max_text 32 MiB, max_inflate 256 MiB. */
void fg_format_limits_default(fg_format_limits_t *lim);

/* What a document holds.  Every pointer is owned by the struct. */
typedef struct fg_format_doc {
    fg_doctype_t type;
    char *text; /* UTF-8, NUL-terminated; paragraphs end with '\n' */
    size_t text_len;
    uint32_t *pages; /* byte offset in text where each page starts (PDF); NULL when npages == 0 */
    size_t npages;
    char *title;    /* "" when unknown */
    char *author;   /* "" when unknown */
    char date[11];  /* "YYYY-MM-DD", "YYYY-MM" or "" */
    bool truncated; /* text was cut at max_text */
} fg_format_doc_t;

/*
 * Detects the type of the open file fd (content first, then name's extension
 * as a hint) and extracts its text and metadata into *out.  Reads fd from
 * offset 0; never writes anywhere.  Fails with:
 *   FG_SKIPPED  not a supported format, encrypted ("encrypted"), or the
 *               content contradicts the extension ("not a zip archive");
 *               err holds the reason in a few words
 *   FG_CORRUPT  the parser rejected the file (err names the byte offset or
 *               the part, e.g. "word/document.xml line 3")
 *   FG_IO, FG_NOMEM
 * On failure *out holds nothing to free.
 */
fg_status_t fg_format_extract(int fd, const char *name, const fg_format_limits_t *lim,
                              fg_format_doc_t *out, char *err, size_t errlen);

/* Frees what doc owns; doc may then be reused. */
void fg_format_doc_free(fg_format_doc_t *doc);

#ifdef __cplusplus
}
#endif
#endif
