/*
 * lock.c - the writer lock of an index folder, and mkdir -p.
 *
 * The lock is an open file description lock (fcntl F_OFD_SETLK, Linux 3.15+)
 * on the whole of <dir>/fundgrube.lock, taken without waiting.  Unlike a
 * classic POSIX record lock it belongs to the open file, not to the process,
 * so a second fg_index_open_writable() in the same process is refused just
 * like one in another process, and closing some other descriptor of the file
 * does not drop it.  The kernel releases it when the writer exits or is
 * killed.  The holder's pid is written into the file for the message of
 * whoever is refused.  The file is never removed (removing a lock file races
 * with the next writer opening it); it is emptied at release.
 *
 * A child forked by a writer shares the lock's file description until it
 * execs (the descriptor is O_CLOEXEC) or exits; fg_lock_release() unlocks the
 * description explicitly, so a closing writer does not leave it to children.
 */
#include "index/index-private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Creates dir and every missing folder above it (mode 0700, as Tracker and
 * Baloo keep theirs); an existing folder is fine, an existing non-folder is
 * FG_IO. */
fg_status_t fg_mkdir_p(const char *dir, char *err, size_t errlen) {
    size_t len = strlen(dir);
    if (len == 0)
        return fg_set_error(err, errlen, FG_INVALID, "empty index folder name");
    char *buf = malloc(len + 1);
    if (!buf)
        return fg_set_error(err, errlen, FG_NOMEM, "out of memory");
    memcpy(buf, dir, len + 1);
    fg_status_t st = FG_OK;
    /* Each '/' after the first character ends a parent; then the whole. */
    for (size_t i = 1; i <= len && st == FG_OK; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        /* private: the index holds the text of private files */
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            st = fg_set_error(err, errlen, FG_IO, "cannot create folder %s: %s", buf,
                              strerror(errno));
        buf[i] = saved;
    }
    free(buf);
    if (st != FG_OK)
        return st;
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return fg_set_error(err, errlen, FG_IO, "cannot create folder %s: %s", dir,
                            strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return fg_set_error(err, errlen, FG_IO, "%s exists and is not a folder", dir);
    return FG_OK;
}

/* Reads the pid the holder wrote into the lock file; 0 if there is none yet.
 * The holder writes it right after taking the lock, so an empty file is
 * read again a few times (10 ms at most: a bounded look, not a wait for the
 * lock). */
static long read_holder_pid(int fd) {
    for (int attempt = 0; attempt < 20; attempt++) {
        char buf[32];
        ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
        if (n > 0) {
            buf[n] = '\0';
            char *end;
            long pid = strtol(buf, &end, 10);
            if (end != buf && pid > 0)
                return pid;
        }
        struct timespec ts = {0, 500000};
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* Takes the lock (see the top of this file) and writes our pid into it. */
fg_status_t fg_lock_take(const char *dir, int *fd_out, char *err, size_t errlen) {
    *fd_out = -1;
    char path[PATH_MAX];
    int plen = snprintf(path, sizeof path, "%s/%s", dir, FG_LOCK_FILE);
    if (plen < 0 || (size_t)plen >= sizeof path)
        return fg_set_error(err, errlen, FG_INVALID, "index folder name too long: %s", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0)
        return fg_set_error(err, errlen, errno == ENOENT ? FG_NOT_FOUND : FG_IO,
                            "cannot open lock file %s: %s", path, strerror(errno));
    struct flock fl;
    memset(&fl, 0, sizeof fl); /* l_pid must be 0 for OFD locks */
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET;
    fl.l_start = 0;
    fl.l_len = 0; /* the whole file */
    int rc;
    do
        rc = fcntl(fd, F_OFD_SETLK, &fl);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        int e = errno;
        fg_status_t st;
        if (e == EAGAIN || e == EACCES) {
            long pid = read_holder_pid(fd);
            if (pid > 0)
                st =
                    fg_set_error(err, errlen, FG_LOCKED, "index %s is locked by pid %ld", dir, pid);
            else
                st = fg_set_error(err, errlen, FG_LOCKED,
                                  "index %s is locked by another writer (pid unknown)", dir);
        } else {
            st = fg_set_error(err, errlen, FG_IO, "cannot lock %s: %s", path, strerror(e));
        }
        close(fd);
        return st;
    }
    char pidbuf[32];
    int n = snprintf(pidbuf, sizeof pidbuf, "%ld\n", (long)getpid());
    if (ftruncate(fd, 0) != 0 || pwrite(fd, pidbuf, (size_t)n, 0) != n) {
        int e = errno;
        close(fd);
        return fg_set_error(err, errlen, FG_IO, "cannot write lock file %s: %s", path, strerror(e));
    }
    *fd_out = fd;
    return FG_OK;
}

/* Empties the lock file, unlocks it (for every descriptor sharing it, forked
 * children included) and closes it. */
void fg_lock_release(int fd) {
    if (fd < 0)
        return;
    if (ftruncate(fd, 0) != 0) {
        /* nothing to do: a stale pid in an unlocked file is harmless */
    }
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_UNLCK;
    fl.l_whence = SEEK_SET;
    fcntl(fd, F_OFD_SETLK, &fl);
    close(fd);
}

/* Whether an index folder is open to others (see index.h). */
bool fg_index_dir_is_shared(const char *dir, unsigned *mode) {
    struct stat sb;
    if (!dir || stat(dir, &sb) != 0)
        return false;
    if (mode)
        *mode = (unsigned)(sb.st_mode & 07777);
    return (sb.st_mode & 077) != 0;
}
