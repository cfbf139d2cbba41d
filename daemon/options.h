/*
 * options.h - the command line of fundgrubed and the configuration it makes.
 *
 *   fundgrubed [--config FILE] [--watch DIR]... [--index DIR] [--foreground]
 *              [--verbose] [--commit-interval MS] [--commit-max-age MS]
 *              [--rescan-interval S] [--help] [--version]
 *
 * --watch replaces the configuration's [watch] folder list, --index its
 * [index] path.  Watched folders are made absolute and canonical (symbolic
 * links resolved) so that event paths and document paths agree.
 */
#ifndef FGD_OPTIONS_H
#define FGD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"

typedef struct fgd_options {
    const char *config_path; /* NULL: the default search */
    const char **watch;      /* --watch folders (argv strings) */
    size_t n_watch;
    const char *index_dir; /* NULL: from the configuration */
    bool verbose;
    /* --commit-interval, --commit-max-age, --rescan-interval (NULL: not
     * given); applied over [daemon] of the configuration by fgd_config_load() */
    const char *commit_interval;
    const char *commit_max_age;
    const char *rescan_interval;
    uint64_t batch_docs;  /* commit after this many changed documents */
    uint64_t batch_bytes; /* ... or this many bytes of text */
} fgd_options_t;

/*
 * Parses argv into o (pointing into argv).  Returns 0 to go on, or the exit
 * code to leave with at once (0 after --help/--version, 2 for a usage error,
 * with the message printed).
 */
int fgd_options_parse(int argc, char **argv, fgd_options_t *o, int *exit_code);

/* Frees what o owns. */
void fgd_options_free(fgd_options_t *o);

/*
 * Loads the configuration and applies the options to it; watched folders are
 * canonicalised (a folder that does not exist is kept as given, made
 * absolute).  Returns FG_OK or an error with err saying what.
 */
fg_status_t fgd_config_load(const fgd_options_t *o, fg_config_t *cfg, char *err, size_t errlen);

/* fg_config_free() and free() of a heap configuration (a queue arg_free). */
void fgd_config_destroy(void *cfg);

#endif
