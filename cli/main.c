/*
 * main.c - `fundgrube`: command dispatch and help.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static const char usage[] =
    N_("Usage: fundgrube COMMAND [OPTIONS] [ARGS]\n"
       "\n"
       "German full-text search over your files.\n"
       "\n"
       "Commands:\n"
       "  index [--index DIR] [--force] PATH...    index files and folder trees once\n"
       "  search [--index DIR] [--limit N] [--offset N] [--json] [--no-snippets] QUERY...\n"
       "  search [--index DIR] --batch FILE        one query per line, one JSON line each\n"
       "  analyze [--json] TEXT...                 show how text is analysed (tokens, stems)\n"
       "  config                                   show the effective configuration\n"
       "  status [--index DIR]                     show what the index holds\n"
       "  serve [--index DIR] [--listen ADDR]      the search page and JSON API in the browser\n"
       "\n"
       "Options of every command:\n"
       "  --config FILE   configuration file (default: $FUNDGRUBE_CONFIG, else\n"
       "                  $XDG_CONFIG_HOME/fundgrube/fundgrube.conf if it exists)\n"
       "  --index DIR     index folder (default: [index] path of the configuration,\n"
       "                  else $XDG_DATA_HOME/fundgrube/index)\n"
       "  -h, --help      this help; `fundgrube COMMAND --help` for a command\n"
       "  --version       print the version\n"
       "\n"
       "Queries: words (more matches rank higher), \"phrases\", AND/UND, OR/ODER,\n"
       "NOT/NICHT, +must, -mustnot, ( ). Capitalised words are stemmed like any other.\n"
       "\n"
       "Exit status: 0 success (also a search without hits), 2 usage error, 1 failure.\n");

/* Dispatches to the command named by argv[1]. */
int main(int argc, char **argv) {
    if (argc < 2) {
        fputs(_(usage), stderr);
        return EXIT_USAGE;
    }
    umask(077); /* indexes and files the CLI creates are private */
    cli_i18n_init();
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(_(usage), stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("fundgrube %s\n", PROJECT_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {
        {"index", cmd_index},   {"search", cmd_search}, {"analyze", cmd_analyze},
        {"config", cmd_config}, {"status", cmd_status}, {"serve", cmd_serve},
    };
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    cli_error(_("unknown command '%s' (see fundgrube --help)"), cmd);
    return EXIT_USAGE;
}
