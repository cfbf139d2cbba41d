/*
 * query_lex.c - the lexer of the query language: query text -> tokens
 * (words, quoted phrases, field:value, parentheses, +/-, AND/OR/NOT, NEAR).
 */
#include "plugin/query-private.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

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
        fg_qp_warn(p, "unclosed quote: the phrase runs to the end of the query");
}

/* The field named s[0..n) (ASCII, any case); F_COUNT when unknown. */
static field_t field_named(const char *s, size_t n) {
    static const struct {
        const char *name;
        field_t field;
    } names[] = {{"title", F_TITLE},  {"titel", F_TITLE}, {"path", F_PATH},  {"dir", F_PATH},
                 {"pfad", F_PATH},    {"ordner", F_PATH}, {"ext", F_EXT},    {"type", F_EXT},
                 {"typ", F_EXT},      {"date", F_DATE},   {"datum", F_DATE}, {"author", F_AUTHOR},
                 {"autor", F_AUTHOR}, {"from", F_FROM},   {"von", F_FROM},   {"to", F_TO},
                 {"an", F_TO}};
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
void fg_qp_next(parser_t *p) {
    const char *t = p->text;
    for (;;) {
        while (t[p->pos] == ' ' || t[p->pos] == '\t' || t[p->pos] == '\n' || t[p->pos] == '\r')
            p->pos++;
        if (t[p->pos] == '(' && p->lex_open >= FG_QUERY_MAX_NESTING) {
            fg_qp_warn(p, "parentheses nested too deeply: the inner ones are ignored");
            p->ignored_open++;
            p->pos++;
        } else if (t[p->pos] == ')' && p->ignored_open > 0) {
            p->ignored_open--;
            p->pos++;
        } else {
            break;
        }
    }
    char ch = t[p->pos];
    p->tok = t + p->pos;
    p->tok_len = 0;
    if (ch == '\0') {
        p->type = T_END;
    } else if (ch == '(') {
        p->type = T_LPAREN;
        p->lex_open++;
        p->pos++;
    } else if (ch == ')') {
        p->type = T_RPAREN;
        if (p->lex_open > 0)
            p->lex_open--;
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
