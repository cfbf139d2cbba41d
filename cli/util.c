/*
 * util.c - what the commands of the CLI share: messages, configuration,
 * loading the plugin.
 */
#include <dlfcn.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "common/relocate.h"

/* Prints "fundgrube: " and the message to stderr (see cli.h). */
void cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("fundgrube: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* Loads the configuration with an --index override (see cli.h). */
int cli_load_config(fg_config_t *cfg, const char *config_path, const char *index_override) {
    char err[1024];
    if (fg_config_load(cfg, config_path, err, sizeof err) != FG_OK) {
        cli_error("%s", err);
        return 1;
    }
    if (index_override && fg_config_set(cfg, "index", "path", index_override, FG_CFG_COMMAND_LINE,
                                        err, sizeof err) != FG_OK) {
        cli_error("--index: %s", err);
        fg_config_free(cfg);
        return 1;
    }
    return 0;
}

/* Parses --config, --index and --help (see cli.h). */
int cli_parse_basic(int argc, char **argv, const char *usage, const char **config_path,
                    const char **index_dir) {
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"index", required_argument, NULL, 'i'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:i:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': *config_path = optarg; break;
        case 'i': *index_dir = optarg; break;
        case 'h': fputs(_(usage), stdout); return 0;
        default: fputs(_(usage), stderr); return EXIT_USAGE;
        }
    }
    return -1;
}

/* Tries to dlopen path; returns the handle or NULL. */
static void *try_open(const char *path, char *why, size_t whylen) {
    void *so = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        const char *e = dlerror();
        snprintf(why, whylen, "%.900s", e ? e : path);
    }
    return so;
}

/* Loads the plugin and checks its ABI (see cli.h). */
const fg_plugin_api_t *cli_load_plugin(void **so_out) {
    char why[1024] = "", path[PATH_MAX + 64];
    void *so = NULL;
    const char *env = getenv("FUNDGRUBE_PLUGIN");
    if (env && env[0]) {
        so = try_open(env, why, sizeof why);
    } else {
        if (fg_relocate_find(NULL, FG_REL_BIN_TO_LIB "/" FG_PLUGIN_SONAME, NULL,
                             "plugin/" FG_PLUGIN_SONAME, R_OK, path, sizeof path))
            so = try_open(path, why, sizeof why);
        if (!so)
            so = try_open(FG_PLUGIN_SONAME, why, sizeof why);
    }
    if (!so) {
        cli_error(_("cannot load the search plugin: %s (set FUNDGRUBE_PLUGIN to its path)"), why);
        return NULL;
    }
    fg_plugin_entry_fn entry = (fg_plugin_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME);
    const fg_plugin_api_t *api = entry ? entry(FG_PLUGIN_ABI_MAJOR) : NULL;
    if (!api || api->abi_major != FG_PLUGIN_ABI_MAJOR ||
        api->struct_size < FG_PLUGIN_API_MIN_SIZE(doc_count)) {
        cli_error(_("the search plugin is not compatible with this program (ABI %u)"),
                  FG_PLUGIN_ABI_MAJOR);
        dlclose(so);
        return NULL;
    }
    *so_out = so;
    return api;
}
