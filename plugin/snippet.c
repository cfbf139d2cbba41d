/*
 * snippet.c - best passage with highlighted matches (see snippet.h).
 */
#include "plugin/snippet.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MATCHES 4096
#define PREFILTER_MIN 2048  /* texts shorter than this are analysed whole */
#define MAX_CANDIDATES 4096 /* places looked at (the first ones in the text) */
#define KEY_MAX 64          /* longest key (bytes of a loose matching form) */
#define SHORT_KEY 4         /* shorter keys count only at the start of a word */
#define MAX_KEYS 64         /* query forms looked for (more are left out) */
#define FEW_PLACES 64       /* up to this many places all are analysed */
#define KEY_BUCKETS 4096    /* hash buckets of the keys (a power of two) */
#define BEST_WINDOWS 4      /* else those around the best few windows */
#define CHUNK_MAX 128       /* bytes looked at on either side of a place for white space */
#define SCAN_BLOCK 16384    /* bytes of text put in loose form at a time */
/* Room for the loose form of n bytes: case folding writes at most three
 * bytes for each byte of text ("ΐ", two bytes, folds to six). */
#define LOOSE_ROOM(n) (3 * (n))
/* Room for the loose form of one block and what is read around it. */
#define LOOSE_BLOCK LOOSE_ROOM(SCAN_BLOCK + 3 * KEY_MAX + 8)

/* One matched word in the text. */
typedef struct match {
    size_t offset, length;
    size_t word; /* index of the distinct query word it matched */
} match_t;

/* State of the matching pass. */
typedef struct scan {
    const fg_termset_t *ts;
    match_t *m;
    size_t n;
    const char **words; /* distinct matched forms (folded or stem), borrowed */
    char **owned;       /* copies of those forms */
    size_t n_words;
    size_t base; /* offset of the analysed region in the text */
    bool nomem;
} scan_t;

/* Index of the distinct matched form of a token (its stem, else its term). */
static size_t word_id(scan_t *s, const char *key) {
    for (size_t i = 0; i < s->n_words; i++)
        if (strcmp(s->owned[i], key) == 0)
            return i;
    char **p = realloc(s->owned, (s->n_words + 1) * sizeof *p);
    if (!p) {
        s->nomem = true;
        return 0;
    }
    s->owned = p;
    s->owned[s->n_words] = strdup(key);
    if (!s->owned[s->n_words]) {
        s->nomem = true;
        return 0;
    }
    return s->n_words++;
}

/* fg_analyze() callback: records tokens that match a query word. */
static int on_token(void *ctx, const fg_token_t *tok) {
    scan_t *s = ctx;
    if (tok->flags & FG_TOKEN_JOINED)
        return 0;
    if (!fg_termset_matches(s->ts, tok->term, tok->stem))
        return 0;
    if (s->n > 0 && s->m[s->n - 1].offset == s->base + tok->offset)
        return 0;
    size_t id = word_id(s, tok->stem ? tok->stem : tok->term);
    if (s->nomem)
        return 1;
    s->m[s->n++] = (match_t){s->base + tok->offset, tok->length, id};
    return s->n == MAX_MATCHES;
}

/* ------------------------------------------------------------ prefilter */

/*
 * Analysing a long document whole is what makes snippets slow, so only the
 * words that may be matches are analysed.  A place is where a query word,
 * stem or wildcard prefix occurs in the text compared in a loose form (case
 * folded as the analyzer folds, ä ö ü as a o u): a stem is the start
 * of the loose form of its inflections ("haus" of "Häuser"), and a compound
 * part lies inside its compound ("format" in "Partnerschaftsformat").  The
 * white-space-delimited chunk around each place is analysed on its own, which
 * gives the same tokens and offsets as analysing the whole text.  When there
 * are many places, only those in and around the few windows with the most
 * distinct query forms are analysed (a long manual that says "Datei" 500
 * times costs little more than a short one).
 */

