/*
 * cmd_config.c - `fundgrube config`: the effective configuration, each value
 * with where it came from.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/cli.h"

static const char config_usage[] =
    N_("Usage: fundgrube config [--config FILE] [--index DIR] [SECTION.KEY]\n"
       "\n"
       "Prints the effective configuration as an INI file; a comment after each\n"
       "value says where it came from (default, FILE:LINE, or command line).\n"
       "With SECTION.KEY (e.g. index.path), prints only that key's value, one\n"
       "line per item of a list.\n");

/* Prints one key; a section header when the section changes. */
static void print_entry(void *ctx, const char *section, const char *key, const char *value,
                        const char *origin) {
    const char **last = ctx;
    if (!*last || strcmp(*last, section) != 0) {
        printf("%s[%s]\n", *last ? "\n" : "", section);
        *last = section;
    }
    printf("%s = %s    ; %s\n", key, value, origin);
}

/* The one key `fundgrube config SECTION.KEY` prints. */
typedef struct wanted {
    const char *section, *key;
} wanted_t;

/* Prints the value of the wanted key (each item of a list). */
static void print_value(void *ctx, const char *section, const char *key, const char *value,
                        const char *origin) {
    const wanted_t *w = ctx;
    (void)origin;
    if (strcasecmp(section, w->section) == 0 && strcasecmp(key, w->key) == 0 && value[0])
        printf("%s\n", value);
}

/* `fundgrube config` (see config_usage). */
int cmd_config(int argc, char **argv) {
    const char *config_path = NULL, *index_dir = NULL;
    int rc = cli_parse_basic(argc, argv, config_usage, &config_path, &index_dir);
    if (rc >= 0)
        return rc;
    char name[128];
    wanted_t w = {0};
    if (optind < argc) {
        const char *dot = strchr(argv[optind], '.');
        if (optind + 1 < argc || !dot || strlen(argv[optind]) >= sizeof name) {
            cli_error(_("config: unexpected argument '%s' (expected SECTION.KEY, e.g. index.path)"),
                      argv[optind + (optind + 1 < argc)]);
            return EXIT_USAGE;
        }
        strcpy(name, argv[optind]);
        name[dot - argv[optind]] = '\0';
        w.section = name;
        w.key = name + (dot - argv[optind]) + 1;
        if (!fg_config_key_find(w.section, w.key)) {
            cli_error(_("config: unknown key '%s' (`fundgrube config` lists them)"), argv[optind]);
            return EXIT_USAGE;
        }
    }
    fg_config_t cfg;
    if (cli_load_config(&cfg, config_path, index_dir) != 0)
        return 1;
    if (w.section) {
        fg_config_foreach(&cfg, print_value, &w);
        fg_config_free(&cfg);
        return 0;
    }
    printf("; configuration file: %s\n", cfg.file ? cfg.file : "(none; built-in defaults)");
    const char *last = NULL;
    fg_config_foreach(&cfg, print_entry, &last);
    fg_config_free(&cfg);
    return 0;
}
