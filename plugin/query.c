/*
 * query.c - the query language -> Xapian query (see query.h).
 *
 * A recursive-descent parser over a small lexer.  Each parse function returns
 * an fg_xquery_t (NULL: nothing searchable, e.g. a stop word) and the caller
 * combines them; fg_xquery_combine() copies its inputs, so each level frees
 * what it combined.
 */
#include "plugin/query.h"

#include "feed/docbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ weights */

/* Default weights (see query.h). */
void fg_rank_weights_default(fg_rank_weights_t *w) {
    w->exact = 1.0;
    w->stem = 1.0;
    w->title = 0.5;
    w->lead = 1.0;
    w->part = 0.5;
    w->qpart = 0.5;
    w->weak = 0.3;
}

/* ------------------------------------------------------------ term set */

/* Adds a copy of s to a string array unless it is there already. */
static bool strarr_add(char ***arr, size_t *n, size_t *cap, const char *s) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i], s) == 0)
            return true;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        char **p = realloc(*arr, ncap * sizeof *p);
        if (!p)
            return false;
        *arr = p;
        *cap = ncap;
    }
    (*arr)[*n] = strdup(s);
    if (!(*arr)[*n])
        return false;
    (*n)++;
    return true;
}

/* Frees a term set (see query.h). */
void fg_termset_free(fg_termset_t *ts) {
    for (size_t i = 0; i < ts->n_exact; i++)
        free(ts->exact[i]);
    for (size_t i = 0; i < ts->n_stems; i++)
        free(ts->stems[i]);
    free(ts->exact);
    free(ts->stems);
    memset(ts, 0, sizeof *ts);
}

/* True when term or stem is in the set (see query.h). */
bool fg_termset_matches(const fg_termset_t *ts, const char *term, const char *stem) {
    for (size_t i = 0; i < ts->n_exact; i++)
        if (strcmp(ts->exact[i], term) == 0)
            return true;
    if (stem)
        for (size_t i = 0; i < ts->n_stems; i++)
            if (strcmp(ts->stems[i], stem) == 0)
                return true;
    return false;
}

/* ------------------------------------------------------------ lexer */

typedef enum tok_type {
    T_END,
    T_WORD,
    T_PHRASE,
    T_LPAREN,
    T_RPAREN,
    T_AND,
    T_OR,
    T_NOT,
    T_PLUS,
    T_MINUS
} tok_type_t;

typedef struct parser {
    fg_analyzer_t *a;
    const fg_rank_weights_t *w;
    fg_termset_t *terms;
    const char *text;
    size_t pos;          /* lexer position */
    tok_type_t type;     /* current token */
    const char *tok;     /* its text (words and phrases) */
    size_t tok_len;
    int depth;           /* open parentheses */
    fg_status_t status;
    char *msg;
    size_t msglen;
} parser_t;

/* Sets a warning (the first one wins). */
static void warn(parser_t *p, const char *what) {
    if (p->msg[0] == '\0')
        snprintf(p->msg, p->msglen, "%s", what);
}

/* True for the bytes that end a word. */
static bool is_break(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '(' || ch == ')' ||
           ch == '"' || ch == '\0';
}

/* True when the word at s of length n is the operator op. */
static bool word_is(const char *s, size_t n, const char *op) {
    return strlen(op) == n && memcmp(s, op, n) == 0;
}

