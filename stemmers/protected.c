/*
 * protected.c - protected words: stems that win over Snowball's where
 * Snowball over-stems German words into unrelated ones (settings.
 * protected_words): "sicherheit" -> "sich" (a stop word), "bürger" -> "burg",
 * "schön" -> "schon", "drücken" -> "druck", "zählen" -> "zahl".
 *
 * An entry is a line "word stem" or "word" (protected_german.c, and the
 * user's settings.protected_file: one entry a line, '#' starts a comment,
 * the file is decoded like a stop-word file, words are case-folded):
 *   - "word stem": the folded word gets that stem ("sicherheit sicherheit").
 *     When the word has umlauts, its spelling without them gets the stem
 *     without them ("bürger bürger" also gives "burger burger"), so the weak
 *     variant "burger" of "Bürger" is not "burg" either.
 *   - "word" whose Snowball stem drops an umlaut of the word ("schön" ->
 *     "schon", "zählen" -> "zahl"): the stem keeps the umlaut, for every
 *     word whose Snowball stem, umlauts put back, is that stem ("schöne",
 *     "schöner", "schönes" -> "schön"; "zähle", "zähler" -> "zähl"), so one
 *     entry covers the forms Snowball reduces to one stem.
 *   - any other "word": the word is its own stem.
 * A compound ending in a word of a "word stem" entry (or of a "word" entry
 * that is its own stem) is protected too: its stem is the rest of the word
 * (umlauts replaced, as Snowball does) followed by the protected stem
 * ("datensicherheit" -> "datensicherheit", "mitbürger" -> "mitbürger"); that
 * word must be at least 5 bytes long and the rest at least 2.  The umlaut
 * stems apply to whole words only: "drück" must not split "Ausdrücke" from
 * "Ausdruck", where the umlaut is the plural's.
 * Everything happens in the analyzer, so index and queries agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "stemmers/internal.h"

#define SUFFIX_MIN 5 /* shortest protected word matched at the end of a compound */
#define PREFIX_MIN 2 /* shortest rest before it ("un" of "unsicher") */
#define WORD_MAX 255 /* longer words are never protected */

/* One "word stem" entry: offsets into the pool. */
typedef struct entry {
    uint32_t word, word_len, stem, stem_len;
    uint32_t seq;   /* order of the entry in the lists */
    const char *wp; /* the word, once the pool no longer moves */
} entry_t;

struct fg_protected {
    fg_buf_t pool; /* the words and stems of entries */
    entry_t *e;    /* sorted by word once loaded */
    size_t n, cap;
    fg_wordset_t kept; /* stems that keep their umlauts */
};

/* Frees the protected words; NULL is allowed. */
void fg_protected_free(struct fg_protected *p) {
    if (!p)
        return;
    fg_buf_free(&p->pool);
    free(p->e);
    fg_wordset_free(&p->kept);
    free(p);
}

/* Appends bytes to the pool; sets *off.  Returns FG_OK or FG_NOMEM. */
static fg_status_t pool_add(struct fg_protected *p, const char *s, size_t n, uint32_t *off) {
    if (p->pool.len + n + 1 > UINT32_MAX || fg_buf_reserve(&p->pool, n + 1) != FG_OK)
        return FG_NOMEM;
    *off = (uint32_t)p->pool.len;
    memcpy(p->pool.p + p->pool.len, s, n);
    p->pool.len += n;
    p->pool.p[p->pool.len++] = '\0';
    return FG_OK;
}

/* Adds an exact entry word -> stem.  Returns FG_OK or FG_NOMEM. */
static fg_status_t add_exact(struct fg_protected *p, const char *w, size_t wl, const char *s,
                             size_t sl) {
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        entry_t *e = realloc(p->e, cap * sizeof *e);
        if (!e)
            return FG_NOMEM;
        p->e = e;
        p->cap = cap;
    }
    entry_t *e = &p->e[p->n];
    if (pool_add(p, w, wl, &e->word) != FG_OK || pool_add(p, s, sl, &e->stem) != FG_OK)
        return FG_NOMEM;
    e->word_len = (uint32_t)wl;
    e->stem_len = (uint32_t)sl;
    p->n++;
    return FG_OK;
}

/*
 * Writes into out (room for WORD_MAX + 1 bytes) Snowball's stem
 * stem[0..sl) with the umlauts of the folded word term[0..tl) put back,
 * where the stem has a/o/u for the word's ä/ö/ü.  Returns its length, or 0
 * when the stem is no such copy of the word's beginning; *restored tells
 * whether an umlaut was put back.
 */
