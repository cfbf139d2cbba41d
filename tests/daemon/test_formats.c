/*
 * test_formats.c - fundgrubed end to end with document formats: a PDF and a
 * DOCX dropped into the watched folder become searchable, the extractor
 * helper killed with SIGKILL is restarted, a file that crashes the extractor
 * costs that file only and is listed in the status file with its reason; a
 * Maildir message is indexed and its flag changes (renames) are no re-extraction.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dtest.h"
#include "testutil.h"

#define FIXTURES FG_SOURCE_DIR "/tests/extract/fixtures/"
#define DEADLINE 15.0

static dtest_t t;

static void setup(void) {
    dt_init(&t);
}

static void teardown(void) {
    dt_fini(&t);
}

TestSuite(daemon_formats, .init = setup, .fini = teardown, .timeout = 120);

/* Asserts a polled wait succeeded. */
#define WAITED(what, secs)                                                                         \
    do {                                                                                           \
        double s_ = (secs);                                                                        \
        cr_assert(s_ >= 0, "%s: not within %.0f s; log:\n%s", what, DEADLINE, dt_log(&t));         \
        fprintf(stderr, "daemon: %s: %.1f ms\n", what, s_ * 1000);                                 \
    } while (0)

/* Starts the daemon with a configuration that admits every file name and
 * stops an extraction after 2 s; asserts it came up. */
static void start(void) {
    char *cfg = NULL;
    cr_assert(asprintf(&cfg, "%s/fundgrube.conf", t.dir) > 0);
    dt_write(cfg, "[watch]\ninclude = *\n[extract]\ntimeout = 2\n");
    const char *args[] = {"--config", cfg, NULL};
    cr_assert(dt_start(&t, args, NULL), "daemon did not start:\n%s", dt_log(&t));
    free(cfg);
}

/* Puts a copy of the fixture name into the watched folder as rel, whole at
 * once (written beside it, then renamed in); returns the path (free it). */
static char *drop_fixture(const char *name, const char *rel) {
    char from[1024];
    snprintf(from, sizeof from, FIXTURES "%s", name);
    size_t len = 0;
    char *data = tu_read(from, &len);
    cr_assert(data, "%s", from);
    char *tmp = tu_write(t.dir, "drop.tmp", data, len);
    free(data);
    char *to = NULL;
    cr_assert(asprintf(&to, "%s/%s", t.watch, rel) > 0);
    cr_assert_eq(rename(tmp, to), 0);
    free(tmp);
    return to;
}

/* The pids of the daemon's children that are the extractor helper
 * (comm "fundgrube-extra...") into pids (at most max); returns how many. */
static size_t helper_pids(pid_t daemon, pid_t *pids, size_t max) {
    char path[256];
    snprintf(path, sizeof path, "/proc/%d/task", (int)daemon);
    DIR *d = opendir(path);
    cr_assert(d, "%s", path);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char cpath[1024];
        snprintf(cpath, sizeof cpath, "%s/%s/children", path, de->d_name);
        FILE *f = fopen(cpath, "r");
        if (!f)
            continue;
        int pid;
        while (n < max && fscanf(f, "%d", &pid) == 1) {
            char comm[64] = "", commpath[64];
            snprintf(commpath, sizeof commpath, "/proc/%d/comm", pid);
            FILE *c = fopen(commpath, "r");
            if (c) {
                if (!fgets(comm, sizeof comm, c))
                    comm[0] = '\0';
                fclose(c);
            }
            if (strncmp(comm, "fundgrube-extra", 15) == 0)
                pids[n++] = (pid_t)pid;
        }
        fclose(f);
    }
    closedir(d);
    return n;
}

