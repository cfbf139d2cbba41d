/*
 * feed-private.h - the inside of a feed, shared by the .c files of feed/.
 * Not for use outside feed/.
 */
#ifndef FG_FEED_FEED_PRIVATE_H
#define FG_FEED_FEED_PRIVATE_H

#include "feed/docbuild.h"
#include "feed/feed.h"
#include "index/index.h"

#define FG_FEED_ERRLEN 1024

struct fg_feed {
    fg_index_t *index;
    fg_docbuild_t *builder;
    fg_config_t cfg; /* the globs, size limit and analysis used */
    fg_feed_event_fn fn;
    void *ctx;
    fg_feed_stats_t stats;
    uint64_t pending_docs, pending_bytes;
    uint64_t batch_docs, batch_bytes;
    unsigned bulk_threads;      /* bulk.c: workers (0: one per CPU, at most 4) */
    uint64_t bulk_min_files, bulk_min_bytes; /* bulk path from here on (0: defaults) */
    uint64_t bulk_segment_bytes; /* text per segment (0: default budget / workers) */
    char err[FG_FEED_ERRLEN];
};

#endif
