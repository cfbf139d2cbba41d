/*
 * cmd_status.c - `fundgrube status`: what the index holds.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "index/index.h"

static const char status_usage[] =
    "Usage: fundgrube status [--config FILE] [--index DIR]\n"
    "\n"
    "Prints the index folder, its number of documents and the analysis settings\n"
    "that built it.\n";

/* `fundgrube status` (see status_usage). */
int cmd_status(int argc, char **argv) {
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"index", required_argument, NULL, 'i'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *config_path = NULL, *index_dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:i:h", opts, NULL)) != -1) {
        switch (c) {
        case 'c': config_path = optarg; break;
        case 'i': index_dir = optarg; break;
        case 'h': fputs(status_usage, stdout); return 0;
        default: fputs(status_usage, stderr); return EXIT_USAGE;
        }
    }
    fg_config_t cfg;
    if (cli_load_config(&cfg, config_path, index_dir) != 0)
        return 1;
    char err[1024];
    fg_index_t *idx = NULL;
    int rc = 1;
    uint64_t docs = 0;
    char *analysis = NULL, *format = NULL;
    if (fg_index_open_readonly(cfg.index_path, &idx, err, sizeof err) != FG_OK) {
        cli_error("%s", err);
        goto out;
    }
    if (fg_index_doc_count(idx, &docs) != FG_OK ||
        fg_index_get_metadata(idx, FG_META_ANALYSIS, &analysis) != FG_OK ||
        fg_index_get_metadata(idx, FG_META_FORMAT, &format) != FG_OK) {
        cli_error("%s", fg_index_error(idx));
        goto out;
    }
    printf("index:      %s\n", cfg.index_path);
    printf("format:     %s\n", format);
    printf("documents:  %llu\n", (unsigned long long)docs);
    printf("analysis:   %s\n", analysis);
    rc = 0;
out:
    free(analysis);
    free(format);
    fg_index_close(idx);
    fg_config_free(&cfg);
    return rc;
}
