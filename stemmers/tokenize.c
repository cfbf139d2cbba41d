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
 *   - German spelling variants (german/german2, each with its setting):
 *     gender forms: a part followed directly by a joiner and "in"/"innen"
 *     ("Bürger*innen", "Lehrer:in", gender.c) takes them in: one token
 *     "bürgerinnen" spanning the written form; after it, and after a
 *     Binnen-I word ("BürgerInnen"), comes the base form "bürger" as an
 *     FG_TOKEN_VARIANT at the same position.  Umlauts: a term with ae/oe/ue
 *     may be read with ä/ö/ü (umlaut.c: "mueller" -> "müller"); a word token
 *     (not a stop word, variant or compound part) with ä/ö/ü is followed by
 *     its spelling without them, FG_TOKEN_VARIANT | FG_TOKEN_WEAK, same
 *     position, offset and length.  Stems: on a cache miss, Snowball's stem
 *     goes through the protected words and Latin plural rules
 *     (variants.c), so the cache holds the final stems.
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

#include "stemmers/compound.h"
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
    p->cut = false;
    size_t last = i; /* where the last character appended began */
    size_t before = f->len;
    while (i < len) {
        if (f->len - p->fold_off > FG_TOKEN_MAX_BYTES) {
            /* the character that went past the maximum starts the next
             * piece (the run goes on) */
            f->len = before;
            i = last;
            p->cut = true;
            break;
        }
        before = f->len;
        last = i;
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
    if (!p->cut && f->len - p->fold_off > FG_TOKEN_MAX_BYTES) { /* the run's last character */
        f->len = before;
        i = last;
        p->cut = true;
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
    uint32_t next;            /* position after the last token delivered */
    const unsigned char *src; /* the analysed text (compound parts map back into it) */
} run_t;

/* A stem-cache flag of ours: the cached word is read with umlauts (the
 * cached stem is that of the umlaut spelling).  Never handed out. */
#define CACHE_CANON 0x80u

/* Reads t's term with umlauts when the lexicon knows it so ("mueller" ->
 * "müller", umlaut.c), pointing the term at a->canon; *read says whether it
 * did.  Returns FG_OK or FG_NOMEM. */
static fg_status_t read_canonical(fg_analyzer_t *a, fg_token_t *t, bool *read) {
    bool nomem = false;
    *read = false;
    if (fg_umlaut_canonical(a, t->term, t->term_len, &a->canon, &nomem)) {
        t->term = a->canon.p;
        t->term_len = a->canon.len;
        *read = true;
    } else if (nomem) {
        return FG_NOMEM;
    }
    return FG_OK;
}

/* Stems t's term with Snowball and, for German, the protected words and
 * Latin plurals (variants.c).  *sb is the stemmer's buffer or a->stem, *slen
 * its length; an absurdly long term is its own stem.  Returns FG_OK or
 * FG_NOMEM. */
static fg_status_t snowball_stem(fg_analyzer_t *a, const fg_token_t *t, const sb_symbol **sb,
                                 size_t *slen) {
    if (t->term_len > INT_MAX) {
        *sb = (const sb_symbol *)t->term; /* absurdly long: left as it is */
        *slen = t->term_len;
        return FG_OK;
    }
    *sb = sb_stemmer_stem(a->stemmer, (const sb_symbol *)t->term, (int)t->term_len);
    if (!*sb)
        return FG_NOMEM;
    *slen = (size_t)sb_stemmer_length(a->stemmer);
    if (a->german) { /* protected words, Latin plurals (variants.c) */
        if (fg_stem_finish(a, t->term, t->term_len, (const char *)*sb, *slen, &a->stem) != FG_OK)
            return FG_NOMEM;
        *sb = (const sb_symbol *)a->stem.p;
        *slen = a->stem.len;
    }
    return FG_OK;
}

/* Stores the stem sb[0..slen) of t in the cache under key (with
 * CACHE_CANON in cflags as "stem NUL umlaut-spelling") and sets *stem to the
 * NUL-terminated stem to hand out: the cache's copy, or a->stem when the
 * cache does not take it.  Returns FG_OK or FG_NOMEM. */
static fg_status_t cache_stem(fg_analyzer_t *a, fg_token_t *t, const char *key, size_t key_len,
                              uint64_t h, const sb_symbol *sb, size_t slen, unsigned cflags,
                              const char **stem) {
    size_t vlen = slen; /* bytes stored in the cache */
    if (cflags & CACHE_CANON) {
        /* store "stem NUL umlaut-spelling" (see stem_token) */
        if ((const char *)sb != a->stem.p) {
            a->stem.len = 0;
            if (fg_buf_reserve(&a->stem, slen + 1) != FG_OK)
                return FG_NOMEM;
            memcpy(a->stem.p, sb, slen);
            a->stem.len = slen;
        }
        if (fg_buf_reserve(&a->stem, t->term_len + 2) != FG_OK)
            return FG_NOMEM; /* a->stem.len <= slen: room after the stem */
        sb = (const sb_symbol *)a->stem.p;
        a->stem.p[slen] = '\0';
        memcpy(a->stem.p + slen + 1, t->term, t->term_len + 1);
        vlen = slen + 1 + t->term_len;
    }
    *stem = fg_stemcache_put(&a->cache, key, key_len, h, (const char *)sb, vlen, cflags);
    if (*stem && (cflags & CACHE_CANON))
        t->term = *stem + slen + 1; /* the cache's copy: a->canon may be reused */
    if (!*stem && (const char *)sb == a->stem.p) {
        *stem = a->stem.p; /* not cacheable, but already a copy */
    } else if (!*stem) {
        /* not cacheable: copy, as the stemmer's buffer is reused */
        a->stem.len = 0;
        if (fg_buf_reserve(&a->stem, slen + 1) != FG_OK)
            return FG_NOMEM;
        memcpy(a->stem.p, sb, slen);
        a->stem.p[slen] = '\0';
        *stem = a->stem.p;
    }
    return FG_OK;
}

/* A stem-cache miss for t's term key[0..key_len) (hash h): reads it with
 * umlauts when canon allows, looks it up in the stop set, stems it and
 * caches the result.  Sets *stem, *slen and *cflags (FG_TOKEN_STOP,
 * CACHE_CANON) as a cache hit would.  Returns FG_OK or FG_NOMEM. */
static fg_status_t stem_miss(fg_analyzer_t *a, fg_token_t *t, const char *key, size_t key_len,
                             uint64_t h, bool canon, const char **stem, size_t *slen,
                             unsigned *cflags) {
    *cflags = 0;
    bool read = false;
    if (canon && read_canonical(a, t, &read) != FG_OK)
        return FG_NOMEM;
    if (read)
        *cflags = CACHE_CANON;
    uint64_t th = *cflags ? fg_fnv1a64(FG_FNV64_OFFSET, t->term, t->term_len) : h;
    if (fg_wordset_has(&a->stop, t->term, t->term_len, th))
        *cflags |= FG_TOKEN_STOP;
    const sb_symbol *sb = NULL;
    if (snowball_stem(a, t, &sb, slen) != FG_OK)
        return FG_NOMEM;
    return cache_stem(a, t, key, key_len, h, sb, *slen, *cflags, stem);
}

/* Gives t (a word, stemming on) its stem and stop flag, from the stem cache
 * or, on a miss, from stem_miss().  Returns FG_OK or FG_NOMEM. */
static fg_status_t stem_token(fg_analyzer_t *a, fg_token_t *t, bool canon) {
    /* the cache is keyed by the term as written; CACHE_CANON in its flags
       says the term is read with umlauts (umlaut.c) and the entry holds
       "stem NUL umlaut-spelling", so the lexicon is asked on a miss only */
    const char *key = t->term;
    size_t key_len = t->term_len;
    uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, key, key_len);
    size_t slen;
    unsigned cflags;
    const char *stem = fg_stemcache_get(&a->cache, key, key_len, h, &slen, &cflags);
    if (stem && (cflags & CACHE_CANON)) {
        size_t n = strlen(stem);
        t->term = stem + n + 1; /* "mueller" -> "müller" */
        t->term_len = slen - n - 1;
        slen = n;
    }
    if (!stem && stem_miss(a, t, key, key_len, h, canon, &stem, &slen, &cflags) != FG_OK)
        return FG_NOMEM;
    t->stem = stem;
    t->stem_len = slen;
    t->flags |= cflags & ~CACHE_CANON;
    return FG_OK;
}

