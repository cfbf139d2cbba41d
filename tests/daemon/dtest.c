/*
 * dtest.c - helpers of the daemon tests (see dtest.h).
 */
#include "dtest.h"

#include "index/schema.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

/* Seconds of the monotonic clock (see dtest.h). */
double dt_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Sleeps ms milliseconds. */
static void sleep_ms(unsigned ms) {
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Makes the temporary home (see dtest.h). */
void dt_init(dtest_t *t) {
    memset(t, 0, sizeof *t);
    t->dir = tu_tmpdir();
    cr_assert(t->dir);
    cr_assert(asprintf(&t->watch, "%s/watch", t->dir) > 0);
    cr_assert(asprintf(&t->index, "%s/index", t->dir) > 0);
    cr_assert(asprintf(&t->log, "%s/daemon.log", t->dir) > 0);
    cr_assert_eq(mkdir(t->watch, 0755), 0);
}

/* Cleans up (see dtest.h). */
void dt_fini(dtest_t *t) {
    if (t->pid > 0)
        dt_kill9(t);
    fg_index_close(t->rd);
    t->rd = NULL;
    tu_rmtree(t->dir);
    free(t->dir);
    free(t->watch);
    free(t->index);
    free(t->log);
    free(t->logtext);
}

/* Starts the daemon without waiting (see dtest.h). */
pid_t dt_spawn(dtest_t *t, const char *const *args, const char *const *env) {
    char *exe = tu_build_path("daemon/fundgrubed");
    const char *argv[32] = {exe, "--index", t->index};
    size_t n = 3;
    if (!t->no_watch) {
        argv[n++] = "--watch";
        argv[n++] = t->watch;
    }
    for (size_t i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    fflush(NULL);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        int fd = open(t->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("HOME", t->dir, 1);
        unsetenv("XDG_DATA_HOME");
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("FUNDGRUBE_CONFIG");
        unsetenv("JOURNAL_STREAM");
        for (size_t i = 0; env && env[i]; i++)
            putenv((char *)env[i]);
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    free(exe);
    return pid;
}

/* Reads the status file into a malloc'ed string (NULL if absent). */
static char *read_status(dtest_t *t) {
    char *p = NULL;
    if (asprintf(&p, "%s/fundgrubed.status", t->index) < 0)
        return NULL;
    char *s = tu_read(p, NULL);
    free(p);
    return s;
}

/* Starts the daemon and waits until it watches (see dtest.h). */
bool dt_start(dtest_t *t, const char *const *args, const char *const *env) {
    t->pid = dt_spawn(t, args, env);
    char pidpat[64];
    snprintf(pidpat, sizeof pidpat, "\"pid\": %ld,", (long)t->pid);
    double end = dt_now() + 20;
    while (dt_now() < end) {
        int status;
        if (waitpid(t->pid, &status, WNOHANG) == t->pid) {
            t->pid = 0;
            return false;
        }
        char *s = read_status(t);
        bool ready = s && strstr(s, pidpat) && strstr(s, "\"state\": \"watching\"");
        free(s);
        if (ready)
            return true;
        sleep_ms(10);
    }
    return false;
}

/* Waits for a process to end (see dtest.h). */
int dt_wait_exit(pid_t pid, double timeout_s) {
    double end = dt_now() + timeout_s;
    while (dt_now() < end) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (r < 0)
            return -1;
        sleep_ms(5);
    }
    return -1;
}

/* SIGTERM and wait (see dtest.h). */
int dt_stop(dtest_t *t) {
    if (t->pid <= 0)
        return -1;
    kill(t->pid, SIGTERM);
    int st = dt_wait_exit(t->pid, 30);
    if (st == -1)
        dt_kill9(t);
    t->pid = 0;
    return st;
}

/* SIGKILL and reap (see dtest.h). */
void dt_kill9(dtest_t *t) {
    if (t->pid <= 0)
        return;
    kill(t->pid, SIGKILL);
    waitpid(t->pid, NULL, 0);
    t->pid = 0;
}

/* Opens the reader if needed and moves it to the newest revision; false on
 * failure. */
static bool reader(dtest_t *t) {
    char err[1024];
    if (!t->rd) {
        if (fg_index_open_readonly(t->index, &t->rd, err, sizeof err) != FG_OK) {
            t->rd = NULL;
            return false;
        }
        return true;
    }
    if (fg_index_reopen(t->rd) != FG_OK) {
        fg_index_close(t->rd);
        t->rd = NULL;
        return false;
    }
    return true;
}

/* Term frequency through the reader (see dtest.h). */
long dt_freq(dtest_t *t, const char *term) {
    for (int attempt = 0; attempt < 5; attempt++) {
        uint32_t n = 0;
        if (reader(t) && fg_index_term_freq(t->rd, term, &n) == FG_OK)
            return (long)n;
        fg_index_close(t->rd); /* a discarded revision: open afresh */
        t->rd = NULL;
    }
    return -1;
}

/* Whether path has a document (see dtest.h). */
long dt_has_path(dtest_t *t, const char *path) {
    char *term = NULL;
    if (asprintf(&term, "P%s", path) < 0)
        return -1;
    long n = dt_freq(t, term);
    free(term);
    return n;
}

/* Number of documents (see dtest.h). */
long dt_count(dtest_t *t) {
    for (int attempt = 0; attempt < 5; attempt++) {
        uint64_t n = 0;
        if (reader(t) && fg_index_doc_count(t->rd, &n) == FG_OK)
            return (long)n;
        fg_index_close(t->rd);
        t->rd = NULL;
    }
    return -1;
}

/* The polling loop shared by the dt_wait_* helpers. */
static double wait_until(dtest_t *t, long (*get)(dtest_t *, const char *), const char *arg,
                         long want, double timeout_s) {
    double t0 = dt_now(), end = t0 + timeout_s;
    for (;;) {
        double now = dt_now();
        if (get(t, arg) == want)
            return now - t0;
        if (now > end)
            return -1;
        sleep_ms(1);
    }
}

/* dt_count() with an unused argument, for wait_until(). */
static long count_arg(dtest_t *t, const char *unused) {
    (void)unused;
    return dt_count(t);
}

double dt_wait_freq(dtest_t *t, const char *term, long want, double timeout_s) {
    return wait_until(t, dt_freq, term, want, timeout_s);
}

double dt_wait_path(dtest_t *t, const char *path, long want, double timeout_s) {
    return wait_until(t, dt_has_path, path, want, timeout_s);
}

double dt_wait_count(dtest_t *t, long want, double timeout_s) {
    return wait_until(t, count_arg, NULL, want, timeout_s);
}

/* A letters-only word for number i (see dtest.h). */
const char *dt_word(unsigned i, char *buf) {
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = (char)('a' + i % 26);
        i /= 26;
    } while (i && n < sizeof tmp);
    memcpy(buf, "zqk", 3);
    for (size_t k = 0; k < n; k++)
        buf[3 + k] = tmp[n - 1 - k];
    buf[3 + n] = '\0';
    return buf;
}

/* Writes a file, creating folders (see dtest.h). */
void dt_write(const char *path, const char *text) {
    char *dir = strdup(path);
    char *slash = strrchr(dir, '/');
    *slash = '\0';
    char *p = tu_write_str(dir, slash + 1, text);
    cr_assert(p, "writing %s", path);
    free(p);
    free(dir);
}

/* Walks the tree below dir, checking each admitted file; counts them. */
static bool check_files(dtest_t *t, const char *dir, long *files, char *why, size_t whylen) {
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(why, whylen, "cannot open %s", dir);
        return false;
    }
    bool ok = true;
    struct dirent *de;
    while (ok && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char *path = NULL;
        if (asprintf(&path, "%s/%s", dir, de->d_name) < 0)
            break;
        struct stat sb;
        if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            ok = check_files(t, path, files, why, whylen);
        } else if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
            size_t n = strlen(de->d_name);
            bool admitted = (n > 4 && strcmp(de->d_name + n - 4, ".txt") == 0) ||
                            (n > 3 && strcmp(de->d_name + n - 3, ".md") == 0);
            if (admitted) {
                (*files)++;
                char *text = tu_read(path, NULL);
                char word[64] = "";
                if (text)
                    sscanf(text, "%63s", word);
                free(text);
                for (char *c = word; *c; c++)
                    *c = (char)tolower((unsigned char)*c);
                if (dt_has_path(t, path) != 1) {
                    snprintf(why, whylen, "no document for %s", path);
                    ok = false;
                } else if (word[0] && dt_freq(t, word) != 1) {
                    snprintf(why, whylen, "probe '%s' of %s found %ld times", word, path,
                             dt_freq(t, word));
                    ok = false;
                }
            }
        }
        free(path);
    }
    closedir(d);
    return ok;
}

