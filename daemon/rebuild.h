/*
 * rebuild.h - the file system side of rebuilding an index beside the old
 * one and swapping it in.
 *
 * When the analysis settings change, the writer builds a complete new index
 * in INDEX.rebuild (a sibling folder) while readers keep searching INDEX,
 * then exchanges the two folders in one step (renameat2 RENAME_EXCHANGE,
 * where the file system has it) and removes the old one.
 */
#ifndef FGD_REBUILD_H
#define FGD_REBUILD_H

#include <stddef.h>

/* Writes the rebuild folder of index_dir ("INDEX.rebuild") into out.
 * Returns 0 or -ENAMETOOLONG. */
int fgd_rebuild_dir(const char *index_dir, char *out, size_t outlen);

/* Removes the folder tree at path (symbolic links are removed, not
 * followed); a missing path is fine.  Returns 0 or a negative errno. */
int fgd_rmtree(const char *path);

/*
 * Puts the folder fresh in the place of the folder current, and the old
 * folder at fresh's path: atomically where renameat2(RENAME_EXCHANGE) works,
 * else by two renames (a moment without current).  Returns 0 or a negative
 * errno.
 */
int fgd_swap_dirs(const char *current, const char *fresh);

#endif