/* Gives t (a number, or stemming off) its umlaut reading when canon allows
 * and its stop flag.  Returns FG_OK or FG_NOMEM. */
static fg_status_t flag_unstemmed(fg_analyzer_t *a, fg_token_t *t, bool canon) {
    bool read;
    if (canon && read_canonical(a, t, &read) != FG_OK)
        return FG_NOMEM;
    if (a->stop.count && fg_wordset_has(&a->stop, t->term, t->term_len,
                                        fg_fnv1a64(FG_FNV64_OFFSET, t->term, t->term_len)))
        t->flags |= FG_TOKEN_STOP;
    return FG_OK;
}

/* Completes a token whose term (NUL-terminated, owned by the analyzer) is
 * set, with its stem and stop flag, and hands it to the callback; a word
 * with umlauts is followed by its weak spelling without them.  Returns the
 * callback's value, or FG_ANALYZE_NOMEM. */
static int deliver(run_t *r, fg_token_t *t, bool number) {
    fg_analyzer_t *a = r->a;
    t->stem = NULL;
    t->stem_len = 0;
    if (number)
        t->flags |= FG_TOKEN_NUMBER;
    if (t->flags & FG_TOKEN_CUT) { /* its folded form only */
        if (flag_unstemmed(a, t, false) != FG_OK)
            return FG_ANALYZE_NOMEM;
        if (t->position + 1u > r->next)
            r->next = t->position + 1u;
        return r->fn(r->ctx, t);
    }
    bool umlauts = a->german && a->settings.umlauts && !number;
    bool canon = umlauts && a->lexicon_has && !(t->flags & FG_TOKEN_WEAK);
    fg_status_t st = !number && a->stemmer ? stem_token(a, t, canon) : flag_unstemmed(a, t, canon);
    if (st != FG_OK)
        return FG_ANALYZE_NOMEM;
    if (t->position + 1u > r->next)
        r->next = t->position + 1u;
    int rc = r->fn(r->ctx, t);
    if (rc || !umlauts ||
        (t->flags & (FG_TOKEN_STOP | FG_TOKEN_VARIANT | FG_TOKEN_COMPOUND_PART)) ||
        !fg_umlaut_has(t->term, t->term_len))
        return rc;
    /* the weak spelling without umlauts: "müller" -> "muller" (umlaut.c) */
    if (fg_umlaut_weak(t->term, t->term_len, &a->variant) != FG_OK)
        return FG_ANALYZE_NOMEM;
    fg_token_t v = {.term = a->variant.p,
                    .term_len = a->variant.len,
                    .offset = t->offset,
                    .length = t->length,
                    .position = t->position,
                    .flags = FG_TOKEN_VARIANT | FG_TOKEN_WEAK};
    return deliver(r, &v, false);
}

