/*
 * suggest.c - "Meinten Sie": the closest word of the index for a query word
 * that matches nothing (see plugin-private.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "plugin/plugin-private.h"

#define MAX_CP 64 /* words longer than this (code points) get no suggestion */

/* Decodes UTF-8 s[0..len) into at most max code points; returns how many
 * (max + 1 when there are more). */
static size_t utf8_decode(const char *s, size_t len, uint32_t *cp, size_t max) {
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t v;
        size_t k;
        if (c < 0x80)
            v = c, k = 1;
        else if ((c & 0xE0) == 0xC0)
            v = c & 0x1F, k = 2;
        else if ((c & 0xF0) == 0xE0)
            v = c & 0x0F, k = 3;
        else
            v = c & 0x07, k = 4;
        for (size_t j = 1; j < k && i + j < len; j++)
            v = (v << 6) | ((unsigned char)s[i + j] & 0x3F);
        if (n == max)
            return max + 1;
        cp[n++] = v;
        i += k;
    }
    return n;
}

/* Edit distance (insert, delete, substitute, swap of neighbours) of a and b,
 * or limit + 1 when it is above limit. */
static unsigned edit_distance(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                              unsigned limit) {
    unsigned d[MAX_CP + 1][MAX_CP + 1];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = (unsigned)i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned row_min = limit + 1;
        for (size_t j = 1; j <= nb; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min > limit)
            return limit + 1;
    }
    return d[na][nb];
}

/* State of the search for the closest word of the index. */
typedef struct closest {
    uint32_t target[MAX_CP];
    size_t n_target;
    char *best; /* the best term so far (malloc'ed) */
    unsigned best_dist;
    uint32_t best_freq;
    bool nomem;
} closest_t;

/* fg_index_terms() callback: keeps the closest term (distance 1 or 2; ties
 * by more documents). */
static int on_term(void *ctx, const char *term, size_t len, uint32_t freq) {
    closest_t *c = ctx;
    uint32_t cp[MAX_CP];
    size_t n = utf8_decode(term, len, cp, MAX_CP);
    if (n > MAX_CP || n + 2 < c->n_target || n > c->n_target + 2)
        return 0;
    unsigned d = edit_distance(c->target, c->n_target, cp, n, 2);
    if (d == 0 || d > 2)
        return 0;
    if (c->best && (d > c->best_dist || (d == c->best_dist && freq <= c->best_freq)))
        return 0;
    char *copy = strndup(term, len);
    if (!copy) {
        c->nomem = true;
        return 1;
    }
    free(c->best);
    c->best = copy;
    c->best_dist = d;
    c->best_freq = freq;
    return 0;
}

/* Sets *found when some document has the term prefix + word (never when it
 * cannot be a term).  Returns FG_OK or the index's error. */
static fg_status_t term_exists(fg_handle_t *h, const char *prefix, const char *word, bool *found) {
    char buf[FG_TERM_MAX + 8];
    uint32_t n = 0;
    int len = snprintf(buf, sizeof buf, "%s%s", prefix, word);
    if (len < 0 || (size_t)len >= sizeof buf)
        return FG_OK;
    fg_status_t st = fg_index_term_freq(h->index, buf, &n);
    *found = n > 0;
    return st;
}

/* Sets *found when the word w matches some document one way or another
 * (folded, weak variant, stem, compound part; looked up in that order until
 * one matches); a word found nowhere asks for a suggestion. */
static fg_status_t word_matches(fg_handle_t *h, const fg_qword_t *w, bool *found) {
    *found = false;
    fg_status_t st = term_exists(h, FG_PREFIX_EXACT, w->term, found);
    if (st == FG_OK && !*found)
        st = term_exists(h, FG_PREFIX_WEAK, w->term, found);
    if (st == FG_OK && !*found && w->stem)
        st = term_exists(h, FG_PREFIX_STEM, w->stem, found);
    if (st == FG_OK && !*found && w->stem)
        st = term_exists(h, FG_PREFIX_PART, w->stem, found);
    return st;
}

/* Appends s[0..n) to a growing string; false when memory ran out. */
static bool sb_put(char **buf, size_t *len, const char *s, size_t n) {
    char *p = realloc(*buf, *len + n + 1);
    if (!p)
        return false;
    memcpy(p + *len, s, n);
    *len += n;
    p[*len] = '\0';
    *buf = p;
    return true;
}

/* Appends the suggested word, with a capital first letter when the query
 * word had one (ASCII letters and ä ö ü). */
static bool put_word(char **buf, size_t *len, const char *orig, const char *word) {
    char first[3] = {0};
    size_t skip = 0;
    unsigned char o0 = (unsigned char)orig[0], o1 = (unsigned char)orig[1];
    bool upper =
        (o0 >= 'A' && o0 <= 'Z') || (o0 == 0xC3 && (o1 == 0x84 || o1 == 0x96 || o1 == 0x9C));
    unsigned char w0 = (unsigned char)word[0], w1 = (unsigned char)word[1];
    if (upper && w0 >= 'a' && w0 <= 'z') {
        first[0] = (char)(w0 - 'a' + 'A');
        skip = 1;
    } else if (upper && w0 == 0xC3 && (w1 == 0xA4 || w1 == 0xB6 || w1 == 0xBC)) {
        first[0] = (char)0xC3;
        first[1] = (char)(w1 - 0x20);
        skip = 2;
    }
    return sb_put(buf, len, first, skip) && sb_put(buf, len, word + skip, strlen(word + skip));
}

/*
 * The query text with every plain word that matches nothing in the index
 * replaced by the closest word of the index (edit distance at most 2, same
 * first letter, the most frequent among equally close ones); *out NULL when
 * no word was replaced.
 */
fg_status_t fg_plugin_suggest(fg_handle_t *h, const char *text, const fg_termset_t *ts,
                              char **out) {
    *out = NULL;
    char *buf = NULL;
    size_t len = 0, done = 0;
    bool changed = false;
    for (size_t i = 0; i < ts->n_words; i++) {
        const fg_qword_t *w = &ts->words[i];
        bool found = false;
        fg_status_t mst = word_matches(h, w, &found);
        if (mst != FG_OK) {
            free(buf);
            return mst;
        }
        if (found)
            continue;
        closest_t c = {0};
        c.n_target = utf8_decode(w->term, strlen(w->term), c.target, MAX_CP);
        if (c.n_target < 3 || c.n_target > MAX_CP)
            continue;
        char first[5] = {0};
        size_t fl = 1;
        unsigned char b0 = (unsigned char)w->term[0];
        if (b0 >= 0xC0)
            fl = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2;
        memcpy(first, w->term, fl);
        fg_status_t st = fg_index_terms(h->index, first, on_term, &c);
        if (c.nomem)
            st = FG_NOMEM;
        if (st == FG_OK && c.best) {
            if (!sb_put(&buf, &len, text + done, w->offset - done) ||
                !put_word(&buf, &len, text + w->offset, c.best))
                st = FG_NOMEM;
            done = w->offset + w->length;
            changed = true;
        }
        free(c.best);
        if (st != FG_OK) {
            free(buf);
            return st;
        }
    }
    if (!changed)
        return FG_OK;
    if (!sb_put(&buf, &len, text + done, strlen(text + done))) {
        free(buf);
        return FG_NOMEM;
    }
    *out = buf;
    return FG_OK;
}
