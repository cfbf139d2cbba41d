/*
 * latency.c - bench/latency: save -> searchable latency of fundgrubed.
 *
 * Copies the man-page corpus into a temporary watched folder, starts the
 * daemon on it (the start-up reconciliation indexes it), then saves files one
 * at a time, each with a unique word, and polls a search for that word
 * through the plugin (libfundgrube.so, as any host would) until it is found.
 * Scenarios (--scenario, default all):
 *   idle     nothing else going on; three ways of dropping, in turn: renamed
 *            in from outside, renamed from a hidden temporary name, written in
 *            place; each file waited for before the next
 *   burst    a copy of the corpus x5 (5 renamed copies, cp -r, in a child
 *            process) into new subfolders begins; during it N files are saved
 *            into the existing folder neu/ (half in place, half renamed in), one
 *            every --gap ms, each polled until found; also the time until the
 *            whole burst is searchable, with and without the single saves
 *   rebuild  an [analysis] setting (min_part) is changed in the daemon's
 *            configuration file and SIGHUP sent: the daemon rebuilds in the
 *            background; during the rebuild N saves, one delete and one rename;
 *            after it, every saved file is looked for again (OK/LOST)
 *   slow     while a 60 MB text file (and then a PDF with one content stream
 *            that inflates to 200 MB) is being indexed, N saves
 * The clock starts just before the rename (or the open) and stops when the
 * search sees the change.  Prints p50/p95/p99/max per scenario, the median
 * over --repeat runs, against the goal p99 <= 250 ms.  Figures, not a test.
 *
 *   latency [--scenario idle|burst|rebuild|slow|all] [--files N] [--repeat R]
 *           [--gap MS] [--docs DIR] [--daemon PATH] [--plugin PATH] [--keep]
 */
#include <dirent.h>
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
#include <zlib.h>

#include "fundgrube/fundgrube.h"

#define GOAL_P99_MS 250.0
#define WAIT_S 120.0 /* longest a change is polled for */
#define MAX_ROWS 16

static const fg_plugin_api_t *api;
static const char *docs_dir, *daemon_path;
static unsigned n_files = 0, n_repeat = 1, gap_ms = 200;
static unsigned word_counter; /* unique words across all runs */

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

/* Writes len bytes to path with open/write/close; false on failure. */
static bool write_bytes(const char *path, const char *data, size_t len) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    return close(fd) == 0 && done == len;
}

/* Writes text to path; false on failure. */
static bool write_file(const char *path, const char *text) {
    return write_bytes(path, text, strlen(text));
}

/* A letters-only unique word for i.  It ends in "q", which no stemming
 * strips: "zqlatenza" and "zqlatenze" share the stem zqlatenz, so without it
 * a search for one word also finds another file. */
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
    buf[b + n] = 'q';
    buf[b + n + 1] = '\0';
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

