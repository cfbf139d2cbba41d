/*
 * query_expand.c - term expansion: a word of the query -> the weighted terms
 * it is looked for as (see query-private.h).
 *
 * Which terms a token gives, and at which weight, is the table of
 * index/termkinds.h, the one the document builder indexes by: the query looks
 * for the terms the index writes.  Phrases and NEAR use the kind that carries
 * positions, title: the kinds of the title field.
 */
#include "plugin/query-private.h"

#include "index/termkinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ building */

/* A term query, or NULL after recording the failure. */
fg_xquery_t *fg_qx_term(parser_t *p, const char *prefix, const char *word) {
    char buf[FG_TERM_MAX + 8];
    int n = snprintf(buf, sizeof buf, "%s%s", prefix, word);
    if (n < 0 || (size_t)n >= sizeof buf)
        return NULL; /* too long to be in the index */
    fg_xquery_t *q = NULL;
    fg_status_t st = fg_xquery_term(buf, (size_t)n, 1, &q);
    if (st != FG_OK)
        fg_qp_fail(p, st, "building the query");
    return q;
}

/* Combines subs[0..n) (NULLs skipped) with op and frees them.  Returns NULL
 * when none was left; a single one is returned as it is unless op needs
 * several (PHRASE, NEAR keep their meaning with one). */
fg_xquery_t *fg_qx_combine(parser_t *p, fg_xquery_op_t op, fg_xquery_t **subs, size_t n,
                           uint32_t window) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (subs[i])
            subs[k++] = subs[i];
    if (k == 0)
        return NULL;
    if (k == 1)
        return subs[0];
    fg_xquery_t *q = NULL;
    fg_status_t st = p->status == FG_OK ? fg_xquery_combine(op, subs, k, window, &q) : FG_OK;
    if (st != FG_OK)
        fg_qp_fail(p, st, "building the query");
    for (size_t i = 0; i < k; i++)
        fg_xquery_free(subs[i]);
    return q;
}

/* Appends q (NULL is skipped); frees q and records NOMEM on failure. */
void fg_qlist_add(parser_t *p, qlist_t *l, fg_xquery_t *q) {
    if (!q)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        fg_xquery_t **nq = realloc(l->q, cap * sizeof *nq);
        if (!nq) {
            fg_xquery_free(q);
            fg_qp_fail(p, FG_NOMEM, "building the query");
            return;
        }
        l->q = nq;
        l->cap = cap;
    }
    l->q[l->n++] = q;
}

/* ------------------------------------------------------------ analysis */

/* Tokens of one word or phrase, copied out of the analyzer's callback. */
typedef struct tokbuf {
    struct {
        char *term;
        char *stem;
        unsigned flags;
    } * t;
    size_t n, cap;
    bool nomem;
} tokbuf_t;

/* fg_analyze() callback: copies each token into a tokbuf. */
static int collect(void *ctx, const fg_token_t *tok) {
    tokbuf_t *b = ctx;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        void *np = realloc(b->t, cap * sizeof *b->t);
        if (!np) {
            b->nomem = true;
            return 1;
        }
        b->t = np;
        b->cap = cap;
    }
    b->t[b->n].term = strdup(tok->term);
    b->t[b->n].stem = tok->stem && !(tok->flags & FG_TOKEN_STOP) ? strdup(tok->stem) : NULL;
    b->t[b->n].flags = tok->flags;
    if (!b->t[b->n].term || (tok->stem && !(tok->flags & FG_TOKEN_STOP) && !b->t[b->n].stem)) {
        free(b->t[b->n].term);
        free(b->t[b->n].stem);
        b->nomem = true;
        return 1;
    }
    b->n++;
    return 0;
}

/* Frees a tokbuf. */
static void tokbuf_free(tokbuf_t *b) {
    for (size_t i = 0; i < b->n; i++) {
        free(b->t[i].term);
        free(b->t[i].stem);
    }
    free(b->t);
}

