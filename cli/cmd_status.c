/*
 * cmd_status.c - `fundgrube status`: what the index holds, and what the
 * daemon (fundgrubed) watching it is doing.
 *
 * The daemon keeps a small JSON record in the index folder
 * (fundgrubed.status, see daemon/status.h), replaced atomically a few times a
 * second.  The daemon counts as running when the record's pid is alive and is
 * a fundgrubed process, and the record does not say it stopped.
 */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/safe.h"
#include "feed/failed.h"
#include "index/index.h"

#define DAEMON_STATUS_FILE "fundgrubed.status"
#define FAILED_SHOWN 20 /* failed files listed by path and reason (status_usage says so) */

static const char status_usage[] =
    N_("Usage: fundgrube status [--config FILE] [--index DIR]\n"
       "\n"
       "Prints the index folder, its number of documents and the analysis settings\n"
       "that built it, the files recorded as failed (crashed, timed out, encrypted ...:\n"
       "not retried until they change; the first 20 with their reasons), and\n"
       "whether the daemon (fundgrubed) is running on it: its pid, state, last commit,\n"
       "queue, watched folders, recent failures and the progress of a running rescan.\n");

/* True when pid is alive and is a fundgrubed process (as far as /proc says). */
static bool daemon_alive(long pid) {
    if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
        return false;
    char path[64], comm[64] = "";
    snprintf(path, sizeof path, "/proc/%ld/comm", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return true; /* no /proc: trust kill() */
    bool ok = fgets(comm, sizeof comm, f) != NULL && strncmp(comm, "fundgrubed", 10) == 0;
    fclose(f);
    return ok;
}

/* Formats Unix time t as local "YYYY-MM-DD HH:MM:SS" into buf. */
static const char *fmt_time(json_int_t t, char *buf, size_t len) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (t <= 0 || !localtime_r(&tt, &tm) || strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm) == 0)
        snprintf(buf, len, "never");
    return buf;
}

/* Prints the progress of a running rescan (the start-up one, a new folder's
 * initial indexing, a rebuild's fill): files done of the total walked so
 * far, MB indexed and their rate, the time left at the files' pace. */
static void print_scan(json_t *scan) {
    long long total = (long long)json_integer_value(json_object_get(scan, "total"));
    if (total <= 0)
        return;
    long long done = (long long)json_integer_value(json_object_get(scan, "done"));
    double mb = (double)json_integer_value(json_object_get(scan, "bytes")) / 1e6;
    double secs = (double)json_integer_value(json_object_get(scan, "elapsed_ms")) / 1000.0;
    printf(_("progress:   %lld of %lld files, %.1f MB indexed, %.1f MB/s"), done, total, mb,
           secs > 0 ? mb / secs : 0.0);
    if (done > 0 && done < total)
        printf(_(", about %.0f s left"), secs * (double)(total - done) / (double)done);
    fputc('\n', stdout);
}

