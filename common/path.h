/*
 * path.h - questions about absolute paths as text (no file system access).
 */
#ifndef FG_COMMON_PATH_H
#define FG_COMMON_PATH_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * True when path is the folder itself or lies below it, comparing whole
 * components: "/a/b" is below "/a" but "/ab" is not.  Trailing slashes of
 * folder do not count, so "/" (and "//") holds every absolute path.
 * folder_len is the length of folder to look at.
 */
bool fg_path_at_or_below_n(const char *path, const char *folder, size_t folder_len);

/* fg_path_at_or_below_n() over all of folder. */
bool fg_path_at_or_below(const char *path, const char *folder);

#ifdef __cplusplus
}
#endif
#endif
