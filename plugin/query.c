/*
 * query.c - the query language -> Xapian query (see query.h).
 *
 * A recursive-descent parser over a small lexer.  Each parse function returns
 * an fg_xquery_t (NULL: nothing searchable, e.g. a stop word) and the caller
 * combines them; fg_xquery_combine() copies its inputs, so each level frees
 * what it combined.
 */
#include "plugin/query.h"

#include "index/schema.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

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
    for (size_t i = 0; i < ts->n_prefixes; i++)
        free(ts->prefixes[i]);
    for (size_t i = 0; i < ts->n_words; i++) {
        free(ts->words[i].term);
        free(ts->words[i].stem);
    }
    free(ts->exact);
    free(ts->stems);
    free(ts->prefixes);
    free(ts->words);
    memset(ts, 0, sizeof *ts);
}

/* Adds a stem (see query.h). */
bool fg_termset_add_stem(fg_termset_t *ts, const char *stem) {
    return strarr_add(&ts->stems, &ts->n_stems, &ts->cap_stems, stem);
}

/* True when term or stem is in the set or term has a wildcard prefix (see query.h). */
bool fg_termset_matches(const fg_termset_t *ts, const char *term, const char *stem) {
    for (size_t i = 0; i < ts->n_exact; i++)
        if (strcmp(ts->exact[i], term) == 0)
            return true;
    if (stem)
        for (size_t i = 0; i < ts->n_stems; i++)
            if (strcmp(ts->stems[i], stem) == 0)
                return true;
    for (size_t i = 0; i < ts->n_prefixes; i++)
        if (strncmp(term, ts->prefixes[i], strlen(ts->prefixes[i])) == 0)
            return true;
    return false;
}

/* Records a plain query word for suggestions; false when memory ran out. */
static bool qword_add(fg_termset_t *ts, size_t offset, size_t length, const char *term,
                      const char *stem) {
    if (ts->n_words == ts->cap_words) {
        size_t cap = ts->cap_words ? ts->cap_words * 2 : 4;
        fg_qword_t *w = realloc(ts->words, cap * sizeof *w);
        if (!w)
            return false;
        ts->words = w;
        ts->cap_words = cap;
    }
    fg_qword_t *w = &ts->words[ts->n_words];
    w->offset = offset;
    w->length = length;
    w->term = strdup(term);
    w->stem = stem ? strdup(stem) : NULL;
    if (!w->term || (stem && !w->stem)) {
        free(w->term);
        free(w->stem);
        return false;
    }
    ts->n_words++;
    return true;
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
    T_MINUS,
    T_NEAR, /* NEAR, NEAR/n, NAH, NAH/n; window in near */
    T_FIELD /* name:value; field in field, value in tok (quoted: quoted) */
} tok_type_t;

/* The fields of field:value. */
typedef enum field { F_TITLE, F_PATH, F_EXT, F_DATE, F_COUNT } field_t;

typedef struct parser {
    fg_analyzer_t *a;
    const fg_rank_weights_t *w;
    fg_termset_t *terms;
    const char *text;
    size_t pos;      /* lexer position */
    tok_type_t type; /* current token */
    const char *tok; /* its text (words and phrases) */
    size_t tok_len;
    uint32_t near; /* T_NEAR: at most this many words apart */
    field_t field; /* T_FIELD: which */
    bool quoted;   /* T_FIELD: the value was quoted */
    uint32_t max_wildcard;
    int depth; /* open parentheses */
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

/* True when t[i] opens a quote: '"' or the German „ or “. */
static size_t quote_open(const char *t, size_t i) {
    if (t[i] == '"')
        return 1;
    if (t[i] == '\xE2' && t[i + 1] == '\x80' && (t[i + 2] == '\x9E' || t[i + 2] == '\x9C'))
        return 3;
    return 0;
}

/* Reads a quoted text whose opening quote (q bytes) is at p->pos: p->tok and
 * p->tok_len receive the text between the quotes. */
static void read_quoted(parser_t *p, size_t q) {
    const char *t = p->text;
    p->pos += q;
    size_t start = p->pos;
    while (t[p->pos] && t[p->pos] != '"' &&
           !(t[p->pos] == '\xE2' && t[p->pos + 1] == '\x80' &&
             (t[p->pos + 2] == '\x9C' || t[p->pos + 2] == '\x9D')))
        p->pos++;
    p->tok = t + start;
    p->tok_len = p->pos - start;
    if (t[p->pos] == '"')
        p->pos++;
    else if (t[p->pos])
        p->pos += 3;
    else
        warn(p, "unclosed quote: the phrase runs to the end of the query");
}

/* The field named s[0..n) (ASCII, any case); F_COUNT when unknown. */
static field_t field_named(const char *s, size_t n) {
    static const struct {
        const char *name;
        field_t field;
    } names[] = {{"title", F_TITLE}, {"titel", F_TITLE}, {"path", F_PATH}, {"dir", F_PATH},
                 {"pfad", F_PATH},   {"ordner", F_PATH}, {"ext", F_EXT},   {"type", F_EXT},
                 {"typ", F_EXT},     {"date", F_DATE},   {"datum", F_DATE}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i].name) == n && strncasecmp(names[i].name, s, n) == 0)
            return names[i].field;
    return F_COUNT;
}