/* Analyses s[0..n) into b; false (status set) on failure. */
static bool analyse(parser_t *p, const char *s, size_t n, tokbuf_t *b) {
    memset(b, 0, sizeof *b);
    if (fg_analyze(p->a, s, n, 1, collect, b, NULL) == FG_ANALYZE_NOMEM)
        b->nomem = true;
    if (b->nomem) {
        fg_qp_fail(p, FG_NOMEM, "analysing the query");
        return false;
    }
    return true;
}

/* Records a token's word and stem for highlighting. */
void fg_qx_remember(parser_t *p, const char *word, const char *stem) {
    fg_termset_t *ts = p->terms;
    if (!fg_strarr_add(&ts->exact, &ts->n_exact, &ts->cap_exact, word) ||
        (stem && !fg_strarr_add(&ts->stems, &ts->n_stems, &ts->cap_stems, stem)))
        fg_qp_fail(p, FG_NOMEM, "analysing the query");
}

/* Scales q by factor (1: as it is; 0: dropped) and frees the original. */
static fg_xquery_t *scaled(parser_t *p, fg_xquery_t *q, double factor) {
    if (!q || factor == 1.0)
        return q;
    fg_xquery_t *out = NULL;
    if (factor > 0 && p->status == FG_OK) {
        fg_status_t st = fg_xquery_scale(q, factor, &out);
        if (st != FG_OK)
            fg_qp_fail(p, st, "building the query");
    }
    fg_xquery_free(q);
    return out;
}

/* The [ranking] weight named way. */
static double way_weight(const fg_rank_weights_t *w, fg_rank_way_t way) {
    switch (way) {
    case FG_WAY_EXACT: return w->exact;
    case FG_WAY_STEM: return w->stem;
    case FG_WAY_TITLE: return w->title;
    case FG_WAY_LEAD: return w->lead;
    case FG_WAY_PART: return w->part;
    case FG_WAY_QPART: return w->qpart;
    case FG_WAY_WEAK: return w->weak;
    case FG_WAY_NONE: break;
    }
    return 1.0;
}

/* The term of kind tk made of the form src of a token (NULL: none). */
static fg_xquery_t *kind_term(parser_t *p, const fg_termkind_t *tk, fg_term_source_t src,
                              const char *word, const char *stem) {
    if (src == FG_SRC_NONE)
        return NULL;
    return fg_qx_term(p, tk->prefix, src == FG_SRC_STEM ? stem : word);
}

/*
 * The ways one query token of class cls matches, from the table of
 * index/termkinds.h, into subs (room for FG_TK_COUNT); returns how many
 * entries it wrote (NULLs included).  A word's terms are each scaled by the
 * weight of their kind (0: left out); the terms of a part or weak variant
 * are left for the caller to scale together.
 */
static size_t token_ways(parser_t *p, fg_term_class_t cls, const char *word, const char *stem,
                         fg_xquery_t **subs) {
    size_t n = 0;
    for (size_t k = 0; k < FG_TK_COUNT; k++) {
        const fg_termkind_t *tk = &fg_termkinds[k];
        fg_term_source_t src = fg_termkind_query_source(tk, cls, stem != NULL);
        if (src == FG_SRC_NONE)
            continue;
        if (cls != FG_TC_WORD) {
            subs[n++] = kind_term(p, tk, src, word, stem);
            continue;
        }
        double factor = way_weight(p->w, tk->weight);
        subs[n++] = factor <= 0 ? NULL : scaled(p, kind_term(p, tk, src, word, stem), factor);
    }
    return n;
}

/* The ways of a part or weak variant OR-ed (not yet scaled). */
static fg_xquery_t *class_query(parser_t *p, fg_term_class_t cls, const char *word,
                                const char *stem) {
    fg_xquery_t *ways[FG_TK_COUNT];
    size_t n = token_ways(p, cls, word, stem, ways);
    return fg_qx_combine(p, FG_XQ_OR, ways, n, 0);
}

/*
 * The query for the word token b->t[i] and the compound parts and variants
 * that follow it (up to end): every way the word matches, its non-weak
 * variants like the word, weak variants at the weak weight, and the parts of
 * a compound (as words or as parts of document compounds), together at the
 * qpart weight.
 */
