/*
 * query.c - bench/query: in-process query latency through the plugin.
 *
 * Indexes the man-page corpus with `fundgrube index` into a temporary folder
 * (or uses --index DIR), dlopens libfundgrube.so as any host would, and runs
 * the dev queries (queries-dev.tsv: query<TAB>expected file) in-process, one
 * warm-up round and then --rounds timed rounds, with snippets on and off.
 * With --x20 it does the same on an index of 20 copies of the corpus (built
 * in a temporary folder; a few minutes; --index20 DIR reuses one).  Prints
 * p50/p95/p99/max per configuration, how often the expected file is among
 * the first ten hits and its MRR@10 (a sanity check that a speed-up kept the
 * ranking, not the quality benchmark: on the x20 index a copy counts).
 * Figures, not a test: goal p99 <= 5 ms with snippets on the x20 index.
 * The anchor, measured in the same run on the same index: the same queries,
 * parsed as the plugin parses them, ranked by Xapian's own matcher (Enquire
 * with the same BM25Weight, through fg_index_search()) with the hits' data
 * read and no snippets; the ratio of its p99 to that of "snippets off" (the
 * same work through the plugin) is printed.
 * The load averages before and after are printed with them (a 2-core
 * machine busy with something else gives figures up to twice as high).
 * --slowest N lists, per configuration, the N queries of the greatest median
 * time (where the tail comes from).
 *
 *   query [--x20] [--rounds N] [--index DIR] [--index20 DIR] [--docs DIR]
 *         [--queries FILE] [--fundgrube PATH] [--plugin PATH] [--keep] [--only snc]
 *         [--cpu] [--slowest N]
 * --only picks the configurations: s snippets on, n off, c on with collapsing
 * of duplicates, x the anchor (default: all four).  --cpu times each search by the
 * thread's CPU time instead of the wall clock: steadier on a busy machine (it
 * leaves out waiting for a CPU, and for the disk).
 */
#include <dlfcn.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "fundgrube/fundgrube.h"
#include "index/index.h"
#include "plugin/query.h"
#include "stemmers/analysis.h"

/* The clock searches are timed by (--cpu: the thread's CPU time). */
static clockid_t search_clock = CLOCK_MONOTONIC;

/* How many of the slowest queries to list (--slowest). */
static size_t slowest = 0;

/* Seconds of the monotonic clock. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Seconds of search_clock. */
static double search_now(void) {
    struct timespec ts;
    clock_gettime(search_clock, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv with stdout sent to /dev/null when quiet; returns its exit status
 * (-1 if it could not run). */
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
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* One dev query. */
typedef struct query {
    char *text;
    char *file; /* expected file name */
} query_t;

/* Reads query<TAB>file lines; returns how many (0 on failure). */
static size_t load_queries(const char *path, query_t **out) {
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    query_t *q = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab)
            continue;
        *tab = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            query_t *nq = realloc(q, cap * sizeof *nq);
            if (!nq)
                break;
            q = nq;
        }
        q[n].text = strdup(line);
        q[n].file = strdup(tab + 1);
        n++;
    }
    free(line);
    fclose(f);
    *out = q;
    return n;
}

/* Prints the load averages (/proc/loadavg): the figures of a busy machine
 * are not those of an idle one. */
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

/* The rank (1-based) of the first hit of r that is the file name (the
 * path's last component); 0 when none is. */
static size_t found(const fg_results_t *r, const char *name) {
    for (size_t i = 0; i < r->count; i++) {
        const char *p = FG_RESULTS_HIT(r, i)->path;
        const char *slash = strrchr(p, '/');
        if (strcmp(slash ? slash + 1 : p, name) == 0)
            return i + 1;
    }
    return 0;
}

/* Sorts the n latencies lat and prints the line of label with their
 * percentiles, up to "(N searches" (the caller ends it); returns the p99. */
static double print_latencies(const char *label, double *lat, size_t n) {
    qsort(lat, n, sizeof *lat, cmp_double);
    printf("  %-22s p50 %7.3f ms  p95 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (%zu searches", label,
           pct(lat, n, 50), pct(lat, n, 95), pct(lat, n, 99), lat[n - 1], n);
    return pct(lat, n, 99);
}

/* A query's median time and its number in the query list. */
typedef struct slow {
    double median;
    size_t query;
} slow_t;

