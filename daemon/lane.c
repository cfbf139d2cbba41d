/*
 * lane.c - which lane a changed file takes (see lane.h).
 */
#include "daemon/lane.h"

#include <string.h>

/* Empties the counters (see lane.h). */
void fgd_lanes_init(fgd_lanes_t *l) {
    memset(l, 0, sizeof *l);
}

/* FNV-1a of the first n bytes of s, never 0. */
static uint64_t hash_of(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h ? h : 1;
}

/* Counts a change in the folder of the first n bytes of path at now;
 * true when the folder is bursting. */
static bool count(fgd_lanes_t *l, const char *path, size_t n, int64_t now) {
    uint64_t h = hash_of(path, n);
    fgd_lane_slot_t *s = &l->slots[h % FGD_LANE_SLOTS];
    if (s->hash != h || now - s->last > FGD_LANE_WINDOW_MS) {
        s->hash = h;
        s->count = 0;
    }
    s->count++;
    s->last = now;
    return s->count > FGD_LANE_BURST_FILES;
}

/* The lane of a changed file (see lane.h). */
fgd_lane_t fgd_lane_of_file(fgd_lanes_t *l, const char *root, const char *path, uint64_t size,
                            bool document, bool folder_bursts, int64_t now) {
    const char *slash = strrchr(path, '/');
    size_t parent = slash ? (size_t)(slash - path) : 0;
    bool burst = folder_bursts;
    /* the top folder below the root, when the file is deeper than that */
    size_t rlen = strlen(root);
    while (rlen > 1 && root[rlen - 1] == '/')
        rlen--;
    if (strncmp(path, root, rlen) == 0 && path[rlen] == '/') {
        const char *top = strchr(path + rlen + 1, '/');
        if (top && (size_t)(top - path) < parent)
            burst = count(l, path, (size_t)(top - path), now) || burst;
    }
    return burst || document || size > FGD_LANE_FAST_MAX_BYTES ? FGD_LANE_BULK : FGD_LANE_FAST;
}

/* Whether path's folder is bursting, counting this arrival (see lane.h). */
bool fgd_lane_folder_bursts(fgd_lanes_t *l, const char *path, int64_t now) {
    const char *slash = strrchr(path, '/');
    return count(l, path, slash ? (size_t)(slash - path) : 0, now);
}
