/*
 * held.c - segments finished by bulk runs that wait to enter the live index
 * (see "held segments" in feed-private.h), and how they enter it.
 *
 * `fundgrube index` merges at the end of each bulk run.  The daemon sets
 * fg_feed_set_defer_merge(): a burst of copied files then arrives as many
 * bulk runs, and merging after each would rewrite the growing index every
 * time.  Instead the feed holds the finished segments, with the stamp (mtime,
 * size, inode) of every document in them, so that a file seen again is
 * known to be unchanged; bulk.c merges them when they have grown large
 * beside the live index, and fg_feed_commit() (the end of a burst) or a
 * change that touches a held document (feed.c, rename.c) merges them at
 * once: a held document must never overwrite a newer one in the live index.
 *
 * Entering the live index: few documents beside a large index are copied
 * into it (fg_index_absorb(): work in proportion to them), many are merged
 * by compaction into a new generation (fg_index_merge(): work in proportion
 * to the whole index, but far cheaper per document than copying).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/path.h"
#include "feed/feed-private.h"

/* Held documents below this share of the live index's documents, and not
 * more text than ABSORB_MAX_BYTES, are copied into it (copying holds the
 * documents in memory until the commit); else everything is compacted into
 * a new generation.  Measured at the end of bursts into the x20 man-page
 * index (27,000 documents): copying cost about 9 ms a document (685 in
 * 6.4 s: every posting list it touches is rewritten in place), compacting
 * about 0.3 ms per document of the whole index (8 s), hence 1/32. */
#define ABSORB_BELOW_SHARE 32 /* 1/32 */
#define ABSORB_MAX_BYTES (4u << 20)

/* ------------------------------------------------------------ lists */

/* Appends path (taken over) to l (see feed-private.h). */
bool fg_seglist_push(fg_seglist_t *l, char *path) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p)
            return false;
        l->paths = p;
        l->cap = cap;
    }
    l->paths[l->n++] = path;
    return true;
}