/* Prints the daemon part of the status from INDEX/fundgrubed.status. */
static void print_daemon(const char *index_dir) {
    char path[FG_PATH_MAX + 32], t1[32], t2[32];
    snprintf(path, sizeof path, "%s/%s", index_dir, DAEMON_STATUS_FILE);
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    if (!j) {
        printf(_("daemon:     not running (no status file)\n"));
        return;
    }
    json_int_t pid = json_integer_value(json_object_get(j, "pid"));
    const char *state = json_string_value(json_object_get(j, "state"));
    if (!state)
        state = "?";
    bool running =
        strcmp(state, "stopped") != 0 && strcmp(state, "failed") != 0 && daemon_alive((long)pid);
    if (!running) {
        printf(_("daemon:     not running (last run: pid %lld, %s, updated %s)\n"), (long long)pid,
               state, fmt_time(json_integer_value(json_object_get(j, "updated")), t1, sizeof t1));
        json_decref(j);
        return;
    }
    printf(_("daemon:     running (pid %lld, since %s)\n"), (long long)pid,
           fmt_time(json_integer_value(json_object_get(j, "started")), t1, sizeof t1));
    printf(_("state:      %s\n"), state);
    print_scan(json_object_get(j, "scan"));
    printf(_("rebuild:    %s\n"),
           json_is_true(json_object_get(j, "rebuild")) ? _("running") : _("no"));
    printf(_("last commit: %s (%lld commits)\n"),
           fmt_time(json_integer_value(json_object_get(j, "last_commit")), t2, sizeof t2),
           (long long)json_integer_value(json_object_get(j, "commits")));
    printf(_("queue:      %lld\n"), (long long)json_integer_value(json_object_get(j, "queue")));
    json_t *lanes = json_object_get(j, "lanes");
    if (lanes) {
        json_t *burst = json_object_get(lanes, "burst");
        long long total = (long long)json_integer_value(json_object_get(burst, "total"));
        long long eta = (long long)json_integer_value(json_object_get(burst, "eta_s"));
        printf(_("single changes waiting: %lld\n"),
               (long long)json_integer_value(json_object_get(lanes, "fast_waiting")));
        if (total > 0 && eta >= 0)
            printf(_("burst:      %lld of %lld files done, about %lld s left\n"),
                   (long long)json_integer_value(json_object_get(burst, "done")), total, eta);
        else if (total > 0)
            printf(_("burst:      %lld of %lld files done\n"),
                   (long long)json_integer_value(json_object_get(burst, "done")), total);
        else
            printf(_("burst:      none\n"));
    }
    printf(_("since start: %lld indexed, %lld removed, %lld failed\n"),
           (long long)json_integer_value(json_object_get(j, "indexed")),
           (long long)json_integer_value(json_object_get(j, "removed")),
           (long long)json_integer_value(json_object_get(j, "failed")));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(j, "watched"), i, v) {
        fputs(_("watched:    "), stdout);
        cli_put_safe(stdout, json_string_value(json_object_get(v, "folder")));
        printf("%s\n", json_is_false(json_object_get(v, "present")) ? _(" (missing)") : "");
    }
    printf(_("watches:    %lld\n"), (long long)json_integer_value(json_object_get(j, "watches")));
    json_array_foreach(json_object_get(j, "polled"), i, v) {
        fputs(_("polled:     "), stdout);
        cli_put_safe(stdout, json_string_value(v));
        fputs(_(" (no inotify watch left: rescanned periodically)\n"), stdout);
    }
    json_array_foreach(json_object_get(j, "failures"), i, v) {
        printf(_("failed:     %s  "),
               fmt_time(json_integer_value(json_object_get(v, "time")), t1, sizeof t1));
        cli_put_safe(stdout, json_string_value(json_object_get(v, "reason")));
        fputs("\n", stdout);
    }
    json_decref(j);
}

/* fg_failed_each() callback: prints one failed file, the first FAILED_SHOWN
 * only (*ctx counts them). */
static int print_stub(void *ctx, const char *path, const char *reason) {
    unsigned *shown = ctx;
    if (*shown >= FAILED_SHOWN)
        return 1;
    (*shown)++;
    fputs("  ", stdout);
    cli_put_safe(stdout, path);
    fputs(": ", stdout);
    cli_put_safe(stdout, reason);
    fputs("\n", stdout);
    return 0;
}

/* Prints how many files are recorded as failed and the first of them.
 * Returns FG_OK or the index error. */
static fg_status_t print_failed(fg_index_t *idx, uint64_t stubs) {
    printf(_("failed files: %llu (not retried until they change)\n"), (unsigned long long)stubs);
    if (stubs == 0)
        return FG_OK;
    unsigned shown = 0;
    fg_status_t st = fg_failed_each(idx, NULL, print_stub, &shown);
    if (st == FG_OK && stubs > shown)
        printf(_("  ... and %llu more\n"), (unsigned long long)(stubs - shown));
    return st;
}

/* `fundgrube status` (see status_usage). */
int cmd_status(int argc, char **argv) {
    const char *config_path = NULL, *index_dir = NULL;
    int parsed = cli_parse_basic(argc, argv, status_usage, &config_path, &index_dir);
    if (parsed >= 0)
        return parsed;
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
    uint64_t stubs = 0;
    if (fg_index_doc_count(idx, &docs) != FG_OK || fg_failed_count(idx, &stubs) != FG_OK ||
        fg_index_get_metadata(idx, FG_META_ANALYSIS, &analysis) != FG_OK ||
        fg_index_get_metadata(idx, FG_META_FORMAT, &format) != FG_OK) {
        cli_error("%s", fg_index_error(idx));
        goto out;
    }
    printf(_("index:      %s\n"), cfg.index_path);
    printf(_("format:     %s\n"), format);
    printf(_("documents:  %llu\n"), (unsigned long long)(docs > stubs ? docs - stubs : 0));
    printf(_("analysis:   %s\n"), analysis);
    if (print_failed(idx, stubs) != FG_OK) {
        cli_error("%s", fg_index_error(idx));
        goto out;
    }
    print_daemon(cfg.index_path);
    rc = 0;
out:
    free(analysis);
    free(format);
    fg_index_close(idx);
    fg_config_free(&cfg);
    return rc;
}
