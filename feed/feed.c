/*
 * feed.c - keeping an index in step with files and folder trees (see feed.h).
 */
#include "feed/feed.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "extract/extract.h"
#include "extract/format.h"
#include "feed/docbuild.h"
#include "feed/failed.h"
#include "index/index.h"

#include "feed/feed-private.h"

#define ERRLEN FG_FEED_ERRLEN

/* ------------------------------------------------------------ helpers */

/* Reports an event to the callback, if any. */
static void emit(fg_feed_t *f, fg_feed_event_t ev, const char *path, const char *reason) {
    if (f->fn)
        f->fn(f->ctx, ev, path, reason, &f->stats);
}

/* True when name matches one of the globs. */
static bool match_any(const fg_strlist_t *globs, const char *name) {
    for (size_t i = 0; i < globs->count; i++)
        if (fnmatch(globs->items[i], name, 0) == 0)
            return true;
    return false;
}

/* True when the folder or file name (one path component) below a root is
 * excluded: hidden, or matching an exclude glob. */
static bool component_excluded(const fg_config_t *cfg, const char *name, const char *path) {
    if (name[0] == '.' && !cfg->hidden)
        return true;
    return match_any(&cfg->exclude, name) || match_any(&cfg->exclude, path);
}

/* True when no component of path below root is hidden (unless allowed) or
 * excluded; the include globs are not looked at. */
static bool components_admitted(const fg_config_t *cfg, const char *root, const char *path) {
    size_t rlen = strlen(root);
    while (rlen > 1 && root[rlen - 1] == '/')
        rlen--;
    const char *rel = path;
    if (strncmp(path, root, rlen) == 0 && (path[rlen] == '/' || path[rlen] == '\0'))
        rel = path + rlen;
    /* every component below the root, with the path up to it (as the walk
     * sees them: a path glob naming a folder excludes what is below it) */
    char comp[NAME_MAX + 1];
    char *prefix = strdup(path);
    if (!prefix)
        return false;
    const char *p = rel;
    bool ok = true;
    while (ok && *p) {
        while (*p == '/')
            p++;
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0)
            break;
        if (n > NAME_MAX) {
            ok = false;
            break;
        }
        memcpy(comp, p, n);
        comp[n] = '\0';
        prefix[(size_t)(p - path) + n] = '\0';
        ok = !component_excluded(cfg, comp, prefix);
        prefix[(size_t)(p - path) + n] = path[(size_t)(p - path) + n];
        p += n;
    }
    free(prefix);
    return ok;
}

/* True when the include globs admit the file at path, whose name is base.
 * A Maildir's message ("cur/1720000000.M1P2.host:2,S") has no extension of
 * its own: it is admitted when the globs admit a mail ("*.eml"). */
static bool included(const fg_config_t *cfg, const char *path, const char *base) {
    return cfg->include.count == 0 || match_any(&cfg->include, base) ||
           (fg_doctype_path_maildir(path) && fg_doctype_of_path(path) == FG_DOCTYPE_EML &&
            match_any(&cfg->include, "message.eml"));
}

/* True when the globs admit the file at path below root (see feed.h). */
bool fg_feed_admits(const fg_config_t *cfg, const char *root, const char *path) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    return components_admitted(cfg, root, path) && included(cfg, path, base);
}

/* True when the folder at path below root is walked (see feed.h). */
bool fg_feed_admits_folder(const fg_config_t *cfg, const char *root, const char *path) {
    return components_admitted(cfg, root, path);
}

/* ------------------------------------------------------------ open/close */

/* Records the analysis settings in a new index, or checks them against an
 * existing one. */
