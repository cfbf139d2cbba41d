/*
 * safe.c - text made safe for a terminal (see safe.h).
 */
#include "cli/safe.h"

#include "common/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
        int n = fg_utf8_seq(p, &cp);
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
    size_t k;
    char *buf = fg_utf8_repair(s, &k);
    if (!buf)
        return NULL;
    j = json_stringn(buf, k);
    free(buf);
    return j;
}
