/*
 * tokenize.c - fg_analyze(): UTF-8 NFC text -> tokens with folds and stems.
 *
 * The rules (see also analysis.h):
 *   - A word starts at a letter or digit (fold.c: L*, Nl, No, Nd) and runs
 *     over letters, digits and combining marks (M*).
 *   - '.' or ',' stays inside a word when the word so far is only digits (and
 *     such separators), a digit precedes it and a digit follows it: "3,5",
 *     "24.12.2024", "1.000.000" are one token each; "2023." ends before the
 *     period.  A word of decimal digits and separators only is a number:
 *     FG_TOKEN_NUMBER, no stem.  Digits mixed with letters ("mp3", "x86")
 *     make an ordinary word, which is stemmed.
 *   - An apostrophe (' or U+2019) between two letters stays inside the word
 *     ("geht's"); the folded term always has the ASCII '.
 *   - A soft hyphen (U+00AD) between word characters is skipped: it is part
 *     of the token's bytes but not of its term.
 *   - Everything else separates words; '_' too ("x86_64" -> "x86", "64").
 *   - A hyphen ('-', U+2010, U+2011) with a word character directly on both
 *     sides joins words into a hyphenated word.  It is delivered as: the
 *     first part (FG_TOKEN_PART, position p), the parts joined without the
 *     hyphens (FG_TOKEN_JOINED, position p, offset and length spanning the
 *     whole hyphenated word), then the other parts (FG_TOKEN_PART, positions
 *     p+1, p+2, ...).  The next word gets p + number of parts.  A hyphen
 *     that is not between word characters is a separator ("Bürger- und").
 *   - Every token's term is case-folded (fold.c); every token that is not a
 *     number gets a Snowball stem of its term when stemming is on; any token
 *     whose term is in the stop set gets FG_TOKEN_STOP.
 *
 * Hot path: no allocation per token.  The folded parts of the current word
 * are written back to back into one reused buffer (so the joined form is
 * that buffer), stems come from the analyzer's stem cache, and only a cache
 * miss runs the Snowball stemmer.
 */
#include <libstemmer.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "stemmers/internal.h"

/* Returns the tokenizer class of the character at s[i] (FG_CC_OTHER at the end). */
static inline int class_at(const unsigned char *s, size_t len, size_t i) {
    if (i >= len)
        return FG_CC_OTHER;
    if (s[i] < 0x80)
        return fg_ascii_class[s[i]];
    int32_t cp;
    fg_utf8_next(s + i, len - i, &cp);
    return fg_char_class(cp);
}

/* True when a word can start at s[i]: a letter or a digit. */
static inline bool word_start_at(const unsigned char *s, size_t len, size_t i) {
    int c = class_at(s, len, i);
    return c == FG_CC_LETTER || c == FG_CC_DIGIT;
}

/* Returns the byte length of a hyphen at s[i] ('-', U+2010, U+2011), else 0. */
static inline size_t hyphen_at(const unsigned char *s, size_t len, size_t i) {
    if (s[i] == '-')
        return 1;
    if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80 && (s[i + 2] == 0x90 || s[i + 2] == 0x91))
        return 3;
    return 0;
}

/* Appends one byte to the fold buffer.  Returns FG_OK or FG_NOMEM. */
static inline fg_status_t put_byte(fg_buf_t *f, char c) {
    if (fg_buf_reserve(f, 1) != FG_OK)
        return FG_NOMEM;
    f->p[f->len++] = c;
    return FG_OK;
}

/* Scans one part of a word starting at s[i] (a word character), appending its
 * folded form to a->fold and describing it in *p.  Returns FG_OK or FG_NOMEM. */
