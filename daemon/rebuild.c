/*
 * rebuild.c - building an index beside the old one and swapping it in: the
 * file system part (see rebuild.h).
 */
#include "daemon/rebuild.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The rebuild folder of an index (see rebuild.h). */
int fgd_rebuild_dir(const char *index_dir, char *out, size_t outlen) {
    size_t n = strlen(index_dir);
    while (n > 1 && index_dir[n - 1] == '/')
        n--;
    int w = snprintf(out, outlen, "%.*s.rebuild", (int)n, index_dir);
    return w < 0 || (size_t)w >= outlen ? -ENAMETOOLONG : 0;
}

/* nftw callback: removes one entry. */
static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)ftw;
    int rc = flag == FTW_DP ? rmdir(path) : unlink(path);
    return rc == 0 || errno == ENOENT ? 0 : -errno;
}

/* Removes a folder tree (see rebuild.h). */
int fgd_rmtree(const char *path) {
    if (access(path, F_OK) != 0)
        return errno == ENOENT ? 0 : -errno;
    int rc = nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    return rc > 0 ? -EIO : rc;
}

/* Exchanges the two folders (see rebuild.h). */
int fgd_swap_dirs(const char *current, const char *fresh) {
    if (renameat2(AT_FDCWD, fresh, AT_FDCWD, current, RENAME_EXCHANGE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -errno;
    /* no RENAME_EXCHANGE here: current -> aside, fresh -> current, aside -> fresh */
    char aside[4200];
    if (snprintf(aside, sizeof aside, "%s.old", current) >= (int)sizeof aside)
        return -ENAMETOOLONG;
    if (rename(current, aside) != 0)
        return -errno;
    if (rename(fresh, current) != 0) {
        int e = errno;
        rename(aside, current);
        return -e;
    }
    return rename(aside, fresh) == 0 ? 0 : -errno;
}
