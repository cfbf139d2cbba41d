/*
 * writer.c - the writer thread: queue -> feed -> commits (see writer.h).
 */
#include "daemon/writer.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/path.h"
#include "daemon/commit.h"
#include "daemon/lane.h"
#include "daemon/log.h"
#include "daemon/rebuild.h"
#include "extract/format.h"
#include "feed/feed.h"
#include "index/index.h"

struct fgd_writer {
    pthread_t thread;
    fgd_queue_t *q;
    fgd_status_t *status;
    fg_config_t cfg; /* the writer's own copy */
    fg_feed_t *feed;
    void (*on_exit)(void *ctx);
    void *ctx;

    fgd_commit_policy_t policy; /* when to commit (commit.h) */

    /* start-up handshake */
    pthread_mutex_t mu;
    pthread_cond_t cond;
    int opened; /* 0 not yet, 1 open, -1 failed */
    fg_status_t open_status;
    char open_err[2048];

    /* what is waiting for a commit (held_docs and drained are filled in
     * by next_commit()) */
    fgd_commit_state_t cs;
    uint64_t seen_bytes;

    /* a rebuild (analysis settings changed): the feed writes INDEX.rebuild
     * while old_feed holds the writer lock of INDEX, which readers search;
     * single changes go into both (run_fast()) */
    bool rebuilding;
    bool damaged_once; /* a damaged index was replaced while running */
    fg_feed_t *old_feed;
    bool old_pending; /* old_feed has changes to commit */
    char rebuild_dir[FG_PATH_MAX];

    /* the lanes (lane.h): single changes run at once, also from inside bulk
     * work (writer_yield()); bulk ones wait in the backlog for the next bulk
     * run */
    fgd_lanes_t lanes;
    fgd_op_t **backlog; /* bulk-lane operations waiting, in arrival order */
    size_t nbacklog, backlog_cap;
    int64_t backlog_since;       /* when the oldest of them came */
    bool in_bulk;                /* a bulk run (run_backlog(), a rescan) is going on */
    bool scanning;               /* rescan_all() runs: its progress goes to the status */
    fg_feed_stats_t scan_before; /* the feed's counters when it began */
    int64_t scan_started;        /* fgd_now_ms() then */
    bool in_fast;                /* a fast-lane operation is running */
    fgd_op_t *ctrl;              /* a stop/rescan/reload the fast lane took: runs next */
    fg_status_t yield_st;        /* an index error of the fast lane inside bulk work */
    uint64_t burst_total;        /* files handed to the bulk lane in this burst */
    uint64_t burst_done;         /* of them, done */

    int64_t burst_since; /* when the burst going on began (0: none) */
    bool reconciled;     /* the start-up rescan is done */
    atomic_bool cancel;  /* fgd_writer_cancel(): the feed's cancel flag */
    fg_status_t result;  /* the error that stopped the thread, or FG_OK */
};

/* ------------------------------------------------------------ feed events */

/* Notes one change waiting for a commit (a single change of the fast lane,
 * or a file of bulk work done). */
static void note_change(fgd_writer_t *w) {
    if (w->cs.pending_docs == 0)
        w->cs.first_change = fgd_now_ms();
    w->cs.pending_docs++;
    if (w->in_fast)
        w->cs.fast_docs++;
}

/* Tells the status record how the lanes stand (see fgd_status_set_lanes()). */
static void report_lanes(fgd_writer_t *w) {
    int64_t eta = -1;
    if (w->burst_total > 0 && w->burst_done > 0 && w->burst_since) {
        int64_t spent = fgd_now_ms() - w->burst_since;
        eta = (int64_t)((double)spent / (double)w->burst_done *
                        (double)(w->burst_total - w->burst_done) / 1000.0);
    }
    fgd_status_set_lanes(w->status, w->cs.fast_docs, w->burst_done, w->burst_total, eta);
}

/* Counts a file of the bulk lane as done (the burst's progress). */
static void note_bulk_file(fgd_writer_t *w) {
    if (w->in_bulk && !w->in_fast && w->burst_done < w->burst_total)
        w->burst_done++;
}

/* Tells the status record how far rescan_all() is (files of the walks so far). */
static void report_scan(fgd_writer_t *w, const fg_feed_stats_t *s) {
    const fg_feed_stats_t *b = &w->scan_before;
    uint64_t done = (s->indexed - b->indexed) + (s->unchanged - b->unchanged) +
                    (s->skipped - b->skipped) + (s->failed - b->failed);
    uint64_t total = s->total_files - b->total_files;
    fgd_status_set_scan(w->status, done < total ? done : total, total, s->bytes - b->bytes,
                        w->scan_started);
}

