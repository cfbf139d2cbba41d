/*
 * http.c - bench/http: the dev queries against `fundgrube serve`'s
 * /api/search with 1, 4 and 16 concurrent keep-alive clients, against the
 * same queries in-process through the plugin in the same run.
 *
 * Indexes the man-page corpus with `fundgrube index` into a temporary folder
 * (or uses --index DIR, e.g. the x20 index bench/query --keep leaves), starts
 * the real server on a free loopback port and, for each client count, runs
 * the clients for --seconds (each a thread with one keep-alive connection,
 * going through the queries from its own starting point), then prints
 * queries/s, p50/p99 of the request time and the server's RSS before and
 * after.  The anchor: the same queries through the plugin in this process,
 * one thread (the figure per core) and two threads with a handle each (what
 * both cores give; on a shared machine less than twice one), with the
 * server's options (HTML snippets, collapse, suggestions).  Figures, not a test (not in CI).
 * Goal (issue 15): at 16 clients >= 80% of the in-process throughput of
 * both cores (2 x the one-thread figure), p99 <= 15 ms, RSS flat.
 *
 *   http [--index DIR] [--seconds N] [--clients 1,4,16] [--threads N]
 *        [--queries FILE] [--docs DIR]
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fundgrube/fundgrube.h"

#define MAX_QUERIES 4096
#define MAX_CLIENTS 64

static char *queries[MAX_QUERIES];
static size_t n_queries;

/* Seconds of the monotonic clock. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads the queries (query<TAB>expected per line) of file. */
static int read_queries(const char *file) {
    FILE *f = fopen(file, "r");
    if (!f) {
        perror(file);
        return -1;
    }
    char line[4096];
    while (n_queries < MAX_QUERIES && fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (tab)
            *tab = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0])
            queries[n_queries++] = strdup(line);
    }
    fclose(f);
    return n_queries ? 0 : -1;
}