/* Compares index and tree (see dtest.h). */
bool dt_matches_tree(dtest_t *t, char *why, size_t whylen) {
    long files = 0;
    if (!check_files(t, t->watch, &files, why, whylen))
        return false;
    long docs = dt_count(t);
    if (docs != files) {
        snprintf(why, whylen, "%ld documents for %ld files", docs, files);
        return false;
    }
    return true;
}

/* Polls dt_matches_tree() (see dtest.h). */
double dt_wait_tree(dtest_t *t, double timeout_s, char *why, size_t whylen) {
    double t0 = dt_now(), end = t0 + timeout_s;
    for (;;) {
        if (dt_matches_tree(t, why, whylen))
            return dt_now() - t0;
        if (dt_now() > end)
            return -1;
        sleep_ms(20);
    }
}

/* The log so far (see dtest.h). */
const char *dt_log(dtest_t *t) {
    free(t->logtext);
    t->logtext = tu_read(t->log, NULL);
    return t->logtext ? t->logtext : "";
}

/* The analysis settings the index records (see dtest.h). */
char *dt_analysis(dtest_t *t) {
    fg_index_t *ix = NULL;
    char err[1024], *a = NULL;
    if (fg_index_open_readonly(t->index, &ix, err, sizeof err) != FG_OK)
        return strdup("");
    if (fg_index_get_metadata(ix, FG_META_ANALYSIS, &a) != FG_OK)
        a = strdup("");
    fg_index_close(ix);
    return a;
}

/* Polls the analysis settings (see dtest.h). */
double dt_wait_analysis(dtest_t *t, const char *want, double timeout_s) {
    double t0 = dt_now();
    while (dt_now() - t0 < timeout_s) {
        char *a = dt_analysis(t);
        bool ok = strstr(a, want) != NULL;
        free(a);
        if (ok)
            return dt_now() - t0;
        usleep(20 * 1000);
    }
    return -1;
}
