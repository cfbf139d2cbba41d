/*
 * path.c - questions about paths as text, and "~" expansion (see path.h).
 */
#include "common/path.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether path is at or below folder (see path.h). */
bool fg_path_at_or_below_n(const char *path, const char *folder, size_t n) {
    while (n > 0 && folder[n - 1] == '/')
        n--;
    if (n == 0) /* the root */
        return path[0] == '/';
    return strncmp(path, folder, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Whether path is at or below folder (see path.h). */
bool fg_path_at_or_below(const char *path, const char *folder) {
    return fg_path_at_or_below_n(path, folder, strlen(folder));
}

/* Whether path starts with the home folder (see path.h). */
bool fg_path_needs_home(const char *path) {
    return path && path[0] == '~' && (path[1] == '/' || path[1] == '\0');
}

/* path with "~" replaced by home, malloc'ed (see path.h). */
char *fg_path_expand_home(const char *path, const char *home) {
    if (!path)
        return NULL;
    if (!fg_path_needs_home(path))
        return strdup(path);
    if (!home || !*home)
        return NULL;
    if (path[1] == '\0')
        return strdup(home);
    size_t hlen = strlen(home);
    while (hlen > 0 && home[hlen - 1] == '/')
        hlen--;
    size_t rest = strlen(path + 1); /* from the '/' on */
    char *out = malloc(hlen + rest + 1);
    if (!out)
        return NULL;
    memcpy(out, home, hlen);
    memcpy(out + hlen, path + 1, rest + 1);
    return out;
}
