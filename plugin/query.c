/*
 * query.c - the query language -> Xapian query (see query.h): the grammar,
 * the field filters and wildcards.
 *
 * A recursive-descent parser over the lexer of query_lex.c; the words are
 * expanded into their terms by query_expand.c.  Each parse function returns
 * an fg_xquery_t (NULL: nothing searchable, e.g. a stop word) and the caller
 * combines them; fg_xquery_combine() copies its inputs, so each level frees
 * what it combined.
 */
#include "plugin/query-private.h"

#include "common/path.h"
#include "index/schema.h"
#include "index/termkinds.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ diagnostics */

/* Sets a warning (the first one wins). */
void fg_qp_warn(parser_t *p, const char *what) {
    if (p->msg[0] == '\0')
        snprintf(p->msg, p->msglen, "%s", what);
}

/* Records a failure; the first one wins. */
void fg_qp_fail(parser_t *p, fg_status_t st, const char *what) {
    if (p->status == FG_OK) {
        p->status = st;
        snprintf(p->msg, p->msglen, "%s: %s", what, fg_status_str(st));
    }
}

/* ------------------------------------------------------------ wildcards */

/* Verzeich*: every folded word starting with the folded prefix, as one
 * synonym (at most p->max_wildcard words; the search fails beyond); NULL
 * for the wildcards after the first FG_QUERY_MAX_WILDCARDS. */
static fg_xquery_t *wildcard_query(parser_t *p, const char *s, size_t n, bool positive) {
    const char *folded = NULL, *stem = NULL;
    fg_status_t st = fg_analyzer_word(p->a, s, n, &folded, &stem);
    if (st != FG_OK) {
        fg_qp_fail(p, st, "analysing the query");
        return NULL;
    }
    if (!folded || !folded[0]) {
        fg_qp_warn(p, "a wildcard needs letters before the '*'");
        return NULL;
    }
    if (++p->wildcards > FG_QUERY_MAX_WILDCARDS) {
        if (p->wildcards == FG_QUERY_MAX_WILDCARDS + 1) {
            char what[256];
            snprintf(what, sizeof what,
                     "more than %d wildcards: '%.*s*' and those after it are ignored",
                     FG_QUERY_MAX_WILDCARDS, (int)(n < 64 ? n : 64), s);
            fg_qp_warn(p, what);
        }
        return NULL;
    }
    char *prefix = strdup(folded);
    if (!prefix) {
        fg_qp_fail(p, FG_NOMEM, "analysing the query");
        return NULL;
    }
    fg_termset_t *ts = p->terms;
    if (positive && !fg_strarr_add(&ts->prefixes, &ts->n_prefixes, &ts->cap_prefixes, prefix))
        fg_qp_fail(p, FG_NOMEM, "analysing the query");
    fg_xquery_t *q = NULL;
    st = fg_xquery_wildcard(prefix, p->max_wildcard, &q);
    if (st != FG_OK)
        fg_qp_fail(p, st, "building the query");
    free(prefix);
    return q;
}

/* ------------------------------------------------------------ fields */

/* Appends s[0..n) to buf (cap bytes) at *len; false when it does not fit. */
static bool path_put(char *buf, size_t cap, size_t *len, const char *s, size_t n) {
    if (*len + n + 1 > cap)
        return false;
    memcpy(buf + *len, s, n);
    *len += n;
    buf[*len] = '\0';
    return true;
}

/*
 * The absolute, normalised form of a path typed in a query into out: "~" and
 * "~/x" are below $HOME, a relative path below the working folder; "." and
 * ".." components and repeated or trailing slashes are resolved by text (no
 * symbolic links are followed).  False when it is too long or the base is
 * unknown.
 */
