/*
 * bulk.c - many files at once: workers build segments, the writer merges
 * them (see fg_feed_files() in feed.h and "segments" in index/index.h).
 *
 * fg_feed_files() first looks at every file in the calling thread (lstat, and
 * unless forced the stamp of its document in a held segment or the live
 * index): unchanged
 * files are reported and done, files that are not regular go through
 * fg_feed_file() as before, the others are the work list.  A short work list
 * goes straight into the live index (fg_feed_file()).  A long one is shared
 * by N worker threads through an atomic index into the list; each worker has
 * its own document builder (analyzer, kept by the feed across runs) and its
 * own segment, which it commits whenever segment_bytes of text wait in
 * memory (so memory stays bounded whatever the corpus size, and small
 * commits are the fastest: Xapian's in-memory posting maps stay small) and
 * finishes (close) and hands over after BULK_SEGMENT_COMMITS of them (so the
 * merged index has few posting-list chunks).  The
 * calling thread, which owns the live index writer (Xapian objects never
 * cross threads), waits for finished segments, combines every 16 small
 * segments into one of level 1 (and every 64 of a higher level into one of
 * the next) (fg_segment_combine()), so that
 * a merge never has more than a few dozen sources, and puts everything
 * ready into the live index (fg_feed_merge_segments(): a merge, or a copy
 * when the documents are few beside the index) at the end, or earlier when
 * the ready text reaches merge_bytes and all text merged so far.  The
 * finished segments wait in the feed's held list (held.c); with deferred
 * merging (the daemon) they stay there after the run, for later runs to
 * add to, until they are due (live_merge_due()) or fg_feed_commit().
 *
 * Events: workers report INDEXED, SKIPPED and FAILED themselves, with the
 * feed's counters updated under one mutex, so the callback is never entered
 * by two threads at once (it may be entered by a worker thread).  The
 * documents of files that turned out unreadable or not text are removed
 * from the live index by the calling thread after the workers are done.
 *
 * Killed at any point, the live index stays as it was before the last
 * merge began or as that merge made it; the next writable open removes
 * unmerged segments, and a rerun indexes what is missing.
 */
#include "feed/feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/message.h"
#include "extract/extract.h"
#include "extract/format.h"
#include "feed/docbuild.h"
#include "feed/failed.h"
#include "index/index.h"

#include "feed/feed-private.h"

/* Defaults of fg_feed_set_bulk() (0 there means these). */
#define BULK_MIN_FILES 500u
#define BULK_MIN_BYTES (32u << 20)
/* A document format (extract/extractor.h: the sandbox) counts as this many
 * files toward BULK_MIN_FILES: extracting one costs some milliseconds in a
 * forked child, so from about 32 of them on the workers' parallel
 * extraction beats feeding them one by one (bench/formats: 200 HTML pages
 * 2.4 s singly, 0.8 s in bulk on 2 cores). */
#define BULK_DOCUMENT_WEIGHT 16u
#define BULK_SEGMENT_BYTES (1u << 20) /* text per segment commit: small ones are fastest */
/* Commits per segment.  A merge copies posting-list chunks as they are, so
 * an index merged from many small segments has many small chunks: from
 * 1 MB segments the x20 man-page index had a postlist table of 179 MB and
 * searched with p99 9.0 ms; from 16 MB segments built in 1 MB commits, 99 MB
 * and 5.8 ms (64 MB: 74 MB, no faster), at the same build time and memory. */
#define BULK_SEGMENT_COMMITS 16
#define BULK_MERGE_BYTES (1024ull << 20)
#define BULK_MAX_THREADS 64u
#define BULK_FANIN0 16             /* small segments combined into one of level 1 */
#define BULK_FANIN 64              /* segments of a higher level combined into one of the next */
#define BULK_LEVELS FG_HELD_LEVELS /* the last level is not combined further */
/* Deferred merging (fg_feed_set_defer_merge()): held segments enter the live
 * index while a run's workers go on once they hold this much text and
 * BULK_HELD_GROWTH times as many documents as the live index, or once they
 * hold BULK_HELD_MAX_BYTES, so the index is rewritten O(log n) times during
 * a burst.  Each such merge rewrites the whole index beside the workers, and
 * the end of the burst rewrites it once more: growth 3 rewrites about half
 * the documents again on a copy of 300 MB (growth 1: all of them, which cost
 * a tenth of the throughput; bench/bulk). */