/* The median of n values (sorted in place). */
static double median(double *v, size_t n) {
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Figures of one run (milliseconds). */
typedef struct {
    size_t n, lost;
    double p50, p95, p99, max;
} stats_t;

/* The figures of n latencies (seconds; sorted in place); lost were never seen. */
static stats_t stats_of(double *v, size_t n, size_t lost) {
    stats_t s = {.n = n, .lost = lost};
    if (n) {
        qsort(v, n, sizeof *v, cmp_double);
        s.p50 = percentile(v, n, 50) * 1e3;
        s.p95 = percentile(v, n, 95) * 1e3;
        s.p99 = percentile(v, n, 99) * 1e3;
        s.max = v[n - 1] * 1e3;
    }
    return s;
}

/* Prints one run's figures. */
static void print_stats(const char *what, stats_t s) {
    printf("  %-16s n=%-4zu p50 %8.1f ms  p95 %8.1f ms  p99 %8.1f ms  max %8.1f ms%s\n", what, s.n,
           s.p50, s.p95, s.p99, s.max, s.lost ? "  (some never seen)" : "");
}

/* The summary table: one row per scenario, medians over the runs. */
typedef struct {
    char name[32];
    stats_t runs[64];
    size_t nruns;
    char note[160];
} row_t;
static row_t rows[MAX_ROWS];
static size_t nrows;

/* The row called name (made if new). */
static row_t *row(const char *name) {
    for (size_t i = 0; i < nrows; i++)
        if (strcmp(rows[i].name, name) == 0)
            return &rows[i];
    if (nrows == MAX_ROWS)
        return NULL;
    row_t *r = &rows[nrows++];
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    return r;
}

/* Adds a run's figures to the row called name. */
static void add_run(const char *name, stats_t s) {
    row_t *r = row(name);
    if (r && r->nruns < 64)
        r->runs[r->nruns++] = s;
}

/* Prints the table. */
static void print_table(void) {
    printf("\nsave -> searchable through the plugin, median over runs (goal p99 <= %.0f ms)\n",
           GOAL_P99_MS);
    printf("%-18s %5s %6s %9s %9s %9s %9s %6s  %s\n", "scenario", "runs", "count", "p50 ms",
           "p95 ms", "p99 ms", "max ms", "lost", "goal p99<=250");
    for (size_t i = 0; i < nrows; i++) {
        row_t *r = &rows[i];
        double v[5][64];
        for (size_t k = 0; k < r->nruns; k++) {
            v[0][k] = (double)r->runs[k].n;
            v[1][k] = r->runs[k].p50;
            v[2][k] = r->runs[k].p95;
            v[3][k] = r->runs[k].p99;
            v[4][k] = r->runs[k].max;
        }
        size_t lost = 0;
        for (size_t k = 0; k < r->nruns; k++)
            lost += r->runs[k].lost;
        double p99 = median(v[3], r->nruns);
        printf("%-18s %5zu %6.0f %9.1f %9.1f %9.1f %9.1f %6zu  %s\n", r->name, r->nruns,
               median(v[0], r->nruns), median(v[1], r->nruns), median(v[2], r->nruns), p99,
               median(v[4], r->nruns), lost, p99 <= GOAL_P99_MS && !lost ? "MET" : "NOT MET");
    }
    for (size_t i = 0; i < nrows; i++)
        if (rows[i].note[0])
            printf("%s: %s\n", rows[i].name, rows[i].note);
}

/* ------------------------------------------------------------ the daemon */

/* One temporary home with a watched folder, an index and a daemon. */
typedef struct {
    char home[64], watch[256], index[256], outside[256], logp[256], status[300], drop[300];
    char conf[300];
    pid_t pid;
    fg_handle_t *h;
    uint64_t corpus_docs; /* documents after start-up */
} bench_t;

/* Whether the daemon's status file holds both strings (b may be NULL). */
static bool status_has(const bench_t *bb, const char *a, const char *b) {
    static char buf[1 << 20];
    char pidpat[64];
    snprintf(pidpat, sizeof pidpat, "\"pid\": %ld,", (long)bb->pid);
    return slurp(bb->status, buf, sizeof buf) && strstr(buf, pidpat) && strstr(buf, a) &&
           (!b || strstr(buf, b));
}

/* Whether the daemon still runs; says so once when it is gone (another
 * program on the machine may end it: the figures after that are void). */
static bool daemon_alive(bench_t *b) {
    if (b->pid <= 0)
        return false;
    int st;
    if (waitpid(b->pid, &st, WNOHANG) == b->pid) {
        fprintf(stderr, "latency: the daemon (pid %ld) ended during the run (%s %d); see %s\n",
                (long)b->pid, WIFSIGNALED(st) ? "signal" : "exit",
                WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st), b->logp);
        b->pid = 0;
        return false;
    }
    return true;
}

static bench_t *live; /* the daemon of the scenario running */

/* Number of documents as the plugin sees them. */
static uint64_t doc_count(const bench_t *b) {
    uint64_t n = 0;
    api->doc_count(b->h, &n);
    return n;
}

/* Makes the folders, copies the corpus (unless !corpus), writes conf_text
 * (if not NULL) to the configuration file, starts the daemon and waits for
 * it to watch; opens the plugin on the index.  False on failure. */