/* At p->pos: letters followed by ':' and a value.  A known field becomes a
 * T_FIELD token (true); an unknown one gets a warning and is read as a word
 * (false). */
static bool lex_field(parser_t *p) {
    const char *t = p->text;
    size_t i = p->pos;
    while ((t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z'))
        i++;
    if (i == p->pos || t[i] != ':' || (is_break(t[i + 1]) && !quote_open(t, i + 1)) ||
        t[i + 1] == ':' || (t[i + 1] == '/' && t[i + 2] == '/'))
        return false; /* no value, or an address such as http://... */
    field_t f = field_named(t + p->pos, i - p->pos);
    if (f == F_COUNT) {
        if (p->msg[0] == '\0')
            snprintf(p->msg, p->msglen,
                     "unknown field '%.*s:' searched as words (fields: title: path: dir: "
                     "ext: type: date:)",
                     (int)(i - p->pos), t + p->pos);
        return false;
    }
    p->type = T_FIELD;
    p->field = f;
    p->pos = i + 1;
    size_t q = quote_open(t, p->pos);
    p->quoted = q > 0;
    if (q) {
        read_quoted(p, q);
        return true;
    }
    size_t start = p->pos;
    while (!is_break(t[p->pos]))
        p->pos++;
    p->tok = t + start;
    p->tok_len = p->pos - start;
    return true;
}

/* True when the word w[0..n) is NEAR, NAH, NEAR/n or NAH/n; *window gets n (10). */
static bool is_near(const char *w, size_t n, uint32_t *window) {
    size_t k = n >= 4 && memcmp(w, "NEAR", 4) == 0 ? 4 : n >= 3 && memcmp(w, "NAH", 3) == 0 ? 3 : 0;
    if (k == 0)
        return false;
    if (k == n) {
        *window = 10;
        return true;
    }
    if (w[k] != '/' || k + 1 == n || n - k > 5)
        return false;
    uint32_t v = 0;
    for (size_t i = k + 1; i < n; i++) {
        if (w[i] < '0' || w[i] > '9')
            return false;
        v = v * 10 + (uint32_t)(w[i] - '0');
    }
    *window = v;
    return true;
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
    } else if (quote_open(t, p->pos)) {
        /* "..." or the German quotes „..." / “...” */
        p->type = T_PHRASE;
        read_quoted(p, quote_open(t, p->pos));
    } else if (lex_field(p)) {
        /* field:value */
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
        else if (is_near(w, n, &p->near))
            p->type = T_NEAR;
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
    if (factor <= 0)
        return NULL;
    return scaled(p, term(p, prefix, word), factor);
}

/* The ways one word token matches: exact, stem, title, lead, compound part, weak. */
static size_t word_ways(parser_t *p, const char *word, const char *stem, fg_xquery_t **subs) {
    const fg_rank_weights_t *w = p->w;
    size_t n = 0;
    subs[n++] = wterm(p, FG_PREFIX_EXACT, word, w->exact);
    subs[n++] = wterm(p, FG_PREFIX_WEAK, word, w->weak);
    if (stem) {
        subs[n++] = wterm(p, FG_PREFIX_STEM, stem, w->stem);
        subs[n++] = wterm(p, FG_PREFIX_TITLE_STEM, stem, w->title);
        subs[n++] = wterm(p, FG_PREFIX_LEAD, stem, w->lead);
        subs[n++] = wterm(p, FG_PREFIX_PART, stem, w->part);
    } else {
        subs[n++] = wterm(p, FG_PREFIX_TITLE, word, w->title);
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
            fg_xquery_t *ways[2] = {stem ? term(p, FG_PREFIX_STEM, stem) : term(p, FG_PREFIX_EXACT, t),
                                    term(p, FG_PREFIX_PART, stem ? stem : t)};
            parts[np++] = combine(p, FG_XQ_OR, ways, 2, 0);
        } else if (f & FG_TOKEN_WEAK) {
            fg_xquery_t *ways[2] = {term(p, FG_PREFIX_EXACT, t), term(p, FG_PREFIX_WEAK, t)};
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
    return stem ? term(p, FG_PREFIX_STEM, stem) : term(p, FG_PREFIX_EXACT, word);
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
        if (positive && words == 1 && stops == 0 && !(b.t[0].flags & FG_TOKEN_NUMBER) &&
            !qword_add(p->terms, (size_t)(s - p->text), n, b.t[0].term, b.t[0].stem))
            fail(p, FG_NOMEM, "analysing the query");
        q = combine(p, FG_XQ_OR, subs, k, 0);
        free(subs);
    }
    tokbuf_free(&b);
    return q;
}

/* ------------------------------------------------------------ wildcards */

/* Verzeich*: every folded word starting with the folded prefix, as one
 * synonym (at most p->max_wildcard words; the search fails beyond). */
static fg_xquery_t *wildcard_query(parser_t *p, const char *s, size_t n, bool positive) {
    const char *folded = NULL, *stem = NULL;
    fg_status_t st = fg_analyzer_word(p->a, s, n, &folded, &stem);
    if (st != FG_OK) {
        fail(p, st, "analysing the query");
        return NULL;
    }
    if (!folded || !folded[0]) {
        warn(p, "a wildcard needs letters before the '*'");
        return NULL;
    }
    char *prefix = strdup(folded);
    if (!prefix) {
        fail(p, FG_NOMEM, "analysing the query");
        return NULL;
    }
    fg_termset_t *ts = p->terms;
    if (positive && !strarr_add(&ts->prefixes, &ts->n_prefixes, &ts->cap_prefixes, prefix))
        fail(p, FG_NOMEM, "analysing the query");
    fg_xquery_t *q = NULL;
    st = fg_xquery_wildcard(prefix, p->max_wildcard, &q);
    if (st != FG_OK)
        fail(p, st, "building the query");
    free(prefix);
    return q;
}

/* ------------------------------------------------------------ fields */

/* title:value: each word of value among the title words (folded or stem). */
static fg_xquery_t *title_query(parser_t *p, const char *s, size_t n, bool positive) {
    tokbuf_t b;
    if (!analyse(p, s, n, &b))
        return NULL;
    fg_xquery_t **subs = calloc(b.n ? b.n : 1, sizeof *subs);
    fg_xquery_t *q = NULL;
    if (!subs) {
        fail(p, FG_NOMEM, "building the query");
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
                remember(p, b.t[i].term, b.t[i].stem);
            fg_xquery_t *ways[2] = {term(p, FG_PREFIX_TITLE, b.t[i].term),
                                    b.t[i].stem ? term(p, FG_PREFIX_TITLE_STEM, b.t[i].stem) : NULL};
            subs[k++] = combine(p, FG_XQ_OR, ways, 2, 0);
        }
    }
    q = combine(p, FG_XQ_AND, subs, k, 0);
out:
    free(subs);
    tokbuf_free(&b);
    return q;
}

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
        const char *home = getenv("HOME");
        if (!home || !path_put(raw, sizeof raw, &len, home, strlen(home)))
            return false;
        s++, n--;
        if (!path_put(raw, sizeof raw, &len, "/", 1))
            return false;
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
        warn(p, "path: could not resolve the folder; filter ignored");
        return NULL;
    }
    fg_xquery_t *q = NULL;
    fg_status_t st = fg_xquery_path(path, &q);
    if (st != FG_OK)
        fail(p, st, "building the query");
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
                fail(p, st, "building the query");
            subs[k++] = q;
        }
        i = j + 1;
    }
    if (k == 0)
        warn(p, "ext: without an extension ignored");
    return combine(p, FG_XQ_OR, subs, k, 0);
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
        fail(p, st, "building the query");
    return q;
}

