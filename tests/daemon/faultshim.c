/*
 * faultshim.c - an LD_PRELOAD library for the fault tests: makes the calls
 * of a process fail as a full disk or a failing disk would, on the files
 * the environment names, without privileges or a small file system.
 *
 *   FG_FAULT_FULL_DIR=D, FG_FAULT_FULL_FLAG=F   while the file F exists,
 *       write, pwrite, writev, pwritev, fsync, fdatasync and fallocate on a
 *       file below D fail with ENOSPC
 *   FG_FAULT_EIO=S   read and pread on a file whose path contains S fail
 *       with EIO
 *
 * The path of a descriptor is read from /proc/self/fd at each call: slow,
 * and only for tests.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* Writes the path of fd into path (len bytes); false when it has none. */
static int path_of(int fd, char *path, size_t len) {
    char link[64];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, len - 1);
    if (n <= 0)
        return 0;
    path[n] = '\0';
    return 1;
}

/* True when writes to fd are to fail with ENOSPC now. */
static int full(int fd) {
    const char *dir = getenv("FG_FAULT_FULL_DIR"), *flag = getenv("FG_FAULT_FULL_FLAG");
    char path[4096];
    if (!dir || !flag || access(flag, F_OK) != 0 || !path_of(fd, path, sizeof path))
        return 0;
    return strncmp(path, dir, strlen(dir)) == 0;
}

/* True when reads of fd are to fail with EIO. */
static int broken(int fd) {
    const char *part = getenv("FG_FAULT_EIO");
    char path[4096];
    return part && *part && path_of(fd, path, sizeof path) && strstr(path, part) != NULL;
}

/* The next definitions (libc's), looked up at the first call. */
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_fallocate)(int, int, off_t, off_t);
static ssize_t (*real_read)(int, void *, size_t);
static ssize_t (*real_pread)(int, void *, size_t, off_t);
static ssize_t (*real_pread64)(int, void *, size_t, off_t);

/* Fails with err when cond, else goes on. */
#define FAIL_IF(cond, err)                                                                         \
    do {                                                                                           \
        if (cond) {                                                                                \
            errno = (err);                                                                         \
            return -1;                                                                             \
        }                                                                                          \
    } while (0)

/* write(2), failing on a full disk. */
ssize_t write(int fd, const void *buf, size_t n) {
    FAIL_IF(full(fd), ENOSPC);
    if (!real_write)
        real_write = dlsym(RTLD_NEXT, "write");
    return real_write(fd, buf, n);
}

/* pwrite(2), failing on a full disk. */
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off) {
    FAIL_IF(full(fd), ENOSPC);
    if (!real_pwrite)
        real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    return real_pwrite(fd, buf, n, off);
}

/* pwrite64(2), failing on a full disk. */
ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off) {
    FAIL_IF(full(fd), ENOSPC);
    if (!real_pwrite64)
        real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    return real_pwrite64(fd, buf, n, off);
}

/* writev(2), failing on a full disk. */
ssize_t writev(int fd, const struct iovec *iov, int cnt) {
    FAIL_IF(full(fd), ENOSPC);
    if (!real_writev)
        real_writev = dlsym(RTLD_NEXT, "writev");
    return real_writev(fd, iov, cnt);
}

/* pwritev(2), failing on a full disk. */
ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off) {
    FAIL_IF(full(fd), ENOSPC);
    if (!real_pwritev)
        real_pwritev = dlsym(RTLD_NEXT, "pwritev");
    return real_pwritev(fd, iov, cnt, off);
}

/* fsync(2), failing on a full disk (delayed allocation fails there). */
int fsync(int fd) {
    FAIL_IF(full(fd), ENOSPC);
    if (!real_fsync)
        real_fsync = dlsym(RTLD_NEXT, "fsync");
    return real_fsync(fd);
}

/* fdatasync(2), failing on a full disk. */
int fdatasync(int fd) {
    FAIL_IF(full(fd), ENOSPC);
    if (!real_fdatasync)
        real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    return real_fdatasync(fd);
}

/* fallocate(2), failing on a full disk. */
int fallocate(int fd, int mode, off_t off, off_t len) {
    FAIL_IF(full(fd), ENOSPC);
    if (!real_fallocate)
        real_fallocate = dlsym(RTLD_NEXT, "fallocate");
    return real_fallocate(fd, mode, off, len);
}

/* read(2), failing on a broken file. */
ssize_t read(int fd, void *buf, size_t n) {
    FAIL_IF(broken(fd), EIO);
    if (!real_read)
        real_read = dlsym(RTLD_NEXT, "read");
    return real_read(fd, buf, n);
}

/* pread(2), failing on a broken file. */
ssize_t pread(int fd, void *buf, size_t n, off_t off) {
    FAIL_IF(broken(fd), EIO);
    if (!real_pread)
        real_pread = dlsym(RTLD_NEXT, "pread");
    return real_pread(fd, buf, n, off);
}

/* pread64(2), failing on a broken file. */
ssize_t pread64(int fd, void *buf, size_t n, off_t off) {
    FAIL_IF(broken(fd), EIO);
    if (!real_pread64)
        real_pread64 = dlsym(RTLD_NEXT, "pread64");
    return real_pread64(fd, buf, n, off);
}
