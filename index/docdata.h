/*
 * docdata.h - the document data: Omega-style "key=value" lines (keys in
 * index/schema.h), values with backslash and newline escaped.
 */
#ifndef FG_INDEX_DOCDATA_H
#define FG_INDEX_DOCDATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Appends "key=value\n" to the growing buffer *buf (length *len, capacity
 * *cap), escaping backslashes and newlines in the vlen bytes of value.
 * Returns false when memory ran out (the buffer is then unchanged). */
bool fg_docdata_add(char **buf, size_t *len, size_t *cap, const char *key, const char *value,
                    size_t vlen);

/*
 * Reads one "key=value" line of document data: copies the value of key into a
 * new string *out ("" when absent).  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_docdata_get(const char *data, size_t len, const char *key, char **out);

/*
 * Copies len bytes of document data into a new text *out (*out_len bytes, not
 * NUL-terminated) in which the line of key has the value value (escaped as
 * the builder does); the line is added at the end when key is absent.
 * Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_docdata_set(const char *data, size_t len, const char *key, const char *value,
                           char **out, size_t *out_len);

/*
 * A document's date as "YYYYMMDD" into out (FG_VALUE_DATE's form; day "00"
 * when only the month is known): content_date, the date the content states
 * ("YYYY-MM-DD" or "YYYY-MM", FG_DATA_DATE), if not empty, else the UTC date
 * of the modification time mtime (seconds since the epoch).  False when
 * mtime has no calendar date (out is then 19700101).
 */
bool fg_docdata_date(const char *content_date, int64_t mtime, char out[9]);

#ifdef __cplusplus
}
#endif
#endif