#define BULK_HELD_MIN_BYTES (32u << 20)
#define BULK_HELD_GROWTH 3
#define BULK_HELD_MAX_BYTES (256u << 20)

/* ------------------------------------------------------------ state */

/* One file of the work list. */
typedef struct item {
    const char *path; /* not owned */
    struct stat sb;   /* as seen before dispatch */
    bool had_doc;     /* the live index or a held segment has a document for it */
    bool remove;      /* set by a worker: skipped or failed, drop the old document */
} item_t;

/* What the workers and the merging thread share. */
typedef struct bulk {
    fg_feed_t *f;
    item_t *items;
    size_t n;
    atomic_size_t next;     /* next item to take */
    atomic_bool stop;       /* a failure: workers stop taking items */
    const char *index_dir;  /* copy of the index folder name */
    uint64_t segment_bytes; /* text per segment commit and worker */
    uint64_t segment_max;   /* text per segment */
    uint64_t merge_bytes;   /* finished text that triggers a merge */
    pthread_mutex_t mu;     /* guards everything below and f->stats, f->held, events */
    pthread_cond_t cv;      /* a segment finished or a worker ended */
    fg_held_t *held;        /* &f->held: finished segments not yet merged, by level */
    uint64_t merged_bytes;  /* text merged into the live index so far */
    uint64_t live_docs;     /* documents of the live index (deferred merging) */
    unsigned running;       /* workers not yet ended */
    fg_status_t failure;    /* the first worker failure (FG_OK: none) */
} bulk_t;

/* One worker thread. */
typedef struct worker {
    bulk_t *b;
    pthread_t tid;
    fg_docbuild_t *builder;
    fg_extractor_t *extractor;
    fg_segment_t *seg;     /* the segment being built, NULL between them */
    uint64_t seg_bytes;    /* text in it */
    uint64_t unflushed;    /* text added since its last commit */
    const item_t **in_seg; /* the items in it */
    size_t n_in_seg, cap_in_seg;
} worker_t;

/* ------------------------------------------------------------ settings */

/* Sets the number of bulk workers (see feed.h). */
void fg_feed_set_threads(fg_feed_t *f, unsigned threads) {
    f->bulk_threads = threads > BULK_MAX_THREADS ? BULK_MAX_THREADS : threads;
}

/* Sets when the bulk path is taken and how large segments grow (see feed.h). */
void fg_feed_set_bulk(fg_feed_t *f, uint64_t min_files, uint64_t min_bytes,
                      uint64_t segment_bytes) {
    f->bulk_min_files = min_files;
    f->bulk_min_bytes = min_bytes;
    f->bulk_segment_bytes = segment_bytes;
}

/* A positive number from the environment variable name (a tuning override
 * for benchmarks), else 0. */
static uint64_t env_number(const char *name) {
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 10) : 0;
}

/* The number of workers: the setter's, else FUNDGRUBE_BULK_THREADS (a tuning
 * override, like FUNDGRUBE_SEGMENT_KB for the segment size), else one per
 * online CPU (at most 4). */
static unsigned thread_count(const fg_feed_t *f) {
    if (f->bulk_threads)
        return f->bulk_threads;
    uint64_t e = env_number("FUNDGRUBE_BULK_THREADS");
    if (e)
        return e > BULK_MAX_THREADS ? BULK_MAX_THREADS : (unsigned)e;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1u : n > 4 ? 4u : (unsigned)n;
}

/* ------------------------------------------------------------ events */

/* Reports an event to the callback; the caller holds b->mu during the bulk
 * phase (or is alone). */
