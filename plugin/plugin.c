/*
 * plugin.c - libfundgrube's one entry point and its function table
 * (see include/fundgrube/fundgrube.h).
 */
#include "fundgrube/fundgrube.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "extract/extract.h"
#include "feed/docbuild.h"
#include "index/index.h"
#include "plugin/query.h"
#include "plugin/snippet.h"
#include "stemmers/analysis.h"

#define FG_API __attribute__((visibility("default")))
#define MAX_LIMIT 10000
#define ERRLEN 1024

struct fg_handle {
    fg_index_t *index;
    fg_analyzer_t *analyzer;
    double bm25_k1, bm25_b;
    fg_rank_weights_t weights;
    uint64_t max_file_size;
    uint64_t doc_count;
    char err[ERRLEN];
};

/* Sets the handle's error text, printf-style; returns status. */
static int set_error(fg_handle_t *h, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->err, sizeof h->err, fmt, ap);
    va_end(ap);
    return status;
}

/* ------------------------------------------------------------ open/close */

/* The plugin's version text. */
static const char *plugin_version(void) {
    return PROJECT_VERSION;
}

/* Closes a handle (see fundgrube.h). */
static void plugin_close(fg_handle_t *h) {
    if (!h)
        return;
    fg_index_close(h->index);
    fg_analyzer_free(h->analyzer);
    free(h);
}

/*
 * Opens an index read-only with the analysis settings recorded in it, and the
 * ranking settings of the user's configuration (see fundgrube.h).
 */
static int plugin_open(const char *index_path, fg_handle_t **out, char *err, size_t errlen) {
    char dummy[1];
    if (!err) {
        err = dummy;
        errlen = sizeof dummy;
    }
    *out = NULL;
    if (!index_path) {
        snprintf(err, errlen, "no index path given");
        return FG_INVALID;
    }
    fg_handle_t *h = calloc(1, sizeof *h);
    if (!h) {
        snprintf(err, errlen, "%s", fg_status_str(FG_NOMEM));
        return FG_NOMEM;
    }
    fg_config_t cfg;
    fg_status_t st = fg_config_load(&cfg, NULL, err, errlen);
    if (st != FG_OK) {
        free(h);
        return st;
    }
    fg_rank_weights_default(&h->weights);
    h->bm25_k1 = cfg.bm25_k1;
    h->bm25_b = cfg.bm25_b;
    h->max_file_size = cfg.max_file_size;
    fg_config_free(&cfg);

    char *settings_text = NULL;
    fg_analysis_settings_t settings;
    st = fg_index_open_readonly(index_path, &h->index, err, errlen);
    if (st != FG_OK)
        goto fail;
    st = fg_index_get_metadata(h->index, FG_META_ANALYSIS, &settings_text);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_index_error(h->index));
        goto fail;
    }
    if (settings_text[0] == '\0')
        fg_analysis_settings_default(&settings);
    else if ((st = fg_analysis_settings_parse(settings_text, &settings, err, errlen)) != FG_OK)
        goto fail;
    st = fg_analyzer_new(&settings, &h->analyzer, err, errlen);
    if (st != FG_OK)
        goto fail;
    st = fg_index_doc_count(h->index, &h->doc_count);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_index_error(h->index));
        goto fail;
    }
    free(settings_text);
    *out = h;
    return FG_OK;
fail:
    free(settings_text);
    plugin_close(h);
    return st;
}

/* Text of the last failure on h. */
static const char *plugin_last_error(const fg_handle_t *h) {
    return h ? h->err : "";
}

/* Number of documents (see fundgrube.h). */
static int plugin_doc_count(fg_handle_t *h, uint64_t *out) {
    fg_status_t st = fg_index_reopen(h->index);
    if (st == FG_OK)
        st = fg_index_doc_count(h->index, &h->doc_count);
    if (st != FG_OK)
        return set_error(h, st, "%s", fg_index_error(h->index));
    *out = h->doc_count;
    return FG_OK;
}

/* ------------------------------------------------------------ results */

/* Frees results (see fundgrube.h). */
static void plugin_results_free(fg_results_t *r) {
    if (!r)
        return;
    for (size_t i = 0; i < r->count; i++) {
        fg_hit_t *hit = (fg_hit_t *)FG_RESULTS_HIT(r, i);
        free((char *)hit->path);
        free((char *)hit->title);
        free((char *)hit->snippet);
    }
    free((void *)r->hits);
    free(r);
}

/* The snippet of one hit: from the file as it is now (extracted as at
 * indexing), else from the sample stored in the index. */
static fg_status_t hit_snippet(fg_handle_t *h, const fg_termset_t *ts, const char *path,
                               const char *sample, const fg_search_options_t *o, char **out) {
    fg_extracted_t ex;
    char err[ERRLEN];
    size_t length = o->snippet_length ? o->snippet_length : 200;
    const char *hs = o->hl_start ? o->hl_start : "[";
    const char *he = o->hl_end ? o->hl_end : "]";
    bool html = (o->flags & FG_SEARCH_HTML) != 0;
    fg_status_t st = fg_extract_file(path, h->max_file_size, &ex, err, sizeof err);
    if (st == FG_NOMEM)
        return st;
    if (st == FG_OK) {
        st = fg_snippet_make(h->analyzer, ts, ex.text + ex.body_offset,
                             ex.text_len - ex.body_offset, length, hs, he, html, out);
        fg_extracted_free(&ex);
        return st;
    }
    return fg_snippet_make(h->analyzer, ts, sample, strlen(sample), length, hs, he, html, out);
}

