/*
 * status.c - the daemon's status record and its file (see status.h).
 */
#include "daemon/status.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "daemon/queue.h"
#include "feed/failed.h"
#include "index/index.h"

/* One remembered failure. */
typedef struct failure {
    int64_t time;
    char *path;
    char *reason;
} failure_t;

struct fgd_status {
    pthread_mutex_t mu;
    char *file, *tmp; /* INDEX/fundgrubed.status and its temporary name */
    char *index_dir;
    int64_t started;
    const char *state;
    uint64_t documents, commits, indexed, removed, failed;
    int64_t last_commit;
    failure_t failures[FGD_STATUS_FAILURES];
    size_t next_failure; /* ring buffer position */
    json_t *watched;     /* array */
    uint64_t watches;
    json_t *polled; /* array */
    bool rebuild;
    uint64_t fast_waiting, burst_done, burst_total;
    int64_t burst_eta;
    uint64_t scan_done, scan_total, scan_bytes;
    int64_t scan_started; /* fgd_now_ms() */
    bool dirty;
    uint64_t last_queue;
    /* the failure stubs of the index, read by the thread that writes the
     * record (fgd_status_write()) after each commit */
    fg_index_t *reader;     /* opened on first use; that thread's only */
    uint64_t stubs_commits; /* s->commits when they were read (UINT64_MAX: never) */
    uint64_t stub_count;    /* files recorded as failed */
    json_t *stub_list;      /* the first FGD_STATUS_FAILURES: [{"path", "reason"}...] */
};

/* Creates the record (see status.h). */
int fgd_status_new(const char *index_dir, fgd_status_t **out) {
    *out = NULL;
    fgd_status_t *s = calloc(1, sizeof *s);
    if (!s)
        return -ENOMEM;
    pthread_mutex_init(&s->mu, NULL);
    s->started = (int64_t)time(NULL);
    s->state = "starting";
    s->dirty = true;
    s->watched = json_array();
    s->polled = json_array();
    s->stub_list = json_array();
    s->stubs_commits = UINT64_MAX;
    if (asprintf(&s->file, "%s/%s", index_dir, FGD_STATUS_FILE) < 0)
        s->file = NULL;
    if (asprintf(&s->tmp, "%s/.%s.tmp", index_dir, FGD_STATUS_FILE) < 0)
        s->tmp = NULL;
    s->index_dir = strdup(index_dir);
    if (!s->file || !s->tmp || !s->index_dir || !s->watched || !s->polled || !s->stub_list) {
        fgd_status_free(s);
        return -ENOMEM;
    }
    *out = s;
    return 0;
}