static bool bench_start(bench_t *b, bool corpus, const char *conf_text) {
    memset(b, 0, sizeof *b);
    snprintf(b->home, sizeof b->home, "/tmp/fglatency.XXXXXX");
    if (!mkdtemp(b->home)) {
        perror("latency: mkdtemp");
        return false;
    }
    snprintf(b->watch, sizeof b->watch, "%s/watch", b->home);
    snprintf(b->index, sizeof b->index, "%s/index", b->home);
    snprintf(b->outside, sizeof b->outside, "%s/outside", b->home);
    snprintf(b->logp, sizeof b->logp, "%s/daemon.log", b->home);
    snprintf(b->status, sizeof b->status, "%s/fundgrubed.status", b->index);
    snprintf(b->drop, sizeof b->drop, "%s/neu", b->watch);
    snprintf(b->conf, sizeof b->conf, "%s/fundgrube.conf", b->home);
    mkdir(b->watch, 0755);
    mkdir(b->outside, 0755);
    mkdir(b->drop, 0755);
    if (corpus) {
        char dst[300];
        snprintf(dst, sizeof dst, "%s/manpages", b->watch);
        char *cp[] = {"cp", "-r", (char *)docs_dir, dst, NULL};
        if (run(cp) != 0) {
            fprintf(stderr, "latency: copying %s failed\n", docs_dir);
            return false;
        }
    }
    if (conf_text && !write_file(b->conf, conf_text))
        return false;
    double t_start = now();
    b->pid = fork();
    if (b->pid == 0) {
        int fd = open(b->logp, O_WRONLY | O_CREAT | O_APPEND, 0644);
        dup2(fd, 1);
        dup2(fd, 2);
        setenv("HOME", b->home, 1);
        unsetenv("XDG_DATA_HOME");
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("FUNDGRUBE_CONFIG");
        if (conf_text)
            execl(daemon_path, daemon_path, "--config", b->conf, "--watch", b->watch, "--index",
                  b->index, (char *)NULL);
        else
            execl(daemon_path, daemon_path, "--watch", b->watch, "--index", b->index, (char *)NULL);
        _exit(127);
    }
    while (!status_has(b, "\"state\": \"watching\"", NULL)) {
        if (waitpid(b->pid, NULL, WNOHANG) == b->pid || now() - t_start > 600) {
            fprintf(stderr, "latency: the daemon did not come up; see %s\n", b->logp);
            return false;
        }
        usleep(10000);
    }
    double t_ready = now();
    char err[1024];
    if (api->open(b->index, &b->h, err, sizeof err) != FG_OK) {
        fprintf(stderr, "latency: %s\n", err);
        return false;
    }
    b->corpus_docs = doc_count(b);
    printf("daemon up in %s: %llu documents, indexed at start-up in %.1f s\n", b->home,
           (unsigned long long)b->corpus_docs, t_ready - t_start);
    return true;
}

/* Stops the daemon, closes the plugin, removes the folders (unless keep). */
static void bench_stop(bench_t *b, bool keep) {
    if (b->h)
        api->close(b->h);
    b->h = NULL;
    if (b->pid > 0) {
        kill(b->pid, SIGTERM);
        waitpid(b->pid, NULL, 0);
    }
    b->pid = 0;
    if (!keep) {
        char *rm[] = {"rm", "-rf", b->home, NULL};
        run(rm);
    } else {
        printf("kept %s\n", b->home);
    }
}

/* Whether a search for word finds a hit whose path contains in (NULL:
 * "-WORD.", the name of the file saved with it). */
static bool found(fg_handle_t *h, const char *word, const char *in) {
    char own[64];
    if (!in) {
        snprintf(own, sizeof own, "-%s.", word);
        in = own;
    }
    fg_search_options_t o = {.struct_size = sizeof o, .limit = 20, .flags = FG_SEARCH_NO_SNIPPETS};
    fg_results_t *r = NULL;
    bool yes = false;
    if (api->search(h, word, &o, &r) == FG_OK && r) {
        for (size_t i = 0; i < r->count && !yes; i++) {
            const fg_hit_t *hit = (const fg_hit_t *)((const char *)r->hits + i * r->hit_size);
            yes = hit->path && strstr(hit->path, in);
        }
    }
    api->results_free(r);
    return yes;
}

/* The text of a note with a unique word. */
static void note_text(char *text, size_t len, unsigned i, const char *word) {
    snprintf(text, len,
             "Notiz %u\n\nDiese Datei wurde für die Latenzmessung abgelegt. Das eindeutige "
             "Wort ist %s, damit die Suche genau diese Datei findet.\n",
             i, word);
}

/* ------------------------------------------------- changes polled at once */

/* Changes under way: each is done at t_done and is seen when a search for
 * word finds it (with path containing in), or, for a delete, no longer does. */
typedef struct {
    char word[32], in[64];
    bool gone; /* a delete: seen when not found */
    double t_done, lat;
} change_t;

typedef struct {
    change_t *c;
    size_t n, cap;
} changes_t;

/* A new change (zeroed, lat -1). */
static change_t *change_new(changes_t *m) {
    if (m->n == m->cap) {
        m->cap = m->cap ? 2 * m->cap : 64;
        m->c = realloc(m->c, m->cap * sizeof *m->c);
        if (!m->c) {
            perror("latency");
            exit(1);
        }
    }
    change_t *c = &m->c[m->n++];
    memset(c, 0, sizeof *c);
    c->lat = -1;
    return c;
}

/* Polls every change not yet seen once; returns how many are still pending. */
static size_t poll_changes(fg_handle_t *h, changes_t *m) {
    size_t pending = 0;
    bool dead = live && !daemon_alive(live);
    for (size_t i = 0; i < m->n; i++) {
        change_t *c = &m->c[i];
        if (c->lat >= 0)
            continue;
        bool f = found(h, c->word, c->in[0] ? c->in : NULL);
        if (f != c->gone)
            c->lat = now() - c->t_done;
        else if (dead || now() - c->t_done > WAIT_S)
            c->lat = -2; /* given up */
        else
            pending++;
    }
    return pending;
}

