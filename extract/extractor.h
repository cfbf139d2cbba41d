/*
 * extractor.h - one call that extracts any file the way it must be read.
 *
 * Files that are not a document format by name (.pdf, .html, .odt, .docx,
 * .epub, .rtf, ...) nor by their first bytes (PDF, zip, RTF, OLE) take the
 * fast in-process path of extract.h: text, Markdown, a README without an
 * extension.  Document formats go to the sandboxed extractor helper
 * (sandbox.h), started on the first such file; its document comes back
 * through fg_extract_adopt().  The feed holds one extractor, each bulk
 * worker its own (an extractor is not shared between threads).
 */
#ifndef FG_EXTRACT_EXTRACTOR_H
#define FG_EXTRACT_EXTRACTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/extract.h"
#include "extract/sandbox.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fg_extractor fg_extractor_t;

/* Creates an extractor with the sandbox's options (opt NULL: defaults,
 * copied; helper_path must outlive the extractor).  Starts nothing yet.
 * Returns FG_OK or FG_NOMEM. */
fg_status_t fg_extractor_new(const fg_sandbox_options_t *opt, fg_extractor_t **out);

/*
 * Extracts the file at path into *out (free with fg_extracted_free()).
 * Files over max_size (0: no limit) are skipped.  Returns what
 * fg_extract_file() or fg_sandbox_extract() returns; *failure (may be NULL)
 * says whether the sandbox stopped the file (crash, timeout, memory) or the
 * helper could not run.  reason names the file and says why.
 */
fg_status_t fg_extractor_run(fg_extractor_t *x, const char *path, uint64_t max_size,
                             fg_extracted_t *out, fg_sandbox_failure_t *failure, char *reason,
                             size_t reasonlen);

/* True when path would be read in process: no document format by its name
 * nor by its first bytes (head, len of them). */
bool fg_extractor_is_plain(const char *path, const unsigned char *head, size_t len);

/* Stops the helper, if one runs, and frees x; NULL is allowed. */
void fg_extractor_free(fg_extractor_t *x);

#ifdef __cplusplus
}
#endif
#endif
