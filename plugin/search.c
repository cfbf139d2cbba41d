/*
 * search.c - a page of results: the options as the plugin knows them, the
 * index's query run, the hits, facets and suggestion put together, and
 * "more like this" (see search, similar and results_free in fundgrube.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index/schema.h"
#include "plugin/plugin-private.h"
#include "plugin/snippet_cache.h"

#define MAX_LIMIT 10000
/* The longest query: a search box's text, not a document (a query of every
 * word of a book would be a huge OR over the index). */
#define FG_QUERY_MAX_BYTES 4096
#define SIMILAR_TERMS 25  /* terms of a "more like this" query */
#define FACET_CHECK 10000 /* matches looked at for facets: exact below this */

/* ------------------------------------------------------------ results */

/* Frees results (see results_free in fundgrube.h). */
void fg_plugin_results_free(fg_results_t *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        fg_hit_t *hit = (fg_hit_t *)FG_RESULTS_HIT(r, i);
        free((char *)hit->path);
        free((char *)hit->title);
        free((char *)hit->snippet);
        free((char *)hit->date);
        free((char *)hit->type);
        free((char *)hit->author);
        free((char *)hit->attachment);
        for (size_t k = 0; k < hit->n_duplicates; k++)
            free((char *)hit->duplicates[k]);
        free((void *)hit->duplicates);
    }
    for (size_t f = 0; f < r->n_facets; f++) {
        for (size_t k = 0; k < r->facets[f].count; k++)
            free((char *)r->facets[f].values[k].value);
        free((void *)r->facets[f].values);
    }
    free((void *)r->facets);
    free((char *)r->suggestion);
    free((char *)r->warnings);
    free((void *)r->hits);
    free(r);
}

/* ------------------------------------------------------------ search */

/* The options as this plugin knows them, from what the host passed (unset
 * ones take the defaults, max_wildcard the configuration's). */
static fg_search_options_t options_of(const fg_handle_t *h, const fg_search_options_t *opts) {
    fg_search_options_t o = {0};
    if (opts) {
        size_t n = opts->struct_size < sizeof o ? opts->struct_size : sizeof o;
        memcpy(&o, opts, n);
    }
    o.struct_size = sizeof o;
    if (o.limit == 0)
        o.limit = 10;
    if (o.limit > MAX_LIMIT)
        o.limit = MAX_LIMIT;
    if (o.max_wildcard == 0)
        o.max_wildcard = h->max_wildcard;
    return o;
}

/* A new, empty page of results (NULL when memory ran out). */
static fg_results_t *results_new(void) {
    fg_results_t *r = calloc(1, sizeof *r);
    if (r) {
        r->struct_size = sizeof *r;
        r->hit_size = sizeof(fg_hit_t);
    }
    return r;
}

/* Runs q with the options o and fills r (hits, facets). */
static int run(fg_handle_t *h, const fg_xquery_t *q, const fg_termset_t *ts,
               const fg_search_options_t *o, fg_results_t *r) {
    static const unsigned facet_slots[4] = {FG_VALUE_EXT, FG_VALUE_DATE, FG_VALUE_FOLDER,
                                            FG_VALUE_AUTHOR};
    fg_query_params_t qp;
    fg_query_params_default(&qp);
    qp.offset = o->offset;
    qp.limit = o->limit;
    qp.bm25_k1 = h->bm25_k1;
    qp.bm25_b = h->bm25_b;
    if (o->sort == FG_SORT_DATE) {
        qp.sort_value = FG_VALUE_DATE;
        qp.sort_reverse = true;
    }
    if (o->flags & FG_SEARCH_COLLAPSE)
        qp.collapse_value = FG_VALUE_CHECKSUM;
    if (o->flags & FG_SEARCH_FACETS) {
        qp.facet_slots = facet_slots;
        qp.n_facet_slots = 4;
        qp.check_at_least = FACET_CHECK;
    }
    qp.content = !(o->flags & FG_SEARCH_NO_SNIPPETS); /* content keys for the snippet cache */
    qp.time_limit_ms = o->time_limit_ms;
    fg_qresult_t *qr = NULL;
    fg_status_t st = fg_index_query(h->index, q, &qp, &qr);
    if (st == FG_QUERY)
        return fg_plugin_set_error(
            h, st, "a wildcard matches more than %u words: make its prefix longer (%s)",
            o->max_wildcard, fg_index_error(h->index));
    if (st != FG_OK)
        return fg_plugin_set_error(h, st, "%s", fg_index_error(h->index));
    r->total_estimate = qr->estimate;
    r->timed_out = qr->timed_out;
    fg_hit_t *hits = calloc(qr->n ? qr->n : 1, sizeof *hits);
    if (!hits) {
        fg_qresult_free(qr);
        return fg_plugin_set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
    }
    r->hits = hits;
    snippet_cache_t cache = {0};
    for (size_t i = 0; i < qr->n; i++) {
        st = fg_plugin_fill_hit(h, ts, &qr->hits[i], o, &cache, &hits[i]);
        r->count = i + 1; /* so results_free frees what fill_hit made */
        if (st != FG_OK) {
            fg_snippet_cache_free(&cache);
            fg_qresult_free(qr);
            return fg_plugin_set_error(h, st, "reading hit %zu: %s", i + 1, fg_status_str(st));
        }
    }
    fg_snippet_cache_free(&cache);
    if (o->flags & FG_SEARCH_FACETS)
        st = fg_plugin_make_facets(qr, r);
    fg_qresult_free(qr);
    if (st != FG_OK)
        return fg_plugin_set_error(h, st, "%s", fg_status_str(st));
    const char *warnings = fg_index_warnings(h->index); /* shards left out */
    if (warnings[0] && !(r->warnings = strdup(warnings)))
        return fg_plugin_set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
    return FG_OK;
}