static void emit(fg_feed_t *f, fg_feed_event_t ev, const char *path, const char *reason) {
    if (f->fn)
        f->fn(f->ctx, ev, path, reason, &f->stats);
}

/* Records the first failure (message into f->err) and stops the workers. */
static void fail(bulk_t *b, fg_status_t st, const char *what, const char *path,
                 const char *detail) {
    pthread_mutex_lock(&b->mu);
    if (b->failure == FG_OK) {
        b->failure = st;
        fg_message(b->f->err, sizeof b->f->err, "%s %s: %s", what, path ? path : "", detail);
    }
    atomic_store(&b->stop, true);
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

/* ------------------------------------------------------------ workers */

/* Finishes the worker's segment and hands its folder, with the stamps of
 * its documents, to the merging thread (b->held).  Returns false after a
 * failure (recorded). */
static bool hand_over(worker_t *w) {
    bulk_t *b = w->b;
    fg_segment_t *seg = w->seg;
    w->seg = NULL;
    fg_status_t st = fg_segment_finish(seg);
    if (st != FG_OK) {
        fail(b, st, "finishing segment", fg_segment_path(seg), fg_segment_error(seg));
        fg_segment_free(seg, true);
        return false;
    }
    char *path = strdup(fg_segment_path(seg));
    pthread_mutex_lock(&b->mu);
    size_t have = b->held->nstamps;
    bool ok = path != NULL;
    for (size_t i = 0; ok && i < w->n_in_seg; i++)
        ok = fg_held_add_stamp(b->held, w->in_seg[i]->path, &w->in_seg[i]->sb);
    ok = ok && fg_seglist_push(&b->held->levels[0], path);
    if (ok) {
        b->held->bytes += w->seg_bytes;
        b->held->docs += w->n_in_seg;
        pthread_cond_broadcast(&b->cv);
    } else { /* the stamps without their segment */
        while (b->held->nstamps > have)
            free(b->held->stamps[--b->held->nstamps].path);
        if (b->held->sorted > have)
            b->held->sorted = have;
    }
    pthread_mutex_unlock(&b->mu);
    w->seg_bytes = w->unflushed = 0;
    w->n_in_seg = 0;
    if (!ok) {
        free(path);
        fail(b, FG_NOMEM, "handing over segment", fg_segment_path(seg), "out of memory");
    }
    fg_segment_free(seg, !ok);
    return ok;
}

/* Reports a file the worker could not index (st FG_SKIPPED or another
 * extraction error); its old document is dropped later. */
static void report_bad(worker_t *w, item_t *it, fg_status_t st, const char *reason) {
    fg_feed_t *f = w->b->f;
    it->remove = it->had_doc;
    pthread_mutex_lock(&w->b->mu);
    if (st == FG_SKIPPED)
        f->stats.skipped++;
    else
        f->stats.failed++;
    emit(f, st == FG_SKIPPED ? FG_FEED_SKIPPED : FG_FEED_FAILED, it->path, reason);
    pthread_mutex_unlock(&w->b->mu);
}

/* Adds doc (freed here), the document of it, to the worker's segment
 * (created on first use), committing or handing the segment over when it
 * has grown.  indexed: counted and reported as INDEXED, with notes (NULL:
 * none) as the event's reason (else it is a failure stub, reported by
 * report_bad()).  Returns false after a failure that stops the run
 * (recorded). */
static bool add_to_segment(worker_t *w, item_t *it, fg_doc_t *doc, bool indexed,
                           const char *notes) {
    bulk_t *b = w->b;
    fg_feed_t *f = b->f;
    char reason[FG_FEED_ERRLEN];
    fg_status_t st;
    if (!w->seg) {
        st = fg_segment_create(b->index_dir, &w->seg, reason, sizeof reason);
        if (st != FG_OK) {
            fg_doc_free(doc);
            fail(b, st, "creating a segment in", b->index_dir, reason);
            return false;
        }
    }
    if (w->n_in_seg == w->cap_in_seg) {
        size_t cap = w->cap_in_seg ? w->cap_in_seg * 2 : 64;
        const item_t **p = realloc(w->in_seg, cap * sizeof *p);
        if (!p) {
            fg_doc_free(doc);
            fail(b, FG_NOMEM, "indexing", it->path, "out of memory");
            return false;
        }
        w->in_seg = p;
        w->cap_in_seg = cap;
    }
    st = fg_segment_add(w->seg, it->path, doc);
    fg_doc_free(doc);
    if (st != FG_OK) {
        fail(b, st, "indexing", it->path, fg_segment_error(w->seg));
        return false;
    }
    w->in_seg[w->n_in_seg++] = it;
    uint64_t size = indexed ? (uint64_t)it->sb.st_size : 0;
    if (indexed) {
        pthread_mutex_lock(&b->mu);
        f->stats.indexed++;
        f->stats.bytes += size;
        emit(f, FG_FEED_INDEXED, it->path, notes);
        pthread_mutex_unlock(&b->mu);
    }
    w->seg_bytes += size;
    w->unflushed += size;
    if (w->seg_bytes >= b->segment_max)
        return hand_over(w);
    if (w->unflushed >= b->segment_bytes) { /* bounded memory, few posting-list chunks */
        w->unflushed = 0;
        st = fg_segment_commit(w->seg);
        if (st != FG_OK) {
            fail(b, st, "committing segment", fg_segment_path(w->seg), fg_segment_error(w->seg));
            return false;
        }
    }
    return true;
}

/* Reports a file the extractor could not read and, when it is the file's
 * own failure in a parser (failed.h), adds its failure stub to the segment
 * in place of its document; else its old document is dropped later.
 * Returns false after a failure that stops the run (recorded). */
static bool extraction_failed(worker_t *w, item_t *it, fg_status_t st, fg_sandbox_failure_t failure,
                              const char *reason) {
    fg_feed_t *f = w->b->f;
    if (!fg_failed_records(st, failure, it->path, &it->sb, f->cfg.max_file_size)) {
        report_bad(w, it, st, reason);
        return true;
    }
    fg_doc_t *doc = NULL;
    fg_status_t bst = fg_failed_stub(it->path, &it->sb, reason, &doc);
    if (bst != FG_OK) {
        fail(w->b, bst, "recording", it->path, fg_status_str(bst));
        return false;
    }
    report_bad(w, it, st, reason);
    it->remove = false; /* the stub replaces the old document */
    return add_to_segment(w, it, doc, false, NULL);
}

/* Extracts, analyses and adds one file to the worker's segment.  Returns
 * false after a failure that stops the run (recorded). */
static bool index_item(worker_t *w, item_t *it) {
    bulk_t *b = w->b;
    fg_feed_t *f = b->f;
    char reason[FG_FEED_ERRLEN];
    fg_extracted_t ex;
    fg_sandbox_failure_t failure;
    fg_status_t st = fg_extractor_run(w->extractor, it->path, f->cfg.max_file_size, &ex, &failure,
                                      reason, sizeof reason);
    if (st == FG_NOMEM) {
        fail(b, st, "reading", it->path, "out of memory");
        return false;
    }
    if (st != FG_OK)
        return extraction_failed(w, it, st, failure, reason);
    fg_doc_t *doc = NULL;
    st = fg_docbuild_make(w->builder, it->path, &it->sb, &ex, &doc, NULL);
    bool noted = fg_feed_notes(it->path, &ex, reason, sizeof reason);
    fg_extracted_free(&ex);
    if (st != FG_OK) {
        fail(b, st, "analysing", it->path, fg_status_str(st));
        return false;
    }
    return add_to_segment(w, it, doc, true, noted ? reason : NULL);
}

/* A worker thread: takes items until none are left or the run stops, then
 * hands over its last segment. */
static void *work(void *arg) {
    worker_t *w = arg;
    bulk_t *b = w->b;
    bool ok = true;
    while (ok && !atomic_load(&b->stop) && !fg_feed_cancelled(b->f)) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n)
            break;
        ok = index_item(w, &b->items[i]);
    }
    if (w->seg && ok && !atomic_load(&b->stop))
        hand_over(w);
    if (w->seg) {
        fg_segment_free(w->seg, true);
        w->seg = NULL;
    }
    pthread_mutex_lock(&b->mu);
    b->running--;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* ------------------------------------------------------------ merging */