/* The query of the T_FIELD token (a filter for path, ext and date). */
static fg_xquery_t *field_query(parser_t *p, bool positive) {
    if (p->tok_len == 0) {
        warn(p, "a field without a value is ignored");
        return NULL;
    }
    switch (p->field) {
    case F_TITLE: return title_query(p, p->tok, p->tok_len, positive);
    case F_PATH: return path_query(p, p->tok, p->tok_len);
    case F_EXT: return ext_query(p, p->tok, p->tok_len);
    case F_DATE: return date_query(p, p->tok, p->tok_len);
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
    if (p->type == T_FIELD) {
        fg_xquery_t *q = field_query(p, positive);
        next(p);
        return q;
    }
    /* T_WORD (operators out of place are read as words too) */
    fg_xquery_t *q;
    if (p->type == T_WORD && p->tok_len > 1 && p->tok[p->tok_len - 1] == '*')
        q = wildcard_query(p, p->tok, p->tok_len - 1, positive);
    else
        q = word_query(p, p->tok, p->tok_len, positive, is_stop);
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
    return p->type == T_WORD || p->type == T_PHRASE || p->type == T_LPAREN || p->type == T_PLUS ||
           p->type == T_MINUS || p->type == T_FIELD || p->type == T_NEAR;
}

/* Appends the positional terms of s[0..n) (stems, else folded forms) to l. */
static void near_terms(parser_t *p, const char *s, size_t n, bool positive, qlist_t *l) {
    tokbuf_t b;
    if (!analyse(p, s, n, &b))
        return;
    for (size_t i = 0; i < b.n; i++)
        if (!(b.t[i].flags & (FG_TOKEN_JOINED | FG_TOKEN_COMPOUND_PART | FG_TOKEN_VARIANT)))
            qlist_add(p, l, phrase_term(p, b.t[i].term, b.t[i].stem, positive));
    tokbuf_free(&b);
}

/*
 * a NEAR/n b NEAR/m c: the positional terms of every operand (the first is
 * first[0..first_len)) within a window of max(n, m) words between them (Xapian's
 * window counts the terms too).  The lexer stands on the first NEAR.
 */
static fg_xquery_t *parse_near(parser_t *p, const char *first, size_t first_len, bool positive) {
    qlist_t l = {0};
    uint32_t window = 0;
    near_terms(p, first, first_len, positive, &l);
    while (p->status == FG_OK && p->type == T_NEAR) {
        if (p->near > window)
            window = p->near;
        next(p);
        if (p->type != T_WORD && p->type != T_PHRASE) {
            warn(p, "NEAR needs a word or phrase on both sides");
            break;
        }
        near_terms(p, p->tok, p->tok_len, positive, &l);
        next(p);
    }
    fg_xquery_t *q = combine(p, FG_XQ_NEAR, l.q, l.n, window + (uint32_t)l.n);
    free(l.q);
    return q;
}

/*
 * group := item+, item := ['+'|'-'] primary.  Plain items are OR-ed (more
 * matches rank higher); +items are required; -items are excluded.  Stop words
 * among the plain items count only when nothing else is there.
 */
static fg_xquery_t *parse_group(parser_t *p) {
    qlist_t req = {0}, opt = {0}, neg = {0}, stop = {0}, filt[F_COUNT] = {{0}};
    char **stop_words = NULL; /* the words of the stop list's items */
    size_t n_stop_words = 0, cap_stop_words = 0;
    while (p->status == FG_OK && starts_item(p)) {
        tok_type_t mod = p->type;
        if (mod == T_PLUS || mod == T_MINUS)
            next(p);
        if (!starts_item(p) || p->type == T_PLUS || p->type == T_MINUS)
            continue;
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
            qlist_add(p, &filt[field], q);
        else if (mod == T_PLUS)
            qlist_add(p, &req, q);
        else if (mod == T_MINUS)
            qlist_add(p, &neg, q);
        else
            qlist_add(p, is_stop ? &stop : &opt, q);
        if (is_stop && mod != T_PLUS && mod != T_MINUS) {
            /* its words are looked for (and highlighted) only with the stop list */
            for (size_t i = mark; i < p->terms->n_exact; i++)
                if (!strarr_add(&stop_words, &n_stop_words, &cap_stop_words, p->terms->exact[i]))
                    fail(p, FG_NOMEM, "analysing the query");
            for (size_t i = mark; i < p->terms->n_exact; i++)
                free(p->terms->exact[i]);
            p->terms->n_exact = mark;
        }
    }
    if (opt.n == 0 && req.n == 0) {
        opt = stop;
        stop = (qlist_t){0};
        for (size_t i = 0; i < n_stop_words; i++)
            remember(p, stop_words[i], NULL);
    }
    for (size_t i = 0; i < n_stop_words; i++)
        free(stop_words[i]);
    free(stop_words);
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
        base = NULL;
    }
    size_t n_filt = 0;
    fg_xquery_t *filters[F_COUNT + 1];
    for (int f = 0; f < F_COUNT; f++)
        if (filt[f].n)
            filters[1 + n_filt++] = combine(p, FG_XQ_OR, filt[f].q, filt[f].n, 0);
    if (!base && (neg.n || n_filt))
        base = match_all(p);
    if (n_filt && base) {
        filters[0] = base;
        base = combine(p, FG_XQ_FILTER, filters, n_filt + 1, 0);
    } else {
        for (size_t i = 0; i < n_filt; i++)
            fg_xquery_free(filters[1 + i]);
    }
    for (int f = 0; f < F_COUNT; f++)
        free(filt[f].q);
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
fg_status_t fg_query_parse(fg_analyzer_t *a, const fg_rank_weights_t *w, const fg_query_opts_t *qo,
                           const char *text, fg_xquery_t **out, fg_termset_t *terms, char *msg,
                           size_t msglen) {
    parser_t p = {.a = a, .w = w, .terms = terms, .text = text, .msg = msg, .msglen = msglen};
    p.max_wildcard = qo && qo->max_wildcard ? qo->max_wildcard : 1000;
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
