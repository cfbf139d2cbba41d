/*
 * utf8.c - checking UTF-8 byte by byte (see utf8.h).
 */
#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>

/* The valid UTF-8 sequence at s (see utf8.h). */
int fg_utf8_seq(const unsigned char *s, uint32_t *cp) {
    unsigned c = s[0];
    int n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0; /* also stops at the NUL */
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* s with invalid bytes as U+FFFD (see utf8.h). */
char *fg_utf8_repair(const char *s, size_t *len) {
    size_t n = strlen(s);
    char *buf = malloc(3 * n + 1); /* each byte at most U+FFFD's 3 bytes */
    if (!buf)
        return NULL;
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int l = fg_utf8_seq(p, &cp);
        if (l > 0) {
            memcpy(buf + k, p, (size_t)l);
            k += (size_t)l;
            p += l;
        } else {
            memcpy(buf + k, "\xEF\xBF\xBD", 3);
            k += 3;
            p++;
        }
    }
    buf[k] = '\0';
    *len = k;
    return buf;
}
