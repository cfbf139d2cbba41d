/*
 * test_lane.c - which lane a changed file takes (daemon/lane.h).
 */
#include <criterion/criterion.h>
#include <stdio.h>

#include "daemon/lane.h"

static fgd_lanes_t lanes;

/* The lane of a small file path at time t. */
static fgd_lane_t small(const char *path, int64_t t) {
    return fgd_lane_of_file(&lanes, "/w", path, 1000, false,
                            fgd_lane_folder_bursts(&lanes, path, t), t);
}

Test(lane, single_saves_are_fast) {
    fgd_lanes_init(&lanes);
    /* notes saved one every 200 ms into one folder: no burst */
    for (int i = 0; i < 50; i++) {
        char p[64];
        snprintf(p, sizeof p, "/w/Notizen/schnell%d.txt", i);
        cr_expect_eq(small(p, 100 + i * 200), FGD_LANE_FAST, "save %d", i);
    }
    /* an editor's saves, one file again and again, a few seconds apart */
    for (int i = 0; i < 50; i++)
        cr_expect_eq(small("/w/Briefe/brief.txt", 1000 + i * 2000), FGD_LANE_FAST);
    /* a few files of one folder at once (a save-all) */
    for (int i = 0; i < FGD_LANE_BURST_FILES; i++) {
        char p[64];
        snprintf(p, sizeof p, "/w/Notizen/n%d.txt", i);
        cr_expect_eq(small(p, 500000 + i), FGD_LANE_FAST);
    }
}

Test(lane, a_folder_copied_in_bursts_and_others_stay_fast) {
    fgd_lanes_init(&lanes);
    char p[64];
    int64_t t = 10000;
    for (int i = 0; i < 200; i++, t += 2) {
        snprintf(p, sizeof p, "/w/Archiv/man%d/page%d.txt", i / 20, i);
        fgd_lane_t lane = small(p, t);
        if (i > FGD_LANE_BURST_FILES)
            cr_expect_eq(lane, FGD_LANE_BULK, "file %d of the copy", i);
        /* meanwhile, a save in another folder and one in the root */
        if (i % 50 == 0) {
            cr_expect_eq(small("/w/Briefe/brief.txt", t), FGD_LANE_FAST);
            cr_expect_eq(small("/w/todo.txt", t + 1), FGD_LANE_FAST);
        }
    }
    /* the burst is over after a quiet window: its folder is fast again */
    t += FGD_LANE_WINDOW_MS + 1;
    cr_expect_eq(small("/w/Archiv/man1/page1.txt", t), FGD_LANE_FAST);
}

Test(lane, large_files_and_documents_take_the_bulk_lane) {
    fgd_lanes_init(&lanes);
    cr_expect_eq(fgd_lane_of_file(&lanes, "/w", "/w/gross.txt", FGD_LANE_FAST_MAX_BYTES + 1, false,
                                  false, 5),
                 FGD_LANE_BULK);
    cr_expect_eq(
        fgd_lane_of_file(&lanes, "/w", "/w/klein.txt", FGD_LANE_FAST_MAX_BYTES, false, false, 6),
        FGD_LANE_FAST);
    /* a document format: a worker extracts it, however small */
    cr_expect_eq(fgd_lane_of_file(&lanes, "/w", "/w/klein.pdf", 1000, true, false, 7),
                 FGD_LANE_BULK);
}