static fg_status_t check_settings(fg_feed_t *f, char *err, size_t errlen) {
    char *want = NULL, *have = NULL;
    fg_status_t st = fg_analysis_settings_serialize(&f->cfg.analysis, &want, err, errlen);
    if (st != FG_OK)
        return st;
    st = fg_index_get_metadata(f->index, FG_META_ANALYSIS, &have);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_index_error(f->index));
        goto out;
    }
    if (have[0] == '\0') {
        st = fg_index_set_metadata(f->index, FG_META_ANALYSIS, want);
        if (st == FG_OK)
            st = fg_index_commit(f->index);
        if (st != FG_OK)
            snprintf(err, errlen, "%s", fg_index_error(f->index));
    } else {
        char diff[512];
        if (fg_analysis_settings_diff(have, want, diff, sizeof diff)) {
            snprintf(err, errlen,
                     "index %s was built with other analysis settings (%s); "
                     "rebuild it (remove the folder and index again) or restore the settings",
                     fg_index_path(f->index), diff);
            st = FG_SETTINGS;
        }
    }
out:
    free(want);
    free(have);
    return st;
}

/* Replaces f->cfg.analysis by the settings recorded in f's index (kept
 * when it records none). */
static fg_status_t use_recorded_settings(fg_feed_t *f, char *err, size_t errlen) {
    char *have = NULL;
    fg_status_t st = fg_index_get_metadata(f->index, FG_META_ANALYSIS, &have);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_index_error(f->index));
        return st;
    }
    if (have[0] != '\0')
        st = fg_analysis_settings_parse(have, &f->cfg.analysis, err, errlen);
    free(have);
    return st;
}

/* Opens a feed with cfg's analysis settings, or (as_built) with those the
 * index records (see feed.h). */
static fg_status_t open_feed(const fg_config_t *cfg, const char *index_dir, bool as_built,
                             fg_feed_event_fn fn, void *ctx, fg_feed_t **out, char *err,
                             size_t errlen);

/* Opens a feed (see feed.h). */
fg_status_t fg_feed_open(const fg_config_t *cfg, const char *index_dir, fg_feed_event_fn fn,
                         void *ctx, fg_feed_t **out, char *err, size_t errlen) {
    return open_feed(cfg, index_dir, false, fn, ctx, out, err, errlen);
}

/* Opens a feed with the index's own analysis settings (see feed.h). */
fg_status_t fg_feed_open_as_built(const fg_config_t *cfg, const char *index_dir,
                                  fg_feed_event_fn fn, void *ctx, fg_feed_t **out, char *err,
                                  size_t errlen) {
    return open_feed(cfg, index_dir, true, fn, ctx, out, err, errlen);
}

static fg_status_t open_feed(const fg_config_t *cfg, const char *index_dir, bool as_built,
                             fg_feed_event_fn fn, void *ctx, fg_feed_t **out, char *err,
                             size_t errlen) {
    *out = NULL;
    fg_feed_t *f = calloc(1, sizeof *f);
    if (!f)
        return FG_NOMEM;
    f->fn = fn;
    f->ctx = ctx;
    f->batch_docs = 10000;
    f->batch_bytes = 64u << 20;
    f->cfg.max_file_size = cfg->max_file_size;
    f->cfg.hidden = cfg->hidden;
    f->cfg.analysis = cfg->analysis;
    fg_feed_set_threads(f, cfg->threads); /* [index] threads; 0: one per core */
    f->sandbox.timeout_s = cfg->extract_timeout_s;
    f->sandbox.mem_limit = cfg->extract_memory_limit;
    f->sandbox.max_text = cfg->extract_max_text;
    f->sandbox.max_inflate = cfg->extract_max_inflate;
    fg_status_t st = fg_strlist_copy(&f->cfg.include, &cfg->include);
    if (st == FG_OK)
        st = fg_strlist_copy(&f->cfg.exclude, &cfg->exclude);
    if (st != FG_OK) {
        snprintf(err, errlen, "%s", fg_status_str(st));
        goto fail;
    }
    st = fg_index_open_writable(index_dir, as_built ? 0 : FG_INDEX_CREATE, &f->index, err, errlen);
    if (st == FG_OK && as_built)
        st = use_recorded_settings(f, err, errlen);
    if (st == FG_OK)
        st = fg_docbuild_new(&f->cfg.analysis, &f->builder, err, errlen);
    if (st == FG_OK)
        st = fg_extractor_new(&f->sandbox, &f->extractor);
    if (st != FG_OK)
        goto fail;
    st = check_settings(f, err, errlen);
    if (st != FG_OK)
        goto fail;
    *out = f;
    return FG_OK;
fail:
    fg_feed_close(f);
    return st;
}

