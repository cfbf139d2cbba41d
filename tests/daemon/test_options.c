/*
 * test_options.c - the daemon's configuration: its own index is never
 * indexed, whichever folder is watched (the root included).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/options.h"
#include "testutil.h"

/* True when cfg excludes exactly the glob g. */
static bool excludes(const fg_config_t *cfg, const char *g) {
    for (size_t i = 0; i < cfg->exclude.count; i++)
        if (strcmp(cfg->exclude.items[i], g) == 0)
            return true;
    return false;
}

/* Watching folder with the index in dir/ix: the index and its rebuild
 * folder are excluded. */
static void check_own_index_excluded(const char *folder) {
    char *dir = tu_tmpdir();
    char *conf = tu_write_str(dir, "empty.conf", "");
    char ix[1024], rebuild[1100];
    snprintf(ix, sizeof ix, "%s/ix", dir);
    snprintf(rebuild, sizeof rebuild, "%s.rebuild", ix);
    const char *watch[] = {folder};
    fgd_options_t o = {.config_path = conf, .watch = watch, .n_watch = 1, .index_dir = ix};
    fg_config_t cfg;
    char err[1024] = "";
    cr_assert_eq(fgd_config_load(&o, &cfg, err, sizeof err), FG_OK, "%s", err);
    cr_assert(excludes(&cfg, ix), "watching %s, %s is not excluded", folder, ix);
    cr_assert(excludes(&cfg, rebuild), "watching %s, %s is not excluded", folder, rebuild);
    fg_config_free(&cfg);
    free(conf);
    tu_rmtree(dir);
    free(dir);
}

Test(daemon_options, own_index_excluded_below_a_folder) {
    check_own_index_excluded("/tmp");
}

Test(daemon_options, own_index_excluded_when_watching_the_root) {
    check_own_index_excluded("/");
}
