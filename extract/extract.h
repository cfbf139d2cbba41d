/*
 * extract.h - file -> text: the first step of the data flow
 * (file -> extract -> analyse -> index -> plugin).
 *
 * Reads a file (or a buffer), refuses what is not text, decodes it with
 * fg_text_decode() (UTF-8 NFC), and splits off what is not body text:
 *   - a leading "date YYYY-MM[-DD]" header (the sample article's format): the
 *     document date, not indexed as body text;
 *   - Markdown front matter ("---" ... "---") with "title:" and "date:" keys.
 * The title is the front matter's title, else a Markdown file's first heading,
 * else the first non-empty line of the text (shortened to FG_TITLE_MAX bytes at
 * a word boundary).  The body of a .txt or .md file is its whole text after the
 * date header and front matter (Markdown is indexed as text for now).
 *
 * Indexing and snippets both read files through here, so the offsets of the
 * snippet code are offsets into the same body text the index saw.
 */
#ifndef FG_EXTRACT_EXTRACT_H
#define FG_EXTRACT_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/format.h"
#include "fundgrube/status.h"
#include "stemmers/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FG_TITLE_MAX 120

/* What extraction found in one file.  Every string is owned by the struct. */
typedef struct fg_extracted {
    char *text; /* the whole decoded text, UTF-8 NFC, NUL-terminated */
    size_t text_len;
    size_t body_offset; /* body = text + body_offset (after header/front matter) */
    char *title;        /* "" when none */
    bool title_in_body; /* the title is a line of the body (not front matter) */
    char date[11];      /* "YYYY-MM-DD", "YYYY-MM" or "" */
    fg_encoding_t encoding;
    char ext[16];          /* lower-case extension without the dot, "" if none */
    uint64_t content_hash; /* FNV-1a 64 of the raw bytes (of the text for document formats) */
    uint64_t raw_size;     /* bytes read */
    /* Set by the document formats only (extractor.h); NULL / 0 / false for text: */
    char *author;    /* the document's author, NULL when unknown */
    uint32_t *pages; /* offset in the body where each page starts (PDF) */
    size_t npages;
    bool stored; /* the text must be kept in the index: the file cannot be re-read
                  * in process (snippets read the stored copy) */
    /* Set for mail only (the fields of fg_format_doc_t); NULL otherwise: */
    char *from;  /* the sender */
    char *to;    /* the recipients (To and Cc) */
    char *parts; /* the attachments' names, a line each: page i + 2 is attachment i */
    char *notes; /* what extraction skipped, a line each (for the log) */
} fg_extracted_t;

/*
 * Extracts the file at path.  Fails with:
 *   FG_IO       the file cannot be opened or read (err: "PATH: strerror")
 *   FG_SKIPPED  empty, larger than max_size (0: no limit), or binary (a NUL
 *               byte that is not UTF-16); err says which, with the byte offset
 *               of the NUL for binary files
 *   FG_NOMEM
 * On failure *out holds nothing to free.
 */
fg_status_t fg_extract_file(const char *path, uint64_t max_size, fg_extracted_t *out, char *err,
                            size_t errlen);

/* As fg_extract_file() for len bytes already in memory; name gives the
 * extension and appears in messages. */
fg_status_t fg_extract_buffer(const char *name, const char *bytes, size_t len, fg_extracted_t *out,
                              char *err, size_t errlen);

/*
 * Turns the document a format parser produced (format.h, run in the sandbox)
 * into an extraction: text, title and author in NFC (page offsets follow the
 * normalised text), the title else the body's first line, ext the detected
 * type ("pdf"), content_hash over the text, stored set.  raw_size is the
 * file's size.  doc stays the caller's.  Returns FG_OK or FG_NOMEM (err names
 * the file); on failure *out holds nothing to free.
 */
fg_status_t fg_extract_adopt(const char *name, const fg_format_doc_t *doc, uint64_t raw_size,
                             fg_extracted_t *out, char *err, size_t errlen);

/* Frees what ex owns; ex may then be reused. */
void fg_extracted_free(fg_extracted_t *ex);

/* Lower-case extension of path's last component into ext (size extlen);
 * "" when it has none or it does not fit. */
void fg_extract_extension(const char *path, char *ext, size_t extlen);

#ifdef __cplusplus
}
#endif
#endif