/* Commits and closes a feed (see feed.h). */
fg_status_t fg_feed_close(fg_feed_t *f) {
    if (!f)
        return FG_OK;
    fg_status_t st = FG_OK;
    if (f->index && (f->pending_docs || fg_held_segment_count(&f->held)))
        st = fg_feed_commit(f);
    fg_held_free(&f->held); /* left after a failure: removed */
    fg_status_t cst = fg_index_close(f->index);
    if (st == FG_OK)
        st = cst;
    fg_docbuild_free(f->builder);
    fg_extractor_free(f->extractor);
    for (unsigned i = 0; i < f->n_builders; i++) {
        fg_docbuild_free(f->builders[i]);
        fg_extractor_free(f->extractors[i]);
    }
    free(f->builders);
    free(f->extractors);
    fg_strlist_free(&f->cfg.include);
    fg_strlist_free(&f->cfg.exclude);
    free(f);
    return st;
}

/* Commits pending changes and held segments (see feed.h). */
fg_status_t fg_feed_commit(fg_feed_t *f) {
    if (fg_held_segment_count(&f->held) && !f->in_run)
        return fg_feed_flush(f); /* commits the live writer's changes too */
    return fg_feed_commit_live(f);
}

/* Commits the live writer's changes only (see feed.h). */
fg_status_t fg_feed_commit_live(fg_feed_t *f) {
    /* inside a bulk run's yield the run's mutex is held: the workers need
     * it to hand over, and the commit (an fsync) does not touch what it
     * guards */
    pthread_mutex_t *mu = f->in_yield && f->in_run ? f->run_mu : NULL;
    if (mu)
        pthread_mutex_unlock(mu);
    fg_status_t st = fg_index_commit(f->index);
    if (mu)
        pthread_mutex_lock(mu);
    if (st != FG_OK) {
        snprintf(f->err, sizeof f->err, "commit: %s", fg_index_error(f->index));
        return st;
    }
    f->pending_docs = f->pending_bytes = 0;
    emit(f, FG_FEED_COMMITTED, NULL, NULL);
    return FG_OK;
}

/* The counters so far. */
const fg_feed_stats_t *fg_feed_stats(const fg_feed_t *f) {
    return &f->stats;
}

/* The text of the last error. */
const char *fg_feed_error(const fg_feed_t *f) {
    return f->err;
}

/* Sets deferred merging of bulk segments (see feed.h). */
void fg_feed_set_defer_merge(fg_feed_t *f, bool on) {
    f->defer_merge = on;
}

/* Sets whether documents always go to the workers (see feed.h). */
void fg_feed_set_parallel_documents(fg_feed_t *f, bool on) {
    f->parallel_documents = on;
}

/* Sets the cancel flag (see feed.h). */
void fg_feed_set_cancel(fg_feed_t *f, const atomic_bool *flag) {
    f->cancel = flag;
}

/* Sets the fast lane's function (see feed.h). */
void fg_feed_set_yield(fg_feed_t *f, fg_feed_yield_fn fn, void *ctx) {
    f->yield = fn;
    f->yield_ctx = ctx;
}

/* True during a bulk run (see feed.h). */
bool fg_feed_in_run(const fg_feed_t *f) {
    return f->in_run;
}

/* Milliseconds of the coarse monotonic clock (cheap enough to read per
 * file). */