/* Frees n segment folder names, removing the folders still there (unmerged),
 * and the array. */
static void drop_segments(char **paths, size_t n) {
    for (size_t i = 0; i < n; i++) {
        fg_segment_remove(paths[i]);
        free(paths[i]);
    }
    free(paths);
}

/* How many segments of level l are combined into one of level l+1: few of
 * the small ones (combining is cheap while the workers go on), many of the
 * larger ones (every combination rewrites them, and the final merge takes
 * up to this many sources of each level at once). */
static size_t fanin(int l) {
    return l == 0 ? BULK_FANIN0 : BULK_FANIN;
}

/* The lowest level holding enough segments to combine, or -1. */
static int full_level(const bulk_t *b) {
    for (int l = 0; l < BULK_LEVELS - 1; l++)
        if (b->held->levels[l].n >= fanin(l))
            return l;
    return -1;
}

/* True when the finished text should go into the live index before the
 * workers are done.  Normally: merge_bytes are ready and at least as much
 * as all text merged so far (so the live index is rewritten O(log n)
 * times).  When merges are deferred (the daemon): the held segments have
 * grown large beside the live index (see BULK_HELD_*), so a long burst
 * becomes searchable in steps while the index is rewritten O(log n) times. */
static bool live_merge_due(const bulk_t *b) {
    const fg_held_t *h = b->held;
    if (b->f->defer_merge)
        return h->bytes >= BULK_HELD_MAX_BYTES ||
               (h->bytes >= BULK_HELD_MIN_BYTES && h->docs >= BULK_HELD_GROWTH * b->live_docs);
    uint64_t due = b->merged_bytes > b->merge_bytes ? b->merged_bytes : b->merge_bytes;
    return h->bytes >= due;
}

