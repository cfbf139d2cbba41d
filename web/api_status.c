/*
 * api_status.c - GET /api/status (the index, the daemon watching it, the
 * files that failed) and GET /healthz; see web-private.h.
 *
 * The daemon's state comes from the record it keeps in the index folder
 * (fundgrubed.status, see daemon/status.h), as `fundgrube status` reads it.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "web/web-private.h"

#define DAEMON_STATUS_FILE "fundgrubed.status"

/* True when pid is alive and is a fundgrubed process (as far as /proc says). */
static bool daemon_alive(json_int_t pid) {
    if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno != EPERM))
        return false;
    char path[64], comm[64] = "";
    snprintf(path, sizeof path, "/proc/%lld/comm", (long long)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return true;
    bool ok = fgets(comm, sizeof comm, f) != NULL && strncmp(comm, "fundgrubed", 10) == 0;
    fclose(f);
    return ok;
}

/* The daemon's record with "running" added; {"running": false} when there
 * is none. */
static json_t *daemon_json(const char *index_path) {
    char path[FG_PATH_MAX + 32];
    snprintf(path, sizeof path, "%s/%s", index_path, DAEMON_STATUS_FILE);
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);
    if (!json_is_object(j)) {
        json_decref(j);
        return json_pack("{s:b}", "running", 0);
    }
    const char *state = json_string_value(json_object_get(j, "state"));
    bool running = state && strcmp(state, "stopped") != 0 && strcmp(state, "failed") != 0 &&
                   daemon_alive(json_integer_value(json_object_get(j, "pid")));
    json_object_set_new(j, "running", json_boolean(running));
    return j;
}

/* GET /api/status: {"version", "index": {"path", "available", "documents"
 * | "error"}, "daemon": {...}, "server": {...}}; GET /healthz: "ok", or 503
 * while the index cannot be opened. */
enum MHD_Result web_api_status(web_req_t *r) {
    bool health = strcmp(r->url, "/healthz") == 0;
    const char *ipath = r->conf->cfg.index_path;
    fg_handle_t *h = NULL;
    char err[1024] = "";
    uint64_t docs = 0;
    bool available = false;
    if (health) {
        if (!web_handle(r))
            return MHD_YES; /* 503 sent */
        return web_reply_text(r, MHD_HTTP_OK, "text/plain; charset=utf-8", "ok\n", 3);
    }
    /* a status page shows an index that cannot be opened instead of failing */
    if (r->thread->h && r->thread->h_generation == r->conf->generation)
        h = r->thread->h;
    else if (r->api->open_with(ipath, (const char *const *)r->conf->settings, &h, err,
                               sizeof err) == FG_OK) {
        if (r->thread->h)
            r->api->close(r->thread->h);
        r->thread->h = h;
        r->thread->h_generation = r->conf->generation;
    } else {
        h = NULL;
    }
    if (h && r->api->doc_count(h, &docs) == FG_OK)
        available = true;
    else if (h)
        snprintf(err, sizeof err, "%s", r->api->last_error(h));
    json_t *index = json_pack("{s:s, s:b}", "path", ipath, "available", available);
    if (available)
        json_object_set_new(index, "documents", json_integer((json_int_t)docs));
    else
        json_object_set_new(index, "error", json_string(err[0] ? err : "unknown"));
    json_t *watched = json_array();
    for (size_t i = 0; i < r->conf->cfg.watch_folders.count; i++)
        json_array_append_new(watched, json_string(r->conf->cfg.watch_folders.items[i]));
    json_t *server = json_pack("{s:s, s:s, s:i, s:s}", "url", fg_web_url(r->srv), "listen",
                               web_listen_host(r->srv), "threads", (int)r->conf->cfg.web_threads,
                               "config", r->conf->cfg.file ? r->conf->cfg.file : "");
    json_t *j = json_pack("{s:s, s:o, s:o, s:o, s:o}", "version", r->api->version(), "index", index,
                          "watched", watched, "daemon", daemon_json(ipath), "server", server);
    return web_reply_json(r, MHD_HTTP_OK, j);
}