static int64_t coarse_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Calls the yield function (see feed-private.h). */
void fg_feed_yield(fg_feed_t *f, bool always) {
    if (!f->yield || f->in_yield)
        return;
    int64_t now = coarse_ms();
    if (!always && now - f->last_yield_ms < FG_FEED_YIELD_MS)
        return;
    f->in_yield = true;
    f->yield(f->yield_ctx);
    f->in_yield = false;
    f->last_yield_ms = coarse_ms();
}

/* Documents in held segments (see feed.h). */
uint64_t fg_feed_held_docs(const fg_feed_t *f) {
    return f->held.docs;
}

/* Sets the automatic commit batch (see feed.h). */
void fg_feed_set_commit_batch(fg_feed_t *f, uint64_t docs, uint64_t bytes) {
    f->batch_docs = docs ? docs : 1;
    f->batch_bytes = bytes ? bytes : 1;
}

/* ------------------------------------------------------------ one file */

/* Records an index failure in f->err. */
static fg_status_t index_failed(fg_feed_t *f, fg_status_t st, const char *what, const char *path) {
    snprintf(f->err, sizeof f->err, "%s %s: %s", what, path, fg_index_error(f->index));
    return st;
}

/* The stamp of path's document, held or live (see feed-private.h). */
fg_status_t fg_feed_stamp(fg_feed_t *f, const char *path, fg_doc_stamp_t *out) {
    const fg_held_doc_t *held = fg_held_find(&f->held, path);
    if (held) {
        *out = held->stamp;
        return FG_OK;
    }
    fg_status_t st = fg_index_stamp(f->index, path, out);
    if (st != FG_OK && st != FG_NOT_FOUND)
        return index_failed(f, st, "looking up", path);
    return st;
}

/* Makes the live index's document of path (or its absence) win over held
 * copies, those held now and those the running bulk run may still make
 * (see fg_held_prefer_live()).  Returns FG_OK or FG_NOMEM. */
static fg_status_t live_wins(fg_feed_t *f, const char *path, bool held) {
    if (!held && !f->in_run)
        return FG_OK; /* no copy can overwrite the live document */
    if (fg_held_prefer_live(&f->held, path))
        return FG_OK;
    snprintf(f->err, sizeof f->err, "%s: out of memory", path);
    return FG_NOMEM;
}

/* Deletes the document of path, counting and reporting it if there was one
 * (a held copy is superseded). */
static fg_status_t remove_one(fg_feed_t *f, const char *path) {
    bool held = fg_held_find(&f->held, path) != NULL;
    fg_status_t st = live_wins(f, path, held);
    if (st != FG_OK)
        return st;
    fg_doc_stamp_t stamp;
    st = fg_index_stamp(f->index, path, &stamp);
    if (st == FG_NOT_FOUND && !held)
        return FG_OK;
    if (st == FG_OK)
        st = fg_index_delete(f->index, path);
    else if (st == FG_NOT_FOUND)
        st = FG_OK; /* only the held copy was there */
    if (st != FG_OK)
        return index_failed(f, st, "removing", path);
    f->stats.removed++;
    f->pending_docs++;
    emit(f, FG_FEED_REMOVED, path, NULL);
    return FG_OK;
}

/* Puts the failure stub of path (stat sb, reason as fg_extractor_run()
 * gave it) in place of its document (failed.h), so it is not retried until
 * it changes. */
static fg_status_t record_failed(fg_feed_t *f, const char *path, const struct stat *sb,
                                 const char *reason) {
    fg_doc_t *doc = NULL;
    fg_status_t st = fg_failed_stub(path, sb, reason, &doc);
    if (st != FG_OK) {
        snprintf(f->err, sizeof f->err, "recording %s: %s", path, fg_status_str(st));
        return st;
    }
    st = fg_index_replace(f->index, path, doc);
    fg_doc_free(doc);
    if (st != FG_OK)
        return index_failed(f, st, "recording", path);
    f->pending_docs++;
    if (f->pending_docs >= f->batch_docs)
        return fg_feed_commit_live(f);
    return FG_OK;
}

