/*
 * relocate.c - the program's files found relative to the running program
 * or library (see relocate.h).
 */
#include "common/relocate.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Cuts path at its last slash (keeping "/" for a file in the root). */
static void strip_last(char *path) {
    char *slash = strrchr(path, '/');
    if (slash == path)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
}

/* The running program's folder (see relocate.h). */
bool fg_exe_dir(char *buf, size_t len) {
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || exe[0] != '/')
        return false;
    exe[n] = '\0';
    strip_last(exe);
    if ((size_t)snprintf(buf, len, "%s", exe) >= len)
        return false;
    return true;
}

/* The folder of the object holding addr (see relocate.h). */
bool fg_object_dir(const void *addr, char *buf, size_t len) {
    Dl_info info;
    if (!dladdr(addr, &info) || !info.dli_fname || info.dli_fname[0] != '/')
        return false;
    if ((size_t)snprintf(buf, len, "%s", info.dli_fname) >= len)
        return false;
    strip_last(buf);
    return true;
}

/* Joins dir and rel into buf when that path is accessible with mode, its
 * "..", "." and symbolic links resolved (realpath) when that fits. */
static bool try_path(const char *dir, const char *rel, int mode, char *buf, size_t len) {
    int n = snprintf(buf, len, "%s/%s", dir, rel);
    if (n <= 0 || (size_t)n >= len || access(buf, mode) != 0)
        return false;
    char real[PATH_MAX];
    if (realpath(buf, real) && strlen(real) < len)
        strcpy(buf, real);
    return true;
}

/* The build tree dir lies in, if any (see relocate.h). */
bool fg_build_root(const char *dir, char *buf, size_t len) {
    static const char *const up[] = {"..", "../.."};
    char probe[PATH_MAX];
    for (size_t i = 0; i < sizeof up / sizeof *up; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "%s/CMakeCache.txt", up[i]);
        if (try_path(dir, rel, R_OK, probe, sizeof probe)) {
            int n = snprintf(buf, len, "%s/%s", dir, up[i]);
            return n > 0 && (size_t)n < len;
        }
    }
    return false;
}

/* Finds a file of the program (see relocate.h). */
bool fg_relocate_find(const void *addr, const char *from_bin, const char *from_lib,
                      const char *in_build, int mode, char *out, size_t len) {
    char exe[PATH_MAX], obj[PATH_MAX], root[PATH_MAX];
    bool have_exe = fg_exe_dir(exe, sizeof exe);
    bool have_obj = addr && fg_object_dir(addr, obj, sizeof obj);
    if (have_exe && from_bin && try_path(exe, from_bin, mode, out, len))
        return true;
    if (have_obj && from_lib && try_path(obj, from_lib, mode, out, len))
        return true;
    if (in_build) {
        if (have_exe && fg_build_root(exe, root, sizeof root) &&
            try_path(root, in_build, mode, out, len))
            return true;
        if (have_obj && fg_build_root(obj, root, sizeof root) &&
            try_path(root, in_build, mode, out, len))
            return true;
    }
    return false;
}