/* Writes the loose form of t[0..n) into out (at most cap bytes; LOOSE_ROOM(n)
 * always suffice) and, if map is not NULL, the offset in t of each byte
 * written; returns the bytes written.  The loose form is the analyzer's own
 * case folding (fg_fold_char()) with ä ö ü then written as a o u; it stops
 * before a character whose form would not fit. */
static size_t loosen(const char *t, size_t n, char *out, size_t cap, uint32_t *map) {
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        char f[FG_FOLD_MAX];
        size_t at = i, fl = 1;
        unsigned char c = (unsigned char)t[i];
        if (c < 0x80) /* the common case, folded here as fg_fold_char() does */
            f[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c), i++;
        else
            i += fg_fold_char(t + i, n - i, f, &fl);
        if (o + fl > cap)
            break;
        for (size_t k = 0; k < fl; k++) {
            unsigned char d =
                k + 1 < fl && (unsigned char)f[k] == 0xC3 ? (unsigned char)f[k + 1] : 0;
            char plain = d == 0xA4 ? 'a' : d == 0xB6 ? 'o' : d == 0xBC ? 'u' : 0;
            out[o] = plain ? plain : f[k];
            k += plain != 0;
            if (map)
                map[o] = (uint32_t)at;
            o++;
        }
    }
    return o;
}

/* True for a byte that continues a word in the loose form (a letter, a
 * digit or a byte of a multi-byte character). */
static bool wordish(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* The hash bucket of the three bytes at p. */
#define KEY_HASH(p)                                                                                \
    ((((unsigned)(unsigned char)(p)[0] * 961u + (unsigned)(unsigned char)(p)[1] * 31u +            \
       (unsigned char)(p)[2]) &                                                                    \
      (KEY_BUCKETS - 1)))

/* The loose forms of the query's words, stems and prefixes: short ones in a
 * list (they count only at word starts), longer ones in hash buckets of
 * their first three bytes. */
typedef struct keyset {
    char key[MAX_KEYS][KEY_MAX];
    size_t len[MAX_KEYS];
    size_t n;
    int8_t head[KEY_BUCKETS]; /* first key of a bucket, -1 for none */
    int8_t next[MAX_KEYS];    /* next key of the same bucket */
    int8_t shorts[MAX_KEYS];  /* the keys shorter than SHORT_KEY */
    size_t n_shorts;
    bool short_first[256]; /* the first bytes of those */
} keyset_t;

/* Adds the loose form of a matching form (if there is room and it is new). */
static void keyset_add(keyset_t *k, const char *form) {
    char key[KEY_MAX];
    size_t fl = strlen(form), kl = loosen(form, fl < KEY_MAX ? fl : KEY_MAX, key, KEY_MAX, NULL);
    if (kl == 0 || k->n == MAX_KEYS)
        return;
    for (size_t i = 0; i < k->n; i++)
        if (k->len[i] == kl && memcmp(k->key[i], key, kl) == 0)
            return;
    int8_t id = (int8_t)k->n;
    memcpy(k->key[k->n], key, kl);
    k->len[k->n++] = kl;
    if (kl < SHORT_KEY) {
        k->shorts[k->n_shorts++] = id;
        k->short_first[(unsigned char)key[0]] = true;
    } else {
        unsigned h = KEY_HASH(key);
        k->next[id] = k->head[h];
        k->head[h] = id;
    }
}

/* Collects into cand (and the key of each into kid) the places of the keys
 * in the loose text loose[0..ln) whose text offsets (map[i] + base) are at
 * least from and below to, at most MAX_CANDIDATES in all (*nc of them are
 * there already).  A key shorter than SHORT_KEY bytes counts only at the
 * start of a word, where a short word or stem can be; it would be everywhere
 * else.  The loose text may go on past to, so that a key starting before to
 * is seen whole, and start before from, for the byte before the first place. */
static void find_places(const keyset_t *k, const char *loose, size_t ln, const uint32_t *map,
                        size_t base, size_t from, size_t to, size_t *cand, uint8_t *kid,
                        size_t *nc) {
    for (size_t i = 0; i < ln && *nc < MAX_CANDIDATES; i++) {
        size_t at = base + map[i];
        if (at < from)
            continue;
        if (at >= to)
            break;
        int found = -1;
        unsigned char c = (unsigned char)loose[i];
        if (i + 2 < ln) {
            for (int j = k->head[KEY_HASH(loose + i)]; j >= 0 && found < 0; j = k->next[j])
                if (k->len[j] <= ln - i && (unsigned char)k->key[j][0] == c &&
                    memcmp(k->key[j], loose + i, k->len[j]) == 0)
                    found = j;
        }
        if (found < 0 && k->short_first[c] && (i == 0 || !wordish((unsigned char)loose[i - 1]))) {
            for (size_t s = 0; s < k->n_shorts && found < 0; s++) {
                int j = k->shorts[s];
                const char *key = k->key[j];
                size_t kl = k->len[j];
                if (kl <= ln - i && (unsigned char)key[0] == c &&
                    (kl < 2 || key[1] == loose[i + 1]) && (kl < 3 || key[2] == loose[i + 2]))
                    found = j;
            }
        }
        if (found >= 0) {
            kid[*nc] = (uint8_t)found;
            cand[(*nc)++] = at;
        }
    }
}

/* Start of the UTF-8 character that holds byte i of t. */
static size_t char_start(const char *t, size_t i) {
    while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80)
        i--;
    return i;
}