/* Indexes one file (see feed.h). */
fg_status_t fg_feed_file(fg_feed_t *f, const char *path, bool force) {
    struct stat sb;
    char reason[ERRLEN];
    f->stats.seen++;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return remove_one(f, path);
        snprintf(reason, sizeof reason, "%s: %s", path, strerror(errno));
        f->stats.failed++;
        emit(f, FG_FEED_FAILED, path, reason);
        return FG_IO;
    }
    if (!S_ISREG(sb.st_mode)) {
        snprintf(reason, sizeof reason, "%s: %s", path,
                 S_ISLNK(sb.st_mode) ? "symbolic link, not followed" : "not a regular file");
        f->stats.skipped++;
        emit(f, FG_FEED_SKIPPED, path, reason);
        fg_status_t st = remove_one(f, path);
        return st == FG_OK ? FG_SKIPPED : st;
    }
    if (!force) {
        fg_doc_stamp_t stamp;
        fg_status_t st = fg_feed_stamp(f, path, &stamp);
        if (st == FG_OK && fg_stamp_matches(&stamp, &sb)) {
            f->stats.unchanged++;
            emit(f, FG_FEED_UNCHANGED, path, NULL);
            return FG_OK;
        }
        if (st != FG_OK && st != FG_NOT_FOUND)
            return st;
    }
    { /* the new document must win over a held copy */
        fg_status_t st = live_wins(f, path, fg_held_find(&f->held, path) != NULL);
        if (st != FG_OK)
            return st;
    }

    fg_extracted_t ex;
    fg_sandbox_failure_t failure;
    fg_status_t st = fg_extractor_run(f->extractor, path, f->cfg.max_file_size, &ex, &failure,
                                      reason, sizeof reason);
    if (st == FG_NOMEM)
        return st;
    if (st != FG_OK) {
        if (st == FG_SKIPPED)
            f->stats.skipped++;
        else
            f->stats.failed++;
        emit(f, st == FG_SKIPPED ? FG_FEED_SKIPPED : FG_FEED_FAILED, path, reason);
        fg_status_t rst = fg_failed_records(st, failure, path, &sb, f->cfg.max_file_size)
                              ? record_failed(f, path, &sb, reason)
                              : remove_one(f, path);
        /* the caller goes on: FG_SKIPPED or FG_IO (feed.h), never FG_CORRUPT */
        return rst == FG_OK ? (st == FG_SKIPPED ? FG_SKIPPED : FG_IO) : rst;
    }
    fg_doc_t *doc = NULL;
    st = fg_docbuild_make(f->builder, path, &sb, &ex, &doc, NULL);
    bool noted = fg_feed_notes(path, &ex, reason, sizeof reason);
    fg_extracted_free(&ex);
    if (st != FG_OK) {
        snprintf(f->err, sizeof f->err, "analysing %s: %s", path, fg_status_str(st));
        return st;
    }
    st = fg_index_replace(f->index, path, doc);
    fg_doc_free(doc);
    if (st != FG_OK)
        return index_failed(f, st, "indexing", path);
    f->stats.indexed++;
    f->stats.bytes += (uint64_t)sb.st_size;
    f->pending_docs++;
    f->pending_bytes += (uint64_t)sb.st_size;
    emit(f, FG_FEED_INDEXED, path, noted ? reason : NULL);
    if (f->pending_docs >= f->batch_docs || f->pending_bytes >= f->batch_bytes)
        return fg_feed_commit_live(f);
    return FG_OK;
}

/* What extraction skipped inside a file that was indexed (see
 * feed-private.h). */
bool fg_feed_notes(const char *path, const fg_extracted_t *ex, char *buf, size_t len) {
    if (!ex->notes || !ex->notes[0])
        return false;
    size_t n = (size_t)snprintf(buf, len, "%s: ", path);
    for (const char *p = ex->notes; *p && n + 1 < len; p++) /* the lines joined by "; " */
        if (*p != '\n')
            buf[n++] = *p;
        else if (p[1] && n + 3 < len)
            buf[n++] = ';', buf[n++] = ' ';
    buf[n < len ? n : len - 1] = '\0';
    return true;
}