static fg_xquery_t *token_query(parser_t *p, tokbuf_t *b, size_t i, size_t end, bool positive) {
    double qpart = way_weight(p->w, fg_term_class_weight(FG_TC_PART));
    double weak = way_weight(p->w, fg_term_class_weight(FG_TC_WEAK));
    size_t cap = FG_TK_COUNT * (end - i + 1), n = 0, np = 0;
    fg_xquery_t **subs = calloc(cap, sizeof *subs), **parts = calloc(cap, sizeof *parts);
    fg_xquery_t *q = NULL;
    if (!subs || !parts) {
        fg_qp_fail(p, FG_NOMEM, "building the query");
        goto out;
    }
    for (size_t j = i; j < end; j++) {
        const char *t = b->t[j].term, *stem = b->t[j].stem;
        /* the first token is the word itself */
        fg_term_class_t cls = j == i ? FG_TC_WORD : fg_term_class_of(b->t[j].flags);
        if (positive && cls != FG_TC_WEAK)
            fg_qx_remember(p, t, stem);
        if (cls == FG_TC_PART)
            parts[np++] = class_query(p, cls, t, stem);
        else if (cls == FG_TC_WEAK)
            subs[n++] = scaled(p, class_query(p, cls, t, stem), weak);
        else
            n += token_ways(p, cls, t, stem, subs + n);
    }
    if (np && qpart > 0)
        subs[n++] = scaled(p, fg_qx_combine(p, FG_XQ_OR, parts, np, 0), qpart);
    else
        for (size_t k = 0; k < np; k++)
            fg_xquery_free(parts[k]);
    q = fg_qx_combine(p, FG_XQ_OR, subs, n, 0);
out:
    free(subs);
    free(parts);
    return q;
}

/* Index after the word token at i and the parts and variants that belong to it. */
static size_t group_end(const tokbuf_t *b, size_t i) {
    size_t j = i + 1;
    while (j < b->n && (b->t[j].flags & (FG_TOKEN_COMPOUND_PART | FG_TOKEN_VARIANT)))
        j++;
    return j;
}

/* The positional term of a token inside a phrase: the kind of term that
 * carries a body word's positions (its stem, else its folded form). */
static fg_xquery_t *phrase_term(parser_t *p, const char *word, const char *stem, bool positive) {
    if (positive)
        fg_qx_remember(p, word, stem);
    const fg_termkind_t *tk = fg_termkind_positional(stem != NULL);
    return kind_term(p, tk, stem ? FG_SRC_STEM : FG_SRC_FOLDED, word, stem);
}

/* A phrase of the tokens of b except joined forms. */
static fg_xquery_t *phrase_of(parser_t *p, tokbuf_t *b, bool positive) {
    fg_xquery_t **subs = calloc(b->n ? b->n : 1, sizeof *subs);
    if (!subs) {
        fg_qp_fail(p, FG_NOMEM, "building the query");
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++)
        if (!(b->t[i].flags & (FG_TOKEN_JOINED | FG_TOKEN_COMPOUND_PART | FG_TOKEN_VARIANT)))
            subs[k++] = phrase_term(p, b->t[i].term, b->t[i].stem, positive);
    fg_xquery_t *q = fg_qx_combine(p, FG_XQ_PHRASE, subs, k, 0);
    free(subs);
    return q;
}

/* The query for a quoted phrase (see query-private.h): a single word (with
 * its parts and variants) is searched as a word, else a phrase. */
fg_xquery_t *fg_qx_phrase(parser_t *p, const char *s, size_t n, bool positive) {
    tokbuf_t b;
    fg_xquery_t *q = NULL;
    if (analyse(p, s, n, &b))
        q = b.n > 0 && group_end(&b, 0) == b.n ? token_query(p, &b, 0, b.n, positive)
                                               : phrase_of(p, &b, positive);
    tokbuf_free(&b);
    return q;
}

/*
 * The query for a word of the query text.  One token: token_query().  Several
 * (a hyphenated word, "a/b"): each part OR-ed with the joined form, so that
 * "Festplatten-Partitionstabelle" also finds "Partitionstabelle" alone.
 * *all_stop is set when every token is a stop word.
 */
