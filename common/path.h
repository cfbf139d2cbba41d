/*
 * path.h - questions about paths as text (no file system access), and the
 * one "~" expansion every room uses.
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

/* True when path begins with "~/" or is exactly "~" (a home-folder path;
 * "~anna/x" is not one). */
bool fg_path_needs_home(const char *path);

/*
 * Returns a malloc'ed copy of path with a leading "~/" replaced by home
 * (its trailing slashes dropped, so home "/" gives "/x" for "~/x") and a
 * lone "~" by home itself; any other path is copied as it is.  The caller
 * frees the result.  NULL when out of memory, when path is NULL, or when
 * path needs a home (fg_path_needs_home()) and home is NULL or empty.
 * Example: fg_path_expand_home("~/Dokumente", getenv("HOME")).
 */
char *fg_path_expand_home(const char *path, const char *home);

#ifdef __cplusplus
}
#endif
#endif
