/*
 * decode.c - input bytes -> NUL-terminated UTF-8 in Unicode NFC.
 *
 * Detection, in this order:
 *   - EF BB BF (UTF-8 BOM): the BOM is dropped and the rest is UTF-8; any
 *     invalid sequence in it becomes U+FFFD (the BOM says what the text is).
 *   - FF FE / FE FF (UTF-16 LE / BE BOM): converted; an unpaired surrogate or
 *     an odd trailing byte becomes U+FFFD.
 *   - valid UTF-8 (as utf8proc_iterate() judges it: overlong forms,
 *     surrogates and code points above U+10FFFF are invalid): kept.
 *   - anything else is Windows-1252.  All 256 bytes decode: 0x80-0x9F to the
 *     cp1252 characters (0x80 -> U+20AC, 0x84 -> U+201E, ...), the five
 *     bytes cp1252 leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) to the C1
 *     control of the same value (U+0081 ...), as the WHATWG Encoding
 *     Standard does, and 0xA0-0xFF to U+00A0-U+00FF (ISO-8859-1).
 * U+0000 becomes a space in every case.  Finally the text is put into NFC by
 * utf8proc_map(UTF8PROC_STABLE | UTF8PROC_COMPOSE), skipped when it is pure
 * ASCII (which is always NFC) or passes fg_nfc_quick_check(), which is exact
 * for the characters German text uses (Latin-1, „“–…€ and the like).
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "stemmers/internal.h"

/* cp1252 code points of the bytes 0x80-0x9F (undefined ones: their C1 value). */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, /* 80-87 */
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, /* 88-8F */
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, /* 90-97 */
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, /* 98-9F */
};

/* Returns a static name for enc; "unknown" for a value outside the enum. */
const char *fg_encoding_name(fg_encoding_t enc) {
    switch (enc) {
    case FG_ENC_UTF8: return "UTF-8";
    case FG_ENC_UTF8_BOM: return "UTF-8 (BOM)";
    case FG_ENC_UTF16LE: return "UTF-16LE";
    case FG_ENC_UTF16BE: return "UTF-16BE";
    case FG_ENC_CP1252: return "Windows-1252";
    }
    return "unknown";
}

/* True when p[0..n) is valid UTF-8.  ASCII is skipped eight bytes at a time;
 * each multi-byte sequence is validated by utf8proc_iterate(). */
static bool utf8_valid(const unsigned char *p, size_t n) {
    size_t i = 0;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        size_t left = n - i;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, left > 4 ? 4 : (utf8proc_ssize_t)left, &cp);
        if (k < 1)
            return false;
        i += (size_t)k;
    }
    return true;
}

/* True when p[0..n) has no byte above 0x7F. */
static bool all_ascii(const unsigned char *p, size_t n) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & 0x8080808080808080ULL)
            return false;
    }
    for (; i < n; i++)
        if (p[i] & 0x80)
            return false;
    return true;
}

/* True when code point cp (not ASCII) can neither change under NFC nor take
 * part in a composition: below U+0300 (all such are NFC_QC=Yes with combining
 * class 0), or not a combining mark, of combining class 0, no Hangul jamo,
 * and without a canonical decomposition.  Every character whose NFC_QC is No
 * has a canonical decomposition, and every one whose NFC_QC is Maybe is a
 * mark (M*) or a Hangul jamo, so a text of inert characters is in NFC.
 * Precomposed letters above U+02FF ("ǻ", Greek and Cyrillic accented
 * letters, Vietnamese) are conservatively not inert. */
static bool nfc_inert(int32_t cp) {
    if (cp < 0x300)
        return true;
    if (cp >= 0x1100 && cp <= 0x11FF)
        return false;
    if (cp >= 0xAC00 && cp <= 0xD7A3)
        return true; /* Hangul syllables: decomposed by algorithm, NFC_QC=Yes */
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->combining_class != 0)
        return false;
    if (p->category == UTF8PROC_CATEGORY_MN || p->category == UTF8PROC_CATEGORY_MC ||
        p->category == UTF8PROC_CATEGORY_ME)
        return false;
    if (p->decomp_seqindex != UINT16_MAX && p->decomp_type == 0)
        return false; /* a canonical decomposition */
    return true;
}

/* True when the valid UTF-8 text p[0..n) is certainly in NFC already (every
 * code point is nfc_inert()); false when it may not be. */
bool fg_nfc_quick_check(const char *text, size_t n) {
    const unsigned char *p = (const unsigned char *)text;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        int32_t cp;
        i += fg_utf8_next(p + i, n - i, &cp);
        if (cp < 0 || !nfc_inert(cp))
            return false;
    }
    return true;
}

/* Appends code point cp to out at *o, a NUL as a space. */
static inline void put_cp(char *out, size_t *o, int32_t cp) {
    if (cp == 0)
        cp = ' ';
    *o += fg_utf8_encode(cp, out + *o);
}

/* Copies UTF-8 p[0..n) into a new buffer, invalid sequences as U+FFFD and
 * NUL as space.  Returns FG_OK or FG_NOMEM. */
static fg_status_t copy_utf8(const unsigned char *p, size_t n, char **out, size_t *outlen) {
    /* an invalid byte (1 in) becomes 3 bytes out */
    if (n > (SIZE_MAX - 1) / 3)
        return FG_NOMEM;
    char *buf = malloc(3 * n + 1);
    if (!buf)
        return FG_NOMEM;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            buf[o++] = p[i] ? (char)p[i] : ' ';
            i++;
            continue;
        }
        utf8proc_int32_t cp;
        size_t left = n - i;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, left > 4 ? 4 : (utf8proc_ssize_t)left, &cp);
        if (k < 1) {
            put_cp(buf, &o, 0xFFFD);
            i++;
        } else {
            memcpy(buf + o, p + i, (size_t)k);
            o += (size_t)k;
            i += (size_t)k;
        }
    }
    buf[o] = '\0';
    *out = buf;
    *outlen = o;
    return FG_OK;
}

