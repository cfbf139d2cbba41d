/*
 * query.h - query text -> Xapian query, analysed like documents.
 *
 * The query language (Xapian QueryParser-like, with German operator words):
 *   word word        documents matching more of the words rank higher (OR)
 *   "a phrase"       the words in this order (over stems, so inflected forms match)
 *   a AND b, a UND b     both
 *   a OR b, a ODER b     either
 *   a NOT b, a NICHT b   a without b; a leading NOT means "everything but"
 *   +word  -word     must / must not contain word
 *   ( ... )          grouping
 *   a NEAR/n b       a and b at most n words apart (NEAR alone: 10; NAH/n too)
 *   Verzeich*        every word starting with "verzeich" (at most max_wildcard
 *                    of them, else the search fails with FG_QUERY)
 *   title:w  titel:  w in the title; title:"a b" both in the title
 *   path:D dir: pfad: ordner:   documents in folder D and below (relative
 *                    paths and ~ are resolved against the working and home folder)
 *   ext:md type: typ:   the extension ("ext:md,txt": either)
 *   date:2024 datum:    the document date: 2024, 2024-07, 2024-07-15, ranges
 *                    2024-07..2024-12, ..2023, 2023.. (inclusive)
 * Field values may be quoted (title:"…").  path, ext and date filter (they
 * add no weight); several filters of one field are OR-ed, of different fields
 * AND-ed.  An unknown field ("foo:bar") is searched as words, with a warning.
 * Operators are recognised in capitals only ("und" is a word, a stop word).
 * Every word goes through the index's own analyzer: its folded form and its
 * stem are both searched (OR), so exact forms score above other inflections.
 * Stop words are left out of the ranked words unless nothing else is left;
 * inside phrases they are kept.
 *
 * Malformed input is searched on a best-effort reading (an unclosed quote runs
 * to the end, an unbalanced parenthesis is ignored) and a warning says so.
 */
#ifndef FG_PLUGIN_QUERY_H
#define FG_PLUGIN_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "index/index.h"
#include "stemmers/analysis.h"

/* The weights of the ways a query word matches: fg_rank_weights_t of
 * config/config.h ([ranking] *_weight). */

/* A plain word of the query text (for spelling suggestions). */
typedef struct fg_qword {
    size_t offset, length; /* its bytes in the query text */
    char *term;            /* folded form */
    char *stem;            /* its stem, or NULL */
} fg_qword_t;

/* The folded words and stems a query looks for (for highlighting). */
typedef struct fg_termset {
    char **exact;
    size_t n_exact, cap_exact;
    char **stems;
    size_t n_stems, cap_stems;
    char **prefixes; /* folded prefixes of wildcards */
    size_t n_prefixes, cap_prefixes;
    fg_qword_t *words; /* the positive plain words, in query order */
    size_t n_words, cap_words;
} fg_termset_t;

/* Adds a stem to the set (e.g. from "more like this"); false when memory ran out. */
bool fg_termset_add_stem(fg_termset_t *ts, const char *stem);

/* Parsing options. */
typedef struct fg_query_opts {
    uint32_t max_wildcard; /* words a prefix wildcard may expand to (0: 1000) */
} fg_query_opts_t;

/* Frees what a term set owns; it is then empty. */
void fg_termset_free(fg_termset_t *ts);

/* True when the folded word or its stem is one the query looks for, or the
 * folded word starts with one of the wildcard prefixes. */
bool fg_termset_matches(const fg_termset_t *ts, const char *term, const char *stem);

/*
 * Parses and analyses query text (UTF-8 NFC; decode it first).  On success *out
 * is the query (NULL when nothing searchable is left, e.g. only stop words);
 * terms receives the positive words and stems.  msg receives a warning about
 * malformed input on success ("" when none), or the error on failure.
 * Returns FG_OK, FG_NOMEM, or FG_XAPIAN.
 */
fg_status_t fg_query_parse(fg_analyzer_t *a, const fg_rank_weights_t *w, const fg_query_opts_t *qo,
                           const char *text, fg_xquery_t **out, fg_termset_t *terms, char *msg,
                           size_t msglen);

#endif
