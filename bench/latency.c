/*
 * latency.c - bench/latency: drop -> searchable latency of fundgrubed.
 *
 * Copies the man-page corpus into a temporary watched folder, starts the
 * daemon on it (the start-up reconciliation indexes it), then drops files one
 * at a time, each with a unique word, and polls a search for that word
 * through the plugin (libfundgrube.so, as any host would) until it is found.
 * Three ways of dropping, in turn:
 *   outside   written to a temporary file outside the watched folder, renamed in
 *   hidden    written to a hidden temporary file inside, renamed to its name
 *   in place  created, written and closed under its final name
 * The clock starts just before the rename (or the open) and stops when the
 * search finds the file.  Prints p50/p95/p99/max overall and per way.
 * Figures, not a test: goal p50 <= 50 ms, p99 <= 250 ms.
 *
 *   latency [--files N] [--docs DIR] [--daemon PATH] [--plugin PATH] [--keep]
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fundgrube/fundgrube.h"

/* Seconds of the monotonic clock. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv, waits; returns its exit status (-1 if it could not run). */
static int run(char *const argv[]) {
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Reads a small file into buf; false if it cannot. */
static bool slurp(const char *path, char *buf, size_t len) {
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, buf, len - 1);
    close(fd);
    buf[n > 0 ? n : 0] = '\0';
    return n > 0;
}

/* Writes text to path with open/write/close; false on failure. */
static bool write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    size_t len = strlen(text);
    bool ok = write(fd, text, len) == (ssize_t)len;
    return close(fd) == 0 && ok;
}

/* A letters-only unique word for i. */
static void word_for(unsigned i, char *buf) {
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = (char)('a' + i % 26);
        i /= 26;
    } while (i);
    strcpy(buf, "zqlatenz");
    size_t b = strlen(buf);
    for (size_t k = 0; k < n; k++)
        buf[b + k] = tmp[n - 1 - k];
    buf[b + n] = '\0';
}

/* qsort comparison of doubles. */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of n sorted values. */
static double percentile(const double *v, size_t n, double p) {
    if (n == 0)
        return 0;
    size_t k = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (k < 1)
        k = 1;
    if (k > n)
        k = n;
    return v[k - 1];
}