/* Copies valid UTF-8 p[0..n) into a new buffer, NUL bytes as spaces.
 * Returns FG_OK or FG_NOMEM. */
static fg_status_t copy_valid(const unsigned char *p, size_t n, char **out, size_t *outlen) {
    if (n == SIZE_MAX)
        return FG_NOMEM;
    char *buf = malloc(n + 1);
    if (!buf)
        return FG_NOMEM;
    if (n)
        memcpy(buf, p, n);
    buf[n] = '\0';
    for (char *z = memchr(buf, '\0', n); z; z = memchr(z, '\0', (size_t)(buf + n - z)))
        *z = ' ';
    *out = buf;
    *outlen = n;
    return FG_OK;
}

/* Decodes UTF-16 (big-endian when be) p[0..n) without BOM into a new UTF-8
 * buffer.  Returns FG_OK or FG_NOMEM. */
static fg_status_t from_utf16(const unsigned char *p, size_t n, bool be, char **out,
                              size_t *outlen) {
    /* 2 bytes in give at most 3 out; a trailing odd byte gives U+FFFD */
    size_t cap = (n / 2 + 1) * 3 + 1;
    char *buf = malloc(cap);
    if (!buf)
        return FG_NOMEM;
    size_t o = 0;
    size_t i = 0;
    while (i + 2 <= n) {
        uint32_t u = be ? ((uint32_t)p[i] << 8 | p[i + 1]) : ((uint32_t)p[i + 1] << 8 | p[i]);
        i += 2;
        if (u >= 0xD800 && u <= 0xDBFF && i + 2 <= n) {
            uint32_t v = be ? ((uint32_t)p[i] << 8 | p[i + 1]) : ((uint32_t)p[i + 1] << 8 | p[i]);
            if (v >= 0xDC00 && v <= 0xDFFF) {
                i += 2;
                put_cp(buf, &o, (int32_t)(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00)));
                continue;
            }
        }
        if (u >= 0xD800 && u <= 0xDFFF)
            u = 0xFFFD;
        put_cp(buf, &o, (int32_t)u);
    }
    if (i < n)
        put_cp(buf, &o, 0xFFFD);
    buf[o] = '\0';
    *out = buf;
    *outlen = o;
    return FG_OK;
}

/* Decodes Windows-1252 p[0..n) into a new UTF-8 buffer.  Returns FG_OK or
 * FG_NOMEM. */
static fg_status_t from_cp1252(const unsigned char *p, size_t n, char **out, size_t *outlen) {
    if (n > (SIZE_MAX - 1) / 3)
        return FG_NOMEM;
    char *buf = malloc(3 * n + 1);
    if (!buf)
        return FG_NOMEM;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c >= 0x80 && c <= 0x9F)
            put_cp(buf, &o, cp1252_high[c - 0x80]);
        else
            put_cp(buf, &o, (int32_t)c);
    }
    buf[o] = '\0';
    *out = buf;
    *outlen = o;
    return FG_OK;
}

/*
 * Decodes len bytes (see analysis.h and the top of this file) into *out
 * (malloc'ed, NUL-terminated, NFC; the caller frees it) and *outlen.  bytes
 * may be NULL when len is 0.  Returns FG_OK or FG_NOMEM (then *out is NULL).
 */
fg_status_t fg_text_decode(const char *bytes, size_t len, char **out, size_t *outlen,
                           fg_encoding_t *enc) {
    const unsigned char *p = (const unsigned char *)(bytes ? bytes : "");
    if (!bytes)
        len = 0;
    fg_encoding_t found;
    char *text = NULL;
    size_t tlen = 0;
    fg_status_t st;

    *out = NULL;
    if (outlen)
        *outlen = 0;
    if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        found = FG_ENC_UTF8_BOM;
        if (utf8_valid(p + 3, len - 3))
            st = copy_valid(p + 3, len - 3, &text, &tlen);
        else
            st = copy_utf8(p + 3, len - 3, &text, &tlen);
    } else if (len >= 2 && p[0] == 0xFF && p[1] == 0xFE) {
        found = FG_ENC_UTF16LE;
        st = from_utf16(p + 2, len - 2, false, &text, &tlen);
    } else if (len >= 2 && p[0] == 0xFE && p[1] == 0xFF) {
        found = FG_ENC_UTF16BE;
        st = from_utf16(p + 2, len - 2, true, &text, &tlen);
    } else if (utf8_valid(p, len)) {
        found = FG_ENC_UTF8;
        st = copy_valid(p, len, &text, &tlen);
    } else {
        found = FG_ENC_CP1252;
        st = from_cp1252(p, len, &text, &tlen);
    }
    if (st != FG_OK)
        return st;

    if (!all_ascii((const unsigned char *)text, tlen) && !fg_nfc_quick_check(text, tlen)) {
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)tlen,
                                          &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
        free(text);
        if (n < 0) {
            /* the text is valid UTF-8 without NUL here: only memory can fail */
            free(nfc);
            return FG_NOMEM;
        }
        text = (char *)nfc;
        tlen = (size_t)n;
    }
    *out = text;
    if (outlen)
        *outlen = tlen;
    if (enc)
        *enc = found;
    return FG_OK;
}
