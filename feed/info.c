/*
 * info.c - what a feed can tell about its index (see feed.h).
 */
#include "feed/feed-private.h"

#include <stdio.h>

#include "feed/failed.h"

/* Counts the documents of the feed's index, failure stubs left out (see
 * feed.h). */
fg_status_t fg_feed_doc_count(fg_feed_t *f, uint64_t *out) {
    uint64_t stubs = 0;
    fg_status_t st = fg_index_doc_count(f->index, out);
    if (st == FG_OK)
        st = fg_failed_count(f->index, &stubs);
    if (st == FG_OK)
        *out = *out > stubs ? *out - stubs : 0;
    if (st != FG_OK)
        snprintf(f->err, sizeof f->err, "counting documents: %s", fg_index_error(f->index));
    return st;
}
