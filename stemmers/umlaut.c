/*
 * umlaut.c - German umlaut spellings: "Mueller" read as "Müller", and the
 * weak spelling without umlauts ("Muller").
 *
 * Rules (german only, settings.umlauts):
 *   - A folded word containing "ae", "oe" or "ue" is read with ä, ö, ü when
 *     that spelling is a word of the lexicon and the word as written is not:
 *     "mueller" -> "müller", while "aktuell", "michael", "quelle", "neue",
 *     "feuer" stay (they are words, or their umlaut spelling is none).  All
 *     pairs are replaced at once first ("uebergroesse" -> "übergrösse"),
 *     then, if that is no word, each pair on its own.  A "ue" after 'q' is
 *     never an umlaut.  Without a lexicon nothing is changed: names the
 *     lexicon lacks stay as written.
 *   - A word with ä, ö or ü also has a weak spelling with a, o, u instead,
 *     which tokenize.c delivers as a weak variant token.
 * ß and ẞ need nothing here: case folding maps both to "ss".
 */
#include <string.h>

#include "stemmers/internal.h"

#define MAX_PAIRS 8 /* words with more ae/oe/ue pairs try the all-at-once form only */

/* Returns the UTF-8 second byte of the umlaut that replaces the ASCII vowel
 * v before an 'e' (a -> ä 0xA4, o -> ö 0xB6, u -> ü 0xBC), else 0. */
static unsigned char umlaut_of(char v) {
    switch (v) {
    case 'a': return 0xA4;
    case 'o': return 0xB6;
    case 'u': return 0xBC;
    default: return 0;
    }
}

/* Writes term with the pairs at pos[k] (k where mask has bit k) replaced by
 * their umlauts into out.  Returns false when out of memory. */
static bool build(const char *term, size_t len, const size_t *pos, size_t npos, unsigned mask,
                  fg_buf_t *out) {
    out->len = 0;
    if (fg_buf_reserve(out, len + 1) != FG_OK)
        return false;
    size_t from = 0;
    for (size_t k = 0; k < npos; k++) {
        if (!(mask & (1u << k)))
            continue;
        memcpy(out->p + out->len, term + from, pos[k] - from);
        out->len += pos[k] - from;
        out->p[out->len++] = (char)0xC3;
        out->p[out->len++] = (char)umlaut_of(term[pos[k]]);
        from = pos[k] + 2;
    }
    memcpy(out->p + out->len, term + from, len - from);
    out->len += len - from;
    out->p[out->len] = '\0';
    return true;
}

/* Reads ae/oe/ue as ä/ö/ü where the lexicon says so (see the top of this
 * file).  Returns true with the new spelling in out; false when nothing
 * changes, with *nomem set when memory ran out. */
bool fg_umlaut_canonical(const fg_analyzer_t *a, const char *term, size_t len, fg_buf_t *out,
                         bool *nomem) {
    *nomem = false;
    if (!a->lexicon_has || len < 3)
        return false;
    size_t pos[MAX_PAIRS], npos = 0;
    bool many = false;
    /* hot path: every token passes here, so look for the 'e's only */
    for (const char *e = memchr(term + 1, 'e', len - 1); e;
         e = (size_t)(e - term) + 1 < len ? memchr(e + 1, 'e', len - (size_t)(e - term) - 1)
                                          : NULL) {
        size_t i = (size_t)(e - term) - 1; /* the vowel before the 'e' */
        if (!umlaut_of(term[i]) || (term[i] == 'u' && i > 0 && term[i - 1] == 'q') ||
            (npos > 0 && pos[npos - 1] + 1 == i))
            continue; /* "uee": the second e starts no pair */
        if (npos == MAX_PAIRS) {
            many = true;
            break;
        }
        pos[npos++] = i;
    }
    if (npos == 0 || many)
        return false;
    if (a->lexicon_has(a->lexicon_ctx, term, len))
        return false;
    unsigned all = (1u << npos) - 1;
    if (!build(term, len, pos, npos, all, out)) {
        *nomem = true;
        return false;
    }
    if (a->lexicon_has(a->lexicon_ctx, out->p, out->len))
        return true;
    for (size_t k = 0; npos > 1 && k < npos; k++) {
        if (!build(term, len, pos, npos, 1u << k, out)) {
            *nomem = true;
            return false;
        }
        if (a->lexicon_has(a->lexicon_ctx, out->p, out->len))
            return true;
    }
    return false;
}

/* True when the folded term contains ä, ö or ü (C3 A4, C3 B6, C3 BC). */
bool fg_umlaut_has(const char *term, size_t len) {
    const unsigned char *s = (const unsigned char *)term, *end = s + len;
    for (const unsigned char *p = memchr(s, 0xC3, len); p && p + 1 < end;
         p = memchr(p + 1, 0xC3, (size_t)(end - p - 1)))
        if (p[1] == 0xA4 || p[1] == 0xB6 || p[1] == 0xBC)
            return true;
    return false;
}

/* Writes term with ä/ö/ü replaced by a/o/u into out (NUL-terminated).
 * Returns FG_OK or FG_NOMEM. */
fg_status_t fg_umlaut_weak(const char *term, size_t len, fg_buf_t *out) {
    const unsigned char *s = (const unsigned char *)term;
    out->len = 0;
    if (fg_buf_reserve(out, len + 1) != FG_OK)
        return FG_NOMEM;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == 0xC3 && i + 1 < len &&
            (s[i + 1] == 0xA4 || s[i + 1] == 0xB6 || s[i + 1] == 0xBC)) {
            out->p[out->len++] = s[i + 1] == 0xA4 ? 'a' : s[i + 1] == 0xB6 ? 'o' : 'u';
            i++;
        } else {
            out->p[out->len++] = (char)s[i];
        }
    }
    out->p[out->len] = '\0';
    return FG_OK;
}