/* The feed's event callback: counts, logs and keeps the commit bookkeeping. */
static void on_feed_event(void *ctx, fg_feed_event_t ev, const char *path, const char *reason,
                          const fg_feed_stats_t *stats) {
    fgd_writer_t *w = ctx;
    if (w->scanning && ev != FG_FEED_COMMITTED && ev != FG_FEED_RENAMED)
        report_scan(w, stats);
    switch (ev) {
    case FG_FEED_INDEXED:
        note_change(w);
        w->cs.pending_bytes += stats->bytes - w->seen_bytes;
        w->seen_bytes = stats->bytes;
        fgd_status_count(w->status, false);
        note_bulk_file(w);
        if (reason) /* parts of it were skipped: a mail's broken attachment */
            fgd_log(FGD_INFO, "indexed, parts skipped: %s", reason);
        else
            fgd_log(FGD_DEBUG, "indexed %s", path);
        break;
    case FG_FEED_REMOVED:
        note_change(w);
        fgd_status_count(w->status, true);
        fgd_log(FGD_DEBUG, "removed %s", path);
        break;
    case FG_FEED_FAILED:
        fgd_status_failed(w->status, path, reason);
        note_bulk_file(w);
        fgd_log(FGD_WARNING, "%s (skipped)", reason);
        break;
    case FG_FEED_SKIPPED:
        note_bulk_file(w);
        fgd_log(FGD_INFO, "skipped: %s", reason);
        break;
    case FG_FEED_UNCHANGED: note_bulk_file(w); break;
    case FG_FEED_RENAMED:
        note_change(w);
        fgd_log(FGD_DEBUG, "renamed %s -> %s", reason, path);
        break;
    case FG_FEED_COMMITTED: {
        uint64_t docs = 0;
        int64_t now = fgd_now_ms();
        if (fg_feed_doc_count(w->feed, &docs) == FG_OK)
            fgd_status_committed(w->status, docs);
        if (w->burst_since)
            fgd_log(FGD_INFO, "burst: %llu documents searchable after %.1f s",
                    (unsigned long long)docs, (double)(now - w->burst_since) / 1000.0);
        fgd_log(FGD_DEBUG, "committed %llu changes (oldest %lld ms old); %llu documents",
                (unsigned long long)w->cs.pending_docs,
                (long long)(w->cs.pending_docs ? now - w->cs.first_change : 0),
                (unsigned long long)docs);
        w->cs.pending_docs = w->cs.pending_bytes = w->cs.fast_docs = 0;
        w->cs.last_commit = now;
        w->cs.commits++;
        break;
    }
    }
}

/* The events of the old index during a rebuild: the same changes reach the
 * new index, whose events count; these are only logged. */
static void on_old_event(void *ctx, fg_feed_event_t ev, const char *path, const char *reason,
                         const fg_feed_stats_t *stats) {
    fgd_writer_t *w = ctx;
    (void)stats;
    if (ev == FG_FEED_INDEXED || ev == FG_FEED_REMOVED || ev == FG_FEED_RENAMED) {
        note_change(w); /* a single change: commit() commits the old index too */
        w->old_pending = true;
        fgd_log(FGD_DEBUG, "old index (rebuild running): %s %s",
                ev == FG_FEED_INDEXED   ? "indexed"
                : ev == FG_FEED_REMOVED ? "removed"
                                        : "renamed",
                path);
    } else if (ev == FG_FEED_FAILED)
        fgd_log(FGD_DEBUG, "old index (rebuild running): %s", reason);
}

/* Commits what is waiting, held segments of a burst included (logged);
 * inside bulk work only the live writer's changes.  Returns FG_OK or the
 * index error. */
static fg_status_t commit(fgd_writer_t *w) {
    if (w->old_feed && w->old_pending) { /* what searches see during a rebuild */
        fg_status_t st = fg_feed_commit_live(w->old_feed);
        if (st != FG_OK)
            return st;
        w->old_pending = false;
    }
    uint64_t held = fg_feed_held_docs(w->feed);
    if (w->cs.pending_docs == 0 && held == 0)
        return FG_OK;
    if (fg_feed_in_run(w->feed) || w->in_bulk)
        return w->cs.pending_docs ? fg_feed_commit_live(w->feed) : FG_OK;
    int64_t t0 = fgd_now_ms();
    fg_status_t st = fg_feed_commit(w->feed);
    if (st == FG_OK && held > 0)
        fgd_log(FGD_INFO, "burst over: its last %llu documents merged in %lld ms",
                (unsigned long long)held, (long long)(fgd_now_ms() - t0));
    w->burst_since = 0;
    if (w->nbacklog == 0)
        w->burst_total = w->burst_done = 0;
    return st;
}

/* The commit due (fgd_commit_next()) at the time now: drained before
 * waiting for the queue, not drained right after an operation. */
static fgd_commit_t next_commit(fgd_writer_t *w, bool drained, int64_t now) {
    w->cs.held_docs = fg_feed_held_docs(w->feed);
    w->cs.bulk_active = w->in_bulk || w->nbacklog > 0;
    w->cs.drained = drained;
    return fgd_commit_next(&w->policy, &w->cs, now);
}

/* Commits if a commit is due now (busy: right after an operation).
 * Returns FG_OK or the index error. */
static fg_status_t commit_if_due(fgd_writer_t *w, bool drained) {
    int64_t now = fgd_now_ms();
    fgd_commit_t c = next_commit(w, drained, now);
    return c.at <= now ? commit(w) : FG_OK;
}

/* ------------------------------------------------------------ operations */

/* The watched folder that path is in (the longest match), or NULL. */
static const char *root_of(const fgd_writer_t *w, const char *path) {
    const char *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < w->cfg.watch_folders.count; i++) {
        const char *r = w->cfg.watch_folders.items[i];
        size_t n = strlen(r);
        if (fg_path_at_or_below(path, r) && n >= best_len) {
            best = r;
            best_len = n;
        }
    }
    return best;
}

/* Makes the index match the file system at and below path (see queue.h).
 * Returns FG_OK or an index error. */
static fg_status_t sync_path(fgd_writer_t *w, const char *path) {
    const char *root = root_of(w, path);
    if (!root) {
        fgd_log(FGD_DEBUG, "%s: not below a watched folder", path);
        return FG_OK;
    }
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return fg_feed_remove(w->feed, path);
        fgd_log(FGD_WARNING, "%s: %s (skipped)", path, strerror(errno));
        fgd_status_failed(w->status, path, strerror(errno));
        return FG_OK;
    }
    if (S_ISDIR(sb.st_mode)) {
        if (strcmp(path, root) != 0 && !fg_feed_admits_folder(&w->cfg, root, path))
            return fg_feed_remove(w->feed, path);
        return fg_feed_tree(w->feed, path, false);
    }
    if (!fg_feed_admits(&w->cfg, root, path))
        return fg_feed_remove(w->feed, path);
    fg_status_t st = fg_feed_file(w->feed, path, false);
    return (st == FG_SKIPPED || st == FG_IO) ? FG_OK : st; /* reported by on_feed_event */
}