/* Records a failure of the merging thread (b->mu held). */
static void merge_failed(bulk_t *b, fg_status_t st, const char *what, const char *detail) {
    if (b->failure == FG_OK) {
        b->failure = st;
        snprintf(b->f->err, sizeof b->f->err, "%s: %.900s", what, detail);
    }
    atomic_store(&b->stop, true);
}

/* Combines the first fanin(l) segments of level l into one of level l+1
 * (b->mu held; released during the work).  Returns FG_OK or the failure. */
static fg_status_t combine_level(bulk_t *b, int l) {
    fg_seglist_t *src = &b->held->levels[l];
    size_t k = fanin(l);
    char **paths = malloc(k * sizeof *paths);
    if (!paths) {
        merge_failed(b, FG_NOMEM, "combining segments", "out of memory");
        return FG_NOMEM;
    }
    memcpy(paths, src->paths, k * sizeof *paths);
    memmove(src->paths, src->paths + k, (src->n - k) * sizeof *paths);
    src->n -= k;
    pthread_mutex_unlock(&b->mu);
    char err[512] = "", *out = NULL;
    fg_status_t st =
        fg_segment_combine(b->index_dir, (const char *const *)paths, k, &out, err, sizeof err);
    pthread_mutex_lock(&b->mu);
    if (st != FG_OK) {
        drop_segments(paths, k);
        merge_failed(b, st, "combining segments", err);
        return st;
    }
    for (size_t i = 0; i < k; i++)
        free(paths[i]);
    free(paths);
    if (!fg_seglist_push(&b->held->levels[l + 1], out)) {
        fg_segment_remove(out);
        free(out);
        merge_failed(b, FG_NOMEM, "combining segments", "out of memory");
        return FG_NOMEM;
    }
    return FG_OK;
}

/* Puts every held segment into the live index (b->mu held; released
 * during the work; see fg_feed_merge_segments()).  Returns FG_OK or the
 * failure. */
