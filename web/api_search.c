/*
 * api_search.c - GET /api/search and GET /api/similar/{docid}: a page of
 * ranked hits as JSON, snippets HTML-escaped with <mark> around matches
 * (see web-private.h and the README's "Web" section).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web-private.h"

/* The JSON of one hit (see web-private.h). */
json_t *web_hit_json(const fg_results_t *res, const fg_hit_t *hit) {
    (void)res;
    json_t *j = json_object(), *d = json_array();
    json_object_set_new(j, "docid", json_integer(hit->docid));
    json_object_set_new(j, "path", web_json_str(hit->path));
    json_object_set_new(j, "title", web_json_str(hit->title));
    json_object_set_new(j, "type", web_json_str(hit->type));
    json_object_set_new(j, "date", web_json_str(hit->date));
    json_object_set_new(j, "author", web_json_str(hit->author));
    json_object_set_new(j, "score", json_real(hit->score));
    json_object_set_new(j, "percent", json_integer(hit->percent));
    json_object_set_new(j, "rank", json_integer(hit->rank));
    json_object_set_new(j, "snippet", web_json_str(hit->snippet));
    json_object_set_new(j, "page", json_integer(hit->page));
    json_object_set_new(j, "attachment", web_json_str(hit->attachment));
    json_object_set_new(j, "size", json_integer((json_int_t)hit->size));
    for (size_t i = 0; i < hit->n_duplicates; i++)
        json_array_append_new(d, web_json_str(hit->duplicates[i]));
    json_object_set_new(j, "duplicates", d);
    return j;
}

/* The facets of res: {"type": [{"value", "count"}], "year": ..., ...}. */
static json_t *facets_json(const fg_results_t *res) {
    json_t *j = json_object();
    for (size_t f = 0; f < res->n_facets; f++) {
        json_t *a = json_array();
        for (size_t k = 0; k < res->facets[f].count; k++)
            json_array_append_new(
                a, json_pack("{s:o, s:I}", "value", web_json_str(res->facets[f].values[k].value),
                             "count", (json_int_t)res->facets[f].values[k].count));
        json_object_set_new(j, res->facets[f].name, a);
    }
    return j;
}

/* The reply of a search or a "more like this": took_ms, total, hits,
 * facets, suggestion, warnings. */
static json_t *results_json(const fg_results_t *res, const char *warning, double took_ms,
                            bool facets) {
    json_t *hits = json_array(), *warnings = json_array();
    for (size_t i = 0; i < res->count; i++)
        json_array_append_new(hits, web_hit_json(res, FG_RESULTS_HIT(res, i)));
    if (warning && *warning)
        json_array_append_new(
            warnings, web_json_str(strncmp(warning, "warning: ", 9) == 0 ? warning + 9 : warning));
    const char *w = res->struct_size >= offsetof(fg_results_t, warnings) + sizeof res->warnings
                        ? res->warnings
                        : NULL;
    while (w && *w) { /* ABI 1.6: a shard left out, a line each */
        const char *nl = strchr(w, '\n');
        size_t len = nl ? (size_t)(nl - w) : strlen(w);
        json_array_append_new(warnings, json_stringn(w, len));
        w += len + (nl ? 1 : 0);
    }
    bool timed_out =
        res->struct_size >= offsetof(fg_results_t, timed_out) + sizeof(int) && res->timed_out;
    if (timed_out)
        json_array_append_new(warnings,
                              json_string("the search took longer than [web] time_limit: the "
                                          "hits are those found until then"));
    json_t *j = json_pack("{s:f, s:I, s:o, s:o, s:b}", "took_ms", took_ms, "total",
                          (json_int_t)res->total_estimate, "hits", hits, "warnings", warnings,
                          "timed_out", timed_out);
    json_object_set_new(j, "facets", facets ? facets_json(res) : json_object());
    json_object_set_new(j, "suggestion",
                        res->suggestion ? web_json_str(res->suggestion) : json_null());
    return j;
}

/* The search options of the request's parameters (offset, limit, sort,
 * facets, duplicates); false after replying 400. */
static bool search_options(web_req_t *r, fg_search_options_t *so, bool *facets) {
    *so = (fg_search_options_t){.struct_size = sizeof *so,
                                .hl_start = "<mark>",
                                .hl_end = "</mark>",
                                .flags = FG_SEARCH_HTML | FG_SEARCH_COLLAPSE | FG_SEARCH_SUGGEST};
    uint32_t offset, limit;
    if (!web_param_uint(r, "offset", 0, 0, FG_WEB_MAX_OFFSET, &offset) ||
        !web_param_uint(r, "limit", 10, 1, FG_WEB_MAX_LIMIT, &limit))
        return false;
    so->offset = offset;
    so->limit = limit;
    const char *sort = web_param(r, "sort");
    if (sort && strcmp(sort, "date") == 0) {
        so->sort = FG_SORT_DATE;
    } else if (sort && *sort && strcmp(sort, "relevance") != 0) {
        web_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                        "sort: expected relevance or date");
        return false;
    }
    bool ok;
    *facets = web_param_flag(r, "facets", &ok);
    if (!ok)
        return false;
    if (*facets)
        so->flags |= FG_SEARCH_FACETS;
    if (web_param_flag(r, "duplicates", &ok))
        so->flags &= ~FG_SEARCH_COLLAPSE; /* every copy a hit of its own */
    if (!ok)
        return false;
    so->max_wildcard = r->conf->cfg.max_wildcard;
    so->time_limit_ms = r->conf->cfg.web_time_limit_ms;
    return true;
}

/* Replies with the plugin's answer st to a search: the results, 400 for a
 * query the plugin refused, 404 for an unknown docid, else 500. */
static enum MHD_Result reply_results(web_req_t *r, fg_handle_t *h, int st, fg_results_t *res,
                                     double started, bool facets) {
    if (st == FG_QUERY || st == FG_INVALID)
        return web_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_query", "%s", r->api->last_error(h));
    if (st == FG_NOT_FOUND)
        return web_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "%s", r->api->last_error(h));
    if (st != FG_OK)
        return web_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "search_failed", "%s",
                               r->api->last_error(h));
    json_t *j = results_json(res, r->api->last_error(h), web_now_ms() - started, facets);
    r->api->results_free(res);
    return web_reply_json(r, MHD_HTTP_OK, j);
}

/* GET /api/search?q=&offset=&limit=&sort=&facets=&duplicates= */
enum MHD_Result web_api_search(web_req_t *r) {
    double started = web_now_ms();
    bool ok, facets;
    const char *q = web_param_text(r, "q", &ok);
    if (!ok)
        return MHD_YES;
    if (!q)
        return web_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "q: missing");
    fg_search_options_t so;
    if (!search_options(r, &so, &facets))
        return MHD_YES;
    fg_handle_t *h = web_handle(r);
    if (!h)
        return MHD_YES;
    fg_results_t *res = NULL;
    int st = r->api->search(h, q, &so, &res);
    return reply_results(r, h, st, res, started, facets);
}

/* GET /api/similar/{docid}?offset=&limit=&sort=&facets= */
enum MHD_Result web_api_similar(web_req_t *r, uint32_t docid) {
    double started = web_now_ms();
    bool facets;
    fg_search_options_t so;
    if (!search_options(r, &so, &facets))
        return MHD_YES;
    fg_handle_t *h = web_handle(r);
    if (!h)
        return MHD_YES;
    fg_results_t *res = NULL;
    int st = r->api->similar(h, docid, &so, &res);
    return reply_results(r, h, st, res, started, facets);
}
