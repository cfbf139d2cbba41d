/*
 * fuzz_query.c - libFuzzer target of the query language and a search
 * through the plugin's API (fundgrube.h), as a host runs it: the input is
 * the query text (UTF-8 or Windows-1252, up to the first NUL), searched on a
 * small index of the example documents that LLVMFuzzerInitialize() builds
 * once, with snippets; then again with suggestions, facets, collapsing, HTML
 * snippets and sorting by date.  Every page must be consistent.
 */
#include <dirent.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "feed/feed.h"
#include "fundgrube/fundgrube.h"
#include "fuzz_util.h"

static const fg_plugin_api_t *api;
static fg_handle_t *handle;

/* Copies the regular files of folder from into folder to. */
static void copy_folder(const char *from, const char *to) {
    DIR *d = opendir(from);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char src[4096], dst[4096];
        snprintf(src, sizeof src, "%s/%s", from, e->d_name);
        snprintf(dst, sizeof dst, "%s/%s", to, e->d_name);
        FILE *in = fopen(src, "rb");
        if (!in)
            continue;
        FILE *out = fopen(dst, "wb");
        if (out) {
            char buf[8192];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, in)) > 0)
                fwrite(buf, 1, n, out);
            fclose(out);
        }
        fclose(in);
    }
    closedir(d);
}

/* Builds the index in a temporary home (removed at exit) and opens it through the plugin. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    const char *home = fuzz_temp_home("query");
    if (!home)
        abort();
    char docs[512], ixdir[512], err[1024];
    snprintf(docs, sizeof docs, "%s/Fundgrube", home);
    snprintf(ixdir, sizeof ixdir, "%s/index", home);
    if (mkdir(docs, 0700) != 0)
        abort();
    copy_folder(FG_SOURCE_DIR "/examples", docs);
    copy_folder(FG_SHARED_DATA "/sample", docs);

    fg_config_t cfg;
    fg_feed_t *f = NULL;
    if (fg_config_init(&cfg) != FG_OK ||
        fg_feed_open(&cfg, ixdir, NULL, NULL, &f, err, sizeof err) != FG_OK) {
        fprintf(stderr, "fuzz_query: %s\n", err);
        abort();
    }
    if (fg_feed_tree(f, docs, false) != FG_OK || fg_feed_close(f) != FG_OK)
        abort();
    fg_config_free(&cfg);

    api = fundgrube_plugin_entry(FG_PLUGIN_ABI_MAJOR);
    if (!api || api->open(ixdir, &handle, err, sizeof err) != FG_OK) {
        fprintf(stderr, "fuzz_query: %s\n", err);
        abort();
    }
    uint64_t n = 0;
    if (api->doc_count(handle, &n) != FG_OK || n == 0) {
        fprintf(stderr, "fuzz_query: the index is empty\n");
        abort();
    }
    return 0;
}

/* Checks one page of results. */
static void check(const fg_results_t *r, uint32_t limit) {
    if (r->count > limit || r->count > r->total_estimate + 1000)
        abort();
    for (size_t i = 0; i < r->count; i++) {
        const fg_hit_t *h = FG_RESULTS_HIT(r, i);
        if (!h->path || !h->title || !h->snippet || h->rank == 0)
            abort();
        if (!fuzz_utf8_valid(h->snippet, strlen(h->snippet)) ||
            !fuzz_utf8_valid(h->title, strlen(h->title)))
            abort();
    }
    for (size_t i = 0; i < r->n_facets; i++)
        if (!r->facets[i].name || (r->facets[i].count && !r->facets[i].values))
            abort();
}

/* Searches the input twice, with different options. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *query = fuzz_cstr(data, size);
    if (!query)
        return 0;
    fg_search_options_t o = {.struct_size = sizeof o, .limit = 5};
    fg_results_t *r = NULL;
    if (api->search(handle, query, &o, &r) == FG_OK) {
        check(r, o.limit);
        api->results_free(r);
    } else if (!api->last_error(handle)) {
        abort();
    }
    fg_search_options_t o2 = {.struct_size = sizeof o2,
                              .offset = 1,
                              .limit = 3,
                              .hl_start = "<b>",
                              .hl_end = "</b>",
                              .snippet_length = 80,
                              .flags = FG_SEARCH_HTML | FG_SEARCH_COLLAPSE | FG_SEARCH_FACETS |
                                       FG_SEARCH_SUGGEST,
                              .sort = FG_SORT_DATE,
                              .max_wildcard = 50};
    r = NULL;
    if (api->search(handle, query, &o2, &r) == FG_OK) {
        check(r, o2.limit);
        api->results_free(r);
    }
    free(query);
    return 0;
}