/* ------------------------------------------------------------ removal */

/* A growable list of paths with their sizes. */
typedef struct pathlist {
    char **paths;
    uint64_t *sizes;
    size_t count, cap;
} pathlist_t;

/* Appends a copy of path; false when memory ran out. */
static bool pathlist_add(pathlist_t *l, const char *path, uint64_t size) {
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p)
            return false;
        l->paths = p;
        uint64_t *s = realloc(l->sizes, cap * sizeof *s);
        if (!s)
            return false;
        l->sizes = s;
        l->cap = cap;
    }
    l->paths[l->count] = strdup(path);
    if (!l->paths[l->count])
        return false;
    l->sizes[l->count++] = size;
    return true;
}

/* Frees a path list. */
static void pathlist_free(pathlist_t *l) {
    for (size_t i = 0; i < l->count; i++)
        free(l->paths[i]);
    free(l->paths);
    free(l->sizes);
    memset(l, 0, sizeof *l);
}

/* qsort/bsearch comparison of two char* elements. */
static int cmp_paths(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collects the url of every document handed to it (fg_index_foreach callback). */
static int collect_url(void *ctx, uint32_t docid, const char *data, size_t len) {
    (void)docid;
    pathlist_t *l = ctx;
    char *url = NULL;
    if (fg_docdata_get(data, len, "url", &url) != FG_OK)
        return 1;
    bool ok = url[0] == '\0' || pathlist_add(l, url, 0);
    free(url);
    return ok ? 0 : 1;
}

/* Collects the path of a failure stub (fg_failed_each() callback). */
static int collect_stub(void *ctx, const char *path, const char *reason) {
    (void)reason;
    return pathlist_add(ctx, path, 0) ? 0 : 1;
}

/* Collects the paths of all documents at or below path into l, failure
 * stubs (which have no P terms) included. */
static fg_status_t indexed_below(fg_feed_t *f, const char *path, pathlist_t *l) {
    fg_status_t st = fg_index_foreach(f->index, path, collect_url, l);
    if (st == FG_OK)
        st = fg_failed_each(f->index, path, collect_stub, l);
    if (st != FG_OK)
        return index_failed(f, st, "listing", path);
    return FG_OK;
}

/* fg_held_each_below() callback: collects the path into the pathlist ctx. */
static int collect_held(void *ctx, const char *path) {
    return pathlist_add(ctx, path, 0) ? 0 : 1;
}

/* Sorts l and drops repeated paths. */
static void pathlist_unique(pathlist_t *l) {
    if (l->count < 2)
        return;
    qsort(l->paths, l->count, sizeof *l->paths, cmp_paths);
    size_t u = 1;
    for (size_t i = 1; i < l->count; i++) {
        if (strcmp(l->paths[u - 1], l->paths[i]) == 0)
            free(l->paths[i]);
        else
            l->paths[u++] = l->paths[i];
    }
    l->count = u;
}

/* Removes a file's document, or all documents below a folder (see feed.h):
 * the live ones, and the held copies are superseded. */
fg_status_t fg_feed_remove(fg_feed_t *f, const char *path) {
    pathlist_t l = {0};
    fg_status_t st = indexed_below(f, path, &l);
    if (st == FG_OK && fg_held_each_below(&f->held, path, collect_held, &l) != 0)
        st = FG_NOMEM;
    pathlist_unique(&l);
    for (size_t i = 0; st == FG_OK && i < l.count; i++)
        st = remove_one(f, l.paths[i]);
    /* copies of files below it that the running workers may still make */
    if (st == FG_OK)
        st = live_wins(f, path, false);
    pathlist_free(&l);
    return st;
}

/* ------------------------------------------------------------ tree walk */

/* Appends every admitted regular file below dir (a path of length dlen in
 * buf, capacity FG_PATH_MAX) to l.  Folders that cannot be read are reported. */
static fg_status_t walk(fg_feed_t *f, char *buf, size_t dlen, pathlist_t *l) {
    DIR *d = opendir(buf);
    if (!d) {
        char reason[ERRLEN];
        snprintf(reason, sizeof reason, "%s: %s", buf, strerror(errno));
        f->stats.failed++;
        emit(f, FG_FEED_FAILED, buf, reason);
        return FG_OK;
    }
    fg_status_t st = FG_OK;
    struct dirent *de;
    while (st == FG_OK && (de = readdir(d)) != NULL) {
        fg_feed_yield(f, false);
        if (fg_feed_cancelled(f)) {
            st = FG_CANCELLED;
            break;
        }
        const char *name = de->d_name;
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
            continue;
        size_t nlen = strlen(name);
        if (dlen + 1 + nlen + 1 > FG_PATH_MAX)
            continue;
        size_t sep = (dlen > 0 && buf[dlen - 1] == '/') ? 0 : 1;
        if (sep)
            buf[dlen] = '/';
        memcpy(buf + dlen + sep, name, nlen + 1);
        size_t plen = dlen + sep + nlen;
        if (component_excluded(&f->cfg, name, buf)) {
            buf[dlen] = '\0';
            continue;
        }
        struct stat sb;
        if (fstatat(dirfd(d), name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
            if (S_ISDIR(sb.st_mode))
                st = walk(f, buf, plen, l);
            else if (S_ISREG(sb.st_mode) && included(&f->cfg, buf, name))
                st = pathlist_add(l, buf, (uint64_t)sb.st_size) ? FG_OK : FG_NOMEM;
        }
        buf[dlen] = '\0';
    }
    closedir(d);
    return st;
}

/* True when the file path, which the walk below root did not find, is there
 * now and admitted: it came after the walk passed (a single change, made
 * during the walk's bulk run, put it in the index), so it is not gone. */
static bool appeared_since(const fg_feed_t *f, const char *root, const char *path) {
    struct stat sb;
    return f->yield && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
           fg_feed_admits(&f->cfg, root, path);
}

/* Walks a tree, feeding admitted files and removing vanished ones (see feed.h). */
fg_status_t fg_feed_tree(fg_feed_t *f, const char *root, bool force) {
    char *buf = malloc(FG_PATH_MAX);
    pathlist_t files = {0}, indexed = {0};
    if (!buf)
        return FG_NOMEM;
    size_t rlen = strlen(root);
    while (rlen > 1 && root[rlen - 1] == '/')
        rlen--;
    if (rlen >= FG_PATH_MAX) {
        free(buf);
        return FG_INVALID;
    }
    memcpy(buf, root, rlen);
    buf[rlen] = '\0';
    fg_status_t st = walk(f, buf, rlen, &files);
    if (st == FG_OK && files.count > 0) {
        qsort(files.paths, files.count, sizeof *files.paths, cmp_paths);
        f->stats.total_files += files.count;
        for (size_t i = 0; i < files.count; i++)
            f->stats.total_bytes += files.sizes[i];
    }
    if (st == FG_OK) /* many files: in parallel through segments (bulk.c) */
        st = fg_feed_files(f, (const char *const *)files.paths, files.count, force);
    /* documents below root, live or held, whose files were not found (or are
     * no longer admitted) */
    if (st == FG_OK)
        st = indexed_below(f, buf, &indexed);
    if (st == FG_OK && fg_held_each_below(&f->held, buf, collect_held, &indexed) != 0)
        st = FG_NOMEM;
    pathlist_unique(&indexed);
    for (size_t i = 0; st == FG_OK && i < indexed.count; i++) {
        if (files.count == 0 ||
            !bsearch(&indexed.paths[i], files.paths, files.count, sizeof *files.paths, cmp_paths))
            if (!appeared_since(f, buf, indexed.paths[i]))
                st = remove_one(f, indexed.paths[i]);
    }
    pathlist_free(&files);
    pathlist_free(&indexed);
    free(buf);
    return st;
}