/* Delivers the base form of a gender form ("bürger" of "bürgerinnen"), the
 * first base bytes of term, as a variant token like t.  Returns the
 * callback's value or FG_ANALYZE_NOMEM. */
static int deliver_gender(run_t *r, const fg_token_t *t, const char *term, size_t base) {
    fg_analyzer_t *a = r->a;
    a->variant.len = 0;
    if (fg_buf_reserve(&a->variant, base + 1) != FG_OK)
        return FG_ANALYZE_NOMEM;
    memcpy(a->variant.p, term, base);
    a->variant.p[base] = '\0';
    a->variant.len = base;
    fg_token_t v = {.term = a->variant.p,
                    .term_len = base,
                    .offset = t->offset,
                    .length = t->length,
                    .position = t->position,
                    .flags = FG_TOKEN_VARIANT};
    return deliver(r, &v, false);
}

/* Splits the folded word w[0..wl) (compound.c), asking the analyzer's split
 * cache first.  Fills parts and returns their number (0: not split). */
static size_t split_cached(fg_analyzer_t *a, const char *w, size_t wl,
                           fg_compound_part_t parts[FG_COMPOUND_MAX_PARTS]) {
    unsigned min_part = a->settings.min_part ? a->settings.min_part : 3;
    if (wl < 2 * (size_t)min_part || wl > FG_COMPOUND_MAX_WORD)
        return 0; /* too short to split (bytes >= characters), or too long */
    uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, w, wl);
    size_t el;
    unsigned fl;
    const char *e = fg_stemcache_get(&a->split_cache, w, wl, h, &el, &fl);
    if (e) {
        memcpy(parts, e, el);
        return el / sizeof *parts;
    }
    size_t k = fg_compound_split(a->compound, w, wl, min_part, parts);
    fg_stemcache_put(&a->split_cache, w, wl, h, (const char *)parts, k * sizeof *parts, 0);
    return k;
}