/* Reads the next token into p. */
static void next(parser_t *p) {
    const char *t = p->text;
    while (t[p->pos] == ' ' || t[p->pos] == '\t' || t[p->pos] == '\n' || t[p->pos] == '\r')
        p->pos++;
    char ch = t[p->pos];
    p->tok = t + p->pos;
    p->tok_len = 0;
    if (ch == '\0') {
        p->type = T_END;
    } else if (ch == '(') {
        p->type = T_LPAREN;
        p->pos++;
    } else if (ch == ')') {
        p->type = T_RPAREN;
        p->pos++;
    } else if (ch == '"' || (ch == '\xE2' && t[p->pos + 1] == '\x80' &&
                             (t[p->pos + 2] == '\x9E' || t[p->pos + 2] == '\x9C'))) {
        /* "..." or the German quotes „..." / “...” */
        p->pos += ch == '"' ? 1 : 3;
        size_t start = p->pos;
        while (t[p->pos] && t[p->pos] != '"' &&
               !(t[p->pos] == '\xE2' && t[p->pos + 1] == '\x80' &&
                 (t[p->pos + 2] == '\x9C' || t[p->pos + 2] == '\x9D')))
            p->pos++;
        p->type = T_PHRASE;
        p->tok = t + start;
        p->tok_len = p->pos - start;
        if (t[p->pos] == '"')
            p->pos++;
        else if (t[p->pos])
            p->pos += 3;
        else
            warn(p, "unclosed quote: the phrase runs to the end of the query");
    } else if ((ch == '+' || ch == '-') && !is_break(t[p->pos + 1]) && t[p->pos + 1] != '+' &&
               t[p->pos + 1] != '-') {
        p->type = ch == '+' ? T_PLUS : T_MINUS;
        p->pos++;
    } else {
        size_t start = p->pos;
        while (!is_break(t[p->pos]))
            p->pos++;
        p->tok = t + start;
        p->tok_len = p->pos - start;
        const char *w = p->tok;
        size_t n = p->tok_len;
        if (word_is(w, n, "AND") || word_is(w, n, "UND"))
            p->type = T_AND;
        else if (word_is(w, n, "OR") || word_is(w, n, "ODER"))
            p->type = T_OR;
        else if (word_is(w, n, "NOT") || word_is(w, n, "NICHT"))
            p->type = T_NOT;
        else
            p->type = T_WORD;
    }
}

/* ------------------------------------------------------------ building */

/* Records a failure; the first one wins. */
static void fail(parser_t *p, fg_status_t st, const char *what) {
    if (p->status == FG_OK) {
        p->status = st;
        snprintf(p->msg, p->msglen, "%s: %s", what, fg_status_str(st));
    }
}

/* A term query, or NULL after recording the failure. */
static fg_xquery_t *term(parser_t *p, const char *prefix, const char *word) {
    char buf[FG_TERM_MAX + 8];
    int n = snprintf(buf, sizeof buf, "%s%s", prefix, word);
    if (n < 0 || (size_t)n >= sizeof buf)
        return NULL; /* too long to be in the index */
    fg_xquery_t *q = NULL;
    fg_status_t st = fg_xquery_term(buf, (size_t)n, 1, &q);
    if (st != FG_OK)
        fail(p, st, "building the query");
    return q;
}

/* Combines subs[0..n) (NULLs skipped) with op and frees them.  Returns NULL
 * when none was left; a single one is returned as it is unless op needs
 * several (PHRASE, NEAR keep their meaning with one). */
static fg_xquery_t *combine(parser_t *p, fg_xquery_op_t op, fg_xquery_t **subs, size_t n,
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
        fail(p, st, "building the query");
    for (size_t i = 0; i < k; i++)
        fg_xquery_free(subs[i]);
    return q;
}

/* Tokens of one word or phrase, copied out of the analyzer's callback. */
typedef struct tokbuf {
    struct {
        char *term;
        char *stem;
        unsigned flags;
    } *t;
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
        fail(p, FG_NOMEM, "analysing the query");
        return false;
    }
    return true;
}

/* Records a token's word and stem for highlighting. */
static void remember(parser_t *p, const char *word, const char *stem) {
    fg_termset_t *ts = p->terms;
    if (!strarr_add(&ts->exact, &ts->n_exact, &ts->cap_exact, word) ||
        (stem && !strarr_add(&ts->stems, &ts->n_stems, &ts->cap_stems, stem)))
        fail(p, FG_NOMEM, "analysing the query");
}

/* Scales q by factor (1: as it is; 0: dropped) and frees the original. */
static fg_xquery_t *scaled(parser_t *p, fg_xquery_t *q, double factor) {
    if (!q || factor == 1.0)
        return q;
    fg_xquery_t *out = NULL;
    if (factor > 0 && p->status == FG_OK) {
        fg_status_t st = fg_xquery_scale(q, factor, &out);
        if (st != FG_OK)
            fail(p, st, "building the query");
    }
    fg_xquery_free(q);
    return out;
}

/* A term query scaled by factor; NULL when factor is 0. */
static fg_xquery_t *wterm(parser_t *p, const char *prefix, const char *word, double factor) {
    return factor > 0 ? scaled(p, term(p, prefix, word), factor) : NULL;
}