/* End of the UTF-8 character at or after byte i of t[0..len) (i itself when
 * a character starts there). */
static size_t char_end(const char *t, size_t len, size_t i) {
    while (i < len && ((unsigned char)t[i] & 0xC0) == 0x80)
        i++;
    return i;
}

/*
 * The places of the keys in text[0..len) (see find_places()), the text put in
 * loose form block by block into loose and map (LOOSE_BLOCK entries each), so
 * that a long text is neither copied whole nor read past the MAX_CANDIDATES-th
 * place.  Returns how many places.
 */
static size_t scan_places(const keyset_t *k, const char *text, size_t len, char *loose,
                          uint32_t *map, size_t *cand, uint8_t *kid) {
    size_t nc = 0;
    for (size_t from = 0; from < len && nc < MAX_CANDIDATES;) {
        size_t to = char_end(text, len, from + SCAN_BLOCK < len ? from + SCAN_BLOCK : len);
        /* the character before (for word starts), and room for a key that starts
         * before to (a loose byte comes from at most three bytes of text: U+212A,
         * the Kelvin sign, folds to "k") */
        size_t lo = from > 0 ? char_start(text, from - 1) : 0;
        size_t hi = char_end(text, len, to + 3 * KEY_MAX < len ? to + 3 * KEY_MAX : len);
        size_t ln = loosen(text + lo, hi - lo, loose, LOOSE_BLOCK, map);
        find_places(k, loose, ln, map, lo, from, to, cand, kid, &nc);
        from = to;
    }
    return nc;
}

/*
 * Marks in keep[] the places worth analysing when there are many: those in
 * and around (length bytes either side) the BEST_WINDOWS windows of length
 * bytes that start at a place and hold the most distinct keys, then the most
 * places.  cand[] is in text order.
 */
static void pick_windows(const size_t *cand, const uint8_t *kid, size_t nc, size_t length,
                         bool *keep) {
    if (nc <= FEW_PLACES) {
        memset(keep, 1, nc);
        return;
    }
    memset(keep, 0, nc);
    size_t best[BEST_WINDOWS], nb = 0;
    for (size_t round = 0; round < BEST_WINDOWS; round++) {
        unsigned count[MAX_KEYS] = {0};
        size_t distinct = 0, j = 0, top = SIZE_MAX, top_score = 0;
        for (size_t i = 0; i < nc; i++) {
            if (i > 0 && --count[kid[i - 1]] == 0)
                distinct--;
            if (j < i)
                j = i;
            while (j < nc && cand[j] < cand[i] + length) {
                if (count[kid[j]]++ == 0)
                    distinct++;
                j++;
            }
            bool far = true;
            for (size_t b = 0; b < nb && far; b++)
                far = cand[i] + length <= cand[best[b]] || cand[best[b]] + length <= cand[i];
            size_t score = distinct << 16 | (j - i < 0xFFFF ? j - i : 0xFFFF);
            if (far && (top == SIZE_MAX || score > top_score)) {
                top = i;
                top_score = score;
            }
        }
        if (top == SIZE_MAX)
            break;
        best[nb++] = top;
    }
    for (size_t b = 0; b < nb; b++) {
        size_t lo = cand[best[b]] > length ? cand[best[b]] - length : 0;
        size_t hi = cand[best[b]] + 2 * length;
        for (size_t i = 0; i < nc; i++)
            if (cand[i] >= lo && cand[i] < hi)
                keep[i] = true;
    }
}