/* qsort() order of doubles. */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The p-th percentile (0..1) of the sorted v[0..n). */
static double percentile(const double *v, size_t n, double p) {
    if (!n)
        return 0;
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

/* ------------------------------------------------------------ the anchor */

/* One thread of in_process(): its own handle, its own latencies. */
typedef struct inproc {
    const fg_plugin_api_t *api;
    const char *index;
    double seconds;
    size_t first; /* the query it starts with */
    double *lat;
    size_t n, cap;
    bool ok;
} inproc_t;

/* Runs the queries through its own handle until the time is up. */
static void *inproc_thread(void *arg) {
    inproc_t *t = arg;
    fg_handle_t *h = NULL;
    char err[1024];
    if (t->api->open(t->index, &h, err, sizeof err) != FG_OK) {
        fprintf(stderr, "http: in-process: %s\n", err);
        return NULL;
    }
    fg_search_options_t so_ = {.struct_size = sizeof so_,
                               .limit = 10,
                               .hl_start = "<mark>",
                               .hl_end = "</mark>",
                               .flags = FG_SEARCH_HTML | FG_SEARCH_COLLAPSE | FG_SEARCH_SUGGEST};
    double end = now() + t->seconds;
    for (size_t i = t->first; now() < end && t->n < t->cap; i++) {
        fg_results_t *r = NULL;
        double t0 = now();
        if (t->api->search(h, queries[i % n_queries], &so_, &r) == FG_OK)
            t->api->results_free(r);
        t->lat[t->n++] = (now() - t0) * 1e3;
    }
    t->api->close(h);
    t->ok = true;
    return NULL;
}

/* The queries in-process through the plugin for seconds with nthreads
 * threads (each its own handle, as the server's workers); prints queries/s
 * and p50/p99.  Returns queries/s. */
static double in_process(const char *plugin, const char *index, double seconds, int nthreads) {
    void *so = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
    fg_plugin_entry_fn entry = so ? (fg_plugin_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME) : NULL;
    const fg_plugin_api_t *api = entry ? entry(FG_PLUGIN_ABI_MAJOR) : NULL;
    if (!api) {
        fprintf(stderr, "http: in-process: %s\n", dlerror());
        return 0;
    }
    inproc_t t[8];
    pthread_t tid[8];
    if (nthreads > 8)
        nthreads = 8;
    double start = now();
    for (int k = 0; k < nthreads; k++) {
        t[k] = (inproc_t){.api = api,
                          .index = index,
                          .seconds = seconds,
                          .first = (size_t)k * n_queries / (size_t)nthreads,
                          .cap = 1 << 20};
        t[k].lat = malloc(t[k].cap * sizeof *t[k].lat);
        pthread_create(&tid[k], NULL, inproc_thread, &t[k]);
    }
    size_t n = 0;
    for (int k = 0; k < nthreads; k++) {
        pthread_join(tid[k], NULL);
        n += t[k].n;
    }
    double took = now() - start;
    double *lat = malloc((n ? n : 1) * sizeof *lat);
    size_t at = 0;
    for (int k = 0; k < nthreads; k++) {
        memcpy(lat + at, t[k].lat, t[k].n * sizeof *lat);
        at += t[k].n;
        free(t[k].lat);
    }
    qsort(lat, n, sizeof *lat, cmp_double);
    double qps = (double)n / took;
    printf("in-process, %d thread%s     %8.0f q/s   p50 %6.2f ms   p99 %6.2f ms\n", nthreads,
           nthreads == 1 ? " " : "s", qps, percentile(lat, n, 0.5), percentile(lat, n, 0.99));
    free(lat);
    dlclose(so);
    return qps;
}

/* ------------------------------------------------------------ the clients */

/* One client thread. */
typedef struct client {
    unsigned port;
    size_t first; /* query to start from */
    double end;   /* stop time */
    double *lat;  /* ms per request */
    size_t n, cap, errors;
    pthread_t thread;
} client_t;

/* A keep-alive connection to the server; -1 on failure. */
static int connect_port(unsigned port) {
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    if (fd < 0)
        return -1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Percent-encodes s into out (size len). */
static void escape(const char *s, char *out, size_t len) {
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < len; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            out[o++] = (char)*p;
        else
            o += (size_t)snprintf(out + o, len - o, "%%%02X", *p);
    }
    out[o] = '\0';
}

/* Sends one search and reads its whole reply on fd; false when the
 * connection broke or the status is not 200. */
static bool one_request(int fd, unsigned port, const char *query, char *buf, size_t cap) {
    char q[8192], req[9000];
    escape(query, q, sizeof q);
    int n = snprintf(req, sizeof req, "GET /api/search?q=%s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n\r\n",
                     q, port);
    if (write(fd, req, (size_t)n) != n)
        return false;
    size_t len = 0;
    char *body = NULL;
    long clen = -1;
    for (;;) {
        ssize_t got = read(fd, buf + len, cap - len - 1);
        if (got <= 0)
            return false;
        len += (size_t)got;
        buf[len] = '\0';
        if (!body && (body = strstr(buf, "\r\n\r\n"))) {
            body += 4;
            char *cl = strcasestr(buf, "\r\nContent-Length:");
            clen = cl ? strtol(cl + 17, NULL, 10) : -1;
        }
        if (body && clen >= 0 && (size_t)(body - buf) + (size_t)clen <= len)
            break;
        if (len + 1 >= cap)
            return false;
    }
    return strncmp(buf, "HTTP/1.1 200", 12) == 0;
}

/* A client: requests on one keep-alive connection until its end time. */
static void *client_main(void *arg) {
    client_t *c = arg;
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    int fd = connect_port(c->port);
    for (size_t i = c->first; now() < c->end; i++) {
        if (fd < 0 && (fd = connect_port(c->port)) < 0)
            break;
        double t0 = now();
        bool ok = one_request(fd, c->port, queries[i % n_queries], buf, cap);
        if (!ok) {
            c->errors++;
            close(fd);
            fd = -1;
            continue;
        }
        if (c->n == c->cap) {
            c->cap = c->cap ? 2 * c->cap : 4096;
            c->lat = realloc(c->lat, c->cap * sizeof *c->lat);
        }
        c->lat[c->n++] = (now() - t0) * 1e3;
    }
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

/* The resident set of process pid in MB (/proc). */
static double rss_mb(pid_t pid) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    double kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtod(line + 6, NULL);
    if (f)
        fclose(f);
    return kb / 1024;
}

/* Runs n clients for seconds against the server; prints the figures and
 * returns queries/s. */
static double run_clients(unsigned port, pid_t server, int n, double seconds) {
    client_t *c = calloc((size_t)n, sizeof *c);
    double rss0 = rss_mb(server), start = now();
    for (int i = 0; i < n; i++) {
        c[i] = (client_t){
            .port = port, .first = (size_t)i * n_queries / (size_t)n, .end = start + seconds};
        pthread_create(&c[i].thread, NULL, client_main, &c[i]);
    }
    size_t total = 0, errors = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(c[i].thread, NULL);
        total += c[i].n;
        errors += c[i].errors;
    }
    double took = now() - start;
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        memcpy(all + k, c[i].lat, c[i].n * sizeof *all);
        k += c[i].n;
        free(c[i].lat);
    }
    qsort(all, total, sizeof *all, cmp_double);
    double qps = (double)total / took;
    printf("HTTP, %2d client%s         %8.0f q/s   p50 %6.2f ms   p99 %6.2f ms   "
           "RSS %.0f -> %.0f MB%s\n",
           n, n == 1 ? " " : "s", qps, percentile(all, total, 0.5), percentile(all, total, 0.99),
           rss0, rss_mb(server), errors ? "   (errors!)" : "");
    if (errors)
        printf("  %zu failed requests\n", errors);
    free(all);
    free(c);
    return qps;
}

