/*
 * plugin.c - libfundgrube's one entry point and its function table
 * (see include/fundgrube/fundgrube.h), and the handle's life: open, close,
 * errors.  Searching is in search.c, hits.c, facets.c and suggest.c.
 */
#include "fundgrube/fundgrube.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "index/index.h"
#include "index/schema.h"
#include "plugin/plugin-private.h"
#include "stemmers/analysis.h"

#define FG_API __attribute__((visibility("default")))

/* Sets the handle's error text, printf-style; returns status (see
 * plugin-private.h). */
/* Appends to the message in buf (len bytes) what to do about a damaged
 * index. */
static void add_damaged_hint(char *buf, size_t len) {
    size_t n = strlen(buf);
    if (n < len)
        snprintf(buf + n, len - n, "%s%s", strstr(buf, "damaged") ? "" : ": the index is damaged",
                 "; fundgrubed rebuilds it from the watched folders when it starts, or remove "
                 "the index folder and run fundgrube index");
}

int fg_plugin_set_error(fg_handle_t *h, int status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(h->err, sizeof h->err, fmt, ap);
    va_end(ap);
    if (status == FG_CORRUPT)
        add_damaged_hint(h->err, sizeof h->err);
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
    free(h->shards);
    free(h);
}

/*
 * The text of a shard list (Xapian's stub format) for the items of
 * [cluster] shards: "remote:HOST:PORT" (or "remote HOST:PORT") gives
 * "remote HOST:PORT", a folder "auto FOLDER".  *out is NULL for no items.
 */
static fg_status_t shard_list_of(const fg_strlist_t *items, char **out, char *err, size_t errlen) {
    *out = NULL;
    if (items->count == 0)
        return FG_OK;
    size_t len = 1;
    for (size_t i = 0; i < items->count; i++)
        len += strlen(items->items[i]) + 8;
    char *text = malloc(len), *at = text;
    if (!text) {
        snprintf(err, errlen, "%s", fg_status_str(FG_NOMEM));
        return FG_NOMEM;
    }
    for (size_t i = 0; i < items->count; i++) {
        const char *item = items->items[i];
        if (strncmp(item, "remote:", 7) == 0 || strncmp(item, "remote ", 7) == 0)
            at += sprintf(at, "remote %s\n", item + 7);
        else
            at += sprintf(at, "auto %s\n", item);
    }
    *out = text;
    return FG_OK;
}

/*
 * The search settings of a handle: the built-in defaults with the host's
 * settings ("section.key=value", see open_with in fundgrube.h) over them,
 * checked by the configuration's own parser.  Never reads a file.
 */
static fg_status_t apply_settings(fg_handle_t *h, const char *const *settings, char *err,
                                  size_t errlen) {
    fg_config_t cfg;
    fg_status_t st = fg_config_init(&cfg);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_status_str(st));
        return st;
    }
    for (size_t i = 0; settings && settings[i] && st == FG_OK; i++) {
        const char *s = settings[i], *dot = strchr(s, '.'), *eq = strchr(s, '=');
        char section[64], key[64], why[512];
        if (!dot || !eq || dot > eq || (size_t)(dot - s) >= sizeof section ||
            (size_t)(eq - dot - 1) >= sizeof key) {
            snprintf(err, errlen, "setting \"%s\": expected section.key=value", s);
            st = FG_INVALID;
            break;
        }
        snprintf(section, sizeof section, "%.*s", (int)(dot - s), s);
        snprintf(key, sizeof key, "%.*s", (int)(eq - dot - 1), dot + 1);
        st = fg_config_set(&cfg, section, key, eq + 1, FG_CFG_COMMAND_LINE, why, sizeof why);
        if (st != FG_OK)
            snprintf(err, errlen, "setting \"%s\": %s", s, why);
    }
    if (st == FG_OK) {
        h->weights = cfg.weights;
        h->bm25_k1 = cfg.bm25_k1;
        h->bm25_b = cfg.bm25_b;
        h->max_file_size = cfg.max_file_size;
        h->max_wildcard = cfg.max_wildcard;
        h->cluster.timeout_ms = cfg.cluster_timeout_ms;
        h->cluster.connect_timeout_ms = cfg.cluster_connect_timeout_ms;
        h->cluster.retry_ms = cfg.cluster_retry_ms;
        st = shard_list_of(&cfg.cluster_shards, &h->shards, err, errlen);
    }
    fg_config_free(&cfg);
    return st;
}