/* True for ASCII white space. */
static bool white(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * Analyses the chunks of text that may hold matches into s.  Returns false
 * when memory ran out for the prefilter; the caller then analyses the whole
 * text.
 */
static bool scan_regions(fg_analyzer_t *a, scan_t *s, const char *text, size_t len, size_t length) {
    const fg_termset_t *ts = s->ts;
    char *loose = malloc(LOOSE_BLOCK);
    uint32_t *map = malloc(LOOSE_BLOCK * sizeof *map);
    size_t *cand = malloc(MAX_CANDIDATES * sizeof *cand);
    size_t *chunk = malloc(2 * MAX_CANDIDATES * sizeof *chunk);
    uint8_t *kid = malloc(MAX_CANDIDATES);
    bool *keep = malloc(MAX_CANDIDATES * sizeof *keep);
    bool ok = loose && map && cand && chunk && kid && keep && len < UINT32_MAX;
    size_t nc = 0;
    keyset_t *keys = ok ? calloc(1, sizeof *keys) : NULL;
    ok = keys != NULL;
    if (ok)
        memset(keys->head, -1, sizeof keys->head);
    for (size_t i = 0; ok && i < ts->n_exact; i++)
        keyset_add(keys, ts->exact[i]);
    for (size_t i = 0; ok && i < ts->n_stems; i++)
        keyset_add(keys, ts->stems[i]);
    for (size_t i = 0; ok && i < ts->n_prefixes; i++)
        keyset_add(keys, ts->prefixes[i]);
    if (ok)
        nc = scan_places(keys, text, len, loose, map, cand, kid);
    free(keys);
    free(loose);
    free(map);
    if (ok)
        pick_windows(cand, kid, nc, length, keep);
    /* the chunk around each place kept, once (places are in text order) */
    size_t nr = 0, prev_hi = 0;
    for (size_t i = 0; ok && i < nc; i++) {
        if (!keep[i] || (nr > 0 && cand[i] < prev_hi))
            continue;
        size_t lo = cand[i], hi = cand[i];
        for (size_t k = 0; k < CHUNK_MAX && lo > 0 && !white(text[lo - 1]); k++)
            lo--;
        while (lo < len && ((unsigned char)text[lo] & 0xC0) == 0x80)
            lo++;
        for (size_t k = 0; k < CHUNK_MAX && hi < len && !white(text[hi]); k++)
            hi++;
        while (hi < len && ((unsigned char)text[hi] & 0xC0) == 0x80)
            hi++;
        if (nr > 0 && lo < prev_hi)
            lo = prev_hi;
        if (lo >= hi)
            continue;
        chunk[2 * nr] = lo;
        chunk[2 * nr + 1] = hi;
        prev_hi = hi;
        nr++;
    }
    for (size_t r = 0; ok && r < nr && !s->nomem && s->n < MAX_MATCHES; r++) {
        s->base = chunk[2 * r];
        if (fg_analyze(a, text + chunk[2 * r], chunk[2 * r + 1] - chunk[2 * r], 1, on_token, s,
                       NULL) == FG_ANALYZE_NOMEM)
            s->nomem = true;
    }
    s->base = 0;
    free(cand);
    free(chunk);
    free(kid);
    free(keep);
    return ok;
}

/* Picks the window start for the densest run of matches. */
static size_t best_window(const scan_t *s, size_t length, size_t *first) {
    size_t best = 0, best_distinct = 0, best_count = 0;
    unsigned char *seen = calloc(s->n_words ? s->n_words : 1, 1);
    for (size_t i = 0; i < s->n; i++) {
        size_t end = s->m[i].offset + length, distinct = 0, count = 0;
        if (seen)
            memset(seen, 0, s->n_words);
        for (size_t j = i; j < s->n && s->m[j].offset + s->m[j].length <= end; j++) {
            count++;
            if (seen && !seen[s->m[j].word]) {
                seen[s->m[j].word] = 1;
                distinct++;
            }
        }
        if (distinct > best_distinct || (distinct == best_distinct && count > best_count)) {
            best = i;
            best_distinct = distinct;
            best_count = count;
        }
    }
    free(seen);
    *first = best;
    return s->n ? s->m[best].offset : 0;
}

/* A growable output string. */
typedef struct out {
    char *s;
    size_t n, cap;
    bool nomem;
} out_t;

/* Appends n bytes. */
static void put(out_t *o, const char *p, size_t n) {
    if (o->nomem)
        return;
    if (o->n + n + 1 > o->cap) {
        size_t cap = (o->n + n + 1) * 2;
        char *q = realloc(o->s, cap);
        if (!q) {
            o->nomem = true;
            return;
        }
        o->s = q;
        o->cap = cap;
    }
    memcpy(o->s + o->n, p, n);
    o->n += n;
    o->s[o->n] = '\0';
}

/* Appends text, collapsing white space and escaping for HTML if asked. */
static void put_text(out_t *o, const char *p, size_t n, bool html, bool *last_space) {
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v') {
            if (!*last_space)
                put(o, " ", 1);
            *last_space = true;
            continue;
        }
        *last_space = false;
        if (html && ch == '<')
            put(o, "&lt;", 4);
        else if (html && ch == '>')
            put(o, "&gt;", 4);
        else if (html && ch == '&')
            put(o, "&amp;", 5);
        else if (html && ch == '"')
            put(o, "&quot;", 6);
        else
            put(o, &ch, 1);
    }
}

