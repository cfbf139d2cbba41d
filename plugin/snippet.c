/*
 * snippet.c - best passage with highlighted matches (see snippet.h).
 */
#include "plugin/snippet.h"

#include <stdlib.h>
#include <string.h>

#define MAX_MATCHES 4096

/* One matched word in the text. */
typedef struct match {
    size_t offset, length;
    size_t word;   /* index of the distinct query word it matched */
} match_t;

/* State of the matching pass. */
typedef struct scan {
    const fg_termset_t *ts;
    match_t *m;
    size_t n;
    const char **words;   /* distinct matched forms (folded or stem), borrowed */
    char **owned;         /* copies of those forms */
    size_t n_words;
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
    if (s->n > 0 && s->m[s->n - 1].offset == tok->offset)
        return 0;
    size_t id = word_id(s, tok->stem ? tok->stem : tok->term);
    if (s->nomem)
        return 1;
    s->m[s->n++] = (match_t){tok->offset, tok->length, id};
    return s->n == MAX_MATCHES;
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

/* Builds the snippet (see snippet.h). */
fg_status_t fg_snippet_make(fg_analyzer_t *a, const fg_termset_t *ts, const char *text,
                            size_t len, size_t length, const char *hl_start, const char *hl_end,
                            bool html, char **out) {
    *out = NULL;
    scan_t s = {.ts = ts};
    s.m = malloc(MAX_MATCHES * sizeof *s.m);
    if (!s.m)
        return FG_NOMEM;
    if (fg_analyze(a, text, len, 1, on_token, &s, NULL) == FG_ANALYZE_NOMEM)
        s.nomem = true;
    out_t o = {0};
    if (s.nomem)
        goto done;

    size_t first = 0;
    size_t start = best_window(&s, length, &first);
    /* lead in a little context before the first match */
    size_t lead = length / 5;
    if (s.n) {
        start = start > lead ? start - lead : 0;
        size_t win_end = start + length;
        /* if the matches end early, show more before them */
        size_t last = first;
        while (last + 1 < s.n && s.m[last + 1].offset + s.m[last + 1].length <= win_end)
            last++;
        size_t used = s.m[last].offset + s.m[last].length;
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

    bool last_space = false;
    bool cut_before = false, cut_after = false;
    for (size_t i = 0; i < start && !cut_before; i++)
        cut_before = !is_space(text[i]);
    for (size_t i = end; i < len && !cut_after; i++)
        cut_after = !is_space(text[i]);
    if (cut_before)
        put(&o, "\xE2\x80\xA6", 3);
    size_t p = start;
    for (size_t i = 0; i < s.n; i++) {
        const match_t *m = &s.m[i];
        if (m->offset < p || m->offset + m->length > end)
            continue;
        put_text(&o, text + p, m->offset - p, html, &last_space);
        put(&o, hl_start, strlen(hl_start));
        put_text(&o, text + m->offset, m->length, html, &last_space);
        put(&o, hl_end, strlen(hl_end));
        p = m->offset + m->length;
    }
    put_text(&o, text + p, end - p, html, &last_space);
    if (cut_after)
        put(&o, "\xE2\x80\xA6", 3);
    if (!o.s)
        put(&o, "", 0);
done:
    for (size_t i = 0; i < s.n_words; i++)
        free(s.owned[i]);
    free(s.owned);
    free(s.m);
    if (s.nomem || o.nomem) {
        free(o.s);
        return FG_NOMEM;
    }
    *out = o.s;
    return FG_OK;
}
