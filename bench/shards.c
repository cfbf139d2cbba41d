/*
 * shards.c - bench/shards: query latency over Xapian's remote backend.
 *
 * Builds, with `fundgrube index`, an index of --copies N copies of the man
 * pages (default 4; N a multiple of 4), the same copies split into 2 and
 * into 4 indexes, serves them with xapian-tcpsrv on loopback (each in a
 * session of its own, stopped by its pid), and runs the dev queries
 * (queries-dev.tsv) in-process through the plugin, one warm-up round and
 * --rounds timed rounds, on:
 *
 *   1 local    the one index, opened as a folder (rank.cc's term-at-a-time path)
 *   1 remote   the one index through one server (a shard list of one line)
 *   2 remote   two servers, half of the copies each
 *   4 remote   four servers, a quarter each
 *
 * with snippets off (the search alone) and on.  Prints p50/p95/p99 per
 * configuration and the ratio of each p50 and p99 to those of "1 local",
 * the anchor, measured in the same run; and the load averages before and
 * after (a busy 2-core machine gives higher figures; the ratios hold
 * better).  Figures, not a test.
 *
 *   shards [--copies N] [--rounds N] [--docs DIR] [--queries FILE]
 *          [--fundgrube PATH] [--plugin PATH] [--work DIR] [--keep]
 */
#include <dlfcn.h>
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

#define MAX_SERVERS 8

/* Seconds of the monotonic clock. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with stdout sent to /dev/null when quiet; returns its exit
 * status (-1 if it could not run). */
static int run(char *const argv[], bool quiet) {
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        if (quiet && !freopen("/dev/null", "w", stdout))
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Reads the queries (the text before the tab of each line); returns how
 * many (0 on failure). */
static size_t load_queries(const char *path, char ***out) {
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char **q = NULL, *line = NULL;
    size_t n = 0, cap = 0, lcap = 0;
    while (getline(&line, &lcap, f) > 0) {
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            char **nq = realloc(q, cap * sizeof *nq);
            if (!nq)
                break;
            q = nq;
        }
        q[n++] = strdup(line);
    }
    free(line);
    fclose(f);
    *out = q;
    return n;
}

/* Prints the load averages (/proc/loadavg). */
static void print_load(const char *when) {
    FILE *f = fopen("/proc/loadavg", "r");
    double l1, l5, l15;
    if (f && fscanf(f, "%lf %lf %lf", &l1, &l5, &l15) == 3)
        printf("load average %s: %.2f %.2f %.2f\n", when, l1, l5, l15);
    if (f)
        fclose(f);
}

/* Sorts doubles ascending (qsort). */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-th percentile of sorted v[0..n). */
static double pct(const double *v, size_t n, double p) {
    size_t i = (size_t)(p / 100.0 * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* Indexes the copies first, first+step, ... (1-based, up to copies) of
 * work/docs into index.  Returns 0 on success. */
static int build(const char *fundgrube, const char *work, int copies, int first, int step,
                 const char *index) {
    char *argv[64] = {(char *)fundgrube, "index", "--quiet", "--index", (char *)index};
    char dirs[32][4200];
    int n = 5, k = 0;
    for (int c = first; c <= copies && k < 32; c += step, k++) {
        snprintf(dirs[k], sizeof dirs[k], "%s/docs/copy-%02d", work, c);
        argv[n++] = dirs[k];
    }
    argv[n] = NULL;
    double t0 = now();
    int rc = run(argv, true);
    fprintf(stderr, "shards: indexed %d cop%s into %s in %.1f s\n", k, k == 1 ? "y" : "ies", index,
            now() - t0);
    return rc;
}

/* A started server. */
typedef struct server {
    pid_t pid;
    unsigned port;
} server_t;

/* Starts xapian-tcpsrv on port serving index (in a session of its own) and
 * waits until it accepts a search; returns false when it did not start. */
static bool serve(server_t *s, const char *index, unsigned port) {
    char portarg[16];
    snprintf(portarg, sizeof portarg, "%u", port);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        setsid(); /* 1.4's tcpsrv answers SIGTERM with killpg(0) */
        if (!freopen("/dev/null", "w", stderr))
            _exit(126);
        execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--port", portarg, index, (char *)NULL);
        _exit(127);
    }
    s->pid = pid;
    s->port = port;
    usleep(500 * 1000);
    int st;
    return waitpid(pid, &st, WNOHANG) == 0;
}

/* Stops a server by its pid. */
static void unserve(server_t *s) {
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = -1;
    }
}

