/*
 * cmd_index.c - `fundgrube index`: one-shot indexing of files and folder trees,
 * through the same feed as the daemon.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "index/index.h"
#include "cli/safe.h"
#include "feed/feed.h"

static const char index_usage[] =
    N_("Usage: fundgrube index [--index DIR] [--config FILE] [--force] [--quiet] PATH...\n"
       "\n"
       "Indexes the files and folder trees given.  Files whose modification time and\n"
       "size are unchanged are skipped (--force reindexes them); documents of files\n"
       "that vanished from a given folder are removed.  Which files count comes from\n"
       "[watch] include/exclude/hidden/max_file_size of the configuration.\n"
       "Files that are not text or cannot be read are reported and left out.\n");

/* Progress state shared with the feed's event callback. */
typedef struct progress {
    bool tty;
    bool quiet;
    double start;
    double last_print;
    bool line_shown;
} progress_t;

/* Monotonic seconds. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Clears the progress line if one is shown. */
static void clear_line(progress_t *p) {
    if (p->line_shown) {
        fputs("\r\033[K", stderr);
        p->line_shown = false;
    }
}

/* Feed callback: one line per skipped or failed file, a progress line on a TTY. */
static void on_event(void *ctx, fg_feed_event_t ev, const char *path, const char *reason,
                     const fg_feed_stats_t *st) {
    progress_t *p = ctx;
    (void)path;
    if (ev == FG_FEED_SKIPPED || ev == FG_FEED_FAILED) {
        clear_line(p);
        if (!p->quiet || ev == FG_FEED_FAILED) {
            fprintf(stderr, "fundgrube: %s: ", ev == FG_FEED_SKIPPED ? _("skipped") : _("failed"));
            cli_put_safe(stderr, reason); /* names the file */
            fputc('\n', stderr);
        }
        return;
    }
    if (ev == FG_FEED_INDEXED && reason && !p->quiet) { /* parts of it were skipped */
        clear_line(p);
        fputs("fundgrube: indexed, parts skipped: ", stderr);
        cli_put_safe(stderr, reason);
        fputc('\n', stderr);
    }
    if (!p->tty || p->quiet || (ev != FG_FEED_INDEXED && ev != FG_FEED_UNCHANGED))
        return;
    double t = now();
    if (t - p->last_print < 0.2)
        return;
    p->last_print = t;
    double mb = (double)st->bytes / 1e6, secs = t - p->start;
    double rate = secs > 0 ? mb / secs : 0;
    uint64_t done = st->indexed + st->unchanged + st->skipped + st->failed;
    fputs("\r\033[K", stderr);
    fprintf(stderr, _("%llu/%llu files, %.1f MB, %.1f MB/s"), (unsigned long long)done,
            (unsigned long long)st->total_files, mb, rate);
    if (st->total_files > done && done > 0) {
        double eta = secs * (double)(st->total_files - done) / (double)done;
        fprintf(stderr, _(", ETA %.0f s"), eta);
    }
    p->line_shown = true;
}

/* `fundgrube index` (see index_usage). */
int cmd_index(int argc, char **argv) {
    static const struct option opts[] = {
        {"index", required_argument, NULL, 'i'}, {"config", required_argument, NULL, 'c'},
        {"force", no_argument, NULL, 'f'},       {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
    const char *index_dir = NULL, *config_path = NULL;
    bool force = false;
    progress_t prog = {.tty = isatty(STDERR_FILENO) != 0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "+i:c:fqh", opts, NULL)) != -1) {
        switch (c) {
        case 'i': index_dir = optarg; break;
        case 'c': config_path = optarg; break;
        case 'f': force = true; break;
        case 'q': prog.quiet = true; break;
        case 'h': fputs(_(index_usage), stdout); return 0;
        default: fputs(_(index_usage), stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        cli_error(_("index: no PATH given"));
        fputs(_(index_usage), stderr);
        return EXIT_USAGE;
    }
    fg_config_t cfg;
    if (cli_load_config(&cfg, config_path, index_dir) != 0)
        return 1;

    char err[2048];
    fg_feed_t *feed = NULL;
    prog.start = now();
    fg_status_t st = fg_feed_open(&cfg, cfg.index_path, on_event, &prog, &feed, err, sizeof err);
    if (st != FG_OK) {
        cli_error("%s%s", err,
                  st == FG_CORRUPT ? _("; remove the index folder and index again (fundgrubed "
                                       "rebuilds it by itself when it starts)")
                                   : "");
        fg_config_free(&cfg);
        return 1;
    }
    unsigned mode = 0;
    if (fg_index_dir_is_shared(cfg.index_path, &mode))
        fprintf(stderr,
                _("fundgrube: warning: index %s is open to other users (mode %04o) although it "
                  "holds the text of your files; make it private with: chmod -R go= %s\n"),
                cfg.index_path, mode, cfg.index_path);
    int rc = 0;
    for (int i = optind; i < argc && st == FG_OK; i++) {
        char real[PATH_MAX];
        struct stat sb;
        if (!realpath(argv[i], real) || stat(real, &sb) != 0) {
            clear_line(&prog);
            cli_error("%s: %s", argv[i], strerror(errno));
            rc = 1;
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            st = fg_feed_tree(feed, real, force);
        } else {
            st = fg_feed_file(feed, real, force);
            if (st == FG_SKIPPED || st == FG_IO)
                st = FG_OK; /* reported by the callback */
        }
    }
    if (st != FG_OK) {
        clear_line(&prog);
        cli_error("%s", fg_feed_error(feed));
        rc = 1;
    }
    fg_feed_stats_t s = *fg_feed_stats(feed);
    fg_status_t cst = fg_feed_close(feed);
    clear_line(&prog);
    if (cst != FG_OK) {
        cli_error(_("committing the index %s failed: %s"), cfg.index_path, fg_status_str(cst));
        rc = 1;
    }
    double secs = now() - prog.start;
    if (!prog.quiet)
        printf(ngettext("Indexed %llu file (%.1f MB) in %.1f s (%.1f MB/s): %llu unchanged, "
                        "%llu skipped, %llu failed, %llu removed.  Index: %s\n",
                        "Indexed %llu files (%.1f MB) in %.1f s (%.1f MB/s): %llu unchanged, "
                        "%llu skipped, %llu failed, %llu removed.  Index: %s\n",
                        (unsigned long)(s.indexed > 1000000 ? 1000000 : s.indexed)),
               (unsigned long long)s.indexed, (double)s.bytes / 1e6, secs,
               secs > 0 ? (double)s.bytes / 1e6 / secs : 0.0, (unsigned long long)s.unchanged,
               (unsigned long long)s.skipped, (unsigned long long)s.failed,
               (unsigned long long)s.removed, cfg.index_path);
    fg_config_free(&cfg);
    return rc;
}