static fg_status_t merge_ready(bulk_t *b) {
    fg_feed_t *f = b->f;
    if (fg_held_segment_count(b->held) == 0)
        return FG_OK;
    fg_held_batch_t batch;
    if (!fg_held_take(b->held, &batch, true)) { /* workers may hold copies too */
        merge_failed(b, FG_NOMEM, "merging segments", "out of memory");
        return FG_NOMEM;
    }
    pthread_mutex_unlock(&b->mu);
    char err[FG_FEED_ERRLEN]; /* f->err is the first failure's, under b->mu */
    uint64_t bytes = batch.bytes;
    fg_status_t st = fg_feed_merge_segments(f, &batch, err, sizeof err);
    if (st == FG_OK) {
        st = fg_index_doc_count(f->index, &b->live_docs);
        if (st != FG_OK)
            snprintf(err, sizeof err, "counting documents: %s", fg_index_error(f->index));
    }
    pthread_mutex_lock(&b->mu);
    if (st != FG_OK) {
        merge_failed(b, st, "bulk indexing", err);
        return st;
    }
    b->merged_bytes += bytes;
    f->pending_docs = f->pending_bytes = 0;
    emit(f, FG_FEED_COMMITTED, NULL, NULL);
    return FG_OK;
}

/*
 * The calling thread's loop: combines segments level by level as they
 * arrive (few sources for the final merge, while each text is compacted
 * only once or twice before it), merges into the live index when live_merge_due(),
 * and once more when every worker has ended (unless merges are deferred:
 * then only when due).  Returns FG_OK or the first failure (a worker's or
 * its own).
 */
static fg_status_t merge_loop(bulk_t *b) {
    fg_status_t st = FG_OK;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (b->running > 0 && b->failure == FG_OK && full_level(b) < 0 && !live_merge_due(b)) {
            if (!b->f->yield) {
                pthread_cond_wait(&b->cv, &b->mu);
                continue;
            }
            /* single changes beside the workers: b->mu is held, so they
             * see the feed's counters and held list as the workers leave
             * them */
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += FG_FEED_YIELD_MS * 1000000L;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&b->cv, &b->mu, &until);
            fg_feed_yield(b->f, true);
        }
        if (b->failure != FG_OK) {
            st = b->failure;
            break;
        }
        int l = full_level(b);
        bool done = b->running == 0;
        if (l >= 0 && !done)
            st = combine_level(b, l);
        else if (b->f->defer_merge ? !done && live_merge_due(b) : done || live_merge_due(b))
            st = merge_ready(b); /* deferred: only beside working workers */
        if (st != FG_OK || done)
            break;
    }
    pthread_mutex_unlock(&b->mu);
    return st;
}

/* ------------------------------------------------------------ the bulk run */

/*
 * The document builder and the extractor of worker i: the feed keeps one of
 * each per worker across runs (fg_feed_close() frees them), so that their
 * stem caches stay warm and their extractor helpers keep running when the
 * daemon sees a burst as many runs.  Returns FG_OK or the error (in f->err).
 */
static fg_status_t worker_tools(fg_feed_t *f, unsigned i, fg_docbuild_t **builder,
                                fg_extractor_t **extractor) {
    if (i >= f->n_builders) {
        fg_docbuild_t **p = realloc(f->builders, (i + 1) * sizeof *p);
        if (!p)
            return FG_NOMEM;
        f->builders = p;
        fg_extractor_t **x = realloc(f->extractors, (i + 1) * sizeof *x);
        if (!x)
            return FG_NOMEM;
        f->extractors = x;
        for (; f->n_builders <= i; f->n_builders++) {
            f->builders[f->n_builders] = NULL;
            f->extractors[f->n_builders] = NULL;
        }
    }
    if (!f->builders[i]) {
        fg_status_t st = fg_docbuild_new(&f->cfg.analysis, &f->builders[i], f->err, sizeof f->err);
        if (st != FG_OK)
            return st;
    }
    if (!f->extractors[i] && fg_extractor_new(&f->sandbox, &f->extractors[i]) != FG_OK)
        return FG_NOMEM;
    *builder = f->builders[i];
    *extractor = f->extractors[i];
    return FG_OK;
}