/*
 * Finds the bytes of the analysed text that fold to bytes [fa, fb) of the
 * folded word of part p (whose folding is re-done character by character;
 * characters outside the word's letters, such as a soft hyphen or a gender
 * joiner, fold to nothing).  Sets *off and *len, or the whole part's bytes
 * when a boundary falls inside one character's folding (ß -> ss split in
 * two).  Returns FG_OK or FG_NOMEM.
 */
static fg_status_t source_span(run_t *r, const fg_part_t *p, size_t fa, size_t fb, size_t *off,
                               size_t *len) {
    fg_analyzer_t *a = r->a;
    const unsigned char *s = r->src;
    size_t so = SIZE_MAX, se = SIZE_MAX, fpos = 0;
    for (size_t i = p->src_off; i < p->src_end && se == SIZE_MAX;) {
        int32_t cp;
        size_t n = fg_utf8_next(s + i, p->src_end - i, &cp);
        int cls = fg_char_class(cp);
        size_t fl = 0;
        if (cp < 0x80 && cp >= 0)
            fl = (cls != FG_CC_OTHER || cp == '\'') ? 1 : 0;
        else if (cls != FG_CC_OTHER) {
            a->cterm.len = 0;
            if (fg_fold_append(&a->cterm, cp) != FG_OK)
                return FG_NOMEM;
            fl = a->cterm.len;
        } else if (cp == 0x2019) {
            fl = 1;
        }
        if (fl && fpos == fa && so == SIZE_MAX)
            so = i;
        fpos += fl;
        if (fl && fpos == fb && so != SIZE_MAX)
            se = i + n;
        i += n;
    }
    if (so == SIZE_MAX || se == SIZE_MAX) {
        so = p->src_off;
        se = p->src_end;
    }
    *off = so;
    *len = se - so;
    return FG_OK;
}

/* Delivers one compound part: bytes [fa, fa + used) of the folded word w of
 * part p, plus an elided "e" when add_e, at position pos.  Returns the
 * callback's value or FG_ANALYZE_NOMEM. */
static int deliver_compound_part(run_t *r, const fg_part_t *p, const char *w, size_t fa,
                                 size_t used, bool add_e, uint32_t pos) {
    fg_analyzer_t *a = r->a;
    size_t off, slen;
    if (source_span(r, p, fa, fa + used, &off, &slen) != FG_OK)
        return FG_ANALYZE_NOMEM;
    a->cterm.len = 0;
    if (fg_buf_reserve(&a->cterm, used + 2) != FG_OK)
        return FG_ANALYZE_NOMEM;
    memcpy(a->cterm.p, w + fa, used);
    a->cterm.len = used;
    if (add_e)
        a->cterm.p[a->cterm.len++] = 'e';
    a->cterm.p[a->cterm.len] = '\0';
    fg_token_t t = {.term = a->cterm.p,
                    .term_len = a->cterm.len,
                    .offset = off,
                    .length = slen,
                    .position = pos,
                    .flags = FG_TOKEN_COMPOUND_PART};
    return deliver(r, &t, false);
}

/*
 * Delivers the compound parts of the word part p (German, decompounding on;
 * compound.c) as FG_TOKEN_COMPOUND_PART tokens at position pos, each
 * followed by the parts of its own split when it is a compound too
 * ("festplattenpartition" + "tabelle", then "festplatten" + "partition").
 * Returns the callback's value, FG_ANALYZE_NOMEM, or 0.
 */
