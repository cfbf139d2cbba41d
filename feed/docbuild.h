/*
 * docbuild.h - extracted text -> an index document (the "analyse" step).
 *
 * Turns what extract/ found in a file into the terms, values and data of one
 * index document, with the term scheme of index/schema.h: body words (folded,
 * with positions) and their stems (Z, with positions), title words (S) and
 * their stems (ZS), compound parts (XC), weak variants (XV), the lead's stems
 * (XL), the extension (E), the date (D, M, Y), values for mtime,
 * size, inode, content hash and date, and Omega-style document data.
 *
 * A builder owns one analyzer and is used by one thread at a time; a daemon
 * with several workers gives each its own builder.
 */
#ifndef FG_FEED_DOCBUILD_H
#define FG_FEED_DOCBUILD_H

#include <stdint.h>
#include <sys/stat.h>

#include "extract/extract.h"
#include "index/docdata.h"
#include "index/index.h"
#include "stemmers/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The stamp a document of the file sb records (its FG_VALUE_MTIME, SIZE and
 * INODE). */
static inline fg_doc_stamp_t fg_stamp_of(const struct stat *sb) {
    return (fg_doc_stamp_t){
        .mtime = (double)sb->st_mtim.tv_sec + (double)sb->st_mtim.tv_nsec / 1e9,
        .size = (double)sb->st_size,
        .inode = (double)sb->st_ino,
    };
}

typedef struct fg_docbuild fg_docbuild_t;

/* Creates a builder with its own analyzer for settings.  Errors as
 * fg_analyzer_new(). */
fg_status_t fg_docbuild_new(const fg_analysis_settings_t *settings, fg_docbuild_t **out, char *err,
                            size_t errlen);

/* Frees a builder; NULL is allowed. */
void fg_docbuild_free(fg_docbuild_t *b);

/* Adds the stamp of sb (fg_stamp_of()) to doc as the values FG_VALUE_MTIME,
 * FG_VALUE_SIZE and FG_VALUE_INODE, the one encoding fg_index_stamp() reads:
 * for documents and failure stubs alike.  Returns FG_OK or FG_NOMEM. */
fg_status_t fg_docbuild_add_stamp(fg_doc_t *doc, const struct stat *sb);

/*
 * Builds the document for the file at path, with stat data sb and extracted
 * content ex.  On success *out is a new document (fg_doc_free() it).  Words
 * longer than a term may be are left out (counted in *dropped if not NULL).
 */
fg_status_t fg_docbuild_make(fg_docbuild_t *b, const char *path, const struct stat *sb,
                             const fg_extracted_t *ex, fg_doc_t **out, uint32_t *dropped);

/* The builder's analyzer (for callers that analyse other text alike). */
fg_analyzer_t *fg_docbuild_analyzer(fg_docbuild_t *b);

#ifdef __cplusplus
}
#endif
#endif