static bool resolve_path(const char *s, size_t n, char *out, size_t cap) {
    char raw[PATH_MAX * 2];
    size_t len = 0;
    raw[0] = '\0';
    if (n > 0 && s[0] == '~' && (n == 1 || s[1] == '/')) {
        char tilde[PATH_MAX];
        if (n >= sizeof tilde)
            return false;
        memcpy(tilde, s, n);
        tilde[n] = '\0';
        char *expanded = fg_path_expand_home(tilde, getenv("HOME"));
        bool ok = expanded && path_put(raw, sizeof raw, &len, expanded, strlen(expanded));
        free(expanded);
        if (!ok)
            return false;
        s += n, n = 0;
    } else if (n == 0 || s[0] != '/') {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd) || !path_put(raw, sizeof raw, &len, cwd, strlen(cwd)) ||
            !path_put(raw, sizeof raw, &len, "/", 1))
            return false;
    }
    if (!path_put(raw, sizeof raw, &len, s, n))
        return false;
    /* normalise component by component */
    size_t o = 0;
    const char *c = raw;
    while (*c) {
        while (*c == '/')
            c++;
        const char *e = c;
        while (*e && *e != '/')
            e++;
        size_t cl = (size_t)(e - c);
        if (cl == 0 || (cl == 1 && c[0] == '.')) {
            /* nothing */
        } else if (cl == 2 && c[0] == '.' && c[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            if (o + 1 + cl + 1 > cap)
                return false;
            out[o++] = '/';
            memcpy(out + o, c, cl);
            o += cl;
        }
        c = e;
    }
    if (o == 0) {
        if (cap < 2)
            return false;
        out[o++] = '/';
    }
    out[o] = '\0';
    return true;
}

/* path:D / dir:D: documents in folder D and below (or the file D). */
static fg_xquery_t *path_query(parser_t *p, const char *s, size_t n) {
    char path[PATH_MAX];
    if (!resolve_path(s, n, path, sizeof path)) {
        fg_qp_warn(p, "path: could not resolve the folder; filter ignored");
        return NULL;
    }
    fg_xquery_t *q = NULL;
    fg_status_t st = fg_xquery_path(path, &q);
    if (st != FG_OK)
        fg_qp_fail(p, st, "building the query");
    return q;
}

/* ext:md / ext:md,txt: documents with one of these extensions. */
static fg_xquery_t *ext_query(parser_t *p, const char *s, size_t n) {
    fg_xquery_t *subs[16];
    size_t k = 0;
    size_t i = 0;
    while (i < n && k < sizeof subs / sizeof *subs) {
        size_t j = i;
        while (j < n && s[j] != ',')
            j++;
        char term[64];
        size_t tl = 0;
        term[tl++] = FG_PREFIX_EXT[0]; /* a one-letter prefix */
        for (size_t x = i; x < j && tl + 1 < sizeof term; x++) {
            char ch = s[x];
            if (x == i && ch == '.')
                continue;
            term[tl++] = ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
        }
        term[tl] = '\0';
        if (tl > 1) {
            fg_xquery_t *q = NULL;
            fg_status_t st = fg_xquery_term(term, tl, 1, &q);
            if (st != FG_OK)
                fg_qp_fail(p, st, "building the query");
            subs[k++] = q;
        }
        i = j + 1;
    }
    if (k == 0)
        fg_qp_warn(p, "ext: without an extension ignored");
    return fg_qx_combine(p, FG_XQ_OR, subs, k, 0);
}

/* The terms of a word field's filter being built (author:, from:, to:). */
typedef struct author_terms {
    parser_t *p;
    const char *prefix; /* FG_PREFIX_AUTHOR, FG_PREFIX_FROM, FG_PREFIX_TO */
    fg_xquery_t *subs[16];
    size_t k;
} author_terms_t;

/* fg_fold_words() callback: one word of the filter as a term of its field. */
static fg_status_t author_word(void *ctx, const char *word, size_t len) {
    author_terms_t *a = ctx;
    char term[300];
    size_t n = fg_field_term(a->prefix, word, len, term, sizeof term);
    if (n == 0 || a->k == sizeof a->subs / sizeof a->subs[0])
        return FG_OK;
    fg_status_t st = fg_xquery_term(term, n, 1, &a->subs[a->k]);
    if (st != FG_OK)
        return st;
    a->k++;
    return FG_OK;
}

/* author:Müller / autor:"Hans Müller": documents whose author has every one
 * of these words (folded as at indexing, by fg_fold_words()); the same for a
 * mail's sender (from:/von:, prefix FG_PREFIX_FROM) and recipients (to:/an:,
 * FG_PREFIX_TO); name is the field for the warning. */
