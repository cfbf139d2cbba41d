/*
 * path.c - questions about absolute paths as text (see path.h).
 */
#include "common/path.h"

#include <string.h>

/* Whether path is at or below folder (see path.h). */
bool fg_path_at_or_below_n(const char *path, const char *folder, size_t n)
{
    while (n > 0 && folder[n - 1] == '/')
        n--;
    if (n == 0) /* the root */
        return path[0] == '/';
    return strncmp(path, folder, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Whether path is at or below folder (see path.h). */
bool fg_path_at_or_below(const char *path, const char *folder)
{
    return fg_path_at_or_below_n(path, folder, strlen(folder));
}
