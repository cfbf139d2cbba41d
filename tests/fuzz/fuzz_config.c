/*
 * fuzz_config.c - libFuzzer target of the configuration file parser,
 * fg_config_load_file() (config/config.c, over libinih): the input is the
 * file (a memory file, read through /proc/self/fd).  A failed load must
 * leave the configuration as it was; a good one must list every key.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config/config.h"
#include "fuzz_util.h"

/* Counts the keys fg_config_foreach() reports. */
static void count_entry(void *ctx, const char *section, const char *key, const char *value,
                        const char *origin) {
    if (!section || !key || !value || !origin)
        abort();
    (*(size_t *)ctx)++;
}

/* A home folder of its own, so defaults never depend on the caller's. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (!fuzz_temp_home("config"))
        abort();
    return 0;
}

/* Loads the input as a configuration file. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int fd = memfd_create("fuzz.conf", MFD_CLOEXEC);
    if (fd < 0)
        return 0;
    if (size > 0 && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    fg_config_t c;
    if (fg_config_init(&c) != FG_OK) {
        close(fd);
        return 0;
    }
    size_t before = 0, after = 0;
    fg_config_foreach(&c, count_entry, &before);
    char err[512];
    fg_status_t st = fg_config_load_file(&c, path, err, sizeof err);
    if (st != FG_OK && strlen(err) == 0)
        abort();
    fg_config_foreach(&c, count_entry, &after);
    if (after == 0)
        abort();
    if (st == FG_OK) {
        fg_config_t copy;
        if (fg_config_copy(&copy, &c) == FG_OK)
            fg_config_free(&copy);
    }
    fg_config_free(&c);
    close(fd);
    return 0;
}
