/*
 * test_lanes.c - fundgrubed's fast lane end to end: single changes become
 * searchable while a burst of copied files, or a slow extraction, is still
 * going on, and never lose against the bulk work's copies.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dtest.h"
#include "testutil.h"

#define DEADLINE 60.0
#define BURST_FILES 4000
#define SINGLES 10

static dtest_t t;

static void setup(void) {
    dt_init(&t);
}

static void teardown(void) {
    dt_fini(&t);
}

TestSuite(daemon_lanes, .init = setup, .fini = teardown, .timeout = 240);

/* t.watch + "/" + rel (malloc'ed). */
static char *wpath(const char *rel) {
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", t.watch, rel) > 0);
    return p;
}

/* Starts a child that writes BURST_FILES files burst/dK/fNNNN.txt (each
 * with its probe word dt_word(i)) at about 2,000 files a second, as a copy
 * of a folder does; returns its pid. */
static pid_t start_burst(void) {
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        for (int i = 0; i < BURST_FILES; i++) {
            char rel[64], word[24], text[128];
            snprintf(rel, sizeof rel, "burst/d%d/f%04d.txt", i / 200, i);
            snprintf(text, sizeof text, "%s Inhalt einer kopierten Datei Nummer %d\n",
                     dt_word((unsigned)i, word), i);
            char *p = NULL;
            if (asprintf(&p, "%s/%s", t.watch, rel) < 0)
                _exit(1);
            dt_write(p, text);
            free(p);
            usleep(500);
        }
        _exit(0);
    }
    return pid;
}

