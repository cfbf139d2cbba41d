/*
 * plugin_host.c - the plugin suites' shared fixture (see plugin_host.h).
 */
#include "plugin_host.h"

#include <criterion/criterion.h>
#include <dlfcn.h>
#include <stdlib.h>

#include "config/config.h"
#include "feed/feed.h"
#include "testutil.h"

/* Feeds folders into a new index at ixdir in the test's home (see plugin_host.h). */
void plugin_host_index(const char *home, const char *ixdir, const char *const *folders) {
    setenv("HOME", home, 1);
    unsetenv("XDG_DATA_HOME");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("FUNDGRUBE_CONFIG");
    fg_config_t cfg;
    cr_assert_eq(fg_config_init(&cfg), FG_OK);
    fg_feed_t *f = NULL;
    char err[1024];
    cr_assert_eq(fg_feed_open(&cfg, ixdir, NULL, NULL, &f, err, sizeof err), FG_OK, "%s", err);
    for (size_t i = 0; folders[i]; i++)
        cr_assert_eq(fg_feed_tree(f, folders[i], false), FG_OK, "%s", folders[i]);
    cr_assert_eq(fg_feed_close(f), FG_OK);
    fg_config_free(&cfg);
}

/* Loads the plugin and opens ixdir through it (see plugin_host.h). */
void plugin_host_open(const char *ixdir, void **so, const fg_plugin_api_t **api, fg_handle_t **h) {
    char err[1024];
    char *path = tu_build_path("plugin/libfundgrube.so");
    *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    cr_assert(*so, "dlopen %s: %s", path, dlerror());
    free(path);
    fg_plugin_entry_fn entry = (fg_plugin_entry_fn)dlsym(*so, FG_PLUGIN_ENTRY_NAME);
    cr_assert(entry);
    *api = entry(FG_PLUGIN_ABI_MAJOR);
    cr_assert(*api);
    cr_assert_eq((*api)->open(ixdir, h, err, sizeof err), FG_OK, "%s", err);
}