/*
 * Opens an index read-only with the analysis settings recorded in it and the
 * host's search settings over the defaults (see open_with in fundgrube.h).
 */
static int plugin_open_with(const char *index_path, const char *const *host_settings,
                            fg_handle_t **out, char *err, size_t errlen) {
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
    fg_status_t st = apply_settings(h, host_settings, err, errlen);
    if (st != FG_OK) {
        free(h);
        return st;
    }

    char *settings_text = NULL;
    fg_analysis_settings_t settings;
    h->cluster.shards = h->shards; /* searched instead of index_path when set */
    st = fg_index_open_cluster(index_path, &h->cluster, &h->index, err, errlen);
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
    uint64_t docs = 0; /* the index can be read */
    st = fg_index_doc_count(h->index, &docs);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_index_error(h->index));
        goto fail;
    }
    free(settings_text);
    *out = h;
    return FG_OK;
fail:
    if (st == FG_CORRUPT && err && errlen)
        add_damaged_hint(err, errlen); /* the index's message says "is damaged" */
    free(settings_text);
    plugin_close(h);
    return st;
}

/* Opens an index with the default search settings (see fundgrube.h). */
static int plugin_open(const char *index_path, fg_handle_t **out, char *err, size_t errlen) {
    return plugin_open_with(index_path, NULL, out, err, errlen);
}

/* Text of the last failure on h. */
static const char *plugin_last_error(const fg_handle_t *h) {
    return h ? h->err : "";
}

/* Number of documents (see fundgrube.h): the failure stubs (files recorded
 * as unreadable, FG_PREFIX_FAILED) are no documents. */
static int plugin_doc_count(fg_handle_t *h, uint64_t *out) {
    uint64_t docs = 0;
    uint32_t stubs = 0;
    fg_status_t st = fg_index_reopen(h->index);
    if (st == FG_OK)
        st = fg_index_doc_count(h->index, &docs);
    if (st == FG_OK)
        st = fg_index_term_freq(h->index, FG_PREFIX_FAILED, &stubs);
    if (st != FG_OK)
        return fg_plugin_set_error(h, st, "%s", fg_index_error(h->index));
    *out = docs > stubs ? docs - stubs : 0;
    return FG_OK;
}

/* ------------------------------------------------------------ entry point */

static const fg_plugin_api_t api = {
    .abi_major = FG_PLUGIN_ABI_MAJOR,
    .abi_minor = FG_PLUGIN_ABI_MINOR,
    .struct_size = sizeof(fg_plugin_api_t),
    .version = plugin_version,
    .status_str = fg_status_str,
    .open = plugin_open,
    .search = fg_plugin_search,
    .results_free = fg_plugin_results_free,
    .last_error = plugin_last_error,
    .close = plugin_close,
    .doc_count = plugin_doc_count,
    .similar = fg_plugin_similar,
    .open_with = plugin_open_with,
    .document = fg_plugin_document,
    .document_free = fg_plugin_document_free,
    .complete = fg_plugin_complete,
    .words_free = fg_plugin_words_free,
};

/* The one exported symbol (see fundgrube.h). */
FG_API const fg_plugin_api_t *fundgrube_plugin_entry(uint32_t host_abi_major) {
    return host_abi_major == FG_PLUGIN_ABI_MAJOR ? &api : NULL;
}