/* Waits for the child pid; asserts it exited 0. */
static void wait_child(pid_t pid) {
    int st = 0;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* The burst's file total in the daemon's status file ("lanes": {"burst":
 * {"total": N}}), 0 when none or unreadable. */
static long burst_total(void) {
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/fundgrubed.status", t.index) > 0);
    FILE *fp = fopen(p, "r");
    free(p);
    if (!fp)
        return 0;
    char buf[16384];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    const char *b = strstr(buf, "\"burst\"");
    const char *tot = b ? strstr(b, "\"total\": ") : NULL;
    return tot ? atol(tot + 9) : 0;
}

/* Medians and maxima of n latencies (seconds), printed as ms. */
static void report(const char *what, double *lat, int n) {
    for (int i = 1; i < n; i++) /* insertion sort: n is small */
        for (int j = i; j > 0 && lat[j - 1] > lat[j]; j--) {
            double x = lat[j];
            lat[j] = lat[j - 1];
            lat[j - 1] = x;
        }
    fprintf(stderr, "daemon: %s: median %.1f ms, max %.1f ms (%d)\n", what, lat[n / 2] * 1000,
            lat[n - 1] * 1000, n);
}

/* During a burst of copied files, single saves (in another folder, half
 * written in place, half renamed in) become searchable while the burst's
 * files are not yet all searchable; an edit of a file of the burst made
 * during the burst wins over its held copy; in the end every file is in the
 * index exactly once with its latest text. */
Test(daemon_lanes, single_saves_during_a_burst) {
    cr_assert(dt_start(&t, NULL, NULL), "daemon did not start:\n%s", dt_log(&t));
    pid_t burst = start_burst();
    char *first = wpath("burst/d0/f0000.txt");
    struct stat sb;
    double t0 = dt_now();
    while (stat(first, &sb) != 0 && dt_now() - t0 < 10)
        usleep(1000);
    usleep(200 * 1000);
    double lat[SINGLES];
    int during = 0;
    long max_total = 0;
    for (int i = 0; i < SINGLES; i++) {
        char rel[64], word[24], text[128];
        snprintf(rel, sizeof rel, "einzeln/brief%02d.txt", i);
        snprintf(text, sizeof text, "%s ein Brief, einzeln gespeichert\n",
                 dt_word(100000u + (unsigned)i, word));
        char *p = wpath(rel);
        double s0 = dt_now();
        if (i % 2) { /* renamed in, as editors save */
            char *tmp = wpath("einzeln/.brief.tmp");
            dt_write(tmp, text);
            s0 = dt_now();
            cr_assert_eq(rename(tmp, p), 0);
            free(tmp);
        } else {
            dt_write(p, text);
        }
        double s = dt_wait_freq(&t, word, 1, DEADLINE);
        cr_assert(s >= 0, "single save %d not found:\n%s", i, dt_log(&t));
        lat[i] = dt_now() - s0;
        long docs = dt_count(&t);
        if (docs >= 0 && docs < BURST_FILES)
            during++;
        long total = burst_total();
        if (total > max_total)
            max_total = total;
        free(p);
        if (i == SINGLES / 2) /* an edit of a file the burst wrote */
            dt_write(first, "zqkneu der geänderte Text einer Datei der Kopie\n");
        usleep(100 * 1000);
    }
    report("single save during a burst", lat, SINGLES);
    cr_assert_gt(max_total, 0, "the status file showed the burst's progress");
    cr_assert_geq(during, SINGLES / 2,
                  "only %d of %d single saves were searchable before the burst ended:\n%s", during,
                  SINGLES, dt_log(&t));
    wait_child(burst);
    char why[512];
    double s = dt_wait_tree(&t, DEADLINE, why, sizeof why);
    cr_assert(s >= 0, "%s\n%s", why, dt_log(&t));
    cr_assert_eq(dt_count(&t), BURST_FILES + SINGLES);
    char word[24];
    cr_assert_eq(dt_freq(&t, "zqkneu"), 1, "the edit is searchable");
    cr_assert_eq(dt_freq(&t, dt_word(0, word)), 0, "the held copy did not come back");
    free(first);
}

/* While a large file is being extracted (a helper that hangs until the
 * extraction timeout where the test hooks are built in, else a large text
 * file), single saves are searchable before it is done. */
Test(daemon_lanes, single_saves_beside_a_slow_extraction) {
    char *cfg = NULL;
    cr_assert(asprintf(&cfg, "%s/fundgrube.conf", t.dir) > 0);
    dt_write(cfg, "[watch]\ninclude = *.txt\ninclude = *.pdf\n[extract]\ntimeout = 4\n");
    const char *args[] = {"--config", cfg, NULL};
    cr_assert(dt_start(&t, args, NULL), "daemon did not start:\n%s", dt_log(&t));
#ifdef FG_TEST_HOOKS
    const char *rel = "gross-fg-test-hang.pdf";
    const char *done_term = "XF"; /* it ends as a failure stub (timeout) */
    long done_want = 1;
#else
    const char *rel = "gross.txt";
    const char *done_term = "Pgross.txt";
    long done_want = 1;
#endif
    /* more than the fast lane takes (lane.h): the bulk lane's workers */
    size_t size = 48u << 20;
    char *big = wpath(rel);
    FILE *fp = fopen(big, "w");
    cr_assert(fp);
    if (strcmp(done_term, "XF") == 0)
        fputs("%PDF-1.4\n", fp); /* a PDF to the sandbox, whose helper hangs */
    for (size_t n = 9; n < size; n += 64)
        fputs("Donaudampfschiff fährt langsam die Donau hinunter und weiter so\n", fp);
    cr_assert_eq(fclose(fp), 0);
    char *bigterm = NULL;
    if (strcmp(done_term, "XF") == 0)
        bigterm = strdup(done_term);
    else
        cr_assert(asprintf(&bigterm, "P%s", big) > 0);
    usleep(100 * 1000); /* its extraction has begun */
    double lat[5];
    int before = 0;
    for (int i = 0; i < 5; i++) {
        char srel[64], word[24], text[96];
        snprintf(srel, sizeof srel, "notiz%d.txt", i);
        snprintf(text, sizeof text, "%s eine Notiz\n", dt_word(200000u + (unsigned)i, word));
        char *p = wpath(srel);
        double s0 = dt_now();
        dt_write(p, text);
        cr_assert(dt_wait_freq(&t, word, 1, DEADLINE) >= 0, "note %d:\n%s", i, dt_log(&t));
        lat[i] = dt_now() - s0;
        if (dt_freq(&t, bigterm) == 0)
            before++;
        free(p);
        usleep(50 * 1000);
    }
    report("single save beside a slow extraction", lat, 5);
    cr_assert_geq(before, 3, "only %d of 5 notes were searchable before the large file:\n%s",
                  before, dt_log(&t));
    cr_assert(dt_wait_freq(&t, bigterm, done_want, DEADLINE) >= 0, "the large file:\n%s",
              dt_log(&t));
    free(bigterm);
    free(big);
    free(cfg);
}

/* True while the index at t.index is the old one (built with stemming). */
static int still_old(void) {
    char *a = dt_analysis(&t);
    int old = strstr(a, "stemming=1") != NULL;
    free(a);
    return old;
}

/* During the background rebuild after an analysis change, a save, a delete
 * and a rename show in the old index at once (before the swap), and all
 * three survive the swap into the new index. */
Test(daemon_lanes, single_changes_during_a_rebuild) {
    enum { FILES = 3000 };
    for (unsigned i = 0; i < FILES; i++) {
        char rel[64], word[24], text[128];
        snprintf(rel, sizeof rel, "alt/d%u/f%04u.txt", i / 300, i);
        snprintf(text, sizeof text, "%s Inhalt der Dateien, die schon da waren\n",
                 dt_word(i, word));
        char *p = wpath(rel);
        dt_write(p, text);
        free(p);
    }
    char *cfg = NULL;
    cr_assert(asprintf(&cfg, "%s/fundgrube.conf", t.dir) > 0);
    dt_write(cfg, "[analysis]\nstemming = yes\n");
    const char *args[] = {"--config", cfg, NULL};
    cr_assert(dt_start(&t, args, NULL), "daemon did not start:\n%s", dt_log(&t));
    cr_assert(dt_wait_count(&t, FILES, DEADLINE) >= 0, "%s", dt_log(&t));

    char *rb = NULL;
    cr_assert(asprintf(&rb, "%s.rebuild", t.index) > 0);
    dt_write(cfg, "[analysis]\nstemming = no\n");
    kill(t.pid, SIGHUP);
    double t0 = dt_now();
    while (access(rb, F_OK) != 0 && dt_now() - t0 < DEADLINE)
        usleep(1000);
    cr_assert_eq(access(rb, F_OK), 0, "no rebuild began:\n%s", dt_log(&t));

    char word[24], *saved = wpath("neu/gespeichert.txt"), *gone = wpath("alt/d0/f0001.txt");
    char *from = wpath("alt/d0/f0002.txt"), *to = wpath("alt/d0/umbenannt.txt");
    char text[96];
    snprintf(text, sizeof text, "%s während des Neuaufbaus gespeichert\n", dt_word(300000, word));
    dt_write(saved, text);
    cr_assert_eq(unlink(gone), 0);
    cr_assert_eq(rename(from, to), 0);
    /* each seen in the old index (its settings still the old ones)? */
    int during = 0;
    double s = dt_wait_freq(&t, word, 1, DEADLINE);
    cr_assert(s >= 0, "the save:\n%s", dt_log(&t));
    during += still_old();
    cr_assert(dt_wait_path(&t, gone, 0, DEADLINE) >= 0, "the delete:\n%s", dt_log(&t));
    during += still_old();
    cr_assert(dt_wait_path(&t, to, 1, DEADLINE) >= 0, "the rename:\n%s", dt_log(&t));
    during += still_old();
    fprintf(stderr,
            "daemon: save during a rebuild searchable after %.1f ms (%d of 3 seen before "
            "the swap)\n",
            s * 1000, during);
    cr_assert_geq(during, 1, "the changes showed only after the rebuild was swapped in:\n%s",
                  dt_log(&t));

    /* the swap: the new settings, and the three changes are still there */
    t0 = dt_now();
    dt_wait_analysis(&t, "stemming=0", DEADLINE);
    /* the old index goes after the swap */
    while (access(rb, F_OK) == 0 && dt_now() - t0 < DEADLINE)
        usleep(20 * 1000);
    cr_assert_neq(access(rb, F_OK), 0, "the rebuild ended:\n%s", dt_log(&t));
    char why[512];
    cr_assert(dt_wait_tree(&t, DEADLINE, why, sizeof why) >= 0, "%s\n%s", why, dt_log(&t));
    cr_assert_eq(dt_freq(&t, word), 1);
    cr_assert_eq(dt_has_path(&t, gone), 0);
    cr_assert_eq(dt_has_path(&t, from), 0);
    cr_assert_eq(dt_has_path(&t, to), 1);
    cr_assert_eq(dt_count(&t), FILES); /* one new, one gone */
    free(saved);
    free(gone);
    free(from);
    free(to);
    free(rb);
    free(cfg);
}

/* kill -9 at random moments of a burst with single changes (saves, edits of
 * the burst's files, a delete) interleaved: after each restart the index
 * converges to the tree (count, paths, a probe word per file). */
Test(daemon_lanes, kill9_during_a_burst_with_single_changes) {
    srand(tu_seed("daemon_lanes.kill9_during_a_burst_with_single_changes"));
    unsigned next = 0;
    for (int round = 0; round < 3; round++) {
        cr_assert(dt_start(&t, NULL, NULL), "round %d: %s", round, dt_log(&t));
        fflush(NULL);
        pid_t copier = fork();
        cr_assert(copier >= 0);
        if (copier == 0) {
            for (unsigned i = next; i < next + 600; i++) {
                char p[512], word[24], text[96];
                snprintf(p, sizeof p, "%s/kopie/k%u/f%u.txt", t.watch, i / 100, i);
                snprintf(text, sizeof text, "%s kopiert\n", dt_word(i, word));
                dt_write(p, text);
                usleep(300);
            }
            _exit(0);
        }
        unsigned kill_at = 2 + (unsigned)rand() % 8; /* after this many single changes */
        for (unsigned k = 0; k < kill_at; k++) {
            char p[512], word[24], text[96];
            unsigned id = 500000u + (unsigned)round * 100 + k;
            snprintf(p, sizeof p, "%s/einzeln/s%u.txt", t.watch, id);
            snprintf(text, sizeof text, "%s einzeln\n", dt_word(id, word));
            dt_write(p, text);
            if (k % 3 == 1 && next > 0) { /* an edit of an earlier copy */
                unsigned i = (unsigned)rand() % next;
                snprintf(p, sizeof p, "%s/kopie/k%u/f%u.txt", t.watch, i / 100, i);
                snprintf(text, sizeof text, "%s kopiert und geändert %d\n", dt_word(i, word),
                         round);
                if (access(p, F_OK) == 0)
                    dt_write(p, text);
            }
            usleep((useconds_t)(10000 + rand() % 40000));
        }
        dt_kill9(&t);
        cr_assert_eq(dt_wait_exit(copier, 60), 0);
        next += 600;
        char p[512];
        snprintf(p, sizeof p, "%s/einzeln/s%u.txt", t.watch, 500000u + (unsigned)round * 100);
        cr_assert_eq(unlink(p), 0); /* gone while it was down */
        cr_assert(dt_start(&t, NULL, NULL), "restart %d: %s", round, dt_log(&t));
        char why[512];
        double s = dt_wait_tree(&t, DEADLINE, why, sizeof why);
        cr_assert(s >= 0, "round %d: %s\n%s", round, why, dt_log(&t));
        if (round < 2)
            dt_kill9(&t);
    }
    cr_assert_eq(dt_stop(&t), 0);
}
