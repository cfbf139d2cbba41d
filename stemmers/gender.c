/*
 * gender.c - German gender-inclusive forms: "Bürger*innen", "Bürger:innen",
 * "Bürger_innen", "Bürger·innen", "Bürger/-innen", "Bürger/innen",
 * "Bürger(innen)" and the Binnen-I "BürgerInnen", singular too
 * ("Lehrer*in", "LehrerIn").
 *
 * tokenize.c asks fg_gender_suffix() at the end of a word's letters whether
 * a joiner and "in"/"innen" follow, and then merges them into one token
 * ("bürgerinnen", spanning the whole written form); it asks
 * fg_gender_binnen_i() whether a word ends in a capital "In"/"Innen".  Either
 * way the word's base form ("bürger") follows as a variant token.  A joiner
 * counts only when "in" or "innen" and the end of the word follow directly,
 * so "Die Bürger: alle" and "Bürger/Innenstadt" keep their separators.
 * '_' and '(' count only after a capitalised word (a German noun), so that
 * identifiers such as "sockaddr_in" and calls such as "f(in)" stay apart.
 */
#include <string.h>
#include <utf8proc.h>

#include "stemmers/internal.h"

/* True when no word character (letter, digit, mark) starts at s[i]. */
static bool word_ends_at(const unsigned char *s, size_t len, size_t i) {
    if (i >= len)
        return true;
    int32_t cp;
    fg_utf8_next(s + i, len - i, &cp);
    int c = fg_char_class(cp);
    return c == FG_CC_OTHER;
}

/* Returns 5 or 2 when "innen" or "in" (any case) followed by the end of the
 * word starts at s[i], else 0. */
static size_t in_or_innen(const unsigned char *s, size_t len, size_t i) {
    static const char innen[] = "innen";
    size_t n = 0;
    while (n < 5 && i + n < len && fg_ascii_tolower((char)s[i + n]) == innen[n])
        n++;
    if (n == 5 && word_ends_at(s, len, i + 5))
        return 5;
    if (n >= 2 && word_ends_at(s, len, i + 2))
        return 2;
    return 0;
}

/* True when the word starting at s[off] starts with an upper-case letter. */
static bool capital_at(const unsigned char *s, size_t len, size_t off) {
    int32_t cp;
    fg_utf8_next(s + off, len - off, &cp);
    return cp >= 0 && utf8proc_category(cp) == UTF8PROC_CATEGORY_LU;
}

/* Finds a joiner and "in"/"innen" at s[i] after the word starting at
 * s[off] (see internal.h).  Returns the bytes they take, 0 when there is
 * none. */
size_t fg_gender_suffix(const unsigned char *s, size_t len, size_t off, size_t i,
                        const char **suffix) {
    if (i >= len || off >= i)
        return 0;
    size_t j = 0; /* bytes of the joiner */
    bool paren = false;
    switch (s[i]) {
    case '*':
    case ':': j = 1; break;
    case '_': /* "sockaddr_in" is no gender form: a noun (capital) must come first */
        j = capital_at(s, len, off) ? 1 : 0;
        break;
    case '/': j = i + 1 < len && s[i + 1] == '-' ? 2 : 1; break;
    case '(': /* "Bürger(innen)", not "f(in)" */
        j = capital_at(s, len, off) ? 1 : 0;
        paren = true;
        break;
    case 0xC2:
        j = i + 1 < len && s[i + 1] == 0xB7 ? 2 : 0; /* U+00B7 middle dot */
        break;
    default: break;
    }
    if (j == 0)
        return 0;
    size_t n;
    if (paren) {
        /* "(in)" or "(innen)": the closing parenthesis ends the word */
        static const char innen[] = "innen";
        n = 0;
        while (n < 5 && i + j + n < len && fg_ascii_tolower((char)s[i + j + n]) == innen[n])
            n++;
        if (n >= 5 && i + j + 5 < len && s[i + j + 5] == ')' && word_ends_at(s, len, i + j + 6))
            n = 5;
        else if (n >= 2 && i + j + 2 < len && s[i + j + 2] == ')' &&
                 word_ends_at(s, len, i + j + 3))
            n = 2;
        else
            return 0;
        *suffix = n == 5 ? "innen" : "in";
        return j + n + 1;
    }
    n = in_or_innen(s, len, i + j);
    if (!n)
        return 0;
    *suffix = n == 5 ? "innen" : "in";
    return j + n;
}

/* True when the code point ending just before s[end] (in s[off..end)) is a
 * lower-case letter. */
static bool lower_before(const unsigned char *s, size_t off, size_t end) {
    if (end <= off)
        return false;
    size_t b = end - 1;
    while (b > off && (s[b] & 0xC0) == 0x80)
        b--;
    int32_t cp;
    size_t n = fg_utf8_next(s + b, end - b, &cp);
    if (cp < 0 || b + n != end)
        return false;
    return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

/* Finds a Binnen-I ending in the word s[off..end) (see internal.h). */
bool fg_gender_binnen_i(const unsigned char *s, size_t off, size_t end, size_t *suffix_bytes) {
    size_t n = 0;
    if (end - off >= 7 && memcmp(s + end - 5, "Innen", 5) == 0)
        n = 5;
    else if (end - off >= 4 && memcmp(s + end - 2, "In", 2) == 0)
        n = 2;
    if (!n || !lower_before(s, off, end - n))
        return false;
    /* at least two letters before the ending */
    size_t letters = 0;
    for (size_t i = off; i < end - n && letters < 2; i++)
        letters += (s[i] & 0xC0) != 0x80;
    if (letters < 2)
        return false;
    *suffix_bytes = n;
    return true;
}