#ifdef FG_TEST_HOOKS /* the helpers of the crash part below */
/* Polls the status file until it contains want; seconds or -1. */
static double wait_status(const char *want, double timeout_s) {
    char *sp = NULL;
    cr_assert(asprintf(&sp, "%s/fundgrubed.status", t.index) > 0);
    double t0 = dt_now(), took = -1;
    while (dt_now() - t0 <= timeout_s) {
        char *s = tu_read(sp, NULL);
        bool seen = s && strstr(s, want);
        free(s);
        if (seen) {
            took = dt_now() - t0;
            break;
        }
        usleep(20000);
    }
    free(sp);
    return took;
}

/* How often s occurs in the daemon's log. */
static int count_in_log(const char *s) {
    int n = 0;
    for (const char *p = dt_log(&t); (p = strstr(p, s)) != NULL; p += strlen(s))
        n++;
    return n;
}

/* Runs fundgrube search --json QUERY on the index and asserts that it
 * succeeds and its output does not contain what. */
static void search_lacks(const char *query, const char *what) {
    char *exe = tu_build_path("cli/fundgrube");
    const char *argv[] = {exe, "search", "--index", t.index, "--json", query, NULL};
    char *home = NULL;
    cr_assert(asprintf(&home, "HOME=%s", t.dir) > 0);
    const char *env[] = {home, "XDG_CONFIG_HOME=", "XDG_DATA_HOME=", "FUNDGRUBE_CONFIG=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r), "%s", query);
    cr_assert_eq(r.status, 0, "%s: %s", query, r.err);
    cr_assert(r.out && !strstr(r.out, what), "%s found the stub:\n%s", query, r.out);
    if (strcmp(query, "type:pdf") == 0)
        cr_assert(strstr(r.out, "brief.pdf"), "type:pdf finds the PDF:\n%s", r.out);
    free(home);
    tu_run_free(&r);
    free(exe);
}
#endif

Test(daemon_formats, pdf_docx_helper_killed_crash_listed) {
    start();
    free(drop_fixture("sample-lo.pdf", "brief.pdf"));
    WAITED("pdf searchable", dt_wait_freq(&t, "donnerstags", 1, DEADLINE));

    /* the helper is killed between two drops: the next file restarts it */
    pid_t pids[8];
    size_t n = helper_pids(t.pid, pids, 8);
    cr_assert_geq(n, 1, "no extractor helper below the daemon (pid %d)", (int)t.pid);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(kill(pids[i], SIGKILL), 0);
    free(drop_fixture("sample.docx", "hinweise.docx"));
    WAITED("docx searchable after the helper was killed",
           dt_wait_freq(&t, "donnerstags", 2, DEADLINE));
    pid_t again[8];
    size_t m = helper_pids(t.pid, again, 8);
    cr_assert_geq(m, 1, "the helper was restarted");
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++)
            cr_assert_neq(again[i], pids[j], "a new helper process");

#ifdef FG_TEST_HOOKS
    /* a crashing file, then a good one: the good one is indexed, the crash
     * listed with its reason and not found by any folder filter */
    char *bad = NULL;
    cr_assert(asprintf(&bad, "%s/bad-fg-test-segv.pdf", t.watch) > 0);
    dt_write(bad, "%PDF-1.4 egal");
    char *good = NULL;
    cr_assert(asprintf(&good, "%s/danach.txt", t.watch) > 0);
    dt_write(good, "zqkdanach Inhalt");
    WAITED("the file after the crash", dt_wait_freq(&t, "zqkdanach", 1, DEADLINE));
    WAITED("status lists the crash", wait_status("crashed: SIGSEGV", DEADLINE));
    WAITED("status counts it", wait_status("\"failed_files\": 1", DEADLINE));
    WAITED("documents leave the stub out", wait_status("\"documents\": 3", DEADLINE));
    cr_assert_eq(dt_has_path(&t, bad), 0, "no P term: no dir: filter finds the stub");
    cr_assert_eq(dt_freq(&t, "XF"), 1);
    cr_assert_eq(count_in_log("crashed: SIGSEGV"), 1, "the log says why:\n%s", dt_log(&t));

    /* restarted: the stub is read from the index (no failure since the
     * start) and the file is not retried */
    cr_assert_eq(dt_stop(&t), 0, "%s", dt_log(&t));
    start();
    WAITED("status lists the stub after a restart", wait_status("\"failed_files\": 1", DEADLINE));
    WAITED("with its reason", wait_status("\"reason\": \"crashed: SIGSEGV\"", DEADLINE));
    cr_assert_eq(count_in_log("crashed: SIGSEGV"), 1, "not retried:\n%s", dt_log(&t));

    /* no search finds the stub: filters only, NOT alone (match-all queries) */
    static const char *const queries[] = {"dir:/", "type:pdf", "NOT zqkkeinwort", "bad"};
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++)
        search_lacks(queries[i], "bad-fg-test-segv");
    free(bad);
    free(good);
