/*
 * options.c - fundgrubed's command line and configuration (see options.h).
 */
#include "daemon/options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/path.h"

#ifndef PROJECT_VERSION
#define PROJECT_VERSION "0"
#endif

static const char usage[] =
    "Usage: fundgrubed [OPTION]...\n"
    "\n"
    "Keeps a Fundgrube index in step with watched folders: indexes files as they\n"
    "are written, moved in or changed, and removes the documents of files that\n"
    "are deleted or moved away.  Runs in the foreground and logs to stderr.\n"
    "\n"
    "  -c, --config FILE          configuration file (default: the usual search)\n"
    "  -w, --watch DIR            watch DIR (repeatable; replaces [watch] folder)\n"
    "  -i, --index DIR            index folder (replaces [index] path)\n"
    "  -f, --foreground           run in the foreground (the default; for systemd)\n"
    "  -v, --verbose              log every event and document\n"
    "      --commit-interval MS   least time between commits\n"
    "                             (default: [daemon] commit_interval, 25)\n"
    "      --commit-max-age MS    longest a change waits while events keep coming\n"
    "                             (default: [daemon] commit_max_age, 1000)\n"
    "      --rescan-interval S    rescans of folders without watches\n"
    "                             (default: [daemon] rescan_interval, 60)\n"
    "  -h, --help                 this text\n"
    "  -V, --version              the version\n"
    "\n"
    "Signals: SIGTERM/SIGINT commit and exit; SIGHUP reloads the configuration;\n"
    "SIGUSR1 rescans every watched folder.\n";

/* Parses an unsigned number option; false when it is not one. */
static bool parse_uint(const char *s, unsigned *out) {
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > UINT_MAX)
        return false;
    *out = (unsigned)v;
    return true;
}

/* Parses argv (see options.h). */
int fgd_options_parse(int argc, char **argv, fgd_options_t *o, int *exit_code) {
    enum { OPT_INTERVAL = 256, OPT_MAX_AGE, OPT_RESCAN };
    static const struct option opts[] = {{"config", required_argument, NULL, 'c'},
                                         {"watch", required_argument, NULL, 'w'},
                                         {"index", required_argument, NULL, 'i'},
                                         {"foreground", no_argument, NULL, 'f'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {"commit-interval", required_argument, NULL, OPT_INTERVAL},
                                         {"commit-max-age", required_argument, NULL, OPT_MAX_AGE},
                                         {"rescan-interval", required_argument, NULL, OPT_RESCAN},
                                         {"help", no_argument, NULL, 'h'},
                                         {"version", no_argument, NULL, 'V'},
                                         {NULL, 0, NULL, 0}};
    memset(o, 0, sizeof *o);
    o->batch_docs = 2000;
    o->batch_bytes = 32u << 20;
    *exit_code = 0;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "c:w:i:fvhV", opts, NULL)) != -1) {
        switch (c) {
        case 'c': o->config_path = optarg; break;
        case 'w': {
            const char **w = realloc(o->watch, (o->n_watch + 1) * sizeof *w);
            if (!w) {
                fputs("fundgrubed: out of memory\n", stderr);
                *exit_code = 1;
                return 1;
            }
            o->watch = w;
            o->watch[o->n_watch++] = optarg;
            break;
        }
        case 'i': o->index_dir = optarg; break;
        case 'f': break;
        case 'v': o->verbose = true; break;
        case OPT_INTERVAL:
        case OPT_MAX_AGE:
        case OPT_RESCAN: {
            const char **dst = c == OPT_INTERVAL  ? &o->commit_interval
                               : c == OPT_MAX_AGE ? &o->commit_max_age
                                                  : &o->rescan_interval;
            unsigned v;
            *dst = optarg;
            if (!parse_uint(optarg, &v) || (c != OPT_INTERVAL && v == 0)) {
                fprintf(stderr, "fundgrubed: bad number '%s'\n%s", optarg, usage);
                *exit_code = 2;
                return 1;
            }
            break;
        }
        case 'h': fputs(usage, stdout); return 1;
        case 'V': printf("fundgrubed %s\n", PROJECT_VERSION); return 1;
        default:
            fputs(usage, stderr);
            *exit_code = 2;
            return 1;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "fundgrubed: unexpected argument '%s'\n%s", argv[optind], usage);
        *exit_code = 2;
        return 1;
    }
    return 0;
}

/* Frees what the options own (see options.h). */
void fgd_options_free(fgd_options_t *o) {
    free(o->watch);
    o->watch = NULL;
    o->n_watch = 0;
}

/* Replaces *item by its canonical absolute form when the folder exists, else
 * by an absolute form of it.  Returns FG_OK or FG_NOMEM / FG_INVALID. */
