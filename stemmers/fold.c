/*
 * fold.c - byte buffers, character classes and Unicode full case folding.
 *
 * Classes follow the Unicode general category (utf8proc_category): letters
 * L* and the non-decimal numbers Nl/No are word characters, Nd are digits,
 * M* are combining marks (kept inside a word).  Case folding is Unicode full
 * case folding (CaseFolding.txt, statuses C and F) as utf8proc implements it
 * for UTF8PROC_CASEFOLD: "ß" and "ẞ" fold to "ss", "İ" to "i̇".  ASCII takes
 * a table lookup and never reaches utf8proc.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "stemmers/internal.h"

/* ------------------------------------------------------------ buffers */

/* Grows b so that extra more bytes fit after b->len; doubles the capacity
 * (at least 64 bytes).  Returns FG_OK or FG_NOMEM, leaving b unchanged then. */
fg_status_t fg_buf_grow(fg_buf_t *b, size_t extra) {
    if (extra > SIZE_MAX - b->len)
        return FG_NOMEM;
    size_t need = b->len + extra;
    if (need <= b->cap)
        return FG_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *p = realloc(b->p, cap);
    if (!p)
        return FG_NOMEM;
    b->p = p;
    b->cap = cap;
    return FG_OK;
}

/* Frees the memory of b and leaves it empty (and reusable). */
void fg_buf_free(fg_buf_t *b) {
    free(b->p);
    b->p = NULL;
    b->len = 0;
    b->cap = 0;
}

/* ------------------------------------------------------------ classes */

#define L FG_CC_LETTER
#define D FG_CC_DIGIT
#define O FG_CC_OTHER

/* Tokenizer classes of ASCII: letters, digits, everything else a separator. */
const unsigned char fg_ascii_class[128] = {
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, /* 0x00 */
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, /* 0x10 */
    O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, O, /* 0x20  !"#$%&'()*+,-./ */
    D, D, D, D, D, D, D, D, D, D, O, O, O, O, O, O, /* 0x30 0-9 :;<=>? */
    O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 0x40 @A-O */
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O, /* 0x50 P-Z [\]^_ */
    O, L, L, L, L, L, L, L, L, L, L, L, L, L, L, L, /* 0x60 `a-o */
    L, L, L, L, L, L, L, L, L, L, L, O, O, O, O, O, /* 0x70 p-z {|}~ DEL */
};

#undef L
#undef D
#undef O

/* Maps a non-ASCII code point's general category to its tokenizer class. */
int fg_char_class_unicode(int32_t cp) {
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return FG_CC_LETTER;
    case UTF8PROC_CATEGORY_ND: return FG_CC_DIGIT;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return FG_CC_MARK;
    default: return FG_CC_OTHER;
    }
}

/* ------------------------------------------------------------ folding */

/* Writes the full case folding of code point cp (0..0x10FFFF) into out (room
 * for FG_FOLD_MAX bytes); returns its length.  A code point utf8proc cannot
 * map is written unchanged. */
static size_t fold_cp(int32_t cp, char *out) {
    if (cp < 0x80) {
        out[0] = fg_ascii_tolower((char)cp);
        return 1;
    }
    if (cp == 0x2019) {
        out[0] = '\'';
        return 1;
    }
    utf8proc_int32_t cps[4];
    int boundclass = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, cps, 4, UTF8PROC_CASEFOLD, &boundclass);
    if (n < 1 || n > 4) {
        cps[0] = cp;
        n = 1;
    }
    size_t len = 0;
    for (utf8proc_ssize_t i = 0; i < n; i++)
        len += fg_utf8_encode(cps[i], out + len);
    return len;
}

/* Appends the full case folding of cp to b (see internal.h).  A code point
 * utf8proc cannot map is appended unchanged.  Returns FG_OK or FG_NOMEM. */
fg_status_t fg_fold_append(fg_buf_t *b, int32_t cp) {
    if (fg_buf_reserve(b, FG_FOLD_MAX) != FG_OK)
        return FG_NOMEM;
    b->len += fold_cp(cp, b->p + b->len);
    return FG_OK;
}

/* Folds the character at s[0] into out (see analysis.h); returns the bytes
 * of s it took. */
size_t fg_fold_char(const char *s, size_t n, char *out, size_t *out_len) {
    int32_t cp;
    size_t used = fg_utf8_next((const unsigned char *)s, n, &cp);
    if (cp < 0) {
        out[0] = s[0];
        *out_len = 1;
    } else {
        *out_len = fold_cp(cp, out);
    }
    return used;
}

/* Folds every code point of s (see internal.h) into b, replacing its
 * contents and NUL-terminating it.  Returns FG_OK or FG_NOMEM. */
fg_status_t fg_fold_string(fg_buf_t *b, const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    b->len = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t n = fg_utf8_next(u + i, len - i, &cp);
        i += n;
        if (cp < 0 || cp == 0xAD)
            continue;
        if (fg_fold_append(b, cp) != FG_OK)
            return FG_NOMEM;
    }
    if (fg_buf_reserve(b, 1) != FG_OK)
        return FG_NOMEM;
    b->p[b->len] = '\0';
    return FG_OK;
}

/* True for a code point that belongs to a word of a name: a letter, a mark
 * or a digit. */
static bool name_char(int32_t cp) {
    utf8proc_category_t c = utf8proc_category(cp);
    return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
           (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO);
}

/* Calls fn with each case-folded word of s (see analysis.h). */
fg_status_t fg_fold_words(const char *s, size_t len, fg_word_fn fn, void *ctx) {
    const unsigned char *u = (const unsigned char *)s;
    char word[256];
    size_t w = 0;
    bool too_long = false;
    for (size_t i = 0; i <= len;) {
        int32_t cp = -1;
        size_t n = i < len ? fg_utf8_next(u + i, len - i, &cp) : 1;
        i += n;
        if (cp >= 0 && name_char(cp)) {
            char f[FG_FOLD_MAX];
            size_t fl = fold_cp(cp, f);
            if (w + fl <= sizeof word)
                memcpy(word + w, f, fl), w += fl;
            else
                too_long = true;
            continue;
        }
        if (w > 0 && !too_long) {
            fg_status_t st = fn(ctx, word, w);
            if (st != FG_OK)
                return st;
        }
        w = 0;
        too_long = false;
    }
    return FG_OK;
}