/* Fills one hit from an mset entry. */
static fg_status_t fill_hit(fg_handle_t *h, const fg_termset_t *ts, const fg_mset_hit_t *mh,
                            const fg_search_options_t *o, fg_hit_t *hit) {
    char *mtime = NULL, *size = NULL, *sample = NULL;
    fg_status_t st = fg_docdata_get(mh->data, mh->data_len, "url", (char **)&hit->path);
    if (st == FG_OK)
        st = fg_docdata_get(mh->data, mh->data_len, "caption", (char **)&hit->title);
    if (st == FG_OK)
        st = fg_docdata_get(mh->data, mh->data_len, "modtime", &mtime);
    if (st == FG_OK)
        st = fg_docdata_get(mh->data, mh->data_len, "size", &size);
    if (st == FG_OK)
        st = fg_docdata_get(mh->data, mh->data_len, "sample", &sample);
    if (st == FG_OK) {
        hit->mtime = strtoll(mtime, NULL, 10);
        hit->size = strtoull(size, NULL, 10);
        hit->score = mh->weight;
        hit->percent = mh->percent;
        hit->rank = mh->rank + 1;
        hit->docid = mh->docid;
        if (o->flags & FG_SEARCH_NO_SNIPPETS)
            hit->snippet = strdup(""), st = hit->snippet ? FG_OK : FG_NOMEM;
        else
            st = hit_snippet(h, ts, hit->path, sample, o, (char **)&hit->snippet);
    }
    free(mtime);
    free(size);
    free(sample);
    return st;
}

/* ------------------------------------------------------------ search */

/* Runs a ranked search (see fundgrube.h). */
static int plugin_search(fg_handle_t *h, const char *query, const fg_search_options_t *opts,
                         fg_results_t **out) {
    *out = NULL;
    h->err[0] = '\0';
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
    if (!query)
        return set_error(h, FG_INVALID, "no query given");

    fg_results_t *r = calloc(1, sizeof *r);
    if (!r)
        return set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
    r->struct_size = sizeof *r;
    r->hit_size = sizeof(fg_hit_t);

    char *text = NULL;
    size_t text_len = 0;
    fg_xquery_t *q = NULL;
    fg_termset_t ts = {0};
    fg_mset_t *m = NULL;
    char msg[ERRLEN];
    fg_status_t st = fg_text_decode(query, strlen(query), &text, &text_len, NULL);
    if (st != FG_OK) {
        set_error(h, st, "decoding the query: %s", fg_status_str(st));
        goto fail;
    }
    st = fg_query_parse(h->analyzer, &h->weights, text, &q, &ts, msg, sizeof msg);
    if (st != FG_OK) {
        set_error(h, st, "%s", msg);
        goto fail;
    }
    if (msg[0])
        snprintf(h->err, sizeof h->err, "warning: %.*s", (int)sizeof h->err - 16, msg);
    st = fg_index_reopen(h->index);
    if (st != FG_OK) {
        set_error(h, st, "%s", fg_index_error(h->index));
        goto fail;
    }
    if (q) {
        fg_search_params_t sp;
        fg_search_params_default(&sp);
        sp.offset = o.offset;
        sp.limit = o.limit;
        sp.bm25_k1 = h->bm25_k1;
        sp.bm25_b = h->bm25_b;
        st = fg_index_search(h->index, q, &sp, &m);
        if (st != FG_OK) {
            set_error(h, st, "%s", fg_index_error(h->index));
            goto fail;
        }
        size_t n = fg_mset_size(m);
        r->total_estimate = fg_mset_estimate(m);
        fg_hit_t *hits = calloc(n ? n : 1, sizeof *hits);
        if (!hits) {
            st = set_error(h, FG_NOMEM, "%s", fg_status_str(FG_NOMEM));
            goto fail;
        }
        r->hits = hits;
        for (size_t i = 0; i < n; i++) {
            st = fill_hit(h, &ts, fg_mset_hit(m, i), &o, &hits[i]);
            r->count = i + 1; /* so results_free frees what fill_hit made */
            if (st != FG_OK) {
                set_error(h, st, "reading hit %zu: %s", i + 1, fg_status_str(st));
                goto fail;
            }
        }
    }
    fg_index_doc_count(h->index, &h->doc_count);
    fg_mset_free(m);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    free(text);
    *out = r;
    return FG_OK;
fail:
    fg_mset_free(m);
    fg_xquery_free(q);
    fg_termset_free(&ts);
    free(text);
    plugin_results_free(r);
    return st;
}

/* ------------------------------------------------------------ entry point */

static const fg_plugin_api_t api = {
    .abi_major = FG_PLUGIN_ABI_MAJOR,
    .abi_minor = FG_PLUGIN_ABI_MINOR,
    .struct_size = sizeof(fg_plugin_api_t),
    .version = plugin_version,
    .status_str = fg_status_str,
    .open = plugin_open,
    .search = plugin_search,
    .results_free = plugin_results_free,
    .last_error = plugin_last_error,
    .close = plugin_close,
    .doc_count = plugin_doc_count,
};

/* The one exported symbol (see fundgrube.h). */
FG_API const fg_plugin_api_t *fundgrube_plugin_entry(uint32_t host_abi_major) {
    return host_abi_major == FG_PLUGIN_ABI_MAJOR ? &api : NULL;
}