static fg_status_t scan_part(fg_analyzer_t *a, const unsigned char *s, size_t len, size_t i,
                             fg_part_t *p) {
    fg_buf_t *f = &a->fold;
    int prev = FG_CC_OTHER; /* class of the last letter/digit, OTHER after a separator */
    bool number = true;
    p->src_off = i;
    p->fold_off = f->len;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            int cls = fg_ascii_class[c];
            if (cls != FG_CC_OTHER) {
                if (put_byte(f, fg_ascii_tolower((char)c)) != FG_OK)
                    return FG_NOMEM;
                number = number && cls == FG_CC_DIGIT;
                prev = cls;
                i++;
                continue;
            }
            if ((c == '.' || c == ',') && number && prev == FG_CC_DIGIT &&
                class_at(s, len, i + 1) == FG_CC_DIGIT) {
                if (put_byte(f, (char)c) != FG_OK)
                    return FG_NOMEM;
                prev = FG_CC_OTHER;
                i++;
                continue;
            }
            if (c == '\'' && prev == FG_CC_LETTER && class_at(s, len, i + 1) == FG_CC_LETTER) {
                if (put_byte(f, '\'') != FG_OK)
                    return FG_NOMEM;
                prev = FG_CC_OTHER;
                i++;
                continue;
            }
            break;
        }
        int32_t cp;
        size_t n = fg_utf8_next(s + i, len - i, &cp);
        int cls = fg_char_class(cp);
        if (cls == FG_CC_LETTER || cls == FG_CC_DIGIT) {
            if (fg_fold_append(f, cp) != FG_OK)
                return FG_NOMEM;
            number = number && cls == FG_CC_DIGIT;
            prev = cls;
        } else if (cls == FG_CC_MARK) {
            if (fg_fold_append(f, cp) != FG_OK)
                return FG_NOMEM;
            number = false;
        } else if (cp == 0x2019 && prev == FG_CC_LETTER &&
                   class_at(s, len, i + n) == FG_CC_LETTER) {
            if (put_byte(f, '\'') != FG_OK)
                return FG_NOMEM;
            prev = FG_CC_OTHER;
        } else if (cp == 0xAD && word_start_at(s, len, i + n)) {
            /* soft hyphen: invisible */
        } else {
            break;
        }
        i += n;
    }
    p->src_end = i;
    p->fold_end = f->len;
    p->number = number;
    return FG_OK;
}

/* State of one fg_analyze() run. */
typedef struct run {
    fg_analyzer_t *a;
    fg_token_fn fn;
    void *ctx;
    uint32_t next; /* position after the last token delivered */
} run_t;

/* Completes a token whose term (NUL-terminated, owned by the analyzer) is
 * set, with its stem and stop flag, and hands it to the callback.  Returns
 * the callback's value, or FG_ANALYZE_NOMEM. */
static int deliver(run_t *r, fg_token_t *t, bool number) {
    fg_analyzer_t *a = r->a;
    t->stem = NULL;
    t->stem_len = 0;
    if (number)
        t->flags |= FG_TOKEN_NUMBER;
    if (!number && a->stemmer) {
        uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, t->term, t->term_len);
        size_t slen;
        unsigned cflags;
        const char *stem = fg_stemcache_get(&a->cache, t->term, t->term_len, h, &slen, &cflags);
        if (!stem) {
            cflags = fg_wordset_has(&a->stop, t->term, t->term_len, h) ? FG_TOKEN_STOP : 0;
            const sb_symbol *sb = NULL;
            if (t->term_len <= INT_MAX) {
                sb = sb_stemmer_stem(a->stemmer, (const sb_symbol *)t->term, (int)t->term_len);
                if (!sb)
                    return FG_ANALYZE_NOMEM;
                slen = (size_t)sb_stemmer_length(a->stemmer);
            } else {
                sb = (const sb_symbol *)t->term; /* absurdly long: left as it is */
                slen = t->term_len;
            }
            stem = fg_stemcache_put(&a->cache, t->term, t->term_len, h, (const char *)sb, slen,
                                    cflags);
            if (!stem) {
                /* not cacheable: copy, as the stemmer's buffer is reused */
                a->stem.len = 0;
                if (fg_buf_reserve(&a->stem, slen + 1) != FG_OK)
                    return FG_ANALYZE_NOMEM;
                memcpy(a->stem.p, sb, slen);
                a->stem.p[slen] = '\0';
                stem = a->stem.p;
            }
        }
        t->stem = stem;
        t->stem_len = slen;
        t->flags |= cflags;
    } else if (a->stop.count && fg_wordset_has(&a->stop, t->term, t->term_len,
                                               fg_fnv1a64(FG_FNV64_OFFSET, t->term, t->term_len))) {
        t->flags |= FG_TOKEN_STOP;
    }
    if (t->position + 1u > r->next)
        r->next = t->position + 1u;
    return r->fn(r->ctx, t);
}

/* Delivers part k of the current word (its term copied out of the fold
 * buffer) at position pos.  Returns the callback's value or FG_ANALYZE_NOMEM. */