/* The ways one word token matches: exact, stem, title, lead, compound part, weak. */
static size_t word_ways(parser_t *p, const char *word, const char *stem, fg_xquery_t **subs) {
    const fg_rank_weights_t *w = p->w;
    size_t n = 0;
    subs[n++] = wterm(p, "", word, w->exact);
    subs[n++] = wterm(p, FG_PREFIX_WEAK, word, w->weak);
    if (stem) {
        subs[n++] = wterm(p, "Z", stem, w->stem);
        subs[n++] = wterm(p, "ZS", stem, w->title);
        subs[n++] = wterm(p, FG_PREFIX_LEAD, stem, w->lead);
        subs[n++] = wterm(p, FG_PREFIX_PART, stem, w->part);
    } else {
        subs[n++] = wterm(p, "S", word, w->title);
        subs[n++] = wterm(p, FG_PREFIX_PART, word, w->part);
    }
    return n;
}

/*
 * The query for the word token b->t[i] and the compound parts and variants
 * that follow it (up to end): every way the word matches, its non-weak
 * variants like the word, weak variants at the weak weight, and the parts of
 * a compound (as words or as parts of document compounds) at the part weight.
 */
static fg_xquery_t *token_query(parser_t *p, tokbuf_t *b, size_t i, size_t end, bool positive) {
    const fg_rank_weights_t *w = p->w;
    size_t cap = 8 * (end - i) + 8, n = 0, np = 0;
    fg_xquery_t **subs = calloc(cap, sizeof *subs), **parts = calloc(cap, sizeof *parts);
    fg_xquery_t *q = NULL;
    if (!subs || !parts) {
        fail(p, FG_NOMEM, "building the query");
        goto out;
    }
    if (positive)
        remember(p, b->t[i].term, b->t[i].stem);
    n += word_ways(p, b->t[i].term, b->t[i].stem, subs + n);
    for (size_t j = i + 1; j < end; j++) {
        const char *t = b->t[j].term, *stem = b->t[j].stem;
        unsigned f = b->t[j].flags;
        if (f & FG_TOKEN_COMPOUND_PART) {
            if (positive)
                remember(p, t, stem);
            fg_xquery_t *ways[2] = {stem ? term(p, "Z", stem) : term(p, "", t),
                                    term(p, FG_PREFIX_PART, stem ? stem : t)};
            parts[np++] = combine(p, FG_XQ_OR, ways, 2, 0);
        } else if (f & FG_TOKEN_WEAK) {
            fg_xquery_t *ways[2] = {term(p, "", t), term(p, FG_PREFIX_WEAK, t)};
            subs[n++] = scaled(p, combine(p, FG_XQ_OR, ways, 2, 0), w->weak);
        } else {
            if (positive)
                remember(p, t, stem);
            n += word_ways(p, t, stem, subs + n);
        }
    }
    if (np && w->qpart > 0)
        subs[n++] = scaled(p, combine(p, FG_XQ_OR, parts, np, 0), w->qpart);
    else
        for (size_t k = 0; k < np; k++)
            fg_xquery_free(parts[k]);
    q = combine(p, FG_XQ_OR, subs, n, 0);
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

/* The positional term of a token inside a phrase: its stem, else its folded form. */
static fg_xquery_t *phrase_term(parser_t *p, const char *word, const char *stem, bool positive) {
    if (positive)
        remember(p, word, stem);
    return stem ? term(p, "Z", stem) : term(p, "", word);
}

/* A phrase of the tokens of b except joined forms. */
static fg_xquery_t *phrase_of(parser_t *p, tokbuf_t *b, bool positive) {
    fg_xquery_t **subs = calloc(b->n ? b->n : 1, sizeof *subs);
    if (!subs) {
        fail(p, FG_NOMEM, "building the query");
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < b->n; i++)
        if (!(b->t[i].flags & (FG_TOKEN_JOINED | FG_TOKEN_COMPOUND_PART | FG_TOKEN_VARIANT)))
            subs[k++] = phrase_term(p, b->t[i].term, b->t[i].stem, positive);
    fg_xquery_t *q = combine(p, FG_XQ_PHRASE, subs, k, 0);
    free(subs);
    return q;
}

/*
 * The query for a word of the query text.  One token: token_query().  Several
 * (a hyphenated word, "a/b"): each part OR-ed with the joined form, so that
 * "Festplatten-Partitionstabelle" also finds "Partitionstabelle" alone.
 * *all_stop is set when every token is a stop word.
 */
static fg_xquery_t *word_query(parser_t *p, const char *s, size_t n, bool positive,
                               bool *all_stop) {
    tokbuf_t b;
    *all_stop = false;
    if (!analyse(p, s, n, &b))
        return NULL;
    fg_xquery_t *q = NULL;
    fg_xquery_t **subs = calloc(b.n ? b.n : 1, sizeof *subs);
    if (!subs) {
        fail(p, FG_NOMEM, "building the query");
    } else {
        size_t k = 0, words = 0, stops = 0;
        for (size_t i = 0; i < b.n; i = group_end(&b, i)) {
            words++;
            stops += (b.t[i].flags & FG_TOKEN_STOP) != 0;
            subs[k++] = token_query(p, &b, i, group_end(&b, i), positive);
        }
        *all_stop = words > 0 && stops == words;
        q = combine(p, FG_XQ_OR, subs, k, 0);
        free(subs);
    }
    tokbuf_free(&b);
    return q;
}

/* ------------------------------------------------------------ parser */

static fg_xquery_t *parse_or(parser_t *p);

/* An item that an operator can not do without: match everything. */
static fg_xquery_t *match_all(parser_t *p) {
    fg_xquery_t *q = NULL;
    fg_status_t st = fg_xquery_match_all(&q);
    if (st != FG_OK)
        fail(p, st, "building the query");
    return q;
}

/* primary := '(' or ')' | PHRASE | WORD.  *is_stop: a word of stop words only. */
static fg_xquery_t *parse_primary(parser_t *p, bool positive, bool *is_stop) {
    *is_stop = false;
    if (p->type == T_LPAREN) {
        p->depth++;
        next(p);
        fg_xquery_t *q = parse_or(p);
        if (p->type == T_RPAREN) {
            next(p);
        } else {
            warn(p, "unclosed parenthesis: closed at the end of the query");
        }
        p->depth--;
        return q;
    }
    if (p->type == T_PHRASE) {
        tokbuf_t b;
        fg_xquery_t *q = NULL;
        if (analyse(p, p->tok, p->tok_len, &b))
            q = b.n > 0 && group_end(&b, 0) == b.n ? token_query(p, &b, 0, b.n, positive)
                                                    : phrase_of(p, &b, positive);
        tokbuf_free(&b);
        next(p);
        return q;
    }
    /* T_WORD (operators out of place are read as words too) */
    fg_xquery_t *q = word_query(p, p->tok, p->tok_len, positive, is_stop);
    next(p);
    return q;
}

/* A growable array of queries. */
typedef struct qlist {
    fg_xquery_t **q;
    size_t n, cap;
} qlist_t;

/* Appends q (NULL is skipped); frees q and records NOMEM on failure. */
static void qlist_add(parser_t *p, qlist_t *l, fg_xquery_t *q) {
    if (!q)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        fg_xquery_t **nq = realloc(l->q, cap * sizeof *nq);
        if (!nq) {
            fg_xquery_free(q);
            fail(p, FG_NOMEM, "building the query");
            return;
        }
        l->q = nq;
        l->cap = cap;
    }
    l->q[l->n++] = q;
}