static size_t restore(const char *term, size_t tl, const char *stem, size_t sl, char *out,
                      bool *restored) {
    const unsigned char *t = (const unsigned char *)term;
    size_t i = 0, o = 0;
    *restored = false;
    for (size_t k = 0; k < sl; k++) {
        if (i >= tl || o + 2 > WORD_MAX)
            return 0;
        if (t[i] == 0xC3 && i + 1 < tl &&
            ((t[i + 1] == 0xA4 && stem[k] == 'a') || (t[i + 1] == 0xB6 && stem[k] == 'o') ||
             (t[i + 1] == 0xBC && stem[k] == 'u'))) {
            out[o++] = (char)t[i];
            out[o++] = (char)t[i + 1];
            i += 2;
            *restored = true;
        } else if ((unsigned char)stem[k] == t[i]) {
            out[o++] = stem[k];
            i++;
        } else {
            return 0;
        }
    }
    out[o] = '\0';
    return o;
}

/* Stems the folded word w[0..wl) with Snowball.  Returns the stem (owned by
 * the stemmer) and its length in *sl, or NULL when out of memory. */
static const char *snowball(struct sb_stemmer *st, const char *w, size_t wl, size_t *sl) {
    const sb_symbol *r = sb_stemmer_stem(st, (const sb_symbol *)w, (int)wl);
    if (!r)
        return NULL;
    *sl = (size_t)sb_stemmer_length(st);
    return (const char *)r;
}

/* Adds one entry: word w (wl bytes), with stem s (sl bytes) or without
 * (s NULL); both are folded first.  Returns FG_OK or FG_NOMEM. */
static fg_status_t add_entry(struct fg_protected *p, struct sb_stemmer *st, const char *w,
                             size_t wl, const char *s, size_t sl) {
    fg_buf_t fw = {0}, fs = {0};
    fg_status_t rc = fg_fold_string(&fw, w, wl);
    if (rc == FG_OK && s)
        rc = fg_fold_string(&fs, s, sl);
    if (rc != FG_OK || fw.len == 0 || fw.len > WORD_MAX) {
        /* empty or absurdly long words are ignored */
    } else if (s) {
        rc = add_exact(p, fw.p, fw.len, fs.p, fs.len);
        if (rc == FG_OK && fg_umlaut_has(fw.p, fw.len)) {
            fg_buf_t ww = {0}, ws = {0};
            rc = fg_umlaut_weak(fw.p, fw.len, &ww);
            if (rc == FG_OK)
                rc = fg_umlaut_weak(fs.p, fs.len, &ws);
            if (rc == FG_OK)
                rc = add_exact(p, ww.p, ww.len, ws.p, ws.len);
            fg_buf_free(&ww);
            fg_buf_free(&ws);
        }
    } else {
        size_t n;
        const char *sb = snowball(st, fw.p, fw.len, &n);
        char kept[WORD_MAX + 1];
        bool restored = false;
        size_t kl = sb ? restore(fw.p, fw.len, sb, n, kept, &restored) : 0;
        if (!sb)
            rc = FG_NOMEM;
        else if (restored && kl)
            rc = fg_wordset_add(&p->kept, kept, kl);
        else
            rc = add_exact(p, fw.p, fw.len, fw.p, fw.len);
    }
    fg_buf_free(&fw);
    fg_buf_free(&fs);
    return rc;
}

/* Parses one line (comment already cut) into an entry.  Returns FG_OK,
 * FG_NOMEM, or FG_INVALID when it has more than two fields. */
static fg_status_t add_line(struct fg_protected *p, struct sb_stemmer *st, const char *line,
                            size_t len) {
    const char *f[3];
    size_t fl[3], n = 0, i = 0;
    while (i < len) {
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i >= len)
            break;
        size_t b = i;
        while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            i++;
        if (n == 2)
            return FG_INVALID;
        f[n] = line + b;
        fl[n++] = i - b;
    }
    if (n == 0)
        return FG_OK;
    return add_entry(p, st, f[0], fl[0], n == 2 ? f[1] : NULL, n == 2 ? fl[1] : 0);
}