static fg_xquery_t *author_query(parser_t *p, const char *s, size_t n, const char *prefix,
                                 const char *name) {
    author_terms_t a = {.p = p, .prefix = prefix};
    fg_status_t st = fg_fold_words(s, n, author_word, &a);
    if (st != FG_OK) {
        for (size_t i = 0; i < a.k; i++)
            fg_xquery_free(a.subs[i]);
        fg_qp_fail(p, st, "building the query");
        return NULL;
    }
    if (a.k == 0) {
        char what[64];
        snprintf(what, sizeof what, "%s: without a name ignored", name);
        fg_qp_warn(p, what);
    }
    return fg_qx_combine(p, FG_XQ_AND, a.subs, a.k, 0);
}

/* Parses one end of a date range, s[0..n): YYYY, YYYY-MM or YYYY-MM-DD, into
 * the first and last "YYYYMMDD" it covers (day "00" = unknown day sorts
 * first).  False when it is none of these. */
static bool parse_date(const char *s, size_t n, char lo[9], char hi[9]) {
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    if (n == 4 && strspn(s, "0123456789") >= 4) {
        snprintf(lo, 9, "%.4s0000", s);
        snprintf(hi, 9, "%.4s9999", s);
        return true;
    }
    if ((n == 7 || n == 6) && s[4] == '-') {
        char mm[3] = {n == 7 ? s[5] : '0', n == 7 ? s[6] : s[5], '\0'};
        int m = atoi(mm);
        if (m < 1 || m > 12 || mm[0] == '-' || mm[1] == '-')
            return false;
        snprintf(lo, 9, "%.4s%s00", s, mm);
        snprintf(hi, 9, "%.4s%s99", s, mm);
        return true;
    }
    if (n == 10 && s[4] == '-' && s[7] == '-') {
        int m = atoi(s + 5), d = atoi(s + 8);
        if (m < 1 || m > 12 || d < 1 || d > 31 || s[5] == '-' || s[8] == '-')
            return false;
        snprintf(lo, 9, "%.4s%.2s%.2s", s, s + 5, s + 8);
        memcpy(hi, lo, 9);
        return true;
    }
    return false;
}

/* date:A, date:A..B, date:..B, date:A.. over the document date value. */
static fg_xquery_t *date_query(parser_t *p, const char *s, size_t n) {
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '.' && s[i + 1] == '.') {
            dots = s + i;
            break;
        }
    char lo[9] = "", hi[9] = "", a[9], b[9];
    bool ok = true;
    if (!dots) {
        ok = parse_date(s, n, lo, hi);
    } else {
        size_t ln = (size_t)(dots - s), rn = n - ln - 2;
        if (ln)
            ok = parse_date(s, ln, lo, b);
        if (ok && rn)
            ok = parse_date(dots + 2, rn, a, hi);
        ok = ok && (ln || rn);
    }
    if (!ok) {
        if (p->msg[0] == '\0')
            snprintf(p->msg, p->msglen,
                     "date:%.*s is not a date (use 2024, 2024-07, 2024-07-15 or ranges like "
                     "2024-01..2024-06, ..2023, 2023..); filter ignored",
                     (int)(n > 64 ? 64 : n), s);
        return NULL;
    }
    fg_xquery_t *q = NULL;
    fg_status_t st = fg_xquery_value_range(FG_VALUE_DATE, lo, hi, &q);
    if (st != FG_OK)
        fg_qp_fail(p, st, "building the query");
    return q;
}

/* The query of the T_FIELD token (a filter for path, ext and date). */
static fg_xquery_t *field_query(parser_t *p, bool positive) {
    if (p->tok_len == 0) {
        fg_qp_warn(p, "a field without a value is ignored");
        return NULL;
    }
    switch (p->field) {
    case F_TITLE: return fg_qx_title(p, p->tok, p->tok_len, positive);
    case F_PATH: return path_query(p, p->tok, p->tok_len);
    case F_EXT: return ext_query(p, p->tok, p->tok_len);
    case F_DATE: return date_query(p, p->tok, p->tok_len);
    case F_AUTHOR: return author_query(p, p->tok, p->tok_len, FG_PREFIX_AUTHOR, "author");
    case F_FROM: return author_query(p, p->tok, p->tok_len, FG_PREFIX_FROM, "from");
    case F_TO: return author_query(p, p->tok, p->tok_len, FG_PREFIX_TO, "to");
    case F_COUNT: break;
    }
    return NULL;
}

