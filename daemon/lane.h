/*
 * lane.h - which lane a changed file takes through the writer.
 *
 * The fast lane is for single changes (a saved file, one renamed in): they go
 * into the live index at once, beside whatever bulk work runs, and are
 * committed within the commit interval (commit.h).  The bulk lane is for
 * bursts (a folder copied in, an archive unpacked) and for large files: they
 * wait in the writer's backlog and go to the parallel bulk path of the feed,
 * whose workers build segments (so a slow extraction never blocks the fast
 * lane).  What makes a burst is seen per folder: a folder that got more than
 * FGD_LANE_BURST_FILES changed files, each within FGD_LANE_WINDOW_MS of the
 * previous one (a copy writes hundreds a second; a person saves seconds
 * apart), is bursting, and so is the top folder below the watched root that
 * holds it (a copy of a tree spreads over many small folders).  A file is in
 * the bulk lane when either folder bursts, when it is larger than
 * FGD_LANE_FAST_MAX_BYTES, or when it is a document format that the
 * sandboxed helper reads (a PDF of 200 KB may inflate to 200 MB and take
 * its whole timeout: a worker waits for it, not the fast lane).
 *
 * A table of folder counters, no clock of its own: times are fgd_now_ms()
 * values passed in (the tests pass their own).
 */
#ifndef FGD_LANE_H
#define FGD_LANE_H

#include <stdbool.h>
#include <stdint.h>

#define FGD_LANE_BURST_FILES 8
#define FGD_LANE_WINDOW_MS 50
#define FGD_LANE_FAST_MAX_BYTES (4u << 20)
#define FGD_LANE_SLOTS 512 /* folders counted at once (a hash table without chains) */

/* The lanes. */
typedef enum fgd_lane { FGD_LANE_FAST, FGD_LANE_BULK } fgd_lane_t;

/* One folder's counter. */
typedef struct fgd_lane_slot {
    uint64_t hash;  /* of the folder's path (0: empty) */
    uint32_t count; /* changed files, each close to the previous one */
    int64_t last;   /* when the last came */
} fgd_lane_slot_t;

/* The counters of recent changes per folder. */
typedef struct fgd_lanes {
    fgd_lane_slot_t slots[FGD_LANE_SLOTS];
} fgd_lanes_t;

/* Empties the counters. */
void fgd_lanes_init(fgd_lanes_t *l);

/*
 * The lane of a change of the file path (size bytes; document: a format the
 * sandbox reads) below the watched folder root at time now, given whether
 * its own folder bursts (folder_bursts: fgd_lane_folder_bursts() at its
 * arrival, which the queue counted); counts the top folder below the root
 * here.
 */
fgd_lane_t fgd_lane_of_file(fgd_lanes_t *l, const char *root, const char *path, uint64_t size,
                            bool document, bool folder_bursts, int64_t now);

/*
 * Counts the arrival of a change of path at time now for its folder only
 * and returns whether that folder is bursting: the queue's cheap first
 * choice (no stat, no root), which puts a copy's events behind single
 * changes; the writer's fgd_lane_of_file() decides the rest.
 */
bool fgd_lane_folder_bursts(fgd_lanes_t *l, const char *path, int64_t now);

#endif
