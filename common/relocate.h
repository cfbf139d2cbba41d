/*
 * relocate.h - where the program's files are, found from the running
 * program or library (/proc/self/exe, dladdr) instead of absolute paths
 * baked in at build time, so an installed tree works under any prefix
 * (`cmake --install build --prefix P`, a Debian package) and a build tree
 * works where it was built.
 *
 * The relative paths between the installed folders come from the build
 * (GNUInstallDirs; see the top CMakeLists.txt): FG_REL_BIN_TO_DATA,
 * FG_REL_BIN_TO_LIB, FG_REL_BIN_TO_LIBEXEC, FG_REL_LIB_TO_DATA,
 * FG_REL_LIB_TO_LIBEXEC.
 */
#ifndef FG_COMMON_RELOCATE_H
#define FG_COMMON_RELOCATE_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef FG_REL_BIN_TO_DATA
#define FG_REL_BIN_TO_DATA "../share"
#endif
#ifndef FG_REL_BIN_TO_LIB
#define FG_REL_BIN_TO_LIB "../lib"
#endif
#ifndef FG_REL_BIN_TO_LIBEXEC
#define FG_REL_BIN_TO_LIBEXEC "../libexec"
#endif
#ifndef FG_REL_LIB_TO_DATA
#define FG_REL_LIB_TO_DATA "../share"
#endif
#ifndef FG_REL_LIB_TO_LIBEXEC
#define FG_REL_LIB_TO_LIBEXEC "../libexec"
#endif

/* Writes the folder of the running program (/proc/self/exe) into buf;
 * false when it is unknown or does not fit in len bytes. */
bool fg_exe_dir(char *buf, size_t len);

/* Writes the folder of the shared object (or program) that holds addr
 * (dladdr) into buf; false when unknown, not an absolute path, or too long. */
bool fg_object_dir(const void *addr, char *buf, size_t len);

/* When dir lies in a CMake build tree (dir/.. or dir/../.. holds
 * CMakeCache.txt: build/cli/, build/tests/stemmers/), writes that tree's
 * root into buf and returns true. */
bool fg_build_root(const char *dir, char *buf, size_t len);

/*
 * Looks for a file of the program, taking the first that access(2) admits
 * with mode (R_OK, X_OK):
 *   1. <folder of the running program>/<from_bin>  (installed beside bin/),
 *   2. <folder of the object holding addr>/<from_lib>  (a library in lib/,
 *      loaded by a host installed elsewhere),
 *   3. <build tree>/<in_build> for either folder, when it lies in one.
 * Any of from_bin, from_lib, in_build may be NULL (not looked at).  Writes
 * the path, "..", "." and links resolved, into out (len bytes); false when
 * none is there.
 */
bool fg_relocate_find(const void *addr, const char *from_bin, const char *from_lib,
                      const char *in_build, int mode, char *out, size_t len);

#ifdef __cplusplus
}
#endif

#endif