/* Runs the workers over b->items and merges (see the top of this file). */
static fg_status_t run_workers(bulk_t *b) {
    fg_feed_t *f = b->f;
    unsigned nthreads = thread_count(f);
    if (nthreads > b->n)
        nthreads = (unsigned)b->n;
    uint64_t seg =
        f->bulk_segment_bytes ? f->bulk_segment_bytes : env_number("FUNDGRUBE_SEGMENT_KB") << 10;
    b->segment_bytes = seg ? seg : BULK_SEGMENT_BYTES;
    uint64_t max = env_number("FUNDGRUBE_SEGMENT_MAX_KB") << 10;
    b->segment_max = max ? max : BULK_SEGMENT_COMMITS * b->segment_bytes;
    if (b->segment_max < b->segment_bytes)
        b->segment_max = b->segment_bytes;
    b->merge_bytes = BULK_MERGE_BYTES;
    worker_t *ws = calloc(nthreads, sizeof *ws);
    if (!ws)
        return FG_NOMEM;
    fg_status_t st = FG_OK;
    unsigned started = 0;
    for (unsigned i = 0; i < nthreads && st == FG_OK; i++) {
        ws[i].b = b;
        st = worker_tools(f, i, &ws[i].builder, &ws[i].extractor);
        if (st != FG_OK)
            break;
        pthread_mutex_lock(&b->mu);
        b->running++;
        pthread_mutex_unlock(&b->mu);
        if (pthread_create(&ws[i].tid, NULL, work, &ws[i]) != 0) {
            pthread_mutex_lock(&b->mu);
            b->running--;
            pthread_mutex_unlock(&b->mu);
            snprintf(f->err, sizeof f->err, "cannot start a worker thread");
            st = FG_NOMEM;
            break;
        }
        started++;
    }
    if (st != FG_OK) {
        pthread_mutex_lock(&b->mu);
        if (b->failure == FG_OK)
            b->failure = st;
        atomic_store(&b->stop, true);
        pthread_mutex_unlock(&b->mu);
    }
    f->in_run = true;
    f->run_mu = &b->mu;
    fg_status_t mst = merge_loop(b);
    f->in_run = false;
    f->run_mu = NULL;
    for (unsigned i = 0; i < started; i++)
        pthread_join(ws[i].tid, NULL);
    for (unsigned i = 0; i < nthreads; i++)
        free(ws[i].in_seg); /* the builders stay with the feed */
    free(ws);
    if (st != FG_OK || mst != FG_OK) /* the caller stops; a rerun indexes what is missing */
        fg_held_free(b->held);
    return st != FG_OK ? st : mst;
}

/* ------------------------------------------------------------ dispatch */

/*
 * Looks at one file before dispatch: FG_OK with *wanted set when it is to be
 * indexed (it->sb and it->had_doc filled), FG_OK with *wanted false when it
 * was unchanged (reported) or handled by fg_feed_file(), or an index error.
 * A document in a held segment counts before the live index's (it is newer).
 */
static fg_status_t look(fg_feed_t *f, const char *path, bool force, item_t *it, bool *wanted) {
    *wanted = false;
    it->path = path;
    /* a single change took it into the live index during this burst: it
     * stays there (a segment's copy would be dropped) */
    if (lstat(path, &it->sb) != 0 || !S_ISREG(it->sb.st_mode) ||
        fg_held_live_wins(&f->held, path)) {
        fg_status_t st = fg_feed_file(f, path, force); /* reports and cleans up */
        return st == FG_SKIPPED || st == FG_IO ? FG_OK : st;
    }
    f->stats.seen++;
    fg_doc_stamp_t stamp;
    fg_status_t st = fg_feed_stamp(f, path, &stamp);
    if (st != FG_OK && st != FG_NOT_FOUND)
        return st;
    it->had_doc = st == FG_OK;
    if (!force && it->had_doc && fg_stamp_matches(&stamp, &it->sb)) {
        f->stats.unchanged++;
        emit(f, FG_FEED_UNCHANGED, path, NULL);
        return FG_OK;
    }
    *wanted = true;
    return FG_OK;
}

