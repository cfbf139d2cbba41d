/*
 * test_queue.c - the writer's work queue (daemon/queue.h): deduplication by
 * path, and single changes ahead of a burst's syncs.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "daemon/queue.h"

/* A save queued after the events of a copy (a folder that bursts) is taken
 * before the copy's later events; the copy's events keep their order and
 * each path comes once. */
Test(queue, single_change_goes_ahead_of_a_burst) {
    fgd_queue_t *q = NULL;
    cr_assert_eq(fgd_queue_new(&q), 0);
    char p[64];
    for (int i = 0; i < 100; i++) {
        snprintf(p, sizeof p, "/w/kopie/f%03d.txt", i);
        cr_assert_eq(fgd_queue_sync(q, p), 0);
    }
    cr_assert_eq(fgd_queue_sync(q, "/w/kopie/f050.txt"), 0); /* waiting already */
    cr_assert_eq(fgd_queue_sync(q, "/w/Briefe/brief.txt"), 0);
    cr_assert_eq(fgd_queue_length(q), 101);
    int taken = 0, brief_at = -1, last = -1;
    fgd_op_t *op;
    while ((op = fgd_queue_take(q, 0)) != NULL) {
        if (strcmp(op->path, "/w/Briefe/brief.txt") == 0) {
            brief_at = taken;
        } else {
            int n = -1;
            cr_assert_eq(sscanf(op->path, "/w/kopie/f%d.txt", &n), 1);
            cr_assert_gt(n, last, "the copy's events keep their order");
            last = n;
        }
        taken++;
        fgd_op_free(op);
    }
    cr_assert_eq(taken, 101);
    cr_assert_geq(brief_at, 0);
    cr_assert_leq(brief_at, 9, "the save came after %d of the copy's events", brief_at);
    fgd_queue_free(q);
}