fg_xquery_t *fg_qx_word(parser_t *p, const char *s, size_t n, bool positive, bool *all_stop) {
    tokbuf_t b;
    *all_stop = false;
    if (!analyse(p, s, n, &b))
        return NULL;
    fg_xquery_t *q = NULL;
    fg_xquery_t **subs = calloc(b.n ? b.n : 1, sizeof *subs);
    if (!subs) {
        fg_qp_fail(p, FG_NOMEM, "building the query");
    } else {
        size_t k = 0, words = 0, stops = 0;
        for (size_t i = 0; i < b.n; i = group_end(&b, i)) {
            words++;
            stops += (b.t[i].flags & FG_TOKEN_STOP) != 0;
            subs[k++] = token_query(p, &b, i, group_end(&b, i), positive);
        }
        *all_stop = words > 0 && stops == words;
        if (positive && words == 1 && stops == 0 && !(b.t[0].flags & FG_TOKEN_NUMBER) &&
            !fg_qword_add(p->terms, (size_t)(s - p->text), n, b.t[0].term, b.t[0].stem))
            fg_qp_fail(p, FG_NOMEM, "analysing the query");
        q = fg_qx_combine(p, FG_XQ_OR, subs, k, 0);
        free(subs);
    }
    tokbuf_free(&b);
    return q;
}

/* Appends the positional terms of s[0..n) (stems, else folded forms) to l. */
void fg_qx_near_terms(parser_t *p, const char *s, size_t n, bool positive, qlist_t *l) {
    tokbuf_t b;
    if (!analyse(p, s, n, &b))
        return;
    for (size_t i = 0; i < b.n; i++)
        if (!(b.t[i].flags & (FG_TOKEN_JOINED | FG_TOKEN_COMPOUND_PART | FG_TOKEN_VARIANT)))
            fg_qlist_add(p, l, phrase_term(p, b.t[i].term, b.t[i].stem, positive));
    tokbuf_free(&b);
}

/* ------------------------------------------------------------ title: */

/* The terms the index writes for a title word (folded and stem), OR-ed. */
static fg_xquery_t *title_ways(parser_t *p, const char *word, const char *stem) {
    fg_xquery_t *ways[FG_TK_COUNT];
    size_t n = 0;
    for (size_t k = 0; k < FG_TK_COUNT; k++) {
        const fg_termkind_t *tk = &fg_termkinds[k];
        fg_term_source_t src =
            fg_termkind_index_source(tk, FG_TC_WORD, FG_FIELD_TITLE, stem != NULL);
        if (src != FG_SRC_NONE)
            ways[n++] = kind_term(p, tk, src, word, stem);
    }
    return fg_qx_combine(p, FG_XQ_OR, ways, n, 0);
}

/* title:value: each word of value among the title words (folded or stem). */
fg_xquery_t *fg_qx_title(parser_t *p, const char *s, size_t n, bool positive) {
    tokbuf_t b;
    if (!analyse(p, s, n, &b))
        return NULL;
    fg_xquery_t **subs = calloc(b.n ? b.n : 1, sizeof *subs);
    fg_xquery_t *q = NULL;
    if (!subs) {
        fg_qp_fail(p, FG_NOMEM, "building the query");
        goto out;
    }
    size_t k = 0, stops = 0, all = 0;
    for (int pass = 0; pass < 2 && k == 0; pass++) {
        for (size_t i = 0; i < b.n; i++) {
            unsigned f = b.t[i].flags;
            if (f & (FG_TOKEN_JOINED | FG_TOKEN_COMPOUND_PART | FG_TOKEN_VARIANT))
                continue;
            all++;
            if (pass == 0 && (f & FG_TOKEN_STOP)) {
                stops++;
                continue;
            }
            if (positive)
                fg_qx_remember(p, b.t[i].term, b.t[i].stem);
            subs[k++] = title_ways(p, b.t[i].term, b.t[i].stem);
        }
    }
    q = fg_qx_combine(p, FG_XQ_AND, subs, k, 0);
out:
    free(subs);
    tokbuf_free(&b);
    return q;
}
