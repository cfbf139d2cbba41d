/*
 * info.c - what a feed can tell about its index (see feed.h).
 */
#include "feed/feed-private.h"

#include <stdio.h>

/* Counts the documents of the feed's index (see feed.h). */
fg_status_t fg_feed_doc_count(fg_feed_t *f, uint64_t *out) {
    fg_status_t st = fg_index_doc_count(f->index, out);
    if (st != FG_OK)
        snprintf(f->err, sizeof f->err, "counting documents: %s", fg_index_error(f->index));
    return st;
}