/* Records a held document's stamp (see feed-private.h). */
bool fg_held_add_stamp(fg_held_t *h, const char *path, const struct stat *sb) {
    if (h->nstamps == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 256;
        fg_held_doc_t *p = realloc(h->stamps, cap * sizeof *p);
        if (!p)
            return false;
        h->stamps = p;
        h->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return false;
    h->stamps[h->nstamps++] =
        (fg_held_doc_t){.path = copy, .stamp = fg_stamp_of(sb), .seq = h->seq++};
    return true;
}

/* qsort order of stamps: by path, then by arrival. */
static int cmp_stamps(const void *a, const void *b) {
    const fg_held_doc_t *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sorts the stamps if some arrived since the last sort. */
static void sort_stamps(fg_held_t *h) {
    if (h->sorted != h->nstamps) {
        qsort(h->stamps, h->nstamps, sizeof *h->stamps, cmp_stamps);
        h->sorted = h->nstamps;
    }
}

/* The index of the first sorted stamp whose path is not less than path. */
static size_t lower_bound(const fg_held_t *h, const char *path) {
    size_t lo = 0, hi = h->nstamps;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(h->stamps[mid].path, path) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The latest stamp of path (see feed-private.h). */
const fg_held_doc_t *fg_held_find(fg_held_t *h, const char *path) {
    if (h->nstamps == 0 || fg_held_live_wins(h, path))
        return NULL;
    sort_stamps(h);
    size_t i = lower_bound(h, path);
    const fg_held_doc_t *found = NULL;
    for (; i < h->nstamps && strcmp(h->stamps[i].path, path) == 0; i++)
        found = &h->stamps[i]; /* ascending seq: the last is the latest */
    return found;
}

/* Calls fn for each held path at or below path (see feed-private.h). */
int fg_held_each_below(fg_held_t *h, const char *path, int (*fn)(void *, const char *), void *ctx) {
    if (h->nstamps == 0)
        return 0;
    sort_stamps(h);
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    /* every path at or below it sorts at or after path's own first n bytes,
     * and they are not necessarily next to each other ("a/b" < "a/b c" <
     * "a/b/c"), so scan the prefix range */
    char *prefix = strndup(path, n);
    if (!prefix)
        return -1;
    size_t i = lower_bound(h, prefix);
    free(prefix);
    int rc = 0;
    for (; rc == 0 && i < h->nstamps && strncmp(h->stamps[i].path, path, n) == 0; i++) {
        const char *p = h->stamps[i].path;
        if (!fg_path_at_or_below_n(p, path, n))
            continue;
        if (i + 1 < h->nstamps && strcmp(h->stamps[i + 1].path, p) == 0)
            continue; /* once per path: at its last copy */
        if (fg_held_live_wins(h, p))
            continue;
        rc = fn(ctx, p);
    }
    return rc;
}

/* fg_held_each_below() callback that stops at the first path. */
static int stop_at_first(void *ctx, const char *path) {
    (void)ctx;
    (void)path;
    return 1;
}

/* True when a held path is path or below it (see feed-private.h). */
bool fg_held_any_below(fg_held_t *h, const char *path) {
    return fg_held_each_below(h, path, stop_at_first, NULL) != 0;
}

/* Number of held segments (see feed-private.h). */
size_t fg_held_segment_count(const fg_held_t *h) {
    size_t n = 0;
    for (int l = 0; l < FG_HELD_LEVELS; l++)
        n += h->levels[l].n;
    return n;
}

/* Records a path whose live documents win (see feed-private.h). */
bool fg_held_prefer_live(fg_held_t *h, const char *path) {
    if (fg_held_live_wins(h, path))
        return true;
    if (h->nlive == h->live_cap) {
        size_t cap = h->live_cap ? h->live_cap * 2 : 16;
        char **p = realloc(h->live, cap * sizeof *p);
        if (!p)
            return false;
        h->live = p;
        h->live_cap = cap;
    }
    char *copy = strdup(path);
    if (!copy)
        return false;
    h->live[h->nlive++] = copy;
    return true;
}

/* True when the live documents win at path (see feed-private.h).  The list
 * holds the single changes of one burst: a few, so a scan is fine. */
bool fg_held_live_wins(const fg_held_t *h, const char *path) {
    for (size_t i = 0; i < h->nlive; i++)
        if (fg_path_at_or_below(path, h->live[i]))
            return true;
    return false;
}

/* Forgets the superseded paths. */
static void drop_live(fg_held_t *h) {
    for (size_t i = 0; i < h->nlive; i++)
        free(h->live[i]);
    h->nlive = 0;
}

/* The ids of the held copies that are superseded, into out (malloc'ed
 * copies); false when memory ran out. */
static bool superseded_ids(const fg_held_t *h, fg_held_batch_t *out) {
    if (h->nlive == 0)
        return true;
    for (size_t i = 0; i < h->nstamps; i++) {
        if (!fg_held_live_wins(h, h->stamps[i].path))
            continue;
        if (out->ndrop % 64 == 0) {
            char **p = realloc(out->drop, (out->ndrop + 64) * sizeof *p);
            if (!p)
                return false;
            out->drop = p;
        }
        if (!(out->drop[out->ndrop] = strdup(h->stamps[i].path)))
            return false;
        out->ndrop++;
    }
    return true;
}

/* Frees a batch's lists (see feed-private.h). */
void fg_held_batch_free(fg_held_batch_t *batch) {
    for (size_t i = 0; i < batch->n; i++)
        free(batch->paths[i]);
    free(batch->paths);
    for (size_t i = 0; i < batch->ndrop; i++)
        free(batch->drop[i]);
    free(batch->drop);
    *batch = (fg_held_batch_t){0};
}

/* Frees the stamps. */
static void drop_stamps(fg_held_t *h) {
    for (size_t i = 0; i < h->nstamps; i++)
        free(h->stamps[i].path);
    h->nstamps = h->sorted = 0;
}

/* Takes every held segment (see feed-private.h). */
bool fg_held_take(fg_held_t *h, fg_held_batch_t *out, bool keep_live) {
    size_t count = fg_held_segment_count(h);
    *out = (fg_held_batch_t){.docs = h->docs, .bytes = h->bytes};
    if (count) {
        out->paths = malloc(count * sizeof *out->paths);
        if (!out->paths || !superseded_ids(h, out)) {
            fg_held_batch_free(out);
            return false;
        }
        for (int l = FG_HELD_LEVELS - 1; l >= 0; l--) { /* oldest first */
            fg_seglist_t *s = &h->levels[l];
            if (s->n)
                memcpy(out->paths + out->n, s->paths, s->n * sizeof *out->paths);
            out->n += s->n;
            s->n = 0;
        }
    }
    drop_stamps(h);
    if (!keep_live)
        drop_live(h);
    h->bytes = h->docs = 0;
    return true;
}

/* Frees everything held (see feed-private.h). */
void fg_held_free(fg_held_t *h) {
    for (int l = 0; l < FG_HELD_LEVELS; l++) {
        for (size_t i = 0; i < h->levels[l].n; i++) {
            fg_segment_remove(h->levels[l].paths[i]);
            free(h->levels[l].paths[i]);
        }
        free(h->levels[l].paths);
    }
    drop_stamps(h);
    free(h->stamps);
    drop_live(h);
    free(h->live);
    memset(h, 0, sizeof *h);
}

/* ------------------------------------------------------------ into the live index */

/* Puts segments into the live index (see feed-private.h). */
fg_status_t fg_feed_merge_segments(fg_feed_t *f, fg_held_batch_t *batch, char *err, size_t errlen) {
    fg_status_t st = FG_OK;
    const char *const *paths = (const char *const *)batch->paths;
    /* superseded copies out of the segments: the live index's win */
    for (size_t i = 0; st == FG_OK && batch->ndrop > 0 && i < batch->n; i++) {
        uint64_t dropped = 0;
        char derr[512] = "";
        st = fg_segment_drop(paths[i], (const char *const *)batch->drop, batch->ndrop, &dropped,
                             derr, sizeof derr);
        if (st != FG_OK)
            snprintf(err, errlen, "dropping superseded documents from %s: %s", paths[i], derr);
        else
            batch->docs = batch->docs > dropped ? batch->docs - dropped : 0;
    }
    if (st == FG_OK && batch->n > 0) {
        uint64_t live = 0;
        st = fg_index_doc_count(f->index, &live);
        bool absorb = st == FG_OK && batch->docs * ABSORB_BELOW_SHARE < live &&
                      batch->bytes <= ABSORB_MAX_BYTES;
        if (st == FG_OK)
            st = absorb ? fg_index_absorb(f->index, paths, batch->n)
                        : fg_index_merge(f->index, paths, batch->n);
        if (st != FG_OK)
            snprintf(err, errlen, "%s segments into the index: %s", absorb ? "copying" : "merging",
                     fg_index_error(f->index));
    }
    for (size_t i = 0; i < batch->n; i++)
        fg_segment_remove(batch->paths[i]); /* merged ones are gone already */
    fg_held_batch_free(batch);
    return st;
}

/* Puts every held segment into the live index (see feed-private.h). */
fg_status_t fg_feed_flush(fg_feed_t *f) {
    if (fg_held_segment_count(&f->held) == 0 && f->held.nstamps == 0) {
        if (!f->in_run)
            drop_live(&f->held);
        return FG_OK;
    }
    fg_held_batch_t batch;
    if (!fg_held_take(&f->held, &batch, f->in_run)) {
        snprintf(f->err, sizeof f->err, "merging held segments: out of memory");
        return FG_NOMEM;
    }
    size_t n = batch.n;
    fg_status_t st = fg_feed_merge_segments(f, &batch, f->err, sizeof f->err);
    if (st == FG_OK && n > 0) {
        f->pending_docs = f->pending_bytes = 0;
        if (f->fn)
            f->fn(f->ctx, FG_FEED_COMMITTED, NULL, NULL, &f->stats);
    }
    return st;
}