/* ------------------------------------------------------------ parser */

static fg_xquery_t *parse_or(parser_t *p);

/* An item that an operator can not do without: match everything. */
static fg_xquery_t *match_all(parser_t *p) {
    fg_xquery_t *q = NULL;
    fg_status_t st = fg_xquery_match_all(&q);
    if (st != FG_OK)
        fg_qp_fail(p, st, "building the query");
    return q;
}

/* primary := '(' or ')' | PHRASE | WORD.  *is_stop: a word of stop words only. */
static fg_xquery_t *parse_primary(parser_t *p, bool positive, bool *is_stop) {
    *is_stop = false;
    if (p->type == T_LPAREN) {
        p->depth++;
        fg_qp_next(p);
        fg_xquery_t *q = parse_or(p);
        if (p->type == T_RPAREN) {
            fg_qp_next(p);
        } else {
            fg_qp_warn(p, "unclosed parenthesis: closed at the end of the query");
        }
        p->depth--;
        return q;
    }
    if (p->type == T_PHRASE) {
        fg_xquery_t *q = fg_qx_phrase(p, p->tok, p->tok_len, positive);
        fg_qp_next(p);
        return q;
    }
    if (p->type == T_FIELD) {
        fg_xquery_t *q = field_query(p, positive);
        fg_qp_next(p);
        return q;
    }
    /* T_WORD (operators out of place are read as words too) */
    fg_xquery_t *q;
    if (p->type == T_WORD && p->tok_len > 1 && p->tok[p->tok_len - 1] == '*')
        q = wildcard_query(p, p->tok, p->tok_len - 1, positive);
    else
        q = fg_qx_word(p, p->tok, p->tok_len, positive, is_stop);
    fg_qp_next(p);
    return q;
}

/* True when the current token can start an item of a group. */
static bool starts_item(parser_t *p) {
    return p->type == T_WORD || p->type == T_PHRASE || p->type == T_LPAREN || p->type == T_PLUS ||
           p->type == T_MINUS || p->type == T_FIELD || p->type == T_NEAR;
}

/*
 * a NEAR/n b NEAR/m c: the positional terms of every operand (the first is
 * first[0..first_len)) within a window of max(n, m) words between them (Xapian's
 * window counts the terms too).  The lexer stands on the first NEAR.
 */
static fg_xquery_t *parse_near(parser_t *p, const char *first, size_t first_len, bool positive) {
    qlist_t l = {0};
    uint32_t window = 0;
    fg_qx_near_terms(p, first, first_len, positive, &l);
    while (p->status == FG_OK && p->type == T_NEAR) {
        if (p->near > window)
            window = p->near;
        fg_qp_next(p);
        if (p->type != T_WORD && p->type != T_PHRASE) {
            fg_qp_warn(p, "NEAR needs a word or phrase on both sides");
            break;
        }
        fg_qx_near_terms(p, p->tok, p->tok_len, positive, &l);
        fg_qp_next(p);
    }
    fg_xquery_t *q = fg_qx_combine(p, FG_XQ_NEAR, l.q, l.n, window + (uint32_t)l.n);
    free(l.q);
    return q;
}

/* The items of a group, sorted by what they do. */
typedef struct group {
    qlist_t req, opt, neg; /* +items, plain items, -items */
    qlist_t stop;          /* plain items of stop words only */
    qlist_t filt[F_COUNT]; /* positive field filters, by field (title: is an item) */
    char **stop_words;     /* the words of the stop list's items */
    size_t n_stop_words, cap_stop_words;
} group_t;

/* Takes the words an item of stop words added to the term set (from mark on)
 * out of it into g->stop_words: they are looked for (and highlighted) only
 * with the stop list. */
static void group_hold_stop_words(parser_t *p, group_t *g, size_t mark) {
    for (size_t i = mark; i < p->terms->n_exact; i++)
        if (!fg_strarr_add(&g->stop_words, &g->n_stop_words, &g->cap_stop_words,
                           p->terms->exact[i]))
            fg_qp_fail(p, FG_NOMEM, "analysing the query");
    for (size_t i = mark; i < p->terms->n_exact; i++)
        free(p->terms->exact[i]);
    p->terms->n_exact = mark;
}