/* Feeds the work list one file at a time into the live index (the path of
 * small changes). */
static fg_status_t feed_singly(fg_feed_t *f, const item_t *items, size_t n) {
    fg_status_t st = FG_OK;
    for (size_t i = 0; st == FG_OK && i < n; i++) {
        if (fg_feed_cancelled(f))
            return FG_CANCELLED;
        fg_feed_yield(f, false);
        f->stats.seen--; /* look() counted it, fg_feed_file() counts it again */
        st = fg_feed_file(f, items[i].path, true);
        if (st == FG_SKIPPED || st == FG_IO)
            st = FG_OK;
    }
    return st;
}

/* Feeds many files (see feed.h). */
fg_status_t fg_feed_files(fg_feed_t *f, const char *const *paths, size_t n, bool force) {
    item_t *items = n ? calloc(n, sizeof *items) : NULL;
    if (n && !items)
        return FG_NOMEM;
    size_t count = 0;
    uint64_t bytes = 0;
    fg_status_t st = FG_OK;
    for (size_t i = 0; st == FG_OK && i < n; i++) {
        bool wanted;
        if (fg_feed_cancelled(f)) {
            st = FG_CANCELLED;
            break;
        }
        if (i % 64 == 63)
            fg_feed_yield(f, false);
        st = look(f, paths[i], force, &items[count], &wanted);
        if (st == FG_OK && wanted)
            bytes += (uint64_t)items[count++].sb.st_size;
    }
    uint64_t min_files = f->bulk_min_files ? f->bulk_min_files : BULK_MIN_FILES;
    uint64_t min_bytes = f->bulk_min_bytes ? f->bulk_min_bytes : BULK_MIN_BYTES;
    /* while segments are held, even a few files go through segments: in the
     * live index they would need the held ones merged first */
    bool holding = f->defer_merge && fg_held_segment_count(&f->held) > 0;
    /* a slow extraction must not hold this thread (the daemon); and a
     * document weighs BULK_DOCUMENT_WEIGHT files: its extraction runs in the
     * sandbox, which the workers keep busy two (or more) at a time */
    bool documents = false;
    uint64_t weight = count;
    for (size_t i = 0; i < count && !documents && weight < min_files; i++)
        if (fg_doctype_path_sandboxed(items[i].path)) {
            documents = f->parallel_documents;
            weight += BULK_DOCUMENT_WEIGHT - 1;
        }
    if (st != FG_OK || count == 0) {
        /* nothing to do, or failed */
    } else if ((weight < min_files && bytes < min_bytes && !holding && !documents) || f->in_yield) {
        /* few files, or single changes beside a bulk run (no run in a run) */
        st = feed_singly(f, items, count);
    } else {
        /* changes waiting in the live writer are committed by the merge */
        bulk_t b = {.f = f, .items = items, .n = count, .failure = FG_OK};
        atomic_init(&b.next, 0);
        atomic_init(&b.stop, false);
        pthread_mutex_init(&b.mu, NULL);
        pthread_cond_init(&b.cv, NULL);
        b.index_dir = fg_index_path(f->index);
        b.held = &f->held;
        st = fg_index_doc_count(f->index, &b.live_docs);
        if (st != FG_OK)
            snprintf(f->err, sizeof f->err, "counting documents: %s", fg_index_error(f->index));
        else
            st = run_workers(&b);
        pthread_cond_destroy(&b.cv);
        pthread_mutex_destroy(&b.mu);
        for (size_t i = 0; st == FG_OK && i < count; i++)
            if (items[i].remove)
                st = fg_feed_remove(f, items[i].path);
        if (st == FG_OK && fg_feed_cancelled(f) && atomic_load(&b.next) < count)
            st = FG_CANCELLED; /* the workers left files untaken */
    }
    free(items);
    return st;
}