/* Runs a ranked search (see search in fundgrube.h). */
int fg_plugin_search(fg_handle_t *h, const char *query, const fg_search_options_t *opts,
                     fg_results_t **out) {
    *out = NULL;
    h->err[0] = '\0';
    fg_search_options_t o = options_of(h, opts);
    if (!query)
        return fg_plugin_set_error(h, FG_INVALID, "no query given");
    size_t qlen = strnlen(query, FG_QUERY_MAX_BYTES + 1);
    if (qlen > FG_QUERY_MAX_BYTES)
        return fg_plugin_set_error(h, FG_INVALID, "query too long: more than %d bytes",
                                   FG_QUERY_MAX_BYTES);

    fg_results_t *r = results_new();
    if (!r)
        return fg_plugin_set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));

    char *text = NULL;
    size_t text_len = 0;
    fg_xquery_t *q = NULL;
    fg_termset_t ts = {0};
    char msg[ERRLEN];
    fg_query_opts_t qo = {.max_wildcard = o.max_wildcard};
    fg_status_t st = fg_text_decode(query, strlen(query), &text, &text_len, NULL);
    if (st != FG_OK) {
        fg_plugin_set_error(h, st, "decoding the query: %s", fg_status_str(st));
        goto fail;
    }
    st = fg_query_parse(h->analyzer, &h->weights, &qo, text, &q, &ts, msg, sizeof msg);
    if (st != FG_OK) {
        fg_plugin_set_error(h, st, "%s", msg);
        goto fail;
    }
    st = fg_index_reopen(h->index);
    if (st != FG_OK) {
        fg_plugin_set_error(h, st, "%s", fg_index_error(h->index));
        goto fail;
    }
    if (q && (st = run(h, q, &ts, &o, r)) != FG_OK)
        goto fail;
    if (o.flags & FG_SEARCH_SUGGEST) {
        st = fg_plugin_suggest(h, text, &ts, (char **)&r->suggestion);
        if (st != FG_OK) {
            fg_plugin_set_error(h, st, "spelling suggestion: %s",
                                st == FG_NOMEM ? fg_status_str(st) : fg_index_error(h->index));
            goto fail;
        }
    }
    if (msg[0])
        snprintf(h->err, sizeof h->err, "warning: %.*s", (int)sizeof h->err - 16, msg);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    free(text);
    *out = r;
    return FG_OK;
fail:
    fg_xquery_free(q);
    fg_termset_free(&ts);
    free(text);
    fg_plugin_results_free(r);
    return st;
}

/* "More like this" (see similar in fundgrube.h). */
int fg_plugin_similar(fg_handle_t *h, uint32_t docid, const fg_search_options_t *opts,
                      fg_results_t **out) {
    *out = NULL;
    h->err[0] = '\0';
    fg_search_options_t o = options_of(h, opts);
    fg_xquery_t *q = NULL;
    fg_termset_t ts = {0};
    char **terms = NULL;
    size_t n_terms = 0;
    fg_results_t *r = results_new();
    if (!r)
        return fg_plugin_set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
    fg_status_t st = fg_index_reopen(h->index);
    if (st == FG_OK)
        st = fg_index_similar(h->index, docid, FG_PREFIX_STEM, SIMILAR_TERMS, &q, &terms, &n_terms);
    if (st != FG_OK) {
        fg_plugin_set_error(h, st, "%s", fg_index_error(h->index));
        goto fail;
    }
    for (size_t i = 0; i < n_terms; i++)
        if (!fg_termset_add_stem(&ts, terms[i])) {
            st = fg_plugin_set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
            goto fail;
        }
    if ((st = run(h, q, &ts, &o, r)) != FG_OK)
        goto fail;
    *out = r;
    r = NULL;
fail:
    for (size_t i = 0; i < n_terms; i++)
        free(terms[i]);
    free(terms);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    fg_plugin_results_free(r);
    return st;
}
