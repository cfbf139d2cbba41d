/*
 * utf8.h - checking UTF-8 byte by byte, for text that must be UTF-8 on the
 * way out (JSON) or shown safely (a terminal): file names and document text
 * come from anybody's files, in any encoding.
 */
#ifndef FG_COMMON_UTF8_H
#define FG_COMMON_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Length of the valid UTF-8 sequence at s (1-4) with its code point in *cp,
 * or 0 when the bytes there are not valid UTF-8 (overlong forms, surrogates
 * and code points over U+10FFFF included).  Stops at a NUL. */
int fg_utf8_seq(const unsigned char *s, uint32_t *cp);

/* A copy of the NUL-terminated s with every byte that is not valid UTF-8
 * replaced by U+FFFD; *len gets its length.  NULL when memory ran out. */
char *fg_utf8_repair(const char *s, size_t *len);

#endif
