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

/* X(name, lower-case type name used in the index, filters and facets, MIME
 * type, read in the sandbox).  The one table of document types; the file
 * name extensions that map to them are in format_doc.c. */
#define FG_DOCTYPE_MAP(X)                                                                          \
    X(UNKNOWN, "", "application/octet-stream", false)                                              \
    X(TEXT, "txt", "text/plain", false)                                                            \
    X(MARKDOWN, "md", "text/markdown", false)                                                      \
    X(HTML, "html", "text/html", true)                                                             \
    X(PDF, "pdf", "application/pdf", true)                                                         \
    X(ODT, "odt", "application/vnd.oasis.opendocument.text", true)                                 \
    X(ODS, "ods", "application/vnd.oasis.opendocument.spreadsheet", true)                          \
    X(ODP, "odp", "application/vnd.oasis.opendocument.presentation", true)                         \
    X(DOCX, "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",     \
      true)                                                                                        \
    X(XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true)     \
    X(PPTX, "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",   \
      true)                                                                                        \
    X(EPUB, "epub", "application/epub+zip", true)                                                  \
    X(RTF, "rtf", "application/rtf", true)                                                         \
    X(EML, "eml", "message/rfc822", true)

typedef enum fg_doctype {
#define FG_DOCTYPE_ENUM_(name, str, mime, sandboxed) FG_DOCTYPE_##name,
    FG_DOCTYPE_MAP(FG_DOCTYPE_ENUM_)
#undef FG_DOCTYPE_ENUM_
        FG_DOCTYPE_LAST_
} fg_doctype_t;

/* Returns the type's name ("pdf", "docx", ...; "" for UNKNOWN); never NULL. */
const char *fg_doctype_name(fg_doctype_t type);

/* Returns the type's MIME type ("text/plain" for TEXT); never NULL. */
const char *fg_doctype_mime(fg_doctype_t type);

/* True when the type is read by the sandboxed extractor helper (the
 * document formats), false for text read in process. */
bool fg_doctype_sandboxed(fg_doctype_t type);

/* The type a file name extension (without the dot, any case: "PDF", "htm",
 * "ott", "markdown") names, or FG_DOCTYPE_UNKNOWN.  Every type name is one
 * of them. */
fg_doctype_t fg_doctype_of_extension(const char *ext);

/* The type the extension of the file name path names (the part after the
 * last dot of its last component), or FG_DOCTYPE_UNKNOWN; a file of no known
 * extension in a Maildir folder (fg_doctype_path_maildir()) is EML. */
fg_doctype_t fg_doctype_of_path(const char *path);

/* True when path names a file directly inside a folder called "cur" or
 * "new" (a Maildir's messages, "1720000000.M1P2.host:2,S"), not a hidden one;
 * the name alone decides, the content is checked when it is read. */
bool fg_doctype_path_maildir(const char *path);

/* True when the file name path names a document format the sandboxed
 * helper reads (by its extension, as the extractor routes it). */
bool fg_doctype_path_sandboxed(const char *path);

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
    /* mail (EML) only; "" otherwise: */
    char *from;  /* the sender as display text ("Hans Müller <hans@example.de>") */
    char *to;    /* the recipients of To and Cc, comma-separated */
    char *parts; /* the attachments' names, one line each: page i + 2 (pages[i + 1])
                  * is attachment i; page 1 is the message */
    char *notes; /* what was skipped (broken parts, refused attachments), one line
                  * each, for the log; "" when nothing */
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

/*
 * Loads once what every extraction needs (libmagic's database, libxml2's
 * parser state), for a process that forks one child per file: each child
 * then starts with them in memory instead of opening and parsing the magic
 * file again (about 0.9 ms a file).  Single-threaded use only afterwards
 * (the loaded libmagic handle is shared); optional.
 */
void fg_format_preload(void);

#ifdef __cplusplus
}
#endif
#endif