/* Polls until every change is seen or given up. */
static void poll_all(fg_handle_t *h, changes_t *m) {
    while (poll_changes(h, m) > 0)
        usleep(1000);
}

/* Polls for the next s seconds. */
static void poll_for(fg_handle_t *h, changes_t *m, double s) {
    double end = now() + s;
    while (now() < end) {
        poll_changes(h, m);
        usleep(1000);
    }
}

/* Saves note number i into dir: odd i renamed in from a hidden temporary
 * name, even i written in place.  Records it in m.  False on failure. */
static bool save_note(changes_t *m, const char *dir, unsigned i) {
    change_t *c = change_new(m);
    word_for(word_counter++, c->word);
    char text[512], final[512], tmp[512];
    note_text(text, sizeof text, i, c->word);
    snprintf(final, sizeof final, "%s/notiz-%s.txt", dir, c->word);
    if (i % 2) {
        snprintf(tmp, sizeof tmp, "%s/.notiz-%s.txt.tmp", dir, c->word);
        if (!write_file(tmp, text))
            return false;
        c->t_done = now();
        if (rename(tmp, final) != 0) {
            perror("latency: rename");
            return false;
        }
    } else {
        c->t_done = now();
        if (!write_file(final, text))
            return false;
    }
    return true;
}

/* Figures of the changes from..m->n (deletes and renames included). */
static stats_t stats_changes(const changes_t *m, size_t from) {
    double *v = calloc(m->n + 1, sizeof *v);
    size_t n = 0, lost = 0;
    for (size_t i = from; i < m->n; i++) {
        if (m->c[i].t_done > 1e299)
            continue; /* never done */
        if (m->c[i].lat >= 0)
            v[n++] = m->c[i].lat;
        else
            lost++;
    }
    stats_t s = stats_of(v, n, lost);
    free(v);
    return s;
}

/* Saves n notes into b->drop, one every gap_ms, polling in between, while
 * keep_on(b) (NULL: always); returns how many were saved. */
static unsigned save_series(bench_t *b, changes_t *m, unsigned n, bool (*keep_on)(bench_t *)) {
    unsigned done = 0;
    for (unsigned i = 0; i < n; i++) {
        if (keep_on && !keep_on(b))
            break;
        if (!save_note(m, b->drop, i))
            break;
        done++;
        poll_for(b->h, m, gap_ms / 1e3);
    }
    return done;
}

/* ------------------------------------------------------------ idle */