static fg_status_t finish_rebuild(fgd_writer_t *w);

/* Reconciles every watched folder that exists; a rebuild in progress is then
 * finished.  Returns FG_OK or an index error. */
static fg_status_t rescan_all(fgd_writer_t *w, const char *why) {
    int64_t t0 = fgd_now_ms();
    fg_feed_stats_t before = *fg_feed_stats(w->feed);
    fgd_status_set_state(w->status, strcmp(why, "start-up") == 0 ? "reconciling" : "rescanning");
    w->scanning = true;
    w->scan_before = before;
    w->scan_started = t0;
    fg_status_t st = FG_OK;
    for (size_t i = 0; st == FG_OK && i < w->cfg.watch_folders.count; i++) {
        const char *root = w->cfg.watch_folders.items[i];
        struct stat sb;
        if (stat(root, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            fgd_log(FGD_WARNING, "watched folder %s is missing; its documents are kept", root);
            continue;
        }
        w->in_bulk = true; /* single changes go on beside it (writer_yield()) */
        st = fg_feed_tree(w->feed, root, false);
        w->in_bulk = false;
        if (w->yield_st != FG_OK)
            st = w->yield_st;
    }
    w->scanning = false;
    fgd_status_set_scan(w->status, 0, 0, 0, 0);
    if (st == FG_OK)
        st = commit(w);
    if (st == FG_OK) {
        const fg_feed_stats_t *s = fg_feed_stats(w->feed);
        fgd_log(FGD_INFO,
                "%s rescan done in %lld ms: %llu indexed, %llu unchanged, %llu removed, "
                "%llu skipped, %llu failed",
                why, (long long)(fgd_now_ms() - t0),
                (unsigned long long)(s->indexed - before.indexed),
                (unsigned long long)(s->unchanged - before.unchanged),
                (unsigned long long)(s->removed - before.removed),
                (unsigned long long)(s->skipped - before.skipped),
                (unsigned long long)(s->failed - before.failed));
        if (w->rebuilding)
            st = finish_rebuild(w);
    }
    if (st == FG_OK)
        fgd_status_set_state(w->status, "watching");
    return st;
}

/* Files from which a batch of the bulk lane takes the parallel bulk path of
 * the feed, and the most files one bulk run takes. */
#define BATCH_MIN_QUEUE 64
#define BATCH_MAX_FILES 8192
/* A small backlog waits this long for more files before its run starts (a
 * burst's first files come one by one). */
#define BACKLOG_GATHER_MS 20
/* The fast lane inside bulk work takes operations for at most this long at
 * a time (each bulk worker waits meanwhile when it hands over). */
#define YIELD_BUDGET_MS 20
/* A burst is over when no operation came for this long: its held segments
 * then become searchable (fg_feed_commit()). */
#define BURST_IDLE_MS 250
/* Held documents this few (a saved PDF or DOCX a worker extracted) enter the
 * index as soon as the bulk work is done, without waiting for a burst's end:
 * copying a few costs milliseconds. */
#define FEW_HELD 4

/* Longest wait between two tries after the disk was full (it starts at 1 s
 * and doubles). */
#define FULL_DISK_MAX_WAIT_MS 60000

/* How the writer's feed indexes many files: a batch of a burst, or a folder
 * moved in, goes to the parallel bulk path from BATCH_MIN_QUEUE files or
 * 4 MB on (`fundgrube index` waits for 500 files or 32 MB, as each of its
 * bulk runs ends with a merge), and the merges are deferred to the end of
 * the burst (see fg_feed_set_defer_merge()). */
static void writer_yield(void *ctx);

static void set_bulk(fgd_writer_t *w) {
    fg_feed_set_bulk(w->feed, BATCH_MIN_QUEUE, FGD_LANE_FAST_MAX_BYTES, 0);
    fg_feed_set_parallel_documents(w->feed, true);
    fg_feed_set_defer_merge(w->feed, true);
    fg_feed_set_cancel(w->feed, &w->cancel);
    fg_feed_set_yield(w->feed, writer_yield, w);
}

/* Opens the feed with w->cfg.  Returns its status; err says what. */
static fg_status_t open_feed(fgd_writer_t *w, char *err, size_t errlen) {
    fg_status_t st =
        fg_feed_open(&w->cfg, w->cfg.index_path, on_feed_event, w, &w->feed, err, errlen);
    unsigned mode = 0;
    if (st == FG_OK && fg_index_dir_is_shared(w->cfg.index_path, &mode))
        fgd_log(FGD_WARNING,
                "index %s is open to other users (mode %04o) although it holds the text of "
                "your files; make it private with: chmod -R go= %s",
                w->cfg.index_path, mode, w->cfg.index_path);
    if (st == FG_OK) {
        fg_feed_set_commit_batch(w->feed, w->policy.batch_docs, w->policy.batch_bytes);
        set_bulk(w);
        w->seen_bytes = 0;
        uint64_t docs = 0;
        if (fg_feed_doc_count(w->feed, &docs) == FG_OK)
            fgd_status_committed(w->status, docs);
    }
    return st;
}

/* The difference of analysis settings out of the feed's FG_SETTINGS message
 * ("... settings (DIFF); ..."), or the whole message. */
static void settings_diff(const char *msg, char *out, size_t len) {
    const char *a = strstr(msg, "settings (");
    const char *b = a ? strstr(a, "); ") : NULL;
    if (a && b)
        snprintf(out, len, "%.*s", (int)(b - a - 10), a + 10);
    else
        snprintf(out, len, "%s", msg);
}

/*
 * Starts a rebuild after fg_feed_open() refused the index for its analysis
 * settings (msg: the feed's message): holds the old index's writer lock
 * (readers keep searching it) and opens a new, empty index with w->cfg in
 * INDEX.rebuild as the feed.  The rescan that follows fills it, and
 * finish_rebuild() swaps it in.  Returns FG_OK or an error (err says what).
 */
static fg_status_t start_rebuild(fgd_writer_t *w, const char *msg, char *err, size_t errlen) {
    char diff[1024];
    settings_diff(msg, diff, sizeof diff);
    if (fgd_rebuild_dir(w->cfg.index_path, w->rebuild_dir, sizeof w->rebuild_dir) != 0) {
        snprintf(err, errlen, "index path %.1024s too long for a rebuild", w->cfg.index_path);
        return FG_INVALID;
    }
    /* the old index, with its own analysis settings: the fast lane's changes
     * are searchable there at once */
    fg_status_t st = fg_feed_open_as_built(&w->cfg, w->cfg.index_path, on_old_event, w,
                                           &w->old_feed, err, errlen);
    if (st != FG_OK)
        return st;
    fg_feed_set_commit_batch(w->old_feed, w->policy.batch_docs, w->policy.batch_bytes);
    int rc = fgd_rmtree(w->rebuild_dir); /* what an interrupted rebuild left */
    if (rc == 0)
        st = fg_feed_open(&w->cfg, w->rebuild_dir, on_feed_event, w, &w->feed, err, errlen);
    else
        snprintf(err, errlen, "cannot remove %.1024s: %s", w->rebuild_dir, strerror(-rc));
    if (rc != 0 || st != FG_OK) {
        fg_feed_close(w->old_feed);
        w->old_feed = NULL;
        return rc != 0 ? FG_IO : st;
    }
    fg_feed_set_commit_batch(w->feed, w->policy.batch_docs, w->policy.batch_bytes);
    set_bulk(w);
    w->seen_bytes = 0;
    w->rebuilding = true;
    fgd_status_set_rebuild(w->status, true);
    fgd_log(FGD_NOTICE,
            "analysis settings changed (%s): rebuilding the index in the background in %s; "
            "searches use the old index until the new one replaces it",
            diff, w->rebuild_dir);
    return FG_OK;
}

/* Finishes a rebuild: commits and closes the new index, puts it in the place
 * of the old one (atomically where the file system can), opens it there as
 * the feed and removes the old index.  Returns FG_OK or an error. */
static fg_status_t finish_rebuild(fgd_writer_t *w) {
    fg_status_t st = fg_feed_close(w->feed);
    w->feed = NULL;
    if (st != FG_OK) {
        fgd_log(FGD_ERROR, "committing the rebuilt index %s: %s", w->rebuild_dir,
                fg_status_str(st));
        return st;
    }
    /* the fast lane's changes are in both: nothing of them is lost */
    st = fg_feed_close(w->old_feed);
    w->old_feed = NULL;
    w->old_pending = false;
    if (st != FG_OK)
        fgd_log(FGD_WARNING, "committing the old index before the swap: %s", fg_status_str(st));
    int rc = fgd_swap_dirs(w->cfg.index_path, w->rebuild_dir);
    if (rc != 0) {
        fgd_log(FGD_ERROR, "swapping %s into the place of %s: %s", w->rebuild_dir,
                w->cfg.index_path, strerror(-rc));
        return FG_IO;
    }
    char err[2048];
    st = open_feed(w, err, sizeof err);
    if (st != FG_OK) {
        fgd_log(FGD_ERROR, "opening the rebuilt index: %s", err);
        return st;
    }
    rc = fgd_rmtree(w->rebuild_dir);
    if (rc != 0)
        fgd_log(FGD_WARNING, "cannot remove the old index at %s: %s", w->rebuild_dir,
                strerror(-rc));
    w->rebuilding = false;
    fgd_status_set_rebuild(w->status, false);
    uint64_t docs = 0;
    fg_feed_doc_count(w->feed, &docs);
    fgd_log(FGD_NOTICE, "the rebuilt index replaced the old one: %llu documents",
            (unsigned long long)docs);
    return FG_OK;
}

/* True when list l holds s. */
static bool list_has(const fg_strlist_t *l, const char *s) {
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

/* Applies a new configuration: forgets folders no longer watched, reopens the
 * feed with the new globs and limits, rescans.  Changed analysis settings
 * start a rebuild.  Takes ownership of *ncfg's contents.  Returns FG_OK or an
 * index error. */
static fg_status_t reload(fgd_writer_t *w, fg_config_t *ncfg) {
    fgd_status_set_state(w->status, "reloading");
    fg_status_t st = FG_OK;
    for (size_t i = 0; st == FG_OK && i < w->cfg.watch_folders.count; i++) {
        const char *r = w->cfg.watch_folders.items[i];
        if (!list_has(&ncfg->watch_folders, r)) {
            fgd_log(FGD_NOTICE, "no longer watching %s: removing its documents", r);
            st = fg_feed_remove(w->feed, r);
        }
    }
    if (st == FG_OK)
        st = commit(w);
    if (st != FG_OK)
        return st;
    fg_feed_close(w->feed);
    w->feed = NULL;
    fg_config_free(&w->cfg);
    w->cfg = *ncfg;
    memset(ncfg, 0, sizeof *ncfg);
    w->policy.interval_ms = w->cfg.commit_interval_ms;
    w->policy.max_age_ms = w->cfg.commit_max_age_ms;
    char err[2048];
    st = open_feed(w, err, sizeof err);
    if (st == FG_SETTINGS) {
        char msg[sizeof err];
        memcpy(msg, err, sizeof msg);
        st = start_rebuild(w, msg, err, sizeof err);
    }
    if (st != FG_OK) {
        fgd_log(FGD_ERROR, "reopening the index: %s", err);
        return st;
    }
    return rescan_all(w, "reload");
}

/* Puts op (taken over) into the backlog of the bulk lane.  Returns FG_OK or
 * FG_NOMEM (op then runs at once instead). */
static fg_status_t backlog_push(fgd_writer_t *w, fgd_op_t *op) {
    if (w->nbacklog == w->backlog_cap) {
        size_t cap = w->backlog_cap ? w->backlog_cap * 2 : 256;
        fgd_op_t **p = realloc(w->backlog, cap * sizeof *p);
        if (!p)
            return FG_NOMEM;
        w->backlog = p;
        w->backlog_cap = cap;
    }
    if (w->nbacklog == 0)
        w->backlog_since = fgd_now_ms();
    w->backlog[w->nbacklog++] = op;
    w->burst_total++;
    if (!w->burst_since)
        w->burst_since = fgd_now_ms();
    return FG_OK;
}

/* qsort order of paths. */
static int cmp_paths(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static fg_status_t run_op(fgd_writer_t *w, fgd_op_t *op);

/* Runs op (taken over) in the fast lane: at once, into the live index; its
 * changes count as single changes for the commit policy.  Returns FG_OK or
 * an index error. */
static fg_status_t run_fast(fgd_writer_t *w, fgd_op_t *op) {
    bool was = w->in_fast;
    fg_status_t st = FG_OK;
    if (w->old_feed) {
        /* a rebuild: into the old index first (searches see it at once),
         * then into the new one (so it survives the swap) */
        fg_feed_t *rebuild = w->feed;
        w->feed = w->old_feed;
        w->in_fast = true;
        st = run_op(w, op);
        w->feed = rebuild;
    }
    w->in_fast = true;
    if (st == FG_OK)
        st = run_op(w, op);
    w->in_fast = was;
    fgd_op_free(op);
    w->cs.last_work = fgd_now_ms();
    return st;
}

/* Entries of a folder the fast lane walks itself (a folder just made, with
 * the file saved into it before its watch was there). */
#define FAST_FOLDER_ENTRIES 32

/* True when the folder path holds no folder and at most FAST_FOLDER_ENTRIES
 * entries. */
static bool small_folder(const char *path) {
    DIR *d = opendir(path);
    if (!d)
        return true; /* gone: a removal */
    size_t n = 0;
    bool small = true;
    struct dirent *de;
    while (small && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        small = ++n <= FAST_FOLDER_ENTRIES && de->d_type != DT_DIR && de->d_type != DT_UNKNOWN;
    }
    closedir(d);
    return small;
}

/*
 * Sends a sync or move op (taken over) down its lane: a file of a burst, a
 * large file, or (inside bulk work) a folder into the backlog; everything
 * else runs at once (run_fast()).  Returns FG_OK or an index error.
 */
static fg_status_t route(fgd_writer_t *w, fgd_op_t *op) {
    if (op->kind == FGD_OP_SYNC) {
        const char *root = root_of(w, op->path);
        struct stat sb;
        bool bulk = false;
        if (root && lstat(op->path, &sb) == 0) {
            if (S_ISREG(sb.st_mode) && fg_feed_admits(&w->cfg, root, op->path))
                bulk = fgd_lane_of_file(&w->lanes, root, op->path, (uint64_t)sb.st_size,
                                        fg_doctype_path_sandboxed(op->path), op->folder_bursts,
                                        op->queued_ms) == FGD_LANE_BULK; /* by arrival */
            else if (S_ISDIR(sb.st_mode))
                bulk = !small_folder(op->path); /* a walk of many files is bulk work */
        }
        if (bulk && backlog_push(w, op) == FG_OK) {
            fgd_log(FGD_DEBUG, "bulk lane: %s", op->path);
            return FG_OK;
        }
    }
    fgd_log(FGD_DEBUG, "fast lane: %s", op->path);
    return run_fast(w, op);
}

/*
 * The fast lane inside bulk work (the feed's yield function, see
 * fg_feed_set_yield()): takes what the queue holds without waiting, runs
 * single changes at once, puts bulk ones in the backlog, and commits the
 * live writer when the policy says so.  A stop, rescan or reload is kept
 * for the main loop (w->ctrl), and nothing more is taken until it ran.  An
 * index error is kept in w->yield_st and stops the bulk work.
 */
static void writer_yield(void *ctx) {
    fgd_writer_t *w = ctx;
    if (w->ctrl || w->yield_st != FG_OK)
        return;
    int64_t until = fgd_now_ms() + YIELD_BUDGET_MS;
    fg_status_t st = FG_OK;
    bool took = false;
    while (st == FG_OK && fgd_now_ms() < until) {
        fgd_op_t *op = fgd_queue_take(w->q, 0);
        if (!op)
            break;
        if (op->kind != FGD_OP_SYNC && op->kind != FGD_OP_MOVE) {
            w->ctrl = op;
            break;
        }
        if (atomic_load(&w->cancel)) {
            fgd_op_free(op); /* stopping: the next start's rescan does it */
            continue;
        }
        took = true;
        st = route(w, op);
    }
    if (st == FG_OK && (took || w->cs.fast_docs > 0))
        st = commit_if_due(w, fgd_queue_length(w->q) == 0);
    report_lanes(w);
    if (st == FG_CANCELLED)
        st = FG_OK;
    if (st != FG_OK) {
        w->yield_st = st;
        atomic_store(&w->cancel, true); /* the bulk work stops; the loop reports */
    }
}

/*
 * Runs the backlog of the bulk lane: its files together through
 * fg_feed_files() (the parallel bulk path; the fast lane goes on inside,
 * through writer_yield()), then its folders (fg_feed_tree()).  What
 * arrives meanwhile waits in a new backlog for the next run.  Returns
 * FG_OK or an index error.
 */
static fg_status_t run_backlog(fgd_writer_t *w) {
    fgd_op_t **ops = w->backlog;
    size_t n = w->nbacklog;
    w->backlog = NULL;
    w->nbacklog = w->backlog_cap = 0;
    /* files from the front, the others (folders, gone) from the back */
    const char **paths = malloc((n ? n : 1) * sizeof *paths);
    if (!paths) {
        for (size_t i = 0; i < n; i++)
            fgd_op_free(ops[i]);
        free(ops);
        return FG_NOMEM;
    }
    size_t nfiles = 0, nothers = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (lstat(ops[i]->path, &sb) == 0 && S_ISREG(sb.st_mode))
            paths[nfiles++] = ops[i]->path;
        else
            paths[n - ++nothers] = ops[i]->path;
    }
    /* fg_feed_files() wants each path once */
    qsort(paths, nfiles, sizeof *paths, cmp_paths);
    size_t u = 0;
    for (size_t i = 0; i < nfiles; i++)
        if (u == 0 || strcmp(paths[u - 1], paths[i]) != 0)
            paths[u++] = paths[i];
    w->burst_total -= nfiles - u; /* a path counted twice */
    fgd_log(FGD_DEBUG, "bulk lane: %zu files (%llu documents held)", u,
            (unsigned long long)fg_feed_held_docs(w->feed));
    w->in_bulk = true;
    fg_status_t st = fg_feed_files(w->feed, paths, u, false);
    for (size_t i = n - nothers; (st == FG_OK || st == FG_SKIPPED || st == FG_IO) && i < n; i++)
        st = sync_path(w, paths[i]); /* a folder, or gone */
    w->in_bulk = false;
    w->cs.last_work = fgd_now_ms();
    for (size_t i = 0; i < n; i++)
        fgd_op_free(ops[i]);
    free(ops);
    free(paths);
    if (w->yield_st != FG_OK)
        return w->yield_st;
    return (st == FG_SKIPPED || st == FG_IO) ? FG_OK : st;
}

/* Syncs path after a move: at once, unless it is a folder of many files,
 * whose walk waits in the bulk lane's backlog.  Returns FG_OK or an index
 * error. */
static fg_status_t sync_after_move(fgd_writer_t *w, const char *path) {
    struct stat sb;
    if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && !small_folder(path)) {
        fgd_op_t *op = calloc(1, sizeof *op);
        if (op && (op->path = strdup(path)) != NULL) {
            op->kind = FGD_OP_SYNC;
            op->queued_ms = fgd_now_ms();
            if (backlog_push(w, op) == FG_OK)
                return FG_OK;
        }
        fgd_op_free(op);
    }
    return sync_path(w, path);
}

/* Carries out one operation.  Returns FG_OK or an index error. */
static fg_status_t run_op(fgd_writer_t *w, fgd_op_t *op) {
    switch (op->kind) {
    case FGD_OP_SYNC: return sync_path(w, op->path);
    case FGD_OP_MOVE: {
        /* documents follow without re-extraction; then both places are
         * synced (cheap: the moved documents are unchanged there; a large
         * folder is walked by the bulk lane) */
        fg_status_t st = fg_feed_rename(w->feed, op->path, op->to);
        if (st == FG_OK)
            st = sync_after_move(w, op->path);
        return st == FG_OK ? sync_after_move(w, op->to) : st;
    }
    case FGD_OP_RESCAN: {
        fg_status_t st = rescan_all(w, w->reconciled ? "full" : "start-up");
        w->reconciled = true;
        return st;
    }
    case FGD_OP_RELOAD: return reload(w, op->arg);
    case FGD_OP_STOP: break;
    }
    return FG_OK;
}

/*
 * After open_feed() found the index damaged (FG_CORRUPT, err says how):
 * moves the folder aside to INDEX.damaged (replacing an older one) and opens
 * a new, empty index in its place, which the start's rescan fills from the
 * watched folders: the daemon rebuilds instead of failing at every start.
 * Returns open_feed()'s status, or FG_IO when the folder cannot be moved.
 */
static fg_status_t replace_damaged(fgd_writer_t *w, char *err, size_t errlen) {
    char aside[FG_PATH_MAX + 16], why[2048];
    snprintf(why, sizeof why, "%s", err);
    if (snprintf(aside, sizeof aside, "%s.damaged", w->cfg.index_path) >= (int)sizeof aside) {
        snprintf(err, errlen, "%.1500s; index path too long to move it aside", why);
        return FG_IO;
    }
    int rc = fgd_rmtree(aside);
    if (rc == 0 && rename(w->cfg.index_path, aside) != 0)
        rc = -errno;
    if (rc != 0) {
        snprintf(err, errlen, "%.1000s; cannot move it to %.1000s: %s", why, aside, strerror(-rc));
        return FG_IO;
    }
    fgd_log(FGD_ERROR,
            "%s%s; moved it to %s (remove that when you do not need it) and rebuilding the "
            "index from the watched folders",
            strstr(why, "is damaged") ? "" : "the index is damaged: ", why, aside);
    return open_feed(w, err, errlen);
}

/* Opens the index as at start: a damaged one is replaced, one of other
 * analysis settings rebuilt in the background.  Returns FG_OK or an error
 * (err says what). */
static fg_status_t open_index(fgd_writer_t *w, char *err, size_t errlen) {
    fg_status_t st = open_feed(w, err, errlen);
    if (st == FG_CORRUPT)
        st = replace_damaged(w, err, errlen);
    if (st == FG_SETTINGS) {
        char msg[2048];
        snprintf(msg, sizeof msg, "%s", err);
        st = start_rebuild(w, msg, err, errlen);
    }
    return st;
}

/* Closes the feeds (what was not committed is dropped: the rescan after
 * reopening finds it again) and forgets the backlog and the queued changes
 * but a STOP, which is kept in w->ctrl. */
static void drop_everything(fgd_writer_t *w) {
    fg_feed_close(w->feed); /* its implicit commit may fail again: nothing more to do */
    w->feed = NULL;
    fg_feed_close(w->old_feed);
    w->old_feed = NULL;
    w->rebuilding = false;
    w->old_pending = false;
    w->cs.pending_docs = 0;
    for (size_t i = 0; i < w->nbacklog; i++)
        fgd_op_free(w->backlog[i]);
    w->nbacklog = 0;
    if (w->ctrl && w->ctrl->kind != FGD_OP_STOP) {
        fgd_op_free(w->ctrl);
        w->ctrl = NULL;
    }
}

/*
 * After a write failed for want of disk space: the index stays as it was
 * last committed (searches go on), the changes since are dropped, and the
 * writer waits (1 s, doubling to FULL_DISK_MAX_WAIT_MS, ending at a STOP),
 * then reopens the index and rescans the watched folders, which catches up
 * with everything that changed meanwhile.  Returns FG_OK (also when a STOP
 * came: it is left in w->ctrl) or an error other than FG_NO_SPACE.
 */
static fg_status_t wait_for_space(fgd_writer_t *w) {
    int64_t wait = 1000;
    char why[2048];
    snprintf(why, sizeof why, "%s", w->feed ? fg_feed_error(w->feed) : "no space left");
    for (;;) {
        drop_everything(w);
        fgd_status_set_state(w->status, "waiting for disk space");
        fgd_log(FGD_ERROR,
                "disk full: %s; the index stays as last committed and searchable, trying "
                "again in %lld s",
                why, (long long)(wait / 1000));
        int64_t until = fgd_now_ms() + wait;
        while (!w->ctrl) {
            fgd_op_t *op = fgd_queue_take(w->q, until);
            if (!op)
                break;
            if (op->kind == FGD_OP_STOP)
                w->ctrl = op; /* the main loop stops */
            else
                fgd_op_free(op); /* the rescan below finds it */
        }
        if (w->ctrl)
            return FG_OK;
        char err[2048];
        fg_status_t st = open_index(w, err, sizeof err);
        if (st == FG_OK)
            st = rescan_all(w, "disk space again");
        if (st == FG_OK)
            st = commit(w);
        if (st == FG_OK) {
            fgd_log(FGD_NOTICE, "disk space again: the index caught up");
            return FG_OK;
        }
        const char *now_why = w->feed ? fg_feed_error(w->feed) : err;
        if (st != FG_NO_SPACE && !strstr(now_why, strerror(ENOSPC))) {
            fgd_log(FGD_ERROR, "after the disk was full: %s", now_why);
            return st;
        }
        snprintf(why, sizeof why, "%s", now_why);
        wait = wait * 2 > FULL_DISK_MAX_WAIT_MS ? FULL_DISK_MAX_WAIT_MS : wait * 2;
    }
}

/*
 * After an operation found the open index damaged (what opening did not
 * see): replaces it as at start (replace_damaged()) and rescans the watched
 * folders into the new one.  Once per run: damage again means something
 * else is wrong, and the writer stops.
 */
static fg_status_t rebuild_damaged(fgd_writer_t *w) {
    char err[2048];
    snprintf(err, sizeof err, "%s", w->feed ? fg_feed_error(w->feed) : "index damaged");
    w->damaged_once = true;
    drop_everything(w);
    fg_status_t st = replace_damaged(w, err, sizeof err);
    if (st != FG_OK) {
        fgd_log(FGD_ERROR, "%s", err);
        return st;
    }
    return rescan_all(w, "rebuild of the damaged index");
}

/* ------------------------------------------------------------ the thread */

/* Reports the result of opening to the starting thread. */
static void report_open(fgd_writer_t *w, fg_status_t st) {
    pthread_mutex_lock(&w->mu);
    w->open_status = st;
    w->opened = st == FG_OK ? 1 : -1;
    pthread_cond_signal(&w->cond);
    pthread_mutex_unlock(&w->mu);
}

/* The thread: open, then operations and commits until STOP or an error. */
static void *writer_main(void *arg) {
    fgd_writer_t *w = arg;
    char err[sizeof w->open_err];
    fg_status_t st = open_index(w, err, sizeof err);
    if (st != FG_OK) {
        memcpy(w->open_err, err, sizeof err);
        report_open(w, st);
        return NULL;
    }
    if (!w->rebuilding &&
        fgd_rebuild_dir(w->cfg.index_path, w->rebuild_dir, sizeof w->rebuild_dir) == 0 &&
        access(w->rebuild_dir, F_OK) == 0) {
        /* a crash between the swap and the removal of the old index */
        fgd_log(FGD_NOTICE, "removing %s, left by an interrupted rebuild", w->rebuild_dir);
        fgd_rmtree(w->rebuild_dir);
    }
    report_open(w, FG_OK);
    bool dropping = false; /* cancelled: drop what is queued until the STOP */
    for (;;) {
        fgd_op_t *op = NULL;
        int64_t now = fgd_now_ms();
        if (w->nbacklog > 0 && !atomic_load(&w->cancel) &&
            (w->ctrl || w->nbacklog >= BATCH_MAX_FILES ||
             (w->nbacklog >= BATCH_MIN_QUEUE && fgd_queue_length(w->q) == 0) ||
             now >= w->backlog_since + BACKLOG_GATHER_MS)) {
            st = run_backlog(w); /* the fast lane runs inside */
        } else if (w->ctrl) {
            op = w->ctrl;
            w->ctrl = NULL;
        } else {
            fgd_commit_t c = next_commit(w, true, now);
            int64_t deadline = c.at == FGD_COMMIT_NONE ? -1 : c.at; /* -1: wait for work */
            if (w->nbacklog > 0 &&
                (deadline < 0 || deadline > w->backlog_since + BACKLOG_GATHER_MS))
                deadline = w->backlog_since + BACKLOG_GATHER_MS;
            op = fgd_queue_take(w->q, deadline);
            if (!op && (w->nbacklog == 0 || atomic_load(&w->cancel)))
                st = commit_if_due(w, true);
        }
        if (!op) {
            /* a run, a commit, or a wake-up for the backlog */
        } else if (op->kind == FGD_OP_STOP) {
            fgd_op_free(op);
            break;
        } else if (atomic_load(&w->cancel)) {
            if (!dropping)
                fgd_log(FGD_INFO,
                        "stopping: %zu queued operations are left to the next "
                        "start's rescan",
                        fgd_queue_length(w->q) + w->nbacklog + 1);
            dropping = true;
            fgd_op_free(op);
        } else if (op->kind == FGD_OP_SYNC || op->kind == FGD_OP_MOVE) {
            st = route(w, op);
            if (st == FG_OK)
                st = commit_if_due(w, false);
        } else {
            st = run_op(w, op); /* a rescan or a reload */
            fgd_op_free(op);
            w->cs.last_work = fgd_now_ms();
            if (st == FG_OK)
                st = commit_if_due(w, false);
        }
        report_lanes(w);
        if (st == FG_CANCELLED) {
            if (w->yield_st != FG_OK)
                st = w->yield_st;
            else {
                fgd_log(FGD_INFO, "stopping: the walk or batch in progress was cut short; "
                                  "the next start's rescan finishes it");
                st = FG_OK;
            }
        }
        if (st == FG_NO_SPACE)
            st = wait_for_space(w);
        else if (st == FG_CORRUPT && !w->damaged_once)
            st = rebuild_damaged(w);
        if (st != FG_OK)
            break;
    }
    fgd_op_free(w->ctrl); /* left over when an error or a stop ended the loop */
    w->ctrl = NULL;
    for (size_t i = 0; i < w->nbacklog; i++)
        fgd_op_free(w->backlog[i]);
    free(w->backlog);
    w->backlog = NULL;
    w->nbacklog = 0;
    if (st != FG_OK) {
        fgd_log(FGD_ERROR, "index error, stopping: %s",
                w->feed ? fg_feed_error(w->feed) : fg_status_str(st));
        w->result = st;
        fgd_status_set_state(w->status, "failed");
    }
    fg_status_t cst = fg_feed_close(w->feed);
    w->feed = NULL;
    fg_feed_close(w->old_feed); /* an unfinished rebuild: the next start redoes it */
    w->old_feed = NULL;
    if (cst != FG_OK && w->result == FG_OK) {
        fgd_log(FGD_ERROR, "final commit failed: %s", fg_status_str(cst));
        w->result = cst;
    }
    if (w->on_exit)
        w->on_exit(w->ctx);
    return NULL;
}

/* Frees a writer whose thread has ended (or never ran). */
static void writer_free(fgd_writer_t *w) {
    fg_config_free(&w->cfg);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cond);
    free(w);
}