static int deliver_compound(run_t *r, const fg_part_t *p, uint32_t pos) {
    fg_analyzer_t *a = r->a;
    if (!a->decompound || p->number || p->cut)
        return 0;
    const char *w = a->fold.p + p->fold_off;
    size_t wl = p->fold_end - p->fold_off;
    fg_compound_part_t parts[FG_COMPOUND_MAX_PARTS], sub[FG_COMPOUND_MAX_PARTS];
    size_t k = split_cached(a, w, wl, parts);
    for (size_t i = 0; i < k; i++) {
        const fg_compound_part_t *cp = &parts[i];
        int rc = deliver_compound_part(r, p, w, cp->off, cp->used, cp->add_e, pos);
        if (rc)
            return rc;
        char lemma[FG_COMPOUND_MAX_WORD + 2];
        size_t ll = cp->used;
        memcpy(lemma, w + cp->off, ll);
        if (cp->add_e)
            lemma[ll++] = 'e';
        size_t m = split_cached(a, lemma, ll, sub);
        for (size_t j = 0; j < m; j++) {
            if (sub[j].off + sub[j].used > cp->used)
                break; /* an elided -e at the end: no bytes of the word */
            rc = deliver_compound_part(r, p, w, cp->off + sub[j].off, sub[j].used, sub[j].add_e,
                                       pos);
            if (rc)
                return rc;
        }
    }
    return 0;
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
                    .flags = FG_TOKEN_PART | (p->cut ? FG_TOKEN_CUT : 0)};
    int rc = deliver(r, &t, p->number);
    if (!rc && p->gender_base && !p->cut)
        rc = deliver_gender(r, &t, a->term.p, p->gender_base);
    if (!rc)
        rc = deliver_compound(r, p, pos);
    return rc;
}

/* Merges a gender suffix ("*innen", ":in", ...) that follows the part just
 * scanned into it, or recognises a Binnen-I ending ("BürgerInnen"), and sets
 * p->gender_base (gender.c; German with settings.gender only).  Returns
 * FG_OK or FG_NOMEM. */
static fg_status_t gender_merge(fg_analyzer_t *a, const unsigned char *s, size_t len,
                                fg_part_t *p) {
    p->gender_base = 0;
    if (!a->german || !a->settings.gender || p->number || p->cut || p->fold_end - p->fold_off < 2)
        return FG_OK;
    const char *suffix;
    size_t n = fg_gender_suffix(s, len, p->src_off, p->src_end, &suffix);
    if (n) {
        size_t sl = strlen(suffix);
        if (fg_buf_reserve(&a->fold, sl) != FG_OK)
            return FG_NOMEM;
        memcpy(a->fold.p + a->fold.len, suffix, sl);
        a->fold.len += sl;
        p->gender_base = p->fold_end - p->fold_off;
        p->fold_end = a->fold.len;
        p->src_end += n;
        return FG_OK;
    }
    size_t ending;
    if (fg_gender_binnen_i(s, p->src_off, p->src_end, &ending))
        p->gender_base = p->fold_end - p->fold_off - ending;
    return FG_OK;
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
        if (nparts == 0 && a->cut_pending) /* the rest of a run cut before */
            a->parts[0].cut = true;
        a->cut_pending = a->parts[nparts].cut && a->parts[nparts].src_end < len;
        if (gender_merge(a, s, len, &a->parts[nparts]) != FG_OK)
            return FG_ANALYZE_NOMEM;
        i = a->parts[nparts++].src_end;
        if (a->cut_pending || nparts >= FG_WORD_MAX_PARTS)
            break; /* a piece of a long run, or enough parts for one word */
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
                        .position = p0,
                        .flags = first->cut ? FG_TOKEN_CUT : 0};
        int rc = deliver(r, &t, first->number);
        if (!rc && first->gender_base)
            rc = deliver_gender(r, &t, a->fold.p + first->fold_off, first->gender_base);
        if (!rc)
            rc = deliver_compound(r, first, p0);
        return rc;
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
                    .flags =
                        FG_TOKEN_JOINED | (a->fold.len > FG_TOKEN_MAX_BYTES ? FG_TOKEN_CUT : 0)};
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
    run_t r = {.a = a, .fn = fn, .ctx = ctx, .next = first_position, .src = s};
    a->cut_pending = false;
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