/* True when the current token can start an item of a group. */
static bool starts_item(parser_t *p) {
    return p->type == T_WORD || p->type == T_PHRASE || p->type == T_LPAREN ||
           p->type == T_PLUS || p->type == T_MINUS;
}

/*
 * group := item+, item := ['+'|'-'] primary.  Plain items are OR-ed (more
 * matches rank higher); +items are required; -items are excluded.  Stop words
 * among the plain items count only when nothing else is there.
 */
static fg_xquery_t *parse_group(parser_t *p) {
    qlist_t req = {0}, opt = {0}, neg = {0}, stop = {0};
    while (p->status == FG_OK && starts_item(p)) {
        tok_type_t mod = p->type;
        if (mod == T_PLUS || mod == T_MINUS)
            next(p);
        if (!starts_item(p) || p->type == T_PLUS || p->type == T_MINUS)
            continue;
        bool is_stop = false;
        fg_xquery_t *q = parse_primary(p, mod != T_MINUS, &is_stop);
        if (mod == T_PLUS)
            qlist_add(p, &req, q);
        else if (mod == T_MINUS)
            qlist_add(p, &neg, q);
        else
            qlist_add(p, is_stop ? &stop : &opt, q);
    }
    if (opt.n == 0 && req.n == 0) {
        opt = stop;
        stop = (qlist_t){0};
    }
    fg_xquery_t *base;
    if (req.n) {
        base = combine(p, FG_XQ_AND, req.q, req.n, 0);
        if (opt.n) {
            fg_xquery_t *maybe[2] = {base, combine(p, FG_XQ_OR, opt.q, opt.n, 0)};
            base = combine(p, FG_XQ_AND_MAYBE, maybe, 2, 0);
        }
    } else if (opt.n) {
        base = combine(p, FG_XQ_OR, opt.q, opt.n, 0);
    } else {
        base = neg.n ? match_all(p) : NULL;
    }
    if (neg.n && base) {
        fg_xquery_t **subs = malloc((neg.n + 1) * sizeof *subs);
        if (subs) {
            subs[0] = base;
            memcpy(subs + 1, neg.q, neg.n * sizeof *subs);
            base = combine(p, FG_XQ_AND_NOT, subs, neg.n + 1, 0);
            free(subs);
            neg.n = 0;
        } else {
            fail(p, FG_NOMEM, "building the query");
        }
    }
    for (size_t i = 0; i < stop.n; i++)
        fg_xquery_free(stop.q[i]);
    for (size_t i = 0; i < neg.n; i++)
        fg_xquery_free(neg.q[i]);
    free(req.q);
    free(opt.q);
    free(neg.q);
    free(stop.q);
    return base;
}