/* Frees the record (see status.h). */
void fgd_status_free(fgd_status_t *s) {
    if (!s)
        return;
    for (size_t i = 0; i < FGD_STATUS_FAILURES; i++) {
        free(s->failures[i].path);
        free(s->failures[i].reason);
    }
    json_decref(s->watched);
    json_decref(s->polled);
    json_decref(s->stub_list);
    fg_index_close(s->reader);
    free(s->file);
    free(s->tmp);
    free(s->index_dir);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

/* Sets the state word (see status.h). */
void fgd_status_set_state(fgd_status_t *s, const char *state) {
    pthread_mutex_lock(&s->mu);
    s->state = state;
    s->dirty = true;
    pthread_mutex_unlock(&s->mu);
}

/* Says whether a rebuild is running (see status.h). */
void fgd_status_set_rebuild(fgd_status_t *s, bool rebuilding) {
    pthread_mutex_lock(&s->mu);
    s->rebuild = rebuilding;
    s->dirty = true;
    pthread_mutex_unlock(&s->mu);
}

/* Records the lanes' state (see status.h). */
void fgd_status_set_lanes(fgd_status_t *s, uint64_t fast_waiting, uint64_t burst_done,
                          uint64_t burst_total, int64_t eta_s) {
    pthread_mutex_lock(&s->mu);
    if (s->fast_waiting != fast_waiting || s->burst_done != burst_done ||
        s->burst_total != burst_total || s->burst_eta != eta_s)
        s->dirty = true;
    s->fast_waiting = fast_waiting;
    s->burst_done = burst_done;
    s->burst_total = burst_total;
    s->burst_eta = eta_s;
    pthread_mutex_unlock(&s->mu);
}

/* Records a rescan's progress (see status.h). */
void fgd_status_set_scan(fgd_status_t *s, uint64_t done, uint64_t total, uint64_t bytes,
                         int64_t started_ms) {
    pthread_mutex_lock(&s->mu);
    if (s->scan_done != done || s->scan_total != total || s->scan_bytes != bytes)
        s->dirty = true;
    s->scan_done = done;
    s->scan_total = total;
    s->scan_bytes = bytes;
    s->scan_started = started_ms;
    pthread_mutex_unlock(&s->mu);
}

/* Records a commit (see status.h). */
void fgd_status_committed(fgd_status_t *s, uint64_t docs) {
    pthread_mutex_lock(&s->mu);
    s->documents = docs;
    s->commits++;
    s->last_commit = (int64_t)time(NULL);
    s->dirty = true;
    pthread_mutex_unlock(&s->mu);
}

/* Counts an indexed file or removed document (see status.h). */
void fgd_status_count(fgd_status_t *s, bool removed) {
    pthread_mutex_lock(&s->mu);
    if (removed)
        s->removed++;
    else
        s->indexed++;
    s->dirty = true;
    pthread_mutex_unlock(&s->mu);
}

/* Records a failure (see status.h). */
void fgd_status_failed(fgd_status_t *s, const char *path, const char *reason) {
    pthread_mutex_lock(&s->mu);
    failure_t *f = &s->failures[s->next_failure];
    s->next_failure = (s->next_failure + 1) % FGD_STATUS_FAILURES;
    free(f->path);
    free(f->reason);
    f->time = (int64_t)time(NULL);
    f->path = strdup(path ? path : "");
    f->reason = strdup(reason ? reason : "");
    s->failed++;
    s->dirty = true;
    pthread_mutex_unlock(&s->mu);
}

/* Makes a JSON array of n strings. */
static json_t *string_array(const char *const *v, size_t n) {
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/* Replaces the watch part (see status.h). */
void fgd_status_set_watch(fgd_status_t *s, const char *const *folders, const char *const *states,
                          size_t n, uint64_t watches, const char *const *polled, size_t npolled) {
    json_t *w = json_array();
    for (size_t i = 0; w && i < n; i++)
        json_array_append_new(w, json_pack("{s:s, s:b}", "folder", folders[i], "present",
                                           strcmp(states[i], "missing") != 0));
    json_t *p = string_array(polled, npolled);
    pthread_mutex_lock(&s->mu);
    if (w) {
        json_decref(s->watched);
        s->watched = w;
    }
    if (p) {
        json_decref(s->polled);
        s->polled = p;
    }
    s->watches = watches;
    s->dirty = true;
    pthread_mutex_unlock(&s->mu);
}

/* fg_failed_each() callback: appends one stub to the JSON array ctx, the
 * first FGD_STATUS_FAILURES only. */
static int add_stub(void *ctx, const char *path, const char *reason) {
    json_t *a = ctx;
    if (json_array_size(a) >= FGD_STATUS_FAILURES)
        return 1;
    json_array_append_new(a, json_pack("{s:s, s:s}", "path", path, "reason", reason));
    return 0;
}

/* Reads the failure stubs of the index again when a commit happened since
 * they were read.  A missing index (not created yet) or a failed read keeps
 * the previous figures; the next commit tries again. */
static void refresh_stubs(fgd_status_t *s) {
    pthread_mutex_lock(&s->mu);
    uint64_t commits = s->commits;
    pthread_mutex_unlock(&s->mu);
    if (commits == s->stubs_commits)
        return;
    char err[256];
    fg_status_t st = s->reader ? fg_index_reopen(s->reader)
                               : fg_index_open_readonly(s->index_dir, &s->reader, err, sizeof err);
    uint64_t count = 0;
    json_t *list = st == FG_OK ? json_array() : NULL;
    if (list)
        st = fg_failed_count(s->reader, &count);
    if (list && st == FG_OK)
        st = fg_failed_each(s->reader, NULL, add_stub, list);
    if (!list || st != FG_OK) {
        json_decref(list);
        fg_index_close(s->reader); /* opened afresh next time */
        s->reader = NULL;
        return;
    }
    pthread_mutex_lock(&s->mu);
    json_decref(s->stub_list);
    s->stub_list = list;
    s->stub_count = count;
    s->stubs_commits = commits;
    s->dirty = true;
    pthread_mutex_unlock(&s->mu);
}

/* Builds the JSON record; s->mu is held. */
static json_t *build_locked(fgd_status_t *s, uint64_t queue_length) {
    json_t *fails = json_array();
    for (size_t i = 0; fails && i < FGD_STATUS_FAILURES; i++) {
        /* oldest first */
        failure_t *f = &s->failures[(s->next_failure + i) % FGD_STATUS_FAILURES];
        if (f->path)
            json_array_append_new(fails,
                                  json_pack("{s:I, s:s, s:s}", "time", (json_int_t)f->time, "path",
                                            f->path, "reason", f->reason ? f->reason : ""));
    }
    json_t *lanes =
        json_pack("{s:I, s:{s:I, s:I, s:I}}", "fast_waiting", (json_int_t)s->fast_waiting, "burst",
                  "done", (json_int_t)s->burst_done, "total", (json_int_t)s->burst_total, "eta_s",
                  (json_int_t)s->burst_eta);
    int64_t elapsed = s->scan_total ? fgd_now_ms() - s->scan_started : 0;
    json_t *scan = json_pack("{s:I, s:I, s:I, s:I}", "done", (json_int_t)s->scan_done, "total",
                             (json_int_t)s->scan_total, "bytes", (json_int_t)s->scan_bytes,
                             "elapsed_ms", (json_int_t)(elapsed > 0 ? elapsed : 0));
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:O,"
                     " s:I, s:O, s:b, s:I, s:O, s:o, s:o}",
                     "pid", (json_int_t)getpid(), "started", (json_int_t)s->started, "updated",
                     (json_int_t)time(NULL), "state", s->state, "index", s->index_dir, "documents",
                     (json_int_t)s->documents, "last_commit", (json_int_t)s->last_commit, "commits",
                     (json_int_t)s->commits, "queue", (json_int_t)queue_length, "indexed",
                     (json_int_t)s->indexed, "removed", (json_int_t)s->removed, "failed",
                     (json_int_t)s->failed, "failures", fails, "watched", s->watched, "watches",
                     (json_int_t)s->watches, "polled", s->polled, "rebuild", (int)s->rebuild,
                     "failed_files", (json_int_t)s->stub_count, "failed_list", s->stub_list,
                     "lanes", lanes, "scan", scan);
}

/* Writes the record if it changed (see status.h). */
int fgd_status_write(fgd_status_t *s, uint64_t queue_length, bool force) {
    refresh_stubs(s);
    pthread_mutex_lock(&s->mu);
    if (!force && !s->dirty && queue_length == s->last_queue) {
        pthread_mutex_unlock(&s->mu);
        return 0;
    }
    json_t *j = build_locked(s, queue_length);
    s->dirty = false;
    s->last_queue = queue_length;
    pthread_mutex_unlock(&s->mu);
    if (!j)
        return -ENOMEM;
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!text)
        return -ENOMEM;
    int rc = 0;
    int fd = open(s->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = -errno;
    } else {
        size_t len = strlen(text);
        if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1)
            rc = -EIO;
        if (close(fd) != 0 && rc == 0)
            rc = -errno;
        if (rc == 0 && rename(s->tmp, s->file) != 0)
            rc = -errno;
        if (rc != 0)
            unlink(s->tmp);
    }
    free(text);
    return rc;
}
