/*
 * textstore.c - packing a document's text for the index (see textstore.h).
 */
#include "index/textstore.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define MAGIC "FGT1"
#define HEADER 12 /* magic and the 8-byte length */

/* Packs text (see textstore.h). */
fg_status_t fg_text_pack(const char *text, size_t len, char **out, size_t *out_len) {
    uLong bound = compressBound((uLong)len);
    char *buf = malloc(HEADER + bound);
    if (!buf)
        return FG_NOMEM;
    memcpy(buf, MAGIC, 4);
    for (int i = 0; i < 8; i++)
        buf[4 + i] = (char)(((uint64_t)len >> (8 * i)) & 0xFF);
    uLongf clen = bound;
    if (compress2((Bytef *)buf + HEADER, &clen, (const Bytef *)text, (uLong)len, 6) != Z_OK) {
        free(buf);
        return FG_NOMEM; /* zlib fails only for want of memory here */
    }
    *out = buf;
    *out_len = HEADER + clen;
    return FG_OK;
}

/* Unpacks a packed text (see textstore.h). */
fg_status_t fg_text_unpack(const char *packed, size_t len, char **out, size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    if (len < HEADER || memcmp(packed, MAGIC, 4) != 0)
        return FG_CORRUPT;
    uint64_t n = 0;
    for (int i = 0; i < 8; i++)
        n |= (uint64_t)(unsigned char)packed[4 + i] << (8 * i);
    if (n > (uint64_t)1 << 32) /* larger than any max_text */
        return FG_CORRUPT;
    char *text = malloc((size_t)n + 1);
    if (!text)
        return FG_NOMEM;
    uLongf got = (uLongf)n;
    int z = uncompress((Bytef *)text, &got, (const Bytef *)packed + HEADER, (uLong)(len - HEADER));
    if (z != Z_OK || got != n) {
        free(text);
        return z == Z_MEM_ERROR ? FG_NOMEM : FG_CORRUPT;
    }
    text[n] = '\0';
    *out = text;
    *out_len = (size_t)n;
    return FG_OK;
}