/* Runs the queries rounds times (after a warm-up) on h with flags; prints
 * the percentiles and stores p50 and p99.  Returns 0, or 1 when a search
 * failed. */
static int measure(const fg_plugin_api_t *api, fg_handle_t *h, char **q, size_t nq, int rounds,
                   uint32_t flags, const char *label, double *p50, double *p99) {
    double *lat = malloc((size_t)rounds * nq * sizeof *lat);
    if (!lat)
        return 1;
    fg_search_options_t o = {.struct_size = sizeof o, .limit = 10, .flags = flags};
    size_t n = 0;
    for (int round = -1; round < rounds; round++)
        for (size_t i = 0; i < nq; i++) {
            fg_results_t *r = NULL;
            double t0 = now();
            int st = api->search(h, q[i], &o, &r);
            double t = now() - t0;
            if (st != FG_OK || (r->warnings && r->warnings[0])) {
                fprintf(stderr, "shards: %s '%s': %s\n", label, q[i],
                        st != FG_OK ? api->last_error(h) : r->warnings);
                api->results_free(r);
                free(lat);
                return 1;
            }
            api->results_free(r);
            if (round >= 0)
                lat[n++] = t * 1000.0;
        }
    qsort(lat, n, sizeof *lat, cmp_double);
    *p50 = pct(lat, n, 50);
    *p99 = pct(lat, n, 99);
    printf("  %-10s %-13s p50 %7.3f ms  p95 %7.3f ms  p99 %7.3f ms  (%zu searches)\n", label,
           flags & FG_SEARCH_NO_SNIPPETS ? "snippets off" : "snippets on", *p50, pct(lat, n, 95),
           *p99, n);
    free(lat);
    return 0;
}

