/*
 * plugin-private.h - what the files of libfundgrube.so share: the handle
 * (struct fg_handle of fundgrube.h) and the steps of a search, one file each.
 *
 *   plugin.c         the entry point, the function table, open/close, errors
 *   search.c         a page of results (search, similar, results_free)
 *   hits.c           one hit: path, title, date, duplicates, snippet
 *   snippet_cache.c  snippets shared by copies of a file on one page
 *   facets.c         the hits counted by type, year and top folder
 *   suggest.c        "Meinten Sie": a close word of the index
 *   document.c       one document's text with the matches marked (1.4),
 *                    completions of a word from the vocabulary
 *
 * Nothing here is exported: the plugin is built with hidden visibility and a
 * version script (fundgrube.sym) that leave fundgrube_plugin_entry alone.
 */
#ifndef FG_PLUGIN_PLUGIN_PRIVATE_H
#define FG_PLUGIN_PLUGIN_PRIVATE_H

#include <stdint.h>

#include "config/config.h"
#include "fundgrube/fundgrube.h"
#include "index/index.h"
#include "plugin/query.h"
#include "plugin/snippet_cache.h"
#include "stemmers/analysis.h"

#define ERRLEN 1024 /* bytes of an error text */

/* An open index with its analyzer and search settings (opaque to hosts). */
struct fg_handle {
    fg_index_t *index;
    fg_analyzer_t *analyzer;
    double bm25_k1, bm25_b;
    fg_rank_weights_t weights;
    uint32_t max_wildcard; /* [search] max_wildcard: the default of the option */
    uint64_t max_file_size;
    char *shards;              /* [cluster] shards as a shard list's text, or NULL */
    fg_cluster_opts_t cluster; /* [cluster] timeouts (its shards: the field above) */
    char err[ERRLEN];
};

/* plugin.c: sets the handle's error text (what last_error() returns),
 * printf-style; returns status. */
int fg_plugin_set_error(fg_handle_t *h, int status, const char *fmt, ...);

/* search.c: runs a ranked search; *out is freed with fg_plugin_results_free()
 * (see search in fundgrube.h). */
int fg_plugin_search(fg_handle_t *h, const char *query, const fg_search_options_t *opts,
                     fg_results_t **out);

/* search.c: "more like this" for the document docid (see similar in
 * fundgrube.h). */
int fg_plugin_similar(fg_handle_t *h, uint32_t docid, const fg_search_options_t *opts,
                      fg_results_t **out);

/* search.c: frees a page of results and all it holds (NULL is fine). */
void fg_plugin_results_free(fg_results_t *r);

/* hits.c: fills one hit from the result entry qh: path, title, sizes, date,
 * duplicates and (unless o says no snippets) its snippet for the words of ts,
 * shared through cache with copies of the file.  What it filled is freed with
 * the results, also on failure.  Returns FG_OK, FG_NOMEM or a read error. */
fg_status_t fg_plugin_fill_hit(fg_handle_t *h, const fg_termset_t *ts, const fg_qhit_t *qh,
                               const fg_search_options_t *o, snippet_cache_t *cache, fg_hit_t *hit);

/* hits.c: the text the index keeps of a document format (FG_VALUE_TEXT),
 * unpacked into *text (*len bytes; NULL when it keeps none or the copy is
 * damaged).  Returns FG_OK, FG_NOMEM or the index's error. */
fg_status_t fg_plugin_stored_text(fg_handle_t *h, uint32_t docid, char **text, size_t *len);

/* hits.c: the type of a document from its FG_DATA_FORMAT (format), else
 * the extension of path; malloc'ed, NULL when out of memory. */
char *fg_plugin_hit_type(const char *format, const char *path);

/* hits.c: the date of a document as "YYYY-MM-DD" or "YYYY-MM" from its
 * FG_DATA_DATE (date) else its mtime; malloc'ed, NULL when out of memory. */
char *fg_plugin_hit_date(const char *date, int64_t mtime);

/* document.c: one document (see document in fundgrube.h). */
int fg_plugin_document(fg_handle_t *h, uint32_t docid, const char *query,
                       const fg_search_options_t *opts, fg_document_t **out);

/* document.c: frees a document (NULL is fine). */
void fg_plugin_document_free(fg_document_t *d);

/* document.c: words of the vocabulary starting with prefix (see complete
 * in fundgrube.h). */
int fg_plugin_complete(fg_handle_t *h, const char *prefix, uint32_t max, fg_words_t **out);

/* document.c: frees words (NULL is fine). */
void fg_plugin_words_free(fg_words_t *w);

/* facets.c: builds the three facets of r ("type", "year", "folder") from the
 * value counts of qr (slots: ext, date, folder).  What it built is freed with
 * the results, also on failure.  Returns FG_OK or FG_NOMEM. */
fg_status_t fg_plugin_make_facets(const fg_qresult_t *qr, fg_results_t *r);

/*
 * suggest.c: the query text with every plain word that matches nothing in
 * the index replaced by the closest word of the index (edit distance at most
 * 2, same first letter, the most frequent among equally close ones); *out
 * (malloc'ed) NULL when no word was replaced.  Returns FG_OK, FG_NOMEM or the
 * index's error.
 */
fg_status_t fg_plugin_suggest(fg_handle_t *h, const char *text, const fg_termset_t *ts, char **out);

#endif
