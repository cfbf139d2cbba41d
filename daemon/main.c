/*
 * main.c - fundgrubed: the real-time indexing daemon.
 *
 * The main thread runs the libuv loop: inotify (watch.c), signals, the status
 * file timer.  The writer thread (writer.c) owns the index.  The queue
 * (queue.c) carries work from the loop to the writer; an uv_async tells the
 * loop when the writer has ended.
 *
 * Start-up order: the writer opens the index (taking its lock: a second
 * daemon stops here), the watches are set up, and only then is the
 * reconciling rescan queued, so that nothing that changes during the scan is
 * missed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "daemon/log.h"
#include "daemon/options.h"
#include "daemon/queue.h"
#include "daemon/status.h"
#include "daemon/watch.h"
#include "daemon/writer.h"

#define STATUS_EVERY_MS 200

/* Everything the loop's callbacks reach. */
typedef struct daemon {
    uv_loop_t loop;
    fgd_options_t opts;
    fg_config_t cfg;
    fgd_queue_t *q;
    fgd_status_t *status;
    fgd_writer_t *writer;
    fgd_watcher_t *watcher;
    uv_signal_t sigint, sigterm, sighup, sigusr1;
    uv_timer_t status_timer;
    uv_async_t writer_done;
    bool loop_ready;
    bool stopping;
    bool status_error_logged;
    int index_missing; /* status ticks in a row without the index's lock file */
    int exit_code;
} daemon_t;

/* ------------------------------------------------------------ shutdown */

/* Stops watching and asks the writer to finish soon (the documents in
 * progress are finished and committed; queued work is left to the next
 * start's rescan; the loop then closes its handles).  code is the exit code. */
static void shutdown_daemon(daemon_t *d, int code, const char *why) {
    if (d->exit_code == 0)
        d->exit_code = code;
    if (d->stopping)
        return;
    d->stopping = true;
    fgd_log(FGD_NOTICE, "%s: stopping (the documents in progress are finished and committed)", why);
    fgd_status_set_state(d->status, "stopping");
    fgd_watcher_close(d->watcher);
    d->watcher = NULL;
    fgd_writer_cancel(d->writer);
    if (fgd_queue_push(d->q, FGD_OP_STOP, NULL, NULL) != 0)
        fgd_log(FGD_ERROR, "out of memory queueing the stop");
}

/* Writer thread -> loop: the writer has ended; close everything. */
static void on_writer_done(uv_async_t *a) {
    daemon_t *d = a->data;
    if (!d->stopping)
        shutdown_daemon(d, 1, "the writer stopped after an index error");
    uv_close((uv_handle_t *)&d->sigint, NULL);
    uv_close((uv_handle_t *)&d->sigterm, NULL);
    uv_close((uv_handle_t *)&d->sighup, NULL);
    uv_close((uv_handle_t *)&d->sigusr1, NULL);
    uv_close((uv_handle_t *)&d->status_timer, NULL);
    uv_close((uv_handle_t *)&d->writer_done, NULL);
}

/* Called on the writer thread as it ends. */
static void writer_exited(void *ctx) {
    daemon_t *d = ctx;
    uv_async_send(&d->writer_done);
}

/* ------------------------------------------------------------ signals, timer */

