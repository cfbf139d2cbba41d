/*
 * textstore.h - the body text of a document format kept in the index
 * (FG_VALUE_TEXT), so snippets and previews never run a parser again.
 *
 * A packed text is "FGT1", the text's length as 8 bytes little-endian, then
 * the text compressed by zlib (deflate; German prose shrinks to about a
 * third).
 */
#ifndef FG_INDEX_TEXTSTORE_H
#define FG_INDEX_TEXTSTORE_H

#include <stddef.h>

#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Packs len bytes of text into a new buffer *out (*out_len bytes; the caller
 * frees it).  Returns FG_OK or FG_NOMEM. */
fg_status_t fg_text_pack(const char *text, size_t len, char **out, size_t *out_len);

/* Unpacks what fg_text_pack() made into a new NUL-terminated text *out
 * (*out_len bytes without the NUL; the caller frees it).  Returns FG_OK,
 * FG_CORRUPT (not a packed text, or damaged) or FG_NOMEM. */
fg_status_t fg_text_unpack(const char *packed, size_t len, char **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