/* Sorts slow_t by descending median (qsort). */
static int cmp_slow(const void *a, const void *b) {
    double x = ((const slow_t *)a)->median, y = ((const slow_t *)b)->median;
    return x > y ? -1 : x < y;
}

/* Prints the slowest queries by their median time of rounds rounds
 * (per[query * rounds + round]). */
static void print_slowest(const query_t *q, size_t nq, double *per, int rounds) {
    slow_t *s = malloc(nq * sizeof *s);
    if (!s)
        return;
    for (size_t i = 0; i < nq; i++) {
        double *v = per + i * (size_t)rounds;
        qsort(v, (size_t)rounds, sizeof *v, cmp_double);
        s[i] = (slow_t){pct(v, (size_t)rounds, 50), i};
    }
    qsort(s, nq, sizeof *s, cmp_slow);
    for (size_t i = 0; i < slowest && i < nq; i++)
        printf("    %7.3f ms  %s\n", s[i].median, q[s[i].query].text);
    free(s);
}

/* Runs every query rounds times (after a warm-up) with flags and prints the
 * latency percentiles.  Returns 0, or 1 when a search failed. */
static int measure(const fg_plugin_api_t *api, fg_handle_t *h, const query_t *q, size_t nq,
                   int rounds, uint32_t flags, const char *label, double *p99) {
    double *lat = malloc((size_t)rounds * nq * sizeof *lat);
    if (!lat)
        return 1;
    double *per = calloc((size_t)rounds * nq, sizeof *per); /* [query * rounds + round] */
    if (!per) {
        free(lat);
        return 1;
    }
    fg_search_options_t o = {.struct_size = sizeof o, .limit = 10, .flags = flags};
    size_t n = 0, hits = 0;
    double rr = 0;
    for (int round = -1; round < rounds; round++) {
        for (size_t i = 0; i < nq; i++) {
            fg_results_t *r = NULL;
            double t0 = search_now();
            int st = api->search(h, q[i].text, &o, &r);
            double t = search_now() - t0;
            if (st != FG_OK) {
                fprintf(stderr, "query: search '%s': %s\n", q[i].text, api->last_error(h));
                free(lat);
                free(per);
                return 1;
            }
            size_t rank = round == 0 ? found(r, q[i].file) : 0;
            if (rank) {
                hits++;
                rr += 1.0 / (double)rank;
            }
            api->results_free(r);
            if (round >= 0) {
                lat[n++] = t * 1000.0;
                per[i * (size_t)rounds + (size_t)round] = t * 1000.0;
            }
        }
    }
    *p99 = print_latencies(label, lat, n);
    printf("; expected file in top 10: %.1f%%, MRR@10 %.3f)\n", 100.0 * (double)hits / (double)nq,
           rr / (double)nq);
    if (slowest > 0)
        print_slowest(q, nq, per, rounds);
    free(lat);
    free(per);
    return 0;
}

/* The anchor (see the top of the file): rounds rounds of the queries through
 * Xapian's matcher on index; prints the percentiles, sets *p99.  Returns 0,
 * or 1 when something failed. */
static int measure_anchor(const char *index, const query_t *q, size_t nq, int rounds, double *p99) {
    char err[1024];
    fg_index_t *ix = NULL;
    fg_analyzer_t *a = NULL;
    fg_analysis_settings_t settings;
    fg_analysis_settings_default(&settings);
    if (fg_index_open_readonly(index, &ix, err, sizeof err) != FG_OK ||
        fg_analyzer_new(&settings, &a, err, sizeof err) != FG_OK) {
        fprintf(stderr, "query: anchor: %s\n", err);
        fg_index_close(ix);
        return 1;
    }
    fg_rank_weights_t w;
    fg_rank_weights_default(&w);
    fg_search_params_t sp;
    fg_search_params_default(&sp);
    fg_query_opts_t qo = {0};
    double *lat = malloc((size_t)rounds * nq * sizeof *lat);
    size_t n = 0;
    int rc = lat ? 0 : 1;
    for (int round = -1; rc == 0 && round < rounds; round++) {
        for (size_t i = 0; rc == 0 && i < nq; i++) {
            fg_xquery_t *xq = NULL;
            fg_termset_t ts = {0};
            fg_mset_t *m = NULL;
            double t0 = search_now();
            if (fg_query_parse(a, &w, &qo, q[i].text, &xq, &ts, err, sizeof err) != FG_OK ||
                (xq && fg_index_search(ix, xq, &sp, &m) != FG_OK)) {
                fprintf(stderr, "query: anchor: '%s' failed\n", q[i].text);
                rc = 1;
            }
            fg_mset_free(m);
            fg_xquery_free(xq);
            fg_termset_free(&ts);
            double t = search_now() - t0;
            if (round >= 0)
                lat[n++] = t * 1000.0;
        }
    }
    if (rc == 0) {
        *p99 = print_latencies("anchor: Xapian matcher", lat, n);
        printf(")\n");
    }
    free(lat);
    fg_analyzer_free(a);
    fg_index_close(ix);
    return rc;
}