/* SIGHUP: reads the configuration again and applies watch set and globs. */
static void reload(daemon_t *d) {
    char err[2048];
    fg_config_t ncfg;
    if (fgd_config_load(&d->opts, &ncfg, err, sizeof err) != FG_OK) {
        fgd_log(FGD_ERROR, "reload: %s; keeping the old configuration", err);
        return;
    }
    if (strcmp(ncfg.index_path, d->cfg.index_path) != 0) {
        fgd_log(FGD_WARNING,
                "reload: the index folder cannot change while running "
                "(restart the daemon); staying with %s",
                d->cfg.index_path);
        memcpy(ncfg.index_path, d->cfg.index_path, sizeof ncfg.index_path);
    }
    fg_config_t *wcfg = malloc(sizeof *wcfg);
    if (!wcfg || fg_config_copy(wcfg, &ncfg) != FG_OK) {
        free(wcfg);
        fg_config_free(&ncfg);
        fgd_log(FGD_ERROR, "reload: out of memory");
        return;
    }
    fgd_log(FGD_NOTICE, "reloading the configuration (%zu watched folders)",
            ncfg.watch_folders.count);
    fg_config_free(&d->cfg);
    d->cfg = ncfg;
    if (fgd_watcher_reload(d->watcher, &d->cfg) != 0)
        fgd_log(FGD_ERROR, "reload: setting up the watches failed");
    fgd_queue_push(d->q, FGD_OP_RELOAD, wcfg, fgd_config_destroy);
}

/* Every signal the daemon handles. */
static void on_signal(uv_signal_t *h, int signum) {
    daemon_t *d = h->data;
    if (signum == SIGHUP) {
        if (!d->stopping)
            reload(d);
    } else if (signum == SIGUSR1) {
        if (!d->stopping)
            fgd_watcher_rescan(d->watcher, "SIGUSR1");
    } else {
        shutdown_daemon(d, 0, signum == SIGINT ? "SIGINT" : "SIGTERM");
    }
}

/* Stops the daemon when its index folder is gone (removed or moved away
 * while running): the writer would go on writing into a deleted folder and
 * nobody could search what it indexed.  The lock file the writer holds in
 * the folder tells (a rebuild's swap keeps one there); missing at two ticks
 * in a row (a swap without RENAME_EXCHANGE has a moment without it), the
 * daemon stops with exit code 1: under systemd it is restarted, creates the
 * index afresh and indexes every watched folder. */
static void check_index_folder(daemon_t *d) {
    char lock[FG_PATH_MAX + 32];
    snprintf(lock, sizeof lock, "%s/fundgrube.lock", d->cfg.index_path);
    struct stat sb;
    if (stat(lock, &sb) == 0) {
        d->index_missing = 0;
        return;
    }
    if (++d->index_missing < 2)
        return;
    fgd_log(FGD_ERROR,
            "the index folder %s was removed or moved away while running; nothing more is "
            "indexed into it (the next start creates it afresh and indexes every watched folder)",
            d->cfg.index_path);
    shutdown_daemon(d, 1, "index folder gone");
}

/* Writes the status file when something changed; checks the index folder. */
static void on_status_timer(uv_timer_t *t) {
    daemon_t *d = t->data;
    if (!d->stopping)
        check_index_folder(d);
    int rc = fgd_status_write(d->status, fgd_queue_length(d->q), false);
    if (rc != 0 && !d->status_error_logged) {
        fgd_log(FGD_WARNING, "cannot write the status file: %s", strerror(-rc));
        d->status_error_logged = true;
    }
}

/* ------------------------------------------------------------ start-up */

/* fg_config_foreach callback: notes whether the watch folders are the
 * built-in default. */
static void check_default_watch(void *ctx, const char *section, const char *key, const char *value,
                                const char *origin) {
    (void)value;
    if (strcmp(section, "watch") == 0 && strcmp(key, "folder") == 0 &&
        strcmp(origin, "default") != 0)
        *(bool *)ctx = false;
}

/* Creates the built-in default watch folder (~/Fundgrube) if it is missing;
 * folders named in a file or on the command line are never created. */
static void make_default_folder(daemon_t *d) {
    bool is_default = true;
    fg_config_foreach(&d->cfg, check_default_watch, &is_default);
    if (!is_default)
        return;
    for (size_t i = 0; i < d->cfg.watch_folders.count; i++) {
        const char *f = d->cfg.watch_folders.items[i];
        if (mkdir(f, 0700) == 0)
            fgd_log(FGD_NOTICE, "created the watched folder %s: drop text files there", f);
    }
}