/* Prints the figures of n latencies (seconds; sorted in place). */
static void report(const char *what, double *v, size_t n) {
    if (n == 0)
        return;
    qsort(v, n, sizeof *v, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    printf("  %-10s n=%-4zu p50 %7.1f ms   p95 %7.1f ms   p99 %7.1f ms   max %7.1f ms   "
           "mean %6.1f ms\n",
           what, n, percentile(v, n, 50) * 1e3, percentile(v, n, 95) * 1e3,
           percentile(v, n, 99) * 1e3, v[n - 1] * 1e3, sum / (double)n * 1e3);
}

int main(int argc, char **argv) {
    unsigned files = 200;
    const char *docs = FG_SHARED_DATA "/manpages-de/docs";
    const char *daemon = FG_BINARY_DIR "/daemon/fundgrubed";
    const char *plugin = FG_BINARY_DIR "/plugin/libfundgrube.so";
    bool keep = false;
    static const struct option opts[] = {
        {"files", required_argument, NULL, 'n'},  {"docs", required_argument, NULL, 'd'},
        {"daemon", required_argument, NULL, 'D'}, {"plugin", required_argument, NULL, 'p'},
        {"keep", no_argument, NULL, 'k'},         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "n:d:D:p:k", opts, NULL)) != -1) {
        switch (c) {
        case 'n': files = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'd': docs = optarg; break;
        case 'D': daemon = optarg; break;
        case 'p': plugin = optarg; break;
        case 'k': keep = true; break;
        default:
            fprintf(stderr, "usage: latency [--files N] [--docs DIR] [--daemon PATH] "
                            "[--plugin PATH] [--keep]\n");
            return 2;
        }
    }

    /* the plugin */
    void *so = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        fprintf(stderr, "latency: %s\n", dlerror());
        return 1;
    }
    fg_plugin_entry_fn entry = (fg_plugin_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME);
    const fg_plugin_api_t *api = entry ? entry(FG_PLUGIN_ABI_MAJOR) : NULL;
    if (!api) {
        fprintf(stderr, "latency: %s is not a compatible plugin\n", plugin);
        return 1;
    }

    /* the folders: HOME, watched folder with the corpus, index, outside */
    char home[] = "/tmp/fglatency.XXXXXX";
    if (!mkdtemp(home)) {
        perror("latency: mkdtemp");
        return 1;
    }
    char watch[256], index[256], outside[256], logp[256], status[300];
    snprintf(watch, sizeof watch, "%s/watch", home);
    snprintf(index, sizeof index, "%s/index", home);
    snprintf(outside, sizeof outside, "%s/outside", home);
    snprintf(logp, sizeof logp, "%s/daemon.log", home);
    snprintf(status, sizeof status, "%s/fundgrubed.status", index);
    mkdir(watch, 0755);
    mkdir(outside, 0755);
    char drop[300];
    snprintf(drop, sizeof drop, "%s/neu", watch);
    mkdir(drop, 0755);
    char corpus[300];
    snprintf(corpus, sizeof corpus, "%s/manpages", watch);
    char *cp[] = {"cp", "-r", (char *)docs, corpus, NULL};
    if (run(cp) != 0) {
        fprintf(stderr, "latency: copying %s failed\n", docs);
        return 1;
    }

    /* the daemon */
    double t_start = now();
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open(logp, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("HOME", home, 1);
        unsetenv("XDG_DATA_HOME");
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("FUNDGRUBE_CONFIG");
        execl(daemon, daemon, "--watch", watch, "--index", index, (char *)NULL);
        _exit(127);
    }
    char pidpat[64], buf[65536];
    snprintf(pidpat, sizeof pidpat, "\"pid\": %ld,", (long)pid);
    for (;;) {
        if (slurp(status, buf, sizeof buf) && strstr(buf, pidpat) &&
            strstr(buf, "\"state\": \"watching\""))
            break;
        if (waitpid(pid, NULL, WNOHANG) == pid || now() - t_start > 600) {
            fprintf(stderr, "latency: the daemon did not come up; see %s\n", logp);
            return 1;
        }
        usleep(10000);
    }
    double t_ready = now();

    fg_handle_t *h = NULL;
    char err[1024];
    if (api->open(index, &h, err, sizeof err) != FG_OK) {
        fprintf(stderr, "latency: %s\n", err);
        kill(pid, SIGTERM);
        return 1;
    }
    uint64_t ndocs = 0;
    api->doc_count(h, &ndocs);
    printf("fundgrubed latency: %s (%llu documents, indexed at start-up in %.1f s)\n", docs,
           (unsigned long long)ndocs, t_ready - t_start);

    fg_search_options_t so_opts = {
        .struct_size = sizeof so_opts, .limit = 1, .flags = FG_SEARCH_NO_SNIPPETS};
    double *all = calloc(files, sizeof *all);
    double *by[3] = {calloc(files, sizeof(double)), calloc(files, sizeof(double)),
                     calloc(files, sizeof(double))};
    size_t nby[3] = {0, 0, 0}, nall = 0;
    static const char *const ways[3] = {"outside", "hidden", "in place"};
    unsigned timeouts = 0, searches = 0;
    for (unsigned i = 0; i < files; i++) {
        char word[32], text[512], final[512], tmp[512];
        word_for(i, word);
        snprintf(text, sizeof text,
                 "Notiz %u\n\nDiese Datei wurde für die Latenzmessung abgelegt. Das eindeutige "
                 "Wort ist %s, damit die Suche genau diese Datei findet.\n",
                 i, word);
        snprintf(final, sizeof final, "%s/notiz-%u.txt", drop, i);
        int way = (int)(i % 3);
        double t0;
        if (way == 0 || way == 1) {
            if (way == 0)
                snprintf(tmp, sizeof tmp, "%s/notiz-%u.part", outside, i);
            else
                snprintf(tmp, sizeof tmp, "%s/.notiz-%u.txt.tmp", drop, i);
            if (!write_file(tmp, text))
                return 1;
            usleep(5000); /* the temporary file's own events pass first */
            t0 = now();
            if (rename(tmp, final) != 0) {
                perror("latency: rename");
                return 1;
            }
        } else {
            t0 = now();
            if (!write_file(final, text))
                return 1;
        }
        double lat = -1;
        while (now() - t0 < 10) {
            fg_results_t *r = NULL;
            searches++;
            if (api->search(h, word, &so_opts, &r) == FG_OK && r->count > 0) {
                lat = now() - t0;
                api->results_free(r);
                break;
            }
            api->results_free(r);
            usleep(500);
        }
        if (lat < 0) {
            timeouts++;
            continue;
        }
        all[nall++] = lat;
        by[way][nby[way]++] = lat;
        usleep(20000); /* one at a time, on an otherwise idle daemon */
    }
    printf("%u files dropped one at a time into %s (%u searches polled, %u not found "
           "within 10 s)\n",
           files, drop, searches, timeouts);
    report("all", all, nall);
    for (int w = 0; w < 3; w++)
        report(ways[w], by[w], nby[w]);
    printf("goal: p50 <= 50 ms, p99 <= 250 ms\n");

    api->close(h);
    kill(pid, SIGTERM);
    int st = 0;
    waitpid(pid, &st, 0);
    if (!keep) {
        char *rm[] = {"rm", "-rf", home, NULL};
        run(rm);
    } else {
        printf("kept %s\n", home);
    }
    free(all);
    for (int w = 0; w < 3; w++)
        free(by[w]);
    dlclose(so);
    return timeouts ? 1 : 0;
}