static int deliver_part(run_t *r, size_t k, uint32_t pos) {
    fg_analyzer_t *a = r->a;
    const fg_part_t *p = &a->parts[k];
    size_t n = p->fold_end - p->fold_off;
    a->term.len = 0;
    if (fg_buf_reserve(&a->term, n + 1) != FG_OK)
        return FG_ANALYZE_NOMEM;
    memcpy(a->term.p, a->fold.p + p->fold_off, n);
    a->term.p[n] = '\0';
    fg_token_t t = {.term = a->term.p,
                    .term_len = n,
                    .offset = p->src_off,
                    .length = p->src_end - p->src_off,
                    .position = pos,
                    .flags = FG_TOKEN_PART};
    return deliver(r, &t, p->number);
}

/* Scans the word (one part, or several joined by hyphens) that starts at
 * s[*pi], delivers its tokens from position *pos on, and advances *pi past
 * it and *pos by its number of parts.  Returns the callback's nonzero value,
 * FG_ANALYZE_NOMEM, or 0. */
static int word(run_t *r, const unsigned char *s, size_t len, size_t *pi, uint32_t *pos) {
    fg_analyzer_t *a = r->a;
    size_t nparts = 0;
    size_t i = *pi;
    a->fold.len = 0;
    for (;;) {
        if (nparts == a->parts_cap) {
            fg_part_t *np = realloc(a->parts, 2 * a->parts_cap * sizeof *np);
            if (!np)
                return FG_ANALYZE_NOMEM;
            a->parts = np;
            a->parts_cap *= 2;
        }
        if (scan_part(a, s, len, i, &a->parts[nparts]) != FG_OK)
            return FG_ANALYZE_NOMEM;
        i = a->parts[nparts++].src_end;
        if (i < len) {
            size_t h = hyphen_at(s, len, i);
            if (h && word_start_at(s, len, i + h)) {
                i += h;
                continue;
            }
        }
        break;
    }
    *pi = i;
    if (fg_buf_reserve(&a->fold, 1) != FG_OK)
        return FG_ANALYZE_NOMEM;
    a->fold.p[a->fold.len] = '\0';

    const fg_part_t *first = &a->parts[0];
    size_t span = a->parts[nparts - 1].src_end - first->src_off;
    uint32_t p0 = *pos;
    *pos = p0 + (uint32_t)nparts;
    if (nparts == 1) {
        fg_token_t t = {.term = a->fold.p,
                        .term_len = a->fold.len,
                        .offset = first->src_off,
                        .length = span,
                        .position = p0};
        return deliver(r, &t, first->number);
    }
    int rc = deliver_part(r, 0, p0);
    if (rc)
        return rc;
    bool all_numbers = true;
    for (size_t k = 0; k < nparts; k++)
        all_numbers = all_numbers && a->parts[k].number;
    fg_token_t j = {.term = a->fold.p,
                    .term_len = a->fold.len,
                    .offset = first->src_off,
                    .length = span,
                    .position = p0,
                    .flags = FG_TOKEN_JOINED};
    rc = deliver(r, &j, all_numbers);
    for (size_t k = 1; k < nparts && !rc; k++)
        rc = deliver_part(r, k, p0 + (uint32_t)k);
    return rc;
}

/*
 * Analyses len bytes of UTF-8 NFC text (see analysis.h and the top of this
 * file).  Invalid UTF-8 bytes separate words.  Must not be called again on
 * the same analyzer from inside its own callback.  Returns 0, the callback's
 * nonzero value, or FG_ANALYZE_NOMEM.
 */
int fg_analyze(fg_analyzer_t *a, const char *text, size_t len, uint32_t first_position,
               fg_token_fn fn, void *ctx, uint32_t *next_position) {
    const unsigned char *s = (const unsigned char *)text;
    run_t r = {.a = a, .fn = fn, .ctx = ctx, .next = first_position};
    uint32_t pos = first_position;
    int rc = 0;
    size_t i = 0;
    if (!text)
        len = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (fg_ascii_class[c] == FG_CC_OTHER) {
                i++;
                continue;
            }
        } else {
            int32_t cp;
            size_t n = fg_utf8_next(s + i, len - i, &cp);
            int cls = fg_char_class(cp);
            if (cls != FG_CC_LETTER && cls != FG_CC_DIGIT) {
                i += n;
                continue;
            }
        }
        rc = word(&r, s, len, &i, &pos);
        if (rc)
            break;
    }
    if (next_position)
        *next_position = rc ? r.next : pos;
    return rc;
}