/* bench/shards (see the top of the file). */
int main(int argc, char **argv) {
    static const struct option opts[] = {{"copies", required_argument, NULL, 'c'},
                                         {"rounds", required_argument, NULL, 'r'},
                                         {"docs", required_argument, NULL, 'd'},
                                         {"queries", required_argument, NULL, 'q'},
                                         {"fundgrube", required_argument, NULL, 'f'},
                                         {"plugin", required_argument, NULL, 'p'},
                                         {"work", required_argument, NULL, 'w'},
                                         {"keep", no_argument, NULL, 'k'},
                                         {NULL, 0, NULL, 0}};
    int copies = 4, rounds = 3, c;
    bool keep = false;
    const char *docs = FG_SHARED_DATA "/manpages-de/docs";
    const char *queries = FG_SHARED_DATA "/manpages-de/queries-dev.tsv";
    const char *fundgrube = FG_BINARY_DIR "/cli/fundgrube";
    const char *plugin = FG_BINARY_DIR "/plugin/libfundgrube.so";
    const char *work_opt = NULL;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': copies = atoi(optarg); break;
        case 'r': rounds = atoi(optarg); break;
        case 'd': docs = optarg; break;
        case 'q': queries = optarg; break;
        case 'f': fundgrube = optarg; break;
        case 'p': plugin = optarg; break;
        case 'w': work_opt = optarg; break;
        case 'k': keep = true; break;
        default:
            fprintf(stderr, "usage: shards [--copies N] [--rounds N] [--docs DIR] [--queries "
                            "FILE] [--fundgrube PATH] [--plugin PATH] [--work DIR] [--keep]\n");
            return 2;
        }
    }
    if (copies < 4 || copies % 4 != 0 || copies > 32 || rounds < 1) {
        fprintf(stderr, "shards: --copies must be 4, 8, ... 32 and --rounds at least 1\n");
        return 2;
    }
    char **q = NULL;
    size_t nq = load_queries(queries, &q);
    if (nq == 0) {
        fprintf(stderr, "shards: no queries in %s\n", queries);
        return 1;
    }
    char work[4096];
    if (work_opt)
        snprintf(work, sizeof work, "%s", work_opt);
    else
        snprintf(work, sizeof work, "/tmp/fg-bench-shards.XXXXXX");
    if (!work_opt && !mkdtemp(work)) {
        perror("shards: mkdtemp");
        return 1;
    }
    /* the copies, and the indexes: one of all, halves, quarters */
    char ix[7][4200], tree[4200];
    const char *names[7] = {"all", "h1", "h2", "q1", "q2", "q3", "q4"};
    for (int i = 0; i < 7; i++)
        snprintf(ix[i], sizeof ix[i], "%s/%s", work, names[i]);
    snprintf(tree, sizeof tree, "%s/docs", work);
    struct stat sb;
    int rc = 0;
    if (stat(ix[0], &sb) != 0) { /* not built yet (--work reuses a kept one) */
        mkdir(tree, 0700);
        for (int i = 1; i <= copies && rc == 0; i++) {
            char dst[4300];
            snprintf(dst, sizeof dst, "%s/copy-%02d", tree, i);
            char *const cp[] = {"cp", "-r", (char *)docs, dst, NULL};
            rc = run(cp, false);
        }
        rc = rc ? rc : build(fundgrube, work, copies, 1, 1, ix[0]);
        for (int h = 0; h < 2 && rc == 0; h++)
            rc = build(fundgrube, work, copies, 1 + h, 2, ix[1 + h]);
        for (int k = 0; k < 4 && rc == 0; k++)
            rc = build(fundgrube, work, copies, 1 + k, 4, ix[3 + k]);
    }
    if (rc != 0) {
        fprintf(stderr, "shards: building the indexes failed\n");
        return 1;
    }
    server_t srv[7] = {{0}};
    unsigned base = 21000 + (unsigned)(getpid() % 20000);
    for (int i = 0; i < 7 && rc == 0; i++)
        if (!serve(&srv[i], ix[i], base + (unsigned)i)) {
            fprintf(stderr, "shards: xapian-tcpsrv on port %u did not start\n", base + i);
            rc = 1;
        }
    /* the shard lists */
    char lists[3][4300];
    const int first[3] = {0, 1, 3}, count[3] = {1, 2, 4};
    for (int l = 0; l < 3 && rc == 0; l++) {
        snprintf(lists[l], sizeof lists[l], "%s/remote-%d", work, count[l]);
        FILE *f = fopen(lists[l], "w");
        if (!f) {
            rc = 1;
            break;
        }
        for (int k = 0; k < count[l]; k++)
            fprintf(f, "remote 127.0.0.1:%u\n", srv[first[l] + k].port);
        fclose(f);
    }
    void *so = rc == 0 ? dlopen(plugin, RTLD_NOW | RTLD_LOCAL) : NULL;
    fg_plugin_entry_fn entry = so ? (fg_plugin_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME) : NULL;
    const fg_plugin_api_t *api = entry ? entry(FG_PLUGIN_ABI_MAJOR) : NULL;
    if (rc == 0 && !api) {
        fprintf(stderr, "shards: cannot load %s\n", plugin);
        rc = 1;
    }
    const char *labels[4] = {"1 local", "1 remote", "2 remote", "4 remote"};
    const char *paths[4] = {ix[0], lists[0], lists[1], lists[2]};
    double p50[4][2] = {{0}}, p99[4][2] = {{0}};
    if (rc == 0) {
        printf("bench/shards: %zu dev queries x %d rounds, %d copies of the man pages, loopback\n",
               nq, rounds, copies);
        print_load("before");
    }
    for (int k = 0; k < 4 && rc == 0; k++) {
        fg_handle_t *h = NULL;
        char err[1024];
        if (api->open(paths[k], &h, err, sizeof err) != FG_OK) {
            fprintf(stderr, "shards: %s: %s\n", labels[k], err);
            rc = 1;
            break;
        }
        uint64_t n = 0;
        api->doc_count(h, &n);
        printf("%s (%llu documents):\n", labels[k], (unsigned long long)n);
        rc = measure(api, h, q, nq, rounds, FG_SEARCH_NO_SNIPPETS, labels[k], &p50[k][0],
                     &p99[k][0]);
        if (rc == 0)
            rc = measure(api, h, q, nq, rounds, 0, labels[k], &p50[k][1], &p99[k][1]);
        api->close(h);
    }
    if (rc == 0) {
        print_load("after");
        printf("\n| shards | p50 off | p99 off | p50 on | p99 on | p50/local | p99/local |\n");
        printf("|---|---|---|---|---|---|---|\n");
        for (int k = 0; k < 4; k++)
            printf("| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2f | %.2f |\n", labels[k],
                   p50[k][0], p99[k][0], p50[k][1], p99[k][1], p50[k][0] / p50[0][0],
                   p99[k][0] / p99[0][0]);
        printf("(off/on: snippets; the ratios are of snippets off, to 1 local)\n");
        printf("indexing with [index] shards = N: not implemented, not measured\n");
    }
    for (int i = 0; i < 7; i++)
        unserve(&srv[i]);
    if (so)
        dlclose(so);
    if (!keep && !work_opt) {
        char *const rm[] = {"rm", "-rf", work, NULL};
        run(rm, false);
    } else {
        fprintf(stderr, "shards: kept %s\n", work);
    }
    for (size_t i = 0; i < nq; i++)
        free(q[i]);
    free(q);
    return rc;
}