static fg_status_t canonicalise(char **item) {
    char real[PATH_MAX];
    char *canon = NULL;
    if (realpath(*item, real)) {
        canon = strdup(real);
    } else if ((*item)[0] == '/') {
        return FG_OK;
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd) || asprintf(&canon, "%s/%s", cwd, *item) < 0)
            return FG_INVALID;
    }
    if (!canon)
        return FG_NOMEM;
    /* no trailing slash (except for "/") */
    size_t n = strlen(canon);
    while (n > 1 && canon[n - 1] == '/')
        canon[--n] = '\0';
    free(*item);
    *item = canon;
    return FG_OK;
}

/* Adds path, with its glob characters escaped, to the exclude globs when it
 * lies below one of the watched folders: the daemon must not index (or
 * watch) its own index.  Returns FG_OK or an error. */
static fg_status_t exclude_own(fg_config_t *cfg, const char *path, char *err, size_t errlen) {
    bool below = false;
    for (size_t i = 0; i < cfg->watch_folders.count; i++) {
        if (fg_path_at_or_below(path, cfg->watch_folders.items[i]))
            below = true;
    }
    if (!below)
        return FG_OK;
    char glob[2 * FG_PATH_MAX];
    size_t o = 0;
    for (const char *p = path; *p && o + 2 < sizeof glob; p++) {
        if (strchr("*?[]\\", *p))
            glob[o++] = '\\';
        glob[o++] = *p;
    }
    glob[o] = '\0';
    return fg_config_set(cfg, "watch", "exclude", glob, FG_CFG_COMMAND_LINE, err, errlen);
}

/* Loads the configuration with the options applied (see options.h). */
fg_status_t fgd_config_load(const fgd_options_t *o, fg_config_t *cfg, char *err, size_t errlen) {
    fg_status_t st = fg_config_load(cfg, o->config_path, err, errlen);
    if (st != FG_OK)
        return st;
    if (o->index_dir)
        st = fg_config_set(cfg, "index", "path", o->index_dir, FG_CFG_COMMAND_LINE, err, errlen);
    if (st == FG_OK && o->n_watch > 0)
        st = fg_config_set(cfg, "watch", "folder", "", FG_CFG_COMMAND_LINE, err, errlen);
    for (size_t i = 0; st == FG_OK && i < o->n_watch; i++)
        st = fg_config_set(cfg, "watch", "folder", o->watch[i], FG_CFG_COMMAND_LINE, err, errlen);
    const char *timing[][2] = {{"commit_interval", o->commit_interval},
                               {"commit_max_age", o->commit_max_age},
                               {"rescan_interval", o->rescan_interval}};
    for (size_t i = 0; st == FG_OK && i < sizeof timing / sizeof *timing; i++)
        if (timing[i][1])
            st = fg_config_set(cfg, "daemon", timing[i][0], timing[i][1], FG_CFG_COMMAND_LINE, err,
                               errlen);
    for (size_t i = 0; st == FG_OK && i < cfg->watch_folders.count; i++) {
        st = canonicalise(&cfg->watch_folders.items[i]);
        if (st != FG_OK)
            snprintf(err, errlen, "watch folder %s: %s", cfg->watch_folders.items[i],
                     fg_status_str(st));
    }
    if (st == FG_OK && cfg->index_path[0] != '\0' && cfg->index_path[0] != '/') {
        char cwd[PATH_MAX], abs[FG_PATH_MAX];
        if (!getcwd(cwd, sizeof cwd) ||
            snprintf(abs, sizeof abs, "%s/%s", cwd, cfg->index_path) >= (int)sizeof abs) {
            snprintf(err, errlen, "index folder %s: path too long", cfg->index_path);
            st = FG_INVALID;
        } else {
            memcpy(cfg->index_path, abs, sizeof abs);
        }
    }
    char real[PATH_MAX];
    if (st == FG_OK && cfg->index_path[0] && realpath(cfg->index_path, real) &&
        strlen(real) < sizeof cfg->index_path)
        memcpy(cfg->index_path, real, strlen(real) + 1);
    if (st == FG_OK && cfg->index_path[0] == '\0') {
        snprintf(err, errlen, "no index folder: set [index] path or use --index (or set HOME)");
        st = FG_CONFIG;
    }
    if (st == FG_OK && cfg->watch_folders.count == 0) {
        snprintf(err, errlen, "no folder to watch: set [watch] folder or use --watch");
        st = FG_CONFIG;
    }
    if (st == FG_OK) {
        char rebuild[FG_PATH_MAX + 16];
        snprintf(rebuild, sizeof rebuild, "%s.rebuild", cfg->index_path);
        st = exclude_own(cfg, cfg->index_path, err, errlen);
        if (st == FG_OK)
            st = exclude_own(cfg, rebuild, err, errlen);
    }
    if (st != FG_OK)
        fg_config_free(cfg);
    return st;
}

/* Frees a heap configuration (see options.h). */
void fgd_config_destroy(void *cfg) {
    fg_config_free(cfg);
    free(cfg);
}