/* Sets up the handles (before the writer, whose end they report). */
static void init_handles(daemon_t *d) {
    uv_async_init(&d->loop, &d->writer_done, on_writer_done);
    d->writer_done.data = d;
    uv_signal_t *sigs[] = {&d->sigint, &d->sigterm, &d->sighup, &d->sigusr1};
    int nums[] = {SIGINT, SIGTERM, SIGHUP, SIGUSR1};
    for (size_t i = 0; i < 4; i++) {
        uv_signal_init(&d->loop, sigs[i]);
        sigs[i]->data = d;
        uv_signal_start(sigs[i], on_signal, nums[i]);
    }
    uv_timer_init(&d->loop, &d->status_timer);
    d->status_timer.data = d;
}

/* Runs the daemon; returns the exit code. */
static int run(daemon_t *d) {
    char err[2048];
    if (fgd_config_load(&d->opts, &d->cfg, err, sizeof err) != FG_OK) {
        fgd_log(FGD_ERROR, "%s", err);
        return 1;
    }
    make_default_folder(d);
    if (fgd_queue_new(&d->q) != 0 || fgd_status_new(d->cfg.index_path, &d->status) != 0) {
        fgd_log(FGD_ERROR, "out of memory");
        return 1;
    }
    uv_loop_init(&d->loop);
    d->loop_ready = true;
    init_handles(d);
    fgd_writer_params_t wp = {.cfg = &d->cfg,
                              .opts = &d->opts,
                              .queue = d->q,
                              .status = d->status,
                              .on_exit = writer_exited,
                              .ctx = d};
    fg_status_t st = fgd_writer_start(&wp, &d->writer, err, sizeof err);
    if (st != FG_OK) {
        fgd_log(FGD_ERROR, "%s", err);
        /* leave without touching the status file: it may be another daemon's */
        d->stopping = true;
        on_writer_done(&d->writer_done);
        uv_run(&d->loop, UV_RUN_DEFAULT);
        return 1;
    }
    fgd_log(FGD_NOTICE, "started: index %s, %zu watched folder(s)", d->cfg.index_path,
            d->cfg.watch_folders.count);
    for (size_t i = 0; i < d->cfg.watch_folders.count; i++)
        fgd_log(FGD_INFO, "watching %s", d->cfg.watch_folders.items[i]);
    if (fgd_watcher_start(&d->loop, &d->cfg, d->q, d->status, d->cfg.rescan_interval_s,
                          &d->watcher) != 0)
        shutdown_daemon(d, 1, "inotify is not available");
    else if (fgd_queue_rescan(d->q) != 0)
        shutdown_daemon(d, 1, "out of memory");
    uv_timer_start(&d->status_timer, on_status_timer, 0, STATUS_EVERY_MS);

    uv_run(&d->loop, UV_RUN_DEFAULT);

    if (fgd_writer_join(d->writer) != FG_OK && d->exit_code == 0)
        d->exit_code = 1;
    d->writer = NULL;
    fgd_status_set_state(d->status, d->exit_code == 0 ? "stopped" : "failed");
    fgd_status_write(d->status, fgd_queue_length(d->q), true);
    fgd_log(FGD_NOTICE, "stopped");
    return d->exit_code;
}

int main(int argc, char **argv) {
    daemon_t d;
    memset(&d, 0, sizeof d);
    int code;
    if (fgd_options_parse(argc, argv, &d.opts, &code) != 0)
        return code;
    fgd_log_init(d.opts.verbose ? FGD_DEBUG : FGD_INFO);
    signal(SIGPIPE, SIG_IGN);
    umask(077); /* the index, its status file and the default folder are private */
    code = run(&d);
    if (d.loop_ready && uv_loop_close(&d.loop) != 0)
        fgd_log(FGD_WARNING, "handles left open at exit");
    fgd_queue_free(d.q);
    fgd_status_free(d.status);
    fg_config_free(&d.cfg);
    fgd_options_free(&d.opts);
    return code;
}