/* item := ['+'|'-'] primary, with a NEAR chain after a word or phrase: parses
 * one item and puts its query in the list of g it belongs to. */
static void group_item(parser_t *p, group_t *g) {
    tok_type_t mod = p->type;
    if (mod == T_PLUS || mod == T_MINUS)
        fg_qp_next(p);
    if (!starts_item(p) || p->type == T_PLUS || p->type == T_MINUS)
        return;
    bool is_stop = false;
    tok_type_t type = p->type;
    field_t field = p->field;
    const char *text = p->tok;
    size_t text_len = p->tok_len;
    size_t mark = p->terms->n_exact;
    fg_xquery_t *q = parse_primary(p, mod != T_MINUS, &is_stop);
    if (p->type == T_NEAR && (type == T_WORD || type == T_PHRASE)) {
        fg_xquery_free(q);
        q = parse_near(p, text, text_len, mod != T_MINUS);
        is_stop = false;
    }
    if (type == T_FIELD && field != F_TITLE && mod != T_MINUS)
        fg_qlist_add(p, &g->filt[field], q);
    else if (mod == T_PLUS)
        fg_qlist_add(p, &g->req, q);
    else if (mod == T_MINUS)
        fg_qlist_add(p, &g->neg, q);
    else
        fg_qlist_add(p, is_stop ? &g->stop : &g->opt, q);
    if (is_stop && mod != T_PLUS && mod != T_MINUS)
        group_hold_stop_words(p, g, mark);
}

/* The ranked part of a group: the +items AND-ed, weighted up by the plain
 * items OR-ed; the stop-word items count (and their words are looked for)
 * only when there is nothing else.  NULL when nothing is left. */
static fg_xquery_t *group_ranked(parser_t *p, group_t *g) {
    if (g->opt.n == 0 && g->req.n == 0) {
        g->opt = g->stop;
        g->stop = (qlist_t){0};
        for (size_t i = 0; i < g->n_stop_words; i++)
            fg_qx_remember(p, g->stop_words[i], NULL);
    }
    if (g->req.n) {
        fg_xquery_t *base = fg_qx_combine(p, FG_XQ_AND, g->req.q, g->req.n, 0);
        if (g->opt.n) {
            fg_xquery_t *maybe[2] = {base, fg_qx_combine(p, FG_XQ_OR, g->opt.q, g->opt.n, 0)};
            base = fg_qx_combine(p, FG_XQ_AND_MAYBE, maybe, 2, 0);
        }
        return base;
    }
    if (g->opt.n)
        return fg_qx_combine(p, FG_XQ_OR, g->opt.q, g->opt.n, 0);
    return NULL;
}

/* base restricted by the filters of g (those of a field OR-ed, the fields
 * AND-ed) and without its -items; a group of filters or -items only starts
 * from everything. */
static fg_xquery_t *group_restricted(parser_t *p, group_t *g, fg_xquery_t *base) {
    size_t n_filt = 0;
    fg_xquery_t *filters[F_COUNT + 1];
    for (int f = 0; f < F_COUNT; f++)
        if (g->filt[f].n)
            filters[1 + n_filt++] = fg_qx_combine(p, FG_XQ_OR, g->filt[f].q, g->filt[f].n, 0);
    if (!base && (g->neg.n || n_filt))
        base = match_all(p);
    if (n_filt && base) {
        filters[0] = base;
        base = fg_qx_combine(p, FG_XQ_FILTER, filters, n_filt + 1, 0);
    } else {
        for (size_t i = 0; i < n_filt; i++)
            fg_xquery_free(filters[1 + i]);
    }
    if (g->neg.n && base) {
        fg_xquery_t **subs = malloc((g->neg.n + 1) * sizeof *subs);
        if (subs) {
            subs[0] = base;
            memcpy(subs + 1, g->neg.q, g->neg.n * sizeof *subs);
            base = fg_qx_combine(p, FG_XQ_AND_NOT, subs, g->neg.n + 1, 0);
            free(subs);
            g->neg.n = 0;
        } else {
            fg_qp_fail(p, FG_NOMEM, "building the query");
        }
    }
    return base;
}