/* Each file waited for before the next, three ways of dropping in turn. */
static void scenario_idle(bench_t *b, unsigned files) {
    double *all = calloc(files, sizeof *all);
    double *by[3] = {calloc(files, sizeof(double)), calloc(files, sizeof(double)),
                     calloc(files, sizeof(double))};
    size_t nby[3] = {0, 0, 0}, nall = 0;
    static const char *const ways[3] = {"idle outside", "idle hidden", "idle in place"};
    unsigned timeouts = 0;
    for (unsigned i = 0; i < files; i++) {
        char word[32], text[512], final[512], tmp[512];
        word_for(word_counter++, word);
        note_text(text, sizeof text, i, word);
        snprintf(final, sizeof final, "%s/notiz-%s.txt", b->drop, word);
        int way = (int)(i % 3);
        double t0;
        if (way == 0 || way == 1) {
            if (way == 0)
                snprintf(tmp, sizeof tmp, "%s/notiz-%s.part", b->outside, word);
            else
                snprintf(tmp, sizeof tmp, "%s/.notiz-%s.txt.tmp", b->drop, word);
            if (!write_file(tmp, text))
                break;
            usleep(5000); /* the temporary file's own events pass first */
            t0 = now();
            if (rename(tmp, final) != 0) {
                perror("latency: rename");
                break;
            }
        } else {
            t0 = now();
            if (!write_file(final, text))
                break;
        }
        double lat = -1;
        while (now() - t0 < 10) {
            if (found(b->h, word, NULL)) {
                lat = now() - t0;
                break;
            }
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
    stats_t s = stats_of(all, nall, timeouts);
    print_stats("idle", s);
    add_run("idle", s);
    for (int w = 0; w < 3; w++)
        print_stats(ways[w], stats_of(by[w], nby[w], 0));
    free(all);
    for (int w = 0; w < 3; w++)
        free(by[w]);
}

/* ------------------------------------------------------------ burst */

/* Forks a child that copies the corpus 5 times into new subfolders of the
 * watched folder named TAG-1 .. TAG-5; returns its pid. */
static pid_t start_copy(const bench_t *b, const char *tag) {
    pid_t pid = fork();
    if (pid == 0) {
        for (int k = 1; k <= 5; k++) {
            char dst[400];
            snprintf(dst, sizeof dst, "%s/%s-%d", b->watch, tag, k);
            char *cp[] = {"cp", "-r", (char *)docs_dir, dst, NULL};
            if (run(cp) != 0)
                _exit(1);
        }
        _exit(0);
    }
    return pid;
}

/* Waits until the plugin sees want documents (or timeout s); returns the time. */
static double wait_docs(bench_t *b, uint64_t want, double timeout, changes_t *m) {
    double t0 = now();
    while (doc_count(b) != want && now() - t0 < timeout && daemon_alive(b)) {
        if (m)
            poll_changes(b->h, m);
        usleep(2000);
    }
    return now();
}

/* One burst of 5 copies (with n single saves during it if n > 0); returns
 * the seconds from its start until all its files (and the saves) are in the
 * index; the copies are removed again afterwards. */
static double burst_once(bench_t *b, unsigned run_no, unsigned n, changes_t *m, unsigned *saved) {
    char tag[32];
    snprintf(tag, sizeof tag, "kopie%u%s", run_no, n ? "s" : "");
    uint64_t before = doc_count(b);
    double t0 = now();
    pid_t cp = start_copy(b, tag);
    unsigned done = n ? save_series(b, m, n, NULL) : 0;
    int st = 0;
    waitpid(cp, &st, 0);
    double t_copy = now() - t0;
    double t_end = wait_docs(b, before + 5 * b->corpus_docs + done, 600, m);
    if (m)
        poll_all(b->h, m);
    if (saved)
        *saved = done;
    uint64_t got = doc_count(b);
    printf("  burst %-8s copy %.1f s, all %llu files searchable after %.1f s%s\n", tag, t_copy,
           (unsigned long long)(got - before - done), t_end - t0,
           got == before + 5 * b->corpus_docs + done ? "" : " (count not reached)");
    /* remove the copies and wait for the index to follow */
    for (int k = 1; k <= 5; k++) {
        char dst[400];
        snprintf(dst, sizeof dst, "%s/%s-%d", b->watch, tag, k);
        char *rm[] = {"rm", "-rf", dst, NULL};
        run(rm);
    }
    wait_docs(b, before + done, 300, NULL);
    sleep(1);
    return t_end - t0;
}

static void scenario_burst(bench_t *b, unsigned files) {
    double alone[64], with[64];
    unsigned r;
    for (r = 0; r < n_repeat && r < 64; r++) {
        /* alternate the order: neither always meets a warmer cache */
        changes_t m = {0};
        unsigned saved = 0;
        if (r % 2 == 0)
            alone[r] = burst_once(b, r, 0, NULL, NULL);
        with[r] = burst_once(b, r, files, &m, &saved);
        if (r % 2 == 1)
            alone[r] = burst_once(b, r, 0, NULL, NULL);
        stats_t s = stats_changes(&m, 0);
        print_stats("burst saves", s);
        add_run("burst", s);
        free(m.c);
    }
    double ma = median(alone, r), mw = median(with, r);
    row_t *rw = row("burst");
    if (rw)
        snprintf(rw->note, sizeof rw->note,
                 "burst of 5 x %llu files alone %.1f s, with the saves %.1f s: ratio %.2f "
                 "(goal <= 1.10: %s)",
                 (unsigned long long)b->corpus_docs, ma, mw, ma > 0 ? mw / ma : 0,
                 ma > 0 && mw / ma <= 1.10 ? "MET" : "NOT MET");
}

/* ------------------------------------------------------------ rebuild */

static bool rebuilding(bench_t *b) {
    return status_has(b, "\"rebuild\": true", NULL);
}

static const char *conf_min_part(unsigned k) {
    return k == 3 ? "[analysis]\nmin_part = 3\n" : "[analysis]\nmin_part = 4\n";
}

static void scenario_rebuild(bench_t *b, unsigned files) {
    for (unsigned r = 0; r < n_repeat; r++) {
        changes_t m = {0};
        /* two notes searchable before: one is deleted, one renamed during */
        change_t *del, *ren;
        char del_path[512], ren_path[512], ren_to[512];
        save_note(&m, b->drop, 0);
        save_note(&m, b->drop, 2);
        poll_all(b->h, &m);
        m.n = 0;
        del = change_new(&m);
        ren = change_new(&m);
        word_for(word_counter - 2, del->word);
        word_for(word_counter - 1, ren->word);
        snprintf(del_path, sizeof del_path, "%s/notiz-%s.txt", b->drop, del->word);
        snprintf(ren_path, sizeof ren_path, "%s/notiz-%s.txt", b->drop, ren->word);
        snprintf(ren->in, sizeof ren->in, "umbenannt-%s", ren->word);
        snprintf(ren_to, sizeof ren_to, "%s/%s.txt", b->drop, ren->in);
        del->gone = true;
        del->t_done = ren->t_done = 1e300; /* not yet: not polled */
        del->lat = ren->lat = 0;

        /* change the analysis settings, SIGHUP, wait for the rebuild */
        if (!write_file(b->conf, conf_min_part(r % 2 ? 3 : 4)))
            return;
        double t_hup = now();
        kill(b->pid, SIGHUP);
        while (!rebuilding(b) && now() - t_hup < 30)
            usleep(2000);
        double t_rb = now();
        if (!rebuilding(b)) {
            fprintf(stderr, "latency: no rebuild seen after SIGHUP; see %s\n", b->logp);
            free(m.c);
            return;
        }
        /* saves, one delete, one rename, while it runs */
        unsigned done = 0;
        for (unsigned i = 0; i < files && rebuilding(b); i++) {
            if (i == files / 3) {
                del->lat = -1;
                del->t_done = now();
                unlink(del_path);
            } else if (i == 2 * files / 3) {
                ren->lat = -1;
                ren->t_done = now();
                if (rename(ren_path, ren_to) != 0)
                    perror("latency: rename");
            }
            if (!save_note(&m, b->drop, i))
                break;
            done++;
            poll_for(b->h, &m, gap_ms / 1e3);
        }
        while (rebuilding(b) && now() - t_rb < 600) {
            poll_changes(b->h, &m);
            usleep(2000);
        }
        double t_rb_end = now();
        while (!status_has(b, "\"state\": \"watching\"", NULL) && now() - t_rb_end < 60)
            usleep(2000);
        /* the handle open since before the rebuild: what does it see now? */
        poll_changes(b->h, &m);
        unsigned ok_old = 0, n_done = 0;
        for (size_t i = 0; i < m.n; i++) {
            change_t *c = &m.c[i];
            if (c->t_done > 1e299)
                continue;
            n_done++;
            if (found(b->h, c->word, c->in[0] ? c->in : NULL) != c->gone)
                ok_old++;
        }
        uint64_t old_docs = doc_count(b);
        /* a host that reopens after the swap */
        char err[1024];
        api->close(b->h);
        b->h = NULL;
        if (api->open(b->index, &b->h, err, sizeof err) != FG_OK) {
            fprintf(stderr, "latency: %s\n", err);
            free(m.c);
            return;
        }
        poll_all(b->h, &m);
        stats_t s = stats_changes(&m, 0);
        printf("  rebuild %u: started %.0f ms after SIGHUP, ran %.1f s; %u saves during it%s%s\n",
               r, (t_rb - t_hup) * 1e3, t_rb_end - t_rb, done,
               del->t_done < 1e299 ? ", a delete" : "", ren->t_done < 1e299 ? ", a rename" : "");
        printf("  the handle open since before the rebuild sees %llu documents after the swap "
               "and %u of the %u changes; the one opened after it %llu documents\n",
               (unsigned long long)old_docs, ok_old, n_done, (unsigned long long)doc_count(b));
        print_stats("rebuild changes", s);
        if (del->t_done < 1e299)
            printf("  %-16s %.1f ms\n", "  delete", del->lat * 1e3);
        if (ren->t_done < 1e299)
            printf("  %-16s %.1f ms\n", "  rename", ren->lat * 1e3);
        add_run("rebuild", s);

        /* after the swap: every change still there, through a new handle */
        fg_handle_t *h2 = NULL;
        unsigned ok = 0, lost = 0;
        if (api->open(b->index, &h2, err, sizeof err) == FG_OK) {
            for (size_t i = 0; i < m.n; i++) {
                change_t *c = &m.c[i];
                if (c->t_done > 1e299)
                    continue;
                if (found(h2, c->word, c->in[0] ? c->in : NULL) != c->gone)
                    ok++;
                else
                    lost++;
            }
            api->close(h2);
        } else {
            fprintf(stderr, "latency: %s\n", err);
        }
        printf("  after the rebuild: %u OK, %u LOST (a new handle)\n", ok, lost);
        row_t *rw = row("rebuild");
        if (rw) {
            size_t len = strlen(rw->note);
            snprintf(rw->note + len, sizeof rw->note - len, "%srun %u: %u OK, %u LOST",
                     len ? "; " : "after the rebuild: ", r, ok, lost);
        }
        free(m.c);
    }
}

/* ------------------------------------------------------------ slow */

/* Writes a PDF whose one content stream inflates to `inflated` bytes of
 * save/restore operators (as tests/extract's 200 MB test does).  False on
 * failure. */
static bool write_inflating_pdf(const char *path, size_t inflated) {
    static const char ops[] = "q Q\n";
    size_t chunk = 1u << 20;
    char *in = malloc(chunk);
    size_t cap = inflated / 100 + (1u << 16), clen = 0;
    unsigned char *out = malloc(cap);
    if (!in || !out)
        return false;
    for (size_t i = 0; i < chunk; i++)
        in[i] = ops[i % 4];
    z_stream z = {0};
    if (deflateInit(&z, 9) != Z_OK)
        return false;
    for (size_t done = 0; done < inflated; done += chunk) {
        z.next_in = (Bytef *)in;
        z.avail_in = (uInt)chunk;
        int flush = done + chunk >= inflated ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = out + clen;
            z.avail_out = (uInt)(cap - clen);
            deflate(&z, flush);
            clen = cap - z.avail_out;
        } while ((z.avail_in > 0 || (flush == Z_FINISH && z.avail_out == 0)) && clen < cap);
    }
    deflateEnd(&z);
    FILE *f = fopen(path, "wb");
    if (!f)
        return false;
    long off[5];
    fputs("%PDF-1.4\n", f);
    off[1] = ftell(f);
    fputs("1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n", f);
    off[2] = ftell(f);
    fputs("2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n", f);
    off[3] = ftell(f);
    fputs("3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >> "
          "endobj\n",
          f);
    off[4] = ftell(f);
    fprintf(f, "4 0 obj << /Length %zu /Filter /FlateDecode >> stream\n", clen);
    fwrite(out, 1, clen, f);
    fputs("\nendstream endobj\n", f);
    long xref = ftell(f);
    fputs("xref\n0 5\n0000000000 65535 f \n", f);
    for (int i = 1; i <= 4; i++)
        fprintf(f, "%010ld 00000 n \n", off[i]);
    fprintf(f, "trailer << /Size 5 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
    free(in);
    free(out);
    return fclose(f) == 0;
}

/* Writes a text file of about size bytes: the man pages over and over, with
 * the unique word in its first and last line.  False on failure. */
static bool write_big_text(const char *path, size_t size, const char *word) {
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "Große Datei %s\n\n", word);
    size_t written = 0;
    char buf[65536];
    while (written < size) {
        DIR *d = opendir(docs_dir);
        if (!d)
            break;
        struct dirent *e;
        size_t before = written;
        while (written < size && (e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            char p[1024];
            snprintf(p, sizeof p, "%s/%s", docs_dir, e->d_name);
            FILE *in = fopen(p, "r");
            if (!in)
                continue;
            size_t n;
            while (written < size && (n = fread(buf, 1, sizeof buf, in)) > 0) {
                fwrite(buf, 1, n, f);
                written += n;
            }
            fclose(in);
        }
        closedir(d);
        if (written == before)
            break;
    }
    fprintf(f, "\nEnde der großen Datei %s\n", word);
    return fclose(f) == 0;
}

/* Prints the lines of the daemon's log that contain what (at most 5). */
static void print_log_lines(const bench_t *b, const char *what) {
    FILE *f = fopen(b->logp, "r");
    if (!f)
        return;
    char line[2048];
    int n = 0;
    while (n < 5 && fgets(line, sizeof line, f))
        if (strstr(line, what)) {
            printf("    log: %s", line);
            n++;
        }
    fclose(f);
}

/* One slow file: written outside, renamed in, then n saves during its
 * indexing.  pdf: the inflating PDF (not searchable: its time is not known). */
static void slow_once(bench_t *b, bool pdf, unsigned files, unsigned r) {
    char tmp[512], final[512];
    changes_t m = {0};
    change_t big = {.lat = -1};
    word_for(word_counter++, big.word);
    snprintf(tmp, sizeof tmp, "%s/gross-%s.%s", b->outside, big.word, pdf ? "pdf" : "txt");
    snprintf(final, sizeof final, "%s/gross-%u.%s", b->watch, r, pdf ? "pdf" : "txt");
    bool ok = pdf ? write_inflating_pdf(tmp, 200u << 20) : write_big_text(tmp, 60u << 20, big.word);
    if (!ok) {
        fprintf(stderr, "latency: cannot write %s\n", tmp);
        return;
    }
    struct stat sb;
    stat(tmp, &sb);
    sync();
    big.t_done = now();
    if (rename(tmp, final) != 0) {
        perror("latency: rename");
        return;
    }
    usleep(10000); /* the daemon has taken the large file */
    save_series(b, &m, files, NULL);
    double t_big = -1;
    if (!pdf) {
        while (!found(b->h, big.word, "/gross-") && now() - big.t_done < WAIT_S) {
            poll_changes(b->h, &m);
            usleep(2000);
        }
        t_big = now() - big.t_done;
    }
    poll_all(b->h, &m);
    stats_t s = stats_changes(&m, 0);
    const char *name = pdf ? "slow 200MB pdf" : "slow 60MB txt";
    printf("  %s (%.1f MB file)%s", name, (double)sb.st_size / 1048576.0, pdf ? "\n" : "");
    if (!pdf)
        printf(" searchable after %.1f s\n", t_big);
    print_stats(name, s);
    add_run(name, s);
    char base[64];
    snprintf(base, sizeof base, "/gross-%u.%s", r, pdf ? "pdf" : "txt");
    print_log_lines(b, base);
    free(m.c);
}

static void scenario_slow(bench_t *b, unsigned files) {
    for (unsigned r = 0; r < n_repeat; r++) {
        slow_once(b, false, files, r);
        sleep(1);
        slow_once(b, true, files, r);
        sleep(1);
    }
}

/* ------------------------------------------------------------ main */

int main(int argc, char **argv) {
    const char *plugin = FG_BINARY_DIR "/plugin/libfundgrube.so";
    const char *scenario = "all";
    docs_dir = FG_SHARED_DATA "/manpages-de/docs";
    daemon_path = FG_BINARY_DIR "/daemon/fundgrubed";
    bool keep = false;
    static const struct option opts[] = {{"files", required_argument, NULL, 'n'},
                                         {"docs", required_argument, NULL, 'd'},
                                         {"daemon", required_argument, NULL, 'D'},
                                         {"plugin", required_argument, NULL, 'p'},
                                         {"keep", no_argument, NULL, 'k'},
                                         {"scenario", required_argument, NULL, 's'},
                                         {"repeat", required_argument, NULL, 'r'},
                                         {"gap", required_argument, NULL, 'g'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "n:d:D:p:ks:r:g:", opts, NULL)) != -1) {
        switch (c) {
        case 'n': n_files = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'd': docs_dir = optarg; break;
        case 'D': daemon_path = optarg; break;
        case 'p': plugin = optarg; break;
        case 'k': keep = true; break;
        case 's': scenario = optarg; break;
        case 'r': n_repeat = (unsigned)strtoul(optarg, NULL, 10); break;
        case 'g': gap_ms = (unsigned)strtoul(optarg, NULL, 10); break;
        default:
            fprintf(stderr, "usage: latency [--scenario idle|burst|rebuild|slow|all] [--files N] "
                            "[--repeat R] [--gap MS] [--docs DIR] [--daemon PATH] "
                            "[--plugin PATH] [--keep]\n");
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0); /* progress shows when piped to a file */
    if (n_repeat < 1)
        n_repeat = 1;
    if (n_repeat > 64)
        n_repeat = 64;
    bool all = strcmp(scenario, "all") == 0;
    bool want[4] = {all || !strcmp(scenario, "idle"), all || !strcmp(scenario, "burst"),
                    all || !strcmp(scenario, "rebuild"), all || !strcmp(scenario, "slow")};
    if (!want[0] && !want[1] && !want[2] && !want[3]) {
        fprintf(stderr, "latency: unknown scenario %s\n", scenario);
        return 2;
    }

    void *so = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
    if (!so) {
        fprintf(stderr, "latency: %s\n", dlerror());
        return 1;
    }
    fg_plugin_entry_fn entry = (fg_plugin_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME);
    api = entry ? entry(FG_PLUGIN_ABI_MAJOR) : NULL;
    if (!api) {
        fprintf(stderr, "latency: %s is not a compatible plugin\n", plugin);
        return 1;
    }
    printf("fundgrubed latency: corpus %s, %u run(s), saves every %u ms\n", docs_dir, n_repeat,
           gap_ms);

    static const char *const names[4] = {"idle", "burst", "rebuild", "slow"};
    double took[4] = {0};
    int rc = 0;
    for (int s = 0; s < 4; s++) {
        if (!want[s])
            continue;
        double t0 = now();
        printf("\n== %s\n", names[s]);
        bench_t b;
        bool up = bench_start(&b, true, s == 2 ? conf_min_part(3) : NULL);
        if (!up) {
            rc = 1;
            bench_stop(&b, true);
            continue;
        }
        live = &b;
        unsigned files = n_files ? n_files : s == 0 ? 200 : 20;
        switch (s) {
        case 0:
            for (unsigned r = 0; r < n_repeat; r++)
                scenario_idle(&b, files);
            break;
        case 1: scenario_burst(&b, files); break;
        case 2: scenario_rebuild(&b, files); break;
        default: scenario_slow(&b, files); break;
        }
        if (!daemon_alive(&b)) {
            printf("%s: the daemon ended during the run: its figures are void\n", names[s]);
            rc = 1;
        }
        live = NULL;
        bench_stop(&b, keep);
        took[s] = now() - t0;
    }
    print_table();
    printf("time taken:");
    for (int s = 0; s < 4; s++)
        if (want[s])
            printf(" %s %.0f s", names[s], took[s]);
    printf("\n");
    dlclose(so);
    return rc;
}
