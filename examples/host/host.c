/*
 * host.c - the smallest host of the Fundgrube search plugin: loads it as any
 * program would, searches an index and prints the hits.  Built against the
 * installed header with pkg-config:
 *
 *     cc -o fg-host host.c $(pkg-config --cflags --libs fundgrube) \
 *        -DFG_PLUGIN_PATH="\"$(pkg-config --variable=plugin fundgrube)\""
 *     ./fg-host ~/.local/share/fundgrube/index 'Kaution Kündigung'
 *
 * Without FG_PLUGIN_PATH it dlopen()s FG_PLUGIN_SONAME through the library
 * path (the plugin installed in /usr/lib/<multiarch>/).  $FUNDGRUBE_PLUGIN
 * overrides both.  Exit status: 0 with hits or without, 1 on a failure,
 * 2 for a usage error.
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <fundgrube/fundgrube.h>

#ifndef FG_PLUGIN_PATH
#define FG_PLUGIN_PATH FG_PLUGIN_SONAME
#endif

/* Loads the plugin and returns its table for our ABI major, or NULL. */
static const fg_plugin_api_t *load(void **so) {
    const char *path = getenv("FUNDGRUBE_PLUGIN");
    if (!path || !*path)
        path = FG_PLUGIN_PATH;
    *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!*so) {
        fprintf(stderr, "fg-host: %s\n", dlerror());
        return NULL;
    }
    fg_plugin_entry_fn entry = (fg_plugin_entry_fn)dlsym(*so, FG_PLUGIN_ENTRY_NAME);
    const fg_plugin_api_t *api = entry ? entry(FG_PLUGIN_ABI_MAJOR) : NULL;
    if (!api || api->abi_major != FG_PLUGIN_ABI_MAJOR ||
        api->struct_size < FG_PLUGIN_API_MIN_SIZE(doc_count)) {
        fprintf(stderr, "fg-host: %s is not a compatible plugin (ABI %d)\n", path,
                FG_PLUGIN_ABI_MAJOR);
        dlclose(*so);
        return NULL;
    }
    return api;
}

/* fg-host INDEX QUERY: prints "rank<TAB>percent<TAB>path" per hit. */
int main(int argc, char **argv) {
    if (argc != 3) {
        fputs("usage: fg-host INDEX QUERY\n", stderr);
        return 2;
    }
    void *so;
    const fg_plugin_api_t *api = load(&so);
    if (!api)
        return 1;
    fg_handle_t *h;
    char err[512];
    int rc = 1;
    if (api->open(argv[1], &h, err, sizeof err) != 0) {
        fprintf(stderr, "fg-host: %s\n", err);
        dlclose(so);
        return 1;
    }
    fg_search_options_t opts = {.struct_size = sizeof opts, .flags = FG_SEARCH_NO_SNIPPETS};
    fg_results_t *r;
    if (api->search(h, argv[2], &opts, &r) == 0) {
        printf("plugin %s, about %" PRIu64 " hits\n", api->version(), r->total_estimate);
        for (size_t i = 0; i < r->count; i++) {
            const fg_hit_t *hit = FG_RESULTS_HIT(r, i);
            printf("%" PRIu32 "\t%d\t%s\n", hit->rank, hit->percent, hit->path);
        }
        api->results_free(r);
        rc = 0;
    } else {
        fprintf(stderr, "fg-host: %s\n", api->last_error(h));
    }
    api->close(h);
    dlclose(so);
    return rc;
}
