/*
 * fmt_internal.h - what the format parsers (fmt_*.c) share: the text being
 * built with its cap, the metadata found so far, the zip reader and the
 * libxml2 reader walk.  Private to extract/; format.h is the interface.
 */
#ifndef FG_EXTRACT_FMT_INTERNAL_H
#define FG_EXTRACT_FMT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "extract/format.h"

/* The document being extracted: text, page starts and metadata. */
typedef struct fg_fmt_ctx {
    const fg_format_limits_t *lim;
    char *text;
    size_t len, cap;
    bool truncated;     /* text reached lim->max_text; parsers may stop early */
    bool nomem;         /* an append failed for lack of memory */
    bool line_start;    /* nothing on the current line yet */
    bool pending_space; /* whitespace seen since the last character */
    uint32_t *pages;
    size_t npages, pages_cap;
    char *title, *author; /* NULL until found */
    char *from, *to;      /* mail: sender, recipients (NULL until found) */
    char *parts;          /* mail: attachment names, a line each (NULL: none) */
    size_t parts_len;
    char *notes; /* what was skipped, a line each (NULL: nothing) */
    size_t notes_len;
    char date[11];
    char *err;
    size_t errlen;
} fg_fmt_ctx_t;

/* Appends n bytes of UTF-8 text; every run of whitespace becomes one space. */
void fg_fmt_text(fg_fmt_ctx_t *c, const char *s, size_t n);
/* Like fg_fmt_text, but a '\n' in s ends the line (PDF page text). */
void fg_fmt_lines(fg_fmt_ctx_t *c, const char *s, size_t n);
/* Separates words: a space before the next character, unless at line start. */
void fg_fmt_space(fg_fmt_ctx_t *c);
/* Ends the current line, if it holds anything. */
void fg_fmt_newline(fg_fmt_ctx_t *c);
/* Records that a page starts at the current text offset (FG_NOMEM). */
fg_status_t fg_fmt_page(fg_fmt_ctx_t *c);
/* Sets *field (title/author) to a trimmed, whitespace-collapsed copy of s,
 * unless it is set already or s is blank; returns FG_NOMEM or FG_OK. */
fg_status_t fg_fmt_meta(char **field, const char *s, size_t n);
/* Writes the date in s ("2024-07-15T...", "D:20240715...", "20240715",
 * "2024-07") as "YYYY-MM-DD"/"YYYY-MM" into c->date, unless set already. */
