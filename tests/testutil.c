/*
 * testutil.c - helpers shared by the test suites (see testutil.h).
 */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Makes a fresh folder under /tmp. */
char *tu_tmpdir(void) {
    char tmpl[] = "/tmp/fgtest.XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

/* nftw callback removing one entry. */
static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw) {
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

/* Removes a folder tree. */
void tu_rmtree(const char *path) {
    if (path)
        nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Creates every folder above path. */
static void make_parents(const char *path) {
    char *p = strdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    }
    free(p);
}

/* Writes a file (see testutil.h). */
char *tu_write(const char *dir, const char *name, const char *data, size_t len) {
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dir, name) < 0)
        return NULL;
    make_parents(path);
    FILE *f = fopen(path, "wb");
    if (!f) {
        free(path);
        return NULL;
    }
    fwrite(data, 1, len, f);
    fclose(f);
    return path;
}

/* Writes a text file (see testutil.h). */
char *tu_write_str(const char *dir, const char *name, const char *text) {
    return tu_write(dir, name, text, strlen(text));
}

/* Reads a whole file (see testutil.h). */
char *tu_read(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while (buf && (r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) {
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Appends what is readable on fd to *buf; false at end of file. */
static bool drain(int fd, char **buf, size_t *len, size_t *cap) {
    char tmp[65536];
    ssize_t n = read(fd, tmp, sizeof tmp);
    if (n < 0 && errno == EINTR)
        return true;
    if (n <= 0)
        return false;
    if (*len + (size_t)n + 1 > *cap) {
        *cap = (*len + (size_t)n + 1) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, tmp, (size_t)n);
    *len += (size_t)n;
    (*buf)[*len] = '\0';
    return true;
}

/* Runs a program and captures its output (see testutil.h). */
bool tu_run(const char *const *argv, const char *const *env, tu_run_t *out) {
    int po[2], pe[2];
    memset(out, 0, sizeof *out);
    if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0)
        return false;
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        for (size_t i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            if (!eq)
                continue;
            char *k = strndup(env[i], (size_t)(eq - env[i]));
            if (eq[1])
                setenv(k, eq + 1, 1);
            else
                unsetenv(k);
            free(k);
        }
        execv(argv[0], (char *const *)argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    size_t ol = 0, oc = 1, el = 0, ec = 1;
    out->out = calloc(1, 1);
    out->err = calloc(1, 1);
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                bool more = i == 0 ? drain(fds[i].fd, &out->out, &ol, &oc)
                                   : drain(fds[i].fd, &out->err, &el, &ec);
                if (!more) {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    open_fds--;
                }
            }
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    out->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
}

/* Frees captured output. */
void tu_run_free(tu_run_t *r) {
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Path of a built artefact (see testutil.h). */
char *tu_build_path(const char *rel) {
    char *p = NULL;
    if (asprintf(&p, "%s/%s", FG_BINARY_DIR, rel) < 0)
        return NULL;
    return p;
}

/* The seed of a random test (see testutil.h). */
unsigned tu_seed(const char *test) {
    const char *env = getenv("FG_TEST_SEED");
    unsigned seed;
    if (env && *env)
        seed = (unsigned)strtoul(env, NULL, 10);
    else
        seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    fprintf(stderr, "%s: seed %u (replay with FG_TEST_SEED=%u)\n", test, seed, seed);
    return seed;
}