#endif
    cr_assert_eq(dt_stop(&t), 0, "%s", dt_log(&t));
}

Test(daemon_formats, maildir_messages_and_flag_renames) {
    /* the default globs: *.eml admits the files of a Maildir */
    char *cfg = NULL;
    cr_assert(asprintf(&cfg, "%s/fundgrube.conf", t.dir) > 0);
    dt_write(cfg, "[extract]\ntimeout = 10\n");
    const char *args[] = {"--config", cfg, "--verbose", NULL};
    char *tmpdir = NULL, *cur = NULL;
    cr_assert(asprintf(&tmpdir, "%s/Mail/tmp", t.watch) > 0);
    cr_assert(asprintf(&cur, "%s/Mail/cur", t.watch) > 0);
    free(tu_write_str(t.watch, "Mail/tmp/.keep", ""));
    free(tu_write_str(t.watch, "Mail/cur/.keep", ""));
    free(tu_write_str(t.watch, "Mail/new/.keep", ""));
    cr_assert(dt_start(&t, args, NULL), "daemon did not start:\n%s", dt_log(&t));
    /* delivered into new/ (the name has no extension) */
    char *fresh = drop_fixture("mail/qp-german.eml", "Mail/new/1720000000.M1P1.host");
    WAITED("Maildir message searchable", dt_wait_freq(&t, "müllabfuhr", 1, DEADLINE));
    cr_assert_eq(dt_freq(&t, "XMFgrössmann"), 1, "the sender's words, folded: from:");
    cr_assert_eq(dt_freq(&t, "XMTbüro"), 1, "Cc is a recipient: to:");
    /* the mail program reads it: new/ -> cur/, then flags it replied */
    char *seen = NULL, *replied = NULL;
    cr_assert(asprintf(&seen, "%s/1720000000.M1P1.host:2,S", cur) > 0);
    cr_assert(asprintf(&replied, "%s/1720000000.M1P1.host:2,RS", cur) > 0);
    cr_assert_eq(rename(fresh, seen), 0);
    WAITED("moved to cur/", dt_wait_path(&t, seen, 1, DEADLINE));
    cr_assert_eq(rename(seen, replied), 0);
    WAITED("flag change", dt_wait_path(&t, replied, 1, DEADLINE));
    cr_assert_eq(dt_count(&t), 1);
    cr_assert_eq(dt_freq(&t, "müllabfuhr"), 1);
    const char *log = dt_log(&t);
    char want[1024];
    snprintf(want, sizeof want, "renamed %s -> %s", seen, replied);
    cr_assert(strstr(log, want), "a flag change is a rename: %s\n%s", want, log);
    snprintf(want, sizeof want, "indexed %s", replied);
    cr_assert(!strstr(log, want), "not extracted again:\n%s", log);
    snprintf(want, sizeof want, "indexed %s", seen);
    cr_assert(!strstr(log, want), "not extracted again:\n%s", log);
    free(cfg);
    free(tmpdir);
    free(cur);
    free(fresh);
    free(seen);
    free(replied);
}