/* Orders entries by word bytes, then by the order they were given in. */
static int cmp_entry(const void *x, const void *y) {
    const entry_t *a = x, *b = y;
    size_t n = a->word_len < b->word_len ? a->word_len : b->word_len;
    int c = memcmp(a->wp, b->wp, n);
    if (c)
        return c;
    if (a->word_len != b->word_len)
        return a->word_len < b->word_len ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Sorts the entries by word once the pool is complete, keeping the last
 * entry of a word given twice (a user's file can so override the list). */
static void sort_entries(struct fg_protected *p) {
    for (size_t i = 0; i < p->n; i++) {
        p->e[i].wp = p->pool.p + p->e[i].word;
        p->e[i].seq = (uint32_t)i;
    }
    if (p->n > 1)
        qsort(p->e, p->n, sizeof *p->e, cmp_entry);
    size_t o = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (o > 0 && p->e[o - 1].word_len == p->e[i].word_len &&
            memcmp(p->e[o - 1].wp, p->e[i].wp, p->e[i].word_len) == 0)
            p->e[o - 1] = p->e[i];
        else
            p->e[o++] = p->e[i];
    }
    p->n = o;
}

/* Loads the built-in list and the user's file (see internal.h). */
fg_status_t fg_protected_load(fg_analyzer_t *a, char *err, size_t errlen) {
    struct fg_protected *p = calloc(1, sizeof *p);
    if (!p)
        return FG_NOMEM;
    fg_status_t st = FG_OK;
    for (size_t i = 0; i < fg_protected_german_count && st == FG_OK; i++)
        st = add_line(p, a->stemmer, fg_protected_german[i], strlen(fg_protected_german[i]));
    const char *path = a->settings.protected_file;
    if (st == FG_OK && path[0]) {
        char *raw = NULL, *text = NULL;
        size_t rlen = 0, tlen = 0;
        st = fg_read_file(path, &raw, &rlen, err, errlen);
        if (st == FG_OK)
            st = fg_text_decode(raw, rlen, &text, &tlen, NULL);
        size_t line = 0;
        for (size_t i = 0; st == FG_OK && i < tlen;) {
            size_t e = i;
            while (e < tlen && text[e] != '\n')
                e++;
            line++;
            size_t c = i;
            while (c < e && text[c] != '#')
                c++;
            st = add_line(p, a->stemmer, text + i, c - i);
            if (st == FG_INVALID) {
                if (err && errlen)
                    snprintf(err, errlen, "%s:%zu: expected 'word' or 'word stem'", path, line);
                st = FG_IO;
            }
            i = e + 1;
        }
        free(raw);
        free(text);
    }
    if (st == FG_OK)
        sort_entries(p);
    if (st != FG_OK) {
        fg_protected_free(p);
        return st;
    }
    a->protect = p;
    return FG_OK;
}

/* Finds the exact entry of w[0..wl), or NULL. */
static const entry_t *find(const struct fg_protected *p, const char *w, size_t wl) {
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const entry_t *e = &p->e[mid];
        size_t n = e->word_len < wl ? e->word_len : wl;
        int c = memcmp(p->pool.p + e->word, w, n);
        if (c == 0)
            c = e->word_len < wl ? -1 : e->word_len > wl;
        if (c == 0)
            return e;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Sets *stem to the rest r[0..rl) with its umlauts replaced by a/o/u,
 * followed by tail[0..tl).  Returns FG_OK or FG_NOMEM. */
static fg_status_t set_stem(fg_buf_t *stem, const char *r, size_t rl, const char *tail, size_t tl) {
    fg_buf_t tmp = {0};
    if (fg_umlaut_weak(r, rl, &tmp) != FG_OK || fg_buf_reserve(&tmp, tl + 1) != FG_OK) {
        fg_buf_free(&tmp);
        return FG_NOMEM;
    }
    memcpy(tmp.p + tmp.len, tail, tl);
    tmp.len += tl;
    tmp.p[tmp.len] = '\0';
    stem->len = 0;
    fg_status_t st = fg_buf_reserve(stem, tmp.len + 1);
    if (st == FG_OK) {
        memcpy(stem->p, tmp.p, tmp.len + 1);
        stem->len = tmp.len;
    }
    fg_buf_free(&tmp);
    return st;
}

/* True when byte i of s starts a code point. */
static inline bool boundary(const char *s, size_t i) {
    return ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* Applies the protected words to a term and its Snowball stem (see
 * internal.h and the top of this file); *decided tells whether one applied.
 * Returns FG_OK or FG_NOMEM. */
fg_status_t fg_protected_apply(const struct fg_protected *p, const char *term, size_t len,
                               fg_buf_t *stem, bool *decided) {
    *decided = false;
    if (!p || len > WORD_MAX)
        return FG_OK;
    const entry_t *e = find(p, term, len);
    *decided = true;
    if (e)
        return set_stem(stem, "", 0, p->pool.p + e->stem, e->stem_len);
    if (p->kept.count && fg_umlaut_has(term, len)) {
        char r[WORD_MAX + 1];
        bool restored;
        size_t rl = restore(term, len, stem->p, stem->len, r, &restored);
        if (rl && restored && fg_wordset_has(&p->kept, r, rl, fg_fnv1a64(FG_FNV64_OFFSET, r, rl)))
            return set_stem(stem, "", 0, r, rl);
    }
    for (size_t j = PREFIX_MIN; j + SUFFIX_MIN <= len; j++) {
        if (!boundary(term, j))
            continue;
        e = find(p, term + j, len - j);
        if (e)
            return set_stem(stem, term, j, p->pool.p + e->stem, e->stem_len);
    }
    *decided = false;
    return FG_OK;
}
