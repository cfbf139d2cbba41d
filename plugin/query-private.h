/*
 * query-private.h - what the files of the query builder share: the parser
 * state, the token buffer of the analyser and the cross-file steps.
 *
 *   query.c         the grammar (groups, AND/OR/NOT, NEAR, +/-), the field
 *                   filters, wildcards, and fg_query_parse()
 *   query_lex.c     the lexer: query text -> tokens (words, phrases, fields,
 *                   operators)
 *   query_expand.c  term expansion: a query word -> its weighted terms, driven
 *                   by index/termkinds.h; phrases, NEAR operands, title:
 *   query_terms.c   the term set the query looks for (highlighting, suggestions)
 *
 * Not installed; included by these files only.
 */
#ifndef FG_PLUGIN_QUERY_PRIVATE_H
#define FG_PLUGIN_QUERY_PRIVATE_H

#include "plugin/query.h"

/* ------------------------------------------------------------ parser state */

/* The kinds of tokens the lexer reads. */
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
typedef enum field { F_TITLE, F_PATH, F_EXT, F_DATE, F_AUTHOR, F_FROM, F_TO, F_COUNT } field_t;

/* The state of one fg_query_parse(): the lexer's position and current token,
 * what the words are analysed and weighted with, and the first failure. */
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
    unsigned wildcards; /* seen so far (at most FG_QUERY_MAX_WILDCARDS are searched) */
    int depth;          /* open parentheses */
    int lex_open;       /* lexer: '(' handed out and not yet closed */
    int ignored_open;   /* lexer: '(' past FG_QUERY_MAX_NESTING, skipped with their ')' */
    fg_status_t status;
    char *msg;
    size_t msglen;
} parser_t;

/* Parentheses nested deeper than this are ignored (with a warning): the
 * parser descends once per level, and a query of 4096 '(' would overflow a
 * thread's stack (found by tests/fuzz). */
#define FG_QUERY_MAX_NESTING 32

/* Wildcards beyond this many in one query are ignored (with a warning):
 * each opens up to max_wildcard posting lists before the match starts, which
 * no time limit can cut short (a 1 KB query of 200 wildcards took 1.1 s on
 * an index of 6,725 man pages), as Lucene bounds a query's clauses. */
#define FG_QUERY_MAX_WILDCARDS 16

/* A growable array of queries. */
typedef struct qlist {
    fg_xquery_t **q;
    size_t n, cap;
} qlist_t;

/* Sets a warning (the first one wins). */
void fg_qp_warn(parser_t *p, const char *what);

/* Records a failure; the first one wins. */
void fg_qp_fail(parser_t *p, fg_status_t st, const char *what);

/* ------------------------------------------------------------ query_lex.c */

/* Reads the next token into p. */
void fg_qp_next(parser_t *p);

/* ------------------------------------------------------------ query_terms.c */

/* Adds a copy of s to a string array unless it is there already; false when
 * memory ran out. */
bool fg_strarr_add(char ***arr, size_t *n, size_t *cap, const char *s);

/* Records a plain query word for suggestions; false when memory ran out. */
bool fg_qword_add(fg_termset_t *ts, size_t offset, size_t length, const char *term,
                  const char *stem);

/* ------------------------------------------------------------ query_expand.c */

/* A term query (prefix + word), or NULL: too long for the index, or after
 * recording the failure. */
fg_xquery_t *fg_qx_term(parser_t *p, const char *prefix, const char *word);

/* Combines subs[0..n) (NULLs skipped) with op and frees them.  Returns NULL
 * when none was left; a single one is returned as it is. */
fg_xquery_t *fg_qx_combine(parser_t *p, fg_xquery_op_t op, fg_xquery_t **subs, size_t n,
                           uint32_t window);

/* Appends q (NULL is skipped); frees q and records NOMEM on failure. */
void fg_qlist_add(parser_t *p, qlist_t *l, fg_xquery_t *q);

/* Records a word and its stem (may be NULL) for highlighting. */
void fg_qx_remember(parser_t *p, const char *word, const char *stem);

/* The query for a word of the query text; *all_stop is set when every token
 * of it is a stop word. */
fg_xquery_t *fg_qx_word(parser_t *p, const char *s, size_t n, bool positive, bool *all_stop);

/* The query for a quoted phrase s[0..n): a phrase over its positional terms
 * (one word: as fg_qx_word()). */
fg_xquery_t *fg_qx_phrase(parser_t *p, const char *s, size_t n, bool positive);

/* Appends the positional terms of s[0..n) (a NEAR operand) to l. */
void fg_qx_near_terms(parser_t *p, const char *s, size_t n, bool positive, qlist_t *l);

/* title:value: each word of value among the title words. */
fg_xquery_t *fg_qx_title(parser_t *p, const char *s, size_t n, bool positive);

#endif