/* ------------------------------------------------------------ main */

/* Runs argv and waits; returns its exit status. */
static int run(char *const *argv) {
    pid_t pid = fork();
    if (pid == 0) {
        execv(argv[0], argv);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

/* Starts `fundgrube serve` on a free port with threads workers; returns
 * its pid and *port. */
static pid_t start_server(const char *fundgrube, const char *index, const char *conf,
                          unsigned *port) {
    int p[2];
    if (pipe(p) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execl(fundgrube, fundgrube, "serve", "--config", conf, "--index", index, "--listen",
              "127.0.0.1:0", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    char line[512] = "";
    FILE *f = fdopen(p[0], "r");
    if (!f || !fgets(line, sizeof line, f) ||
        sscanf(line, "Fundgrube: http://127.0.0.1:%u/", port) != 1) {
        fprintf(stderr, "http: the server did not start: %s\n", line);
        kill(pid, SIGKILL);
        return -1;
    }
    fclose(f);
    return pid;
}

/* Parses the options, builds or takes the index, measures the anchor, then
 * each client count against the server (see the file comment). */
int main(int argc, char **argv) {
    const char *index = NULL, *clients = "1,4,16";
    const char *qfile = FG_SHARED_DATA "/manpages-de/queries-dev.tsv";
    const char *docs = FG_SHARED_DATA "/manpages-de/docs";
    double seconds = 10;
    int threads = 4;
    static const struct option opts[] = {{"index", required_argument, NULL, 'i'},
                                         {"seconds", required_argument, NULL, 's'},
                                         {"clients", required_argument, NULL, 'c'},
                                         {"threads", required_argument, NULL, 't'},
                                         {"queries", required_argument, NULL, 'q'},
                                         {"docs", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case 'i': index = optarg; break;
        case 's': seconds = atof(optarg); break;
        case 'c': clients = optarg; break;
        case 't': threads = atoi(optarg); break;
        case 'q': qfile = optarg; break;
        case 'd': docs = optarg; break;
        default:
            fprintf(stderr, "usage: http [--index DIR] [--seconds N] [--clients 1,4,16] "
                            "[--threads N] [--queries FILE] [--docs DIR]\n");
            return 2;
        }
    }
    if (read_queries(qfile) != 0)
        return 1;
    char work[] = "/tmp/fgbench-http.XXXXXX", conf[600], ixbuf[600];
    if (!mkdtemp(work))
        return 1;
    const char *fundgrube = FG_BINARY_DIR "/cli/fundgrube";
    if (!index) {
        snprintf(ixbuf, sizeof ixbuf, "%s/index", work);
        index = ixbuf;
        printf("indexing %s ...\n", docs);
        fflush(stdout);
        char *const argv_ix[] = {(char *)fundgrube, "index", "--index", ixbuf, (char *)docs, NULL};
        if (run(argv_ix) != 0)
            return 1;
    }
    snprintf(conf, sizeof conf, "%s/fg.conf", work);
    FILE *cf = fopen(conf, "w");
    fprintf(cf, "[web]\nthreads = %d\nmax_connections = 256\n", threads);
    fclose(cf);
    double loads[3] = {0};
    getloadavg(loads, 3);
    printf("bench/http: %zu queries, %.0f s per run, server with %d threads, load %.2f\n",
           n_queries, seconds, threads, loads[0]);
    double anchor = in_process(FG_BINARY_DIR "/plugin/libfundgrube.so", index, seconds, 1);
    double anchor2 = in_process(FG_BINARY_DIR "/plugin/libfundgrube.so", index, seconds, 2);
    unsigned port = 0;
    pid_t server = start_server(fundgrube, index, conf, &port);
    if (server < 0)
        return 1;
    double last = 0;
    for (const char *p = clients; *p;) {
        int n = atoi(p);
        if (n > 0 && n <= MAX_CLIENTS)
            last = run_clients(port, server, n, seconds);
        p = strchr(p, ',') ? strchr(p, ',') + 1 : "";
    }
    printf("last run / in-process of both cores (2 x 1 thread): %.0f%% (goal >= 80%%)\n",
           anchor > 0 ? 100 * last / (2 * anchor) : 0);
    printf("last run / in-process of both cores (2 threads measured): %.0f%% (goal >= 80%%)\n",
           anchor2 > 0 ? 100 * last / anchor2 : 0);
    getloadavg(loads, 3);
    printf("load after: %.2f\n", loads[0]);
    kill(server, SIGTERM);
    int st = 0;
    waitpid(server, &st, 0);
    char *const rm[] = {"/bin/rm", "-rf", work, NULL};
    run(rm);
    for (size_t i = 0; i < n_queries; i++)
        free(queries[i]);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
