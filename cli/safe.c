/*
 * safe.c - text made safe for a terminal (see safe.h).
 */
#include "cli/safe.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Length of the valid UTF-8 sequence at s (1-4) with its code point in *cp,
 * or 0 when the bytes there are not valid UTF-8. */
static int utf8_seq(const unsigned char *s, uint32_t *cp) {
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

/* True for the Unicode bidi embedding, override and isolate controls. */
static int is_bidi_control(uint32_t cp) {
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes s escaped (see safe.h). */
void cli_put_safe(FILE *out, const char *s) {
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int n = utf8_seq(p, &cp);
        if (n == 1 && cp >= 0x20 && cp != 0x7F) {
            fputc((int)cp, out);
        } else if (n == 1) {
            switch (cp) {
            case '\n': fputs("\\n", out); break;
            case '\r': fputs("\\r", out); break;
            case '\t': fputs("\\t", out); break;
            case 0x1B: fputs("\\e", out); break;
            default: fprintf(out, "\\x%02X", cp); break;
            }
        } else if (n == 0 || (cp >= 0x80 && cp <= 0x9F)) {
            /* a byte that is not UTF-8, or a C1 control: its bytes */
            int k = n ? n : 1;
            for (int i = 0; i < k; i++)
                fprintf(out, "\\x%02X", p[i]);
            n = k;
        } else if (is_bidi_control(cp)) {
            fprintf(out, "\\u{%04X}", (unsigned)cp);
        } else {
            fwrite(p, 1, (size_t)n, out);
        }
        p += n;
    }
}

/* A JSON string with invalid UTF-8 replaced (see safe.h). */
json_t *cli_json_string(const char *s) {
    if (!s)
        s = "";
    json_t *j = json_string(s);
    if (j)
        return j;
    size_t n = strlen(s);
    char *buf = malloc(3 * n + 1); /* each byte at most U+FFFD's 3 bytes */
    if (!buf)
        return NULL;
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t cp;
        int len = utf8_seq(p, &cp);
        if (len > 0 && cp != 0) {
            memcpy(buf + k, p, (size_t)len);
            k += (size_t)len;
            p += len;
        } else {
            memcpy(buf + k, "\xEF\xBF\xBD", 3);
            k += 3;
            p++;
        }
    }
    j = json_stringn(buf, k);
    free(buf);
    return j;
}
