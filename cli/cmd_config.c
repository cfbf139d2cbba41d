/*
 * cmd_config.c - `fundgrube config`: the effective configuration, each value
 * with where it came from.
 */
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static const char config_usage[] =
    "Usage: fundgrube config [--config FILE] [--index DIR]\n"
    "\n"
    "Prints the effective configuration as an INI file; a comment after each\n"
    "value says where it came from (default, FILE:LINE, or command line).\n";

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

/* `fundgrube config` (see config_usage). */
int cmd_config(int argc, char **argv) {
    const char *config_path = NULL, *index_dir = NULL;
    int rc = cli_parse_basic(argc, argv, config_usage, &config_path, &index_dir);
    if (rc >= 0)
        return rc;
    if (optind < argc) {
        cli_error("config: unexpected argument '%s'", argv[optind]);
        return EXIT_USAGE;
    }
    fg_config_t cfg;
    if (cli_load_config(&cfg, config_path, index_dir) != 0)
        return 1;
    printf("; configuration file: %s\n", cfg.file ? cfg.file : "(none; built-in defaults)");
    const char *last = NULL;
    fg_config_foreach(&cfg, print_entry, &last);
    fg_config_free(&cfg);
    return 0;
}
