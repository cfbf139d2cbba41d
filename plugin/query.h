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

#include "index/index.h"
#include "stemmers/analysis.h"

/*
 * How much each way of matching a query word counts (factors on BM25 weights).
 * A word is searched as: its folded form (exact), its stem, its stem in
 * document titles, in the lead of documents, as a part of document compounds,
 * and as a weak variant (umlauts dropped); a compound query word also through
 * its parts.  Zero leaves that way out.
 */
typedef struct fg_rank_weights {
    double exact;  /* the folded form as written */
    double stem;   /* its stem */
    double title;  /* its stem among the title words */
    double lead;   /* its stem among the first words of a document */
    double part;   /* its stem as a part of a compound in a document */
    double qpart;  /* the parts of a compound query word */
    double weak;   /* weak spelling variants */
} fg_rank_weights_t;

/* Fills w with the defaults (chosen on the man-page dev set, see README). */
void fg_rank_weights_default(fg_rank_weights_t *w);

/* The folded words and stems a query looks for (for highlighting). */
typedef struct fg_termset {
    char **exact;
    size_t n_exact, cap_exact;
    char **stems;
    size_t n_stems, cap_stems;
} fg_termset_t;

/* Frees what a term set owns; it is then empty. */
void fg_termset_free(fg_termset_t *ts);

/* True when the folded word or its stem is one the query looks for. */
bool fg_termset_matches(const fg_termset_t *ts, const char *term, const char *stem);

/*
 * Parses and analyses query text (UTF-8 NFC; decode it first).  On success *out
 * is the query (NULL when nothing searchable is left, e.g. only stop words);
 * terms receives the positive words and stems.  msg receives a warning about
 * malformed input on success ("" when none), or the error on failure.
 * Returns FG_OK, FG_NOMEM, or FG_XAPIAN.
 */
fg_status_t fg_query_parse(fg_analyzer_t *a, const fg_rank_weights_t *w, const char *text,
                           fg_xquery_t **out, fg_termset_t *terms, char *msg, size_t msglen);

#endif