/* Which configurations to measure (--only): a string of letters
 * s (snippets on), n (snippets off), c (snippets on, collapse). */
static const char *configs = "sncx";

/* Opens index through the plugin and measures with snippets on and off. */
static int bench_index(const fg_plugin_api_t *api, const char *index, const char *name,
                       const query_t *q, size_t nq, int rounds) {
    fg_handle_t *h = NULL;
    char err[1024];
    if (api->open(index, &h, err, sizeof err) != FG_OK) {
        fprintf(stderr, "query: %s\n", err);
        return 1;
    }
    uint64_t docs = 0;
    api->doc_count(h, &docs);
    printf("%s index (%llu documents, %s):\n", name, (unsigned long long)docs, index);
    int rc = 0;
    double p99 = 0, off99 = 0, anchor99 = 0;
    if (strchr(configs, 's'))
        rc = measure(api, h, q, nq, rounds, 0, "snippets on", &p99);
    if (rc == 0 && strchr(configs, 'n'))
        rc = measure(api, h, q, nq, rounds, FG_SEARCH_NO_SNIPPETS, "snippets off", &off99);
    if (rc == 0 && strchr(configs, 'c'))
        rc = measure(api, h, q, nq, rounds, FG_SEARCH_COLLAPSE, "snippets on, collapse", &p99);
    api->close(h);
    if (rc == 0 && strchr(configs, 'x'))
        rc = measure_anchor(index, q, nq, rounds, &anchor99);
    if (rc == 0 && off99 > 0 && anchor99 > 0)
        printf("  p99 of the anchor / p99 of snippets off: %.2f\n", anchor99 / off99);
    return rc;
}

/* Builds an index of docs (copies times, each in a folder of its own below
 * work) with the fundgrube binary.  Returns 0 on success. */
static int build_index(const char *fundgrube, const char *docs, int copies, const char *work,
                       const char *index) {
    char tree[4096];
    snprintf(tree, sizeof tree, "%s/docs", work);
    if (mkdir(tree, 0700) != 0)
        return 1;
    for (int i = 1; i <= copies; i++) {
        char dst[4200];
        snprintf(dst, sizeof dst, "%s/copy-%02d", tree, i);
        char *const cp[] = {"cp", "-r", (char *)docs, dst, NULL};
        if (run(cp, false) != 0)
            return 1;
    }
    double t0 = now();
    char *const ix[] = {(char *)fundgrube, "index", "--quiet", "--index",
                        (char *)index,     tree,    NULL};
    int rc = run(ix, true);
    fprintf(stderr, "query: indexed %d cop%s in %.1f s\n", copies, copies == 1 ? "y" : "ies",
            now() - t0);
    return rc;
}