/* Starts the writer and waits for the index to be open (see writer.h). */
fg_status_t fgd_writer_start(const fgd_writer_params_t *p, fgd_writer_t **out, char *err,
                             size_t errlen) {
    *out = NULL;
    fgd_writer_t *w = calloc(1, sizeof *w);
    if (!w)
        return FG_NOMEM;
    atomic_init(&w->cancel, false);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cond, NULL);
    w->q = p->queue;
    w->status = p->status;
    w->on_exit = p->on_exit;
    w->ctx = p->ctx;
    w->policy.interval_ms = p->cfg->commit_interval_ms;
    w->policy.max_age_ms = p->cfg->commit_max_age_ms;
    w->policy.batch_docs = p->opts->batch_docs;
    w->policy.batch_bytes = p->opts->batch_bytes;
    w->policy.burst_idle_ms = BURST_IDLE_MS;
    w->policy.few_held = FEW_HELD;
    fgd_lanes_init(&w->lanes);
    if (fg_config_copy(&w->cfg, p->cfg) != FG_OK) {
        writer_free(w);
        return FG_NOMEM;
    }
    int rc = pthread_create(&w->thread, NULL, writer_main, w);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the writer thread: %s", strerror(rc));
        writer_free(w);
        return FG_NOMEM;
    }
    pthread_mutex_lock(&w->mu);
    while (w->opened == 0)
        pthread_cond_wait(&w->cond, &w->mu);
    pthread_mutex_unlock(&w->mu);
    if (w->opened < 0) {
        fg_status_t st = w->open_status;
        snprintf(err, errlen, "%s", w->open_err);
        pthread_join(w->thread, NULL);
        writer_free(w);
        return st;
    }
    *out = w;
    return FG_OK;
}

/* Asks the writer to stop soon (see writer.h). */
void fgd_writer_cancel(fgd_writer_t *w) {
    if (w)
        atomic_store(&w->cancel, true);
}

/* Joins and frees the writer (see writer.h). */
fg_status_t fgd_writer_join(fgd_writer_t *w) {
    if (!w)
        return FG_OK;
    pthread_join(w->thread, NULL);
    fg_status_t st = w->result;
    writer_free(w);
    return st;
}