/* True when byte c is a space of the ASCII kind. */
static bool is_space(char c) {
    return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* ------------------------------------------------------------ the snippet */

/* Frees the matched forms of s and forgets its matches (s->m is kept). */
static void scan_reset(scan_t *s) {
    for (size_t i = 0; i < s->n_words; i++)
        free(s->owned[i]);
    free(s->owned);
    s->owned = NULL;
    s->n_words = 0;
    s->n = 0;
}

/*
 * Finds the matches of the query words in text[0..len) into s: a long text
 * through the prefilter (scan_regions()), a short one, or one the prefilter
 * had no memory for, analysed whole.  s->nomem says when memory ran out.
 */
static void find_matches(fg_analyzer_t *a, scan_t *s, const char *text, size_t len, size_t length) {
    if (len >= PREFILTER_MIN && scan_regions(a, s, text, len, length))
        return;
    if (s->nomem)
        return;
    /* analyse the whole text (again, if the regions did not pay) */
    scan_reset(s);
    if (fg_analyze(a, text, len, 1, on_token, s, NULL) == FG_ANALYZE_NOMEM)
        s->nomem = true;
}

/*
 * The first byte of the snippet: the densest window of matches, a little
 * context (a fifth of length) before its first match, more when the matches
 * end early; then moved back to the start of its word (at most 30 bytes) and
 * past white space.
 */
static size_t window_start(const scan_t *s, const char *text, size_t len, size_t length,
                           size_t *match_at) {
    size_t first = 0;
    size_t start = best_window(s, length, &first);
    *match_at = s->n ? s->m[first].offset : SIZE_MAX;
    /* lead in a little context before the first match */
    size_t lead = length / 5;
    if (s->n) {
        start = start > lead ? start - lead : 0;
        size_t win_end = start + length;
        /* if the matches end early, show more before them */
        size_t last = first;
        while (last + 1 < s->n && s->m[last + 1].offset + s->m[last + 1].length <= win_end)
            last++;
        size_t used = s->m[last].offset + s->m[last].length;
        if (used < win_end && used + length / 2 < win_end) {
            size_t slack = win_end - used - length / 2;
            start = start > slack ? start - slack : 0;
        }
    }
    /* skip leading white space; start at a word boundary */
    if (start > 0) {
        size_t back = start;
        while (back > 0 && start - back < 30 && !is_space(text[back - 1]))
            back--;
        if (back == 0 || is_space(text[back - 1]))
            start = back;
        while (start < len && ((unsigned char)text[start] & 0xC0) == 0x80)
            start++;
    }
    while (start < len && is_space(text[start]))
        start++;
    return start;
}

/* The end of the snippet that starts at start: length bytes on, moved
 * forward to the end of its word (at most 30 bytes) and back before white
 * space. */
static size_t window_end(const char *text, size_t len, size_t start, size_t length) {
    size_t end = start + length < len ? start + length : len;
    if (end < len) {
        size_t fwd = end;
        while (fwd < len && fwd - end < 30 && !is_space(text[fwd]))
            fwd++;
        end = fwd;
        while (end < len && ((unsigned char)text[end] & 0xC0) == 0x80)
            end++;
    }
    while (end > start && is_space(text[end - 1]))
        end--;
    return end;
}

/*
 * Writes text[start..end) to o with the matches of s in it wrapped in
 * hl_start/hl_end, white space collapsed, HTML-escaped if html, and "…" at
 * an end where the text goes on.  o is never left NULL but when memory ran
 * out (o->nomem).
 */
static void render(out_t *o, const scan_t *s, const char *text, size_t len, size_t start,
                   size_t end, const char *hl_start, const char *hl_end, bool html) {
    bool last_space = false;
    bool cut_before = false, cut_after = false;
    for (size_t i = 0; i < start && !cut_before; i++)
        cut_before = !is_space(text[i]);
    for (size_t i = end; i < len && !cut_after; i++)
        cut_after = !is_space(text[i]);
    if (cut_before)
        put(o, "\xE2\x80\xA6", 3);
    size_t p = start;
    for (size_t i = 0; i < s->n; i++) {
        const match_t *m = &s->m[i];
        if (m->offset < p || m->offset + m->length > end)
            continue;
        put_text(o, text + p, m->offset - p, html, &last_space);
        put(o, hl_start, strlen(hl_start));
        put_text(o, text + m->offset, m->length, html, &last_space);
        put(o, hl_end, strlen(hl_end));
        p = m->offset + m->length;
    }
    put_text(o, text + p, end - p, html, &last_space);
    if (cut_after)
        put(o, "\xE2\x80\xA6", 3);
    if (!o->s)
        put(o, "", 0);
}

/* Builds the snippet (see snippet.h): find the matches, pick the window,
 * write it out. */
fg_status_t fg_snippet_make_at(fg_analyzer_t *a, const fg_termset_t *ts, const char *text,
                               size_t len, size_t length, const char *hl_start, const char *hl_end,
                               bool html, char **out, size_t *match_at) {
    *out = NULL;
    *match_at = SIZE_MAX;
    scan_t s = {.ts = ts};
    s.m = malloc(MAX_MATCHES * sizeof *s.m);
    if (!s.m)
        return FG_NOMEM;
    find_matches(a, &s, text, len, length);
    out_t o = {0};
    if (!s.nomem) {
        size_t start = window_start(&s, text, len, length, match_at);
        size_t end = window_end(text, len, start, length);
        render(&o, &s, text, len, start, end, hl_start, hl_end, html);
    }
    scan_reset(&s);
    free(s.m);
    if (s.nomem || o.nomem) {
        free(o.s);
        *match_at = SIZE_MAX;
        return FG_NOMEM;
    }
    *out = o.s;
    return FG_OK;
}

/* Builds the snippet of text (see snippet.h). */
fg_status_t fg_snippet_make(fg_analyzer_t *a, const fg_termset_t *ts, const char *text, size_t len,
                            size_t length, const char *hl_start, const char *hl_end, bool html,
                            char **out) {
    size_t at;
    return fg_snippet_make_at(a, ts, text, len, length, hl_start, hl_end, html, out, &at);
}