/* not := group (NOT group)* ; a leading NOT excludes from everything. */
static fg_xquery_t *parse_not(parser_t *p) {
    fg_xquery_t *left = p->type == T_NOT ? match_all(p) : parse_group(p);
    while (p->status == FG_OK && p->type == T_NOT) {
        next(p);
        fg_xquery_t *right = parse_group(p);
        if (!right)
            continue;
        if (!left)
            left = match_all(p);
        fg_xquery_t *subs[2] = {left, right};
        left = combine(p, FG_XQ_AND_NOT, subs, 2, 0);
    }
    return left;
}

/* and := not (AND not)* */
static fg_xquery_t *parse_and(parser_t *p) {
    fg_xquery_t *left = parse_not(p);
    while (p->status == FG_OK && p->type == T_AND) {
        next(p);
        fg_xquery_t *subs[2] = {left, parse_not(p)};
        left = combine(p, FG_XQ_AND, subs, 2, 0);
    }
    return left;
}

/* or := and (OR and)* ; a stray ')' at the top level is skipped with a warning. */
static fg_xquery_t *parse_or(parser_t *p) {
    fg_xquery_t *left = parse_and(p);
    for (;;) {
        if (p->status != FG_OK)
            break;
        if (p->type == T_OR) {
            next(p);
            fg_xquery_t *subs[2] = {left, parse_and(p)};
            left = combine(p, FG_XQ_OR, subs, 2, 0);
        } else if (p->type == T_RPAREN && p->depth == 0) {
            warn(p, "unbalanced ')' ignored");
            next(p);
            fg_xquery_t *subs[2] = {left, parse_and(p)};
            left = combine(p, FG_XQ_OR, subs, 2, 0);
        } else if (p->type == T_AND || p->type == T_NOT) {
            /* an operator with nothing before it: read on */
            if (p->type == T_AND)
                next(p);
            fg_xquery_t *subs[2] = {left, parse_and(p)};
            left = combine(p, FG_XQ_OR, subs, 2, 0);
        } else {
            break;
        }
    }
    return left;
}

/* Parses a whole query (see query.h). */
fg_status_t fg_query_parse(fg_analyzer_t *a, const fg_rank_weights_t *w, const char *text,
                           fg_xquery_t **out, fg_termset_t *terms, char *msg, size_t msglen) {
    parser_t p = {.a = a, .w = w, .terms = terms, .text = text, .msg = msg, .msglen = msglen};
    msg[0] = '\0';
    *out = NULL;
    next(&p);
    fg_xquery_t *q = parse_or(&p);
    while (p.status == FG_OK && p.type != T_END) {
        /* something parse_or() could not use, e.g. a trailing operator */
        if (p.type == T_OR || p.type == T_AND || p.type == T_NOT)
            warn(&p, "operator at the end of the query ignored");
        next(&p);
    }
    if (p.status != FG_OK) {
        fg_xquery_free(q);
        return p.status;
    }
    *out = q;
    return FG_OK;
}