void fg_fmt_date(fg_fmt_ctx_t *c, const char *s);
/* Writes a reason into c->err and returns st. */
fg_status_t fg_fmt_fail(fg_fmt_ctx_t *c, fg_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- the bytes a parser reads: an open file, or a buffer (a mail's
 * attachment, decoded in memory: the sandbox cannot write a file) ---- */
typedef struct fg_fmt_src {
    int fd;           /* the file, when data is NULL */
    const char *data; /* else the bytes */
    size_t len;
} fg_fmt_src_t;
/* Reads up to n bytes at off; the count, 0 at the end, -1 with errno set. */
ssize_t fg_src_pread(const fg_fmt_src_t *s, void *buf, size_t n, uint64_t off);
/* The size in bytes, or -1 with errno set. */
int64_t fg_src_size(const fg_fmt_src_t *s);

/* Extracts the document in src like fg_format_extract() (format.c). */
fg_status_t fg_fmt_extract_src(const fg_fmt_src_t *src, const char *name,
                               const fg_format_limits_t *lim, fg_format_doc_t *out, char *err,
                               size_t errlen);

/* ---- parsers: each fills c from the whole file ---- */
fg_status_t fg_fmt_html(fg_fmt_ctx_t *c, const char *data, size_t len, bool want_title);
fg_status_t fg_fmt_rtf(fg_fmt_ctx_t *c, const char *data, size_t len);
fg_status_t fg_fmt_pdf(fg_fmt_ctx_t *c, const fg_fmt_src_t *src);
/* A mail message (RFC 5322 with MIME; fmt_mail.c): the body, the headers,
 * attachments of the supported formats as pages after the body. */
fg_status_t fg_fmt_mail(fg_fmt_ctx_t *c, const fg_fmt_src_t *src);
/* Whether the first n bytes look like a mail message's header (or an
 * mbox's "From " line); fmt_mail.c. */
bool fg_fmt_is_mail(const unsigned char *b, size_t n);
/* Initialises gmime and loads the charset converters mails use most, so
 * that a forked child finds them loaded (fg_format_preload()). */
void fg_fmt_mail_preload(void);

/* ---- zip members, read with inflate accounting (fmt_zip.c) ---- */
typedef struct fg_zip fg_zip_t;
/* Opens the zip in src (an fd is dup()ed and stays the caller's; a buffer must
 * outlive the zip) and checks that no two entries' data overlap.
 * FG_SKIPPED "not a zip archive", FG_CORRUPT. */
fg_status_t fg_zip_open(fg_fmt_ctx_t *c, const fg_fmt_src_t *src, fg_zip_t **out);
void fg_zip_close(fg_zip_t *z);
/* Number of entries and the name of entry i (NULL if unreadable). */
size_t fg_zip_count(fg_zip_t *z);
const char *fg_zip_name(fg_zip_t *z, size_t i);
/* Whether a member of that name exists. */
bool fg_zip_has(fg_zip_t *z, const char *name);
/* Inflates a member into *data (NUL-terminated, caller frees), counting
 * bytes against lim->max_inflate per member and for the whole archive.
 * FG_NOT_FOUND (no such member), FG_SKIPPED "zip bomb: ...", FG_CORRUPT. */
fg_status_t fg_zip_read(fg_zip_t *z, fg_fmt_ctx_t *c, const char *name, char **data, size_t *len);

/* ---- zip-based formats; type is set from the archive's content ---- */
fg_status_t fg_fmt_zip_doc(fg_fmt_ctx_t *c, const fg_fmt_src_t *src, fg_doctype_t hint,
                           fg_doctype_t *type);
fg_status_t fg_fmt_odf(fg_fmt_ctx_t *c, fg_zip_t *z);
fg_status_t fg_fmt_docx(fg_fmt_ctx_t *c, fg_zip_t *z);
fg_status_t fg_fmt_xlsx(fg_fmt_ctx_t *c, fg_zip_t *z);
fg_status_t fg_fmt_pptx(fg_fmt_ctx_t *c, fg_zip_t *z);
fg_status_t fg_fmt_ooxml_core(fg_fmt_ctx_t *c, fg_zip_t *z);
fg_status_t fg_fmt_epub(fg_fmt_ctx_t *c, fg_zip_t *z);

/* ---- a streaming walk over an XML part (fmt_xml.c) ---- */
typedef struct fg_xml_walk {
    /* element start: local name; attr() reads an attribute by local name */
    void (*start)(void *u, void *reader, const char *local);
    /* element end (also called right after start for an empty element) */
    void (*end)(void *u, const char *local);
    /* character data (text, CDATA, significant whitespace) */
    void (*chars)(void *u, const char *s, size_t n);
    void *u;
} fg_xml_walk_t;
/* Walks data (part names it in errors) with XML_PARSE_NONET and no entity
 * substitution; a DTD is refused (none of these formats has one): FG_CORRUPT. */
fg_status_t fg_xml_walk(fg_fmt_ctx_t *c, const char *data, size_t len, const char *part,
                        const fg_xml_walk_t *w);
/* libxml2 reports some errors (encoding, I/O) to stderr whatever the parser
 * options say; these silence its generic error handler around one parse and
 * put the previous one back.  Library code never writes to the terminal. */
typedef struct fg_xml_quiet {
    void (*func)(void); /* an xmlGenericErrorFunc */
    void *ctx;
} fg_xml_quiet_t;
void fg_xml_quiet_begin(fg_xml_quiet_t *q);
void fg_xml_quiet_end(const fg_xml_quiet_t *q);

/* The value of the attribute with that local name, or NULL (caller frees with
 * free()). */
char *fg_xml_attr(void *reader, const char *local);

#endif