/* bench/query (see the top of the file). */
int main(int argc, char **argv) {
    static const struct option opts[] = {{"x20", no_argument, NULL, 'x'},
                                         {"rounds", required_argument, NULL, 'r'},
                                         {"index", required_argument, NULL, 'i'},
                                         {"index20", required_argument, NULL, 'I'},
                                         {"docs", required_argument, NULL, 'd'},
                                         {"queries", required_argument, NULL, 'q'},
                                         {"fundgrube", required_argument, NULL, 'f'},
                                         {"plugin", required_argument, NULL, 'p'},
                                         {"keep", no_argument, NULL, 'k'},
                                         {"only", required_argument, NULL, 'o'},
                                         {"cpu", no_argument, NULL, 'C'},
                                         {"slowest", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    const char *index1 = NULL, *index20 = NULL;
    const char *docs = FG_SHARED_DATA "/manpages-de/docs";
    const char *queries = FG_SHARED_DATA "/manpages-de/queries-dev.tsv";
    const char *fundgrube = FG_BINARY_DIR "/cli/fundgrube";
    const char *plugin = FG_BINARY_DIR "/plugin/libfundgrube.so";
    bool x20 = false, keep = false;
    int rounds = 3, c;
    while ((c = getopt_long(argc, argv, "xr:i:I:d:q:f:p:ko:Cs:", opts, NULL)) != -1) {
        switch (c) {
        case 'x': x20 = true; break;
        case 'r': rounds = atoi(optarg); break;
        case 'i': index1 = optarg; break;
        case 'I': index20 = optarg, x20 = true; break;
        case 'd': docs = optarg; break;
        case 'q': queries = optarg; break;
        case 'f': fundgrube = optarg; break;
        case 'p': plugin = optarg; break;
        case 'k': keep = true; break;
        case 'o': configs = optarg; break;
        case 'C': search_clock = CLOCK_THREAD_CPUTIME_ID; break;
        case 's': slowest = (size_t)strtoul(optarg, NULL, 10); break;
        default:
            fprintf(stderr, "usage: query [--x20] [--rounds N] [--index DIR] [--index20 DIR] "
                            "[--docs DIR] [--queries FILE] [--fundgrube PATH] [--plugin PATH] "
                            "[--keep] [--only snc] [--cpu] [--slowest N]\n");
            return 2;
        }
    }
    if (rounds < 1)
        rounds = 1;
    query_t *q = NULL;
    size_t nq = load_queries(queries, &q);
    if (nq == 0) {
        fprintf(stderr, "query: no queries in %s\n", queries);
        return 1;
    }
    char work[] = "/tmp/fg-bench-query-XXXXXX";
    if (!mkdtemp(work)) {
        perror("query: mkdtemp");
        return 1;
    }
    /* the plugin and the indexer read the configuration: use the defaults */
    setenv("HOME", work, 1);
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("XDG_DATA_HOME");
    unsetenv("FUNDGRUBE_CONFIG");

    int rc = 0;
    char ix1[4300], ix20[4300], w1[4200], w20[4200];
    snprintf(w1, sizeof w1, "%s/x1", work);
    snprintf(w20, sizeof w20, "%s/x20", work);
    snprintf(ix1, sizeof ix1, "%s/index", w1);
    snprintf(ix20, sizeof ix20, "%s/index", w20);
    if (!index1) {
        if (mkdir(w1, 0700) != 0 || build_index(fundgrube, docs, 1, w1, ix1) != 0) {
            fprintf(stderr, "query: building the x1 index failed\n");
            rc = 1;
        }
        index1 = ix1;
    }
    if (rc == 0 && x20 && !index20) {
        if (mkdir(w20, 0700) != 0 || build_index(fundgrube, docs, 20, w20, ix20) != 0) {
            fprintf(stderr, "query: building the x20 index failed\n");
            rc = 1;
        }
        index20 = ix20;
    }
    void *so = rc == 0 ? dlopen(plugin, RTLD_NOW | RTLD_LOCAL) : NULL;
    fg_plugin_entry_fn entry = so ? (fg_plugin_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME) : NULL;
    const fg_plugin_api_t *api = entry ? entry(FG_PLUGIN_ABI_MAJOR) : NULL;
    if (rc == 0 && !api) {
        fprintf(stderr, "query: cannot load %s: %s\n", plugin, so ? "no entry" : dlerror());
        rc = 1;
    }
    if (rc == 0) {
        printf("bench/query: %zu dev queries, %d timed round%s, 10 hits per query, %s\n", nq,
               rounds, rounds == 1 ? "" : "s",
               search_clock == CLOCK_MONOTONIC ? "wall-clock time" : "CPU time of the thread");
        print_load("before");
        rc = bench_index(api, index1, "x1", q, nq, rounds);
        if (rc == 0 && x20)
            rc = bench_index(api, index20, "x20", q, nq, rounds);
        print_load("after");
    }
    if (so)
        dlclose(so);
    if (keep) {
        fprintf(stderr, "query: kept %s\n", work);
    } else {
        char *const rm[] = {"rm", "-rf", work, NULL};
        run(rm, false);
    }
    for (size_t i = 0; i < nq; i++) {
        free(q[i].text);
        free(q[i].file);
    }
    free(q);
    return rc;
}