/* Frees what is left in a group (the queries not combined, the lists). */
static void group_free(group_t *g) {
    for (size_t i = 0; i < g->stop.n; i++)
        fg_xquery_free(g->stop.q[i]);
    for (size_t i = 0; i < g->neg.n; i++)
        fg_xquery_free(g->neg.q[i]);
    for (size_t i = 0; i < g->n_stop_words; i++)
        free(g->stop_words[i]);
    free(g->stop_words);
    for (int f = 0; f < F_COUNT; f++)
        free(g->filt[f].q);
    free(g->req.q);
    free(g->opt.q);
    free(g->neg.q);
    free(g->stop.q);
}

/*
 * group := item+, item := ['+'|'-'] primary.  Plain items are OR-ed (more
 * matches rank higher); +items are required; -items are excluded.  Stop words
 * among the plain items count only when nothing else is there.
 */
static fg_xquery_t *parse_group(parser_t *p) {
    group_t g = {0};
    while (p->status == FG_OK && starts_item(p))
        group_item(p, &g);
    fg_xquery_t *base = group_ranked(p, &g);
    base = group_restricted(p, &g, base);
    group_free(&g);
    return base;
}

/* not := group (NOT group)* ; a leading NOT excludes from everything. */
static fg_xquery_t *parse_not(parser_t *p) {
    fg_xquery_t *left = p->type == T_NOT ? match_all(p) : parse_group(p);
    while (p->status == FG_OK && p->type == T_NOT) {
        fg_qp_next(p);
        fg_xquery_t *right = parse_group(p);
        if (!right)
            continue;
        if (!left)
            left = match_all(p);
        fg_xquery_t *subs[2] = {left, right};
        left = fg_qx_combine(p, FG_XQ_AND_NOT, subs, 2, 0);
    }
    return left;
}

/* and := not (AND not)* */
static fg_xquery_t *parse_and(parser_t *p) {
    fg_xquery_t *left = parse_not(p);
    while (p->status == FG_OK && p->type == T_AND) {
        fg_qp_next(p);
        fg_xquery_t *subs[2] = {left, parse_not(p)};
        left = fg_qx_combine(p, FG_XQ_AND, subs, 2, 0);
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
            fg_qp_next(p);
            fg_xquery_t *subs[2] = {left, parse_and(p)};
            left = fg_qx_combine(p, FG_XQ_OR, subs, 2, 0);
        } else if (p->type == T_RPAREN && p->depth == 0) {
            fg_qp_warn(p, "unbalanced ')' ignored");
            fg_qp_next(p);
            fg_xquery_t *subs[2] = {left, parse_and(p)};
            left = fg_qx_combine(p, FG_XQ_OR, subs, 2, 0);
        } else if (p->type == T_AND || p->type == T_NOT) {
            /* an operator with nothing before it: read on */
            if (p->type == T_AND)
                fg_qp_next(p);
            fg_xquery_t *subs[2] = {left, parse_and(p)};
            left = fg_qx_combine(p, FG_XQ_OR, subs, 2, 0);
        } else {
            break;
        }
    }
    return left;
}

/* Parses a whole query (see query.h). */
fg_status_t fg_query_parse(fg_analyzer_t *a, const fg_rank_weights_t *w, const fg_query_opts_t *qo,
                           const char *text, fg_xquery_t **out, fg_termset_t *terms, char *msg,
                           size_t msglen) {
    parser_t p = {.a = a, .w = w, .terms = terms, .text = text, .msg = msg, .msglen = msglen};
    p.max_wildcard = qo && qo->max_wildcard ? qo->max_wildcard : 1000;
    msg[0] = '\0';
    *out = NULL;
    fg_qp_next(&p);
    fg_xquery_t *q = parse_or(&p);
    while (p.status == FG_OK && p.type != T_END) {
        /* something parse_or() could not use, e.g. a trailing operator */
        if (p.type == T_OR || p.type == T_AND || p.type == T_NOT)
            fg_qp_warn(&p, "operator at the end of the query ignored");
        fg_qp_next(&p);
    }
    if (p.status != FG_OK) {
        fg_xquery_free(q);
        return p.status;
    }
    *out = q;
    return FG_OK;
}
