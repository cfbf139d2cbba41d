/*
 * test_sandbox.c - the extractor sandbox: a normal file comes back, and a
 * file that crashes, hangs, eats memory or tries to escape costs that one
 * file only; a helper killed between requests is restarted.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
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

#include "extract/sandbox.h"
#include "extract/sandbox_proto.h"
#include "testutil.h"

static char *dir;

static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
}

static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
}

TestSuite(sandbox, .init = setup, .fini = teardown, .timeout = 120);

/* Seconds on the monotonic clock. */
static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Collects up to max processes whose parent is ppid (from /proc/<pid>/stat)
 * into pids; returns how many.  *zombies counts those in state Z. */
static int children_of(pid_t ppid, pid_t *pids, int max, int *zombies) {
    int n = 0;
    *zombies = 0;
    DIR *d = opendir("/proc");
    cr_assert_not_null(d);
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], buf[512];
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t len = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[len] = '\0';
        char *rp = strrchr(buf, ')');
        char state;
        int parent;
        if (!rp || sscanf(rp + 1, " %c %d", &state, &parent) != 2 || parent != ppid)
            continue;
        if (state == 'Z')
            (*zombies)++;
        if (n < max)
            pids[n++] = (pid_t)atoi(e->d_name);
    }
    closedir(d);
    return n;
}

/* Starts a sandbox with the given options (NULL: defaults). */
static fg_sandbox_t *start(const fg_sandbox_options_t *opt) {
    fg_sandbox_t *sb = NULL;
    char err[256] = "";
    cr_assert_eq(fg_sandbox_start(opt, &sb, err, sizeof err), FG_OK, "%s", err);
    cr_assert_gt(fg_sandbox_helper_pid(sb), 0);
    return sb;
}

/* Writes a German letter into dir/name and asserts the sandbox extracts it
 * (with the plain-text stand-in or the real HTML parser alike). */
static void assert_extracts(fg_sandbox_t *sb, const char *name) {
    char *path = tu_write_str(dir, name,
                              "<html><body><p>Die K\xC3\xBCndigung muss schriftlich "
                              "erfolgen.</p></body></html>\n");
    fg_format_doc_t doc;
    fg_sandbox_failure_t fail = FG_SANDBOX_HELPER;
    char reason[256];
    fg_status_t st = fg_sandbox_extract(sb, path, &doc, &fail, reason, sizeof reason);
    cr_assert_eq(st, FG_OK, "%s: %s (%s)", name, fg_status_str(st), reason);
    cr_assert_eq(fail, FG_SANDBOX_NONE);
    cr_assert(doc.type == FG_DOCTYPE_TEXT || doc.type == FG_DOCTYPE_HTML, "type %d", doc.type);
    cr_assert_not_null(strstr(doc.text, "K\xC3\xBCndigung muss schriftlich"), "text: %s", doc.text);
    cr_assert_eq(strlen(doc.text), doc.text_len);
    cr_assert_not_null(doc.title);
    cr_assert_not_null(doc.author);
    cr_assert_not(doc.truncated);
    fg_sandbox_doc_free(&doc);
    free(path);
}

/* Extracts dir/name (written with a line of text) expecting a sandbox
 * failure; returns the reason in reason. */
static fg_status_t extract_named(fg_sandbox_t *sb, const char *name, fg_sandbox_failure_t *fail,
                                 char *reason, size_t len) {
    char *path = tu_write_str(dir, name, "Hallo Welt\n");
    fg_format_doc_t doc;
    fg_status_t st = fg_sandbox_extract(sb, path, &doc, fail, reason, len);
    if (st == FG_OK)
        fg_sandbox_doc_free(&doc);
    free(path);
    return st;
}

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_ASAN 1
#endif
#endif

#ifdef FG_TEST_HOOKS
#define NEED_HOOKS()
#else
#define NEED_HOOKS() cr_skip_test("built without FG_TEST_HOOKS")
#endif

Test(sandbox, normal_file_is_extracted) {
    fg_sandbox_t *sb = start(NULL); /* the helper found by the lookup */
    assert_extracts(sb, "brief.html");
    assert_extracts(sb, "zweiter-brief.html");
    pid_t pid = fg_sandbox_helper_pid(sb);
    fg_sandbox_stop(sb);
    cr_assert_eq(waitpid(pid, NULL, WNOHANG), -1, "stop reaped the helper");
    cr_assert_eq(errno, ECHILD);
}

Test(sandbox, unsupported_format_is_a_refusal) {
    fg_sandbox_t *sb = start(NULL);
    static const char bin[] = "\x7f\x00\x01\x02\x00\x00"
                              "binary";
    char *path = tu_write(dir, "daten.bin", bin, sizeof bin - 1);
    fg_format_doc_t doc;
    fg_sandbox_failure_t fail = FG_SANDBOX_HELPER;
    char reason[256];
    fg_status_t st = fg_sandbox_extract(sb, path, &doc, &fail, reason, sizeof reason);
    cr_assert_eq(st, FG_SKIPPED, "%s (%s)", fg_status_str(st), reason);
    cr_assert_eq(fail, FG_SANDBOX_NONE);
    cr_assert_neq(reason[0], '\0', "a refusal says why");
    free(path);
    assert_extracts(sb, "danach.html");
    fg_sandbox_stop(sb);
}

Test(sandbox, missing_helper_is_reported) {
    fg_sandbox_options_t opt = {.helper_path = "/nonexistent/fundgrube-extract"};
    fg_sandbox_t *sb = (fg_sandbox_t *)1;
    char err[256] = "";
    cr_assert_eq(fg_sandbox_start(&opt, &sb, err, sizeof err), FG_NOT_FOUND);
    cr_assert_null(sb);
    cr_assert_not_null(strstr(err, "/nonexistent/fundgrube-extract"), "%s", err);
}

Test(sandbox, non_regular_files_are_refused) {
    fg_sandbox_t *sb = start(NULL);
    fg_format_doc_t doc;
    char reason[256];
    fg_sandbox_failure_t fail;
    cr_assert_eq(fg_sandbox_extract(sb, dir, &doc, &fail, reason, sizeof reason), FG_SKIPPED);
    cr_assert_str_eq(reason, "not a regular file");
    char *target = tu_write_str(dir, "ziel.txt", "Ziel\n");
    char link[512];
    snprintf(link, sizeof link, "%s/verweis.txt", dir);
    cr_assert_eq(symlink(target, link), 0);
    cr_assert_eq(fg_sandbox_extract(sb, link, &doc, &fail, reason, sizeof reason), FG_SKIPPED);
    cr_assert_str_eq(reason, "a symbolic link");
    free(target);
    fg_sandbox_stop(sb);
}

Test(sandbox, segv_costs_one_file) {
    NEED_HOOKS();
    fg_sandbox_t *sb = start(NULL);
    fg_sandbox_failure_t fail;
    char reason[256];
    int pid = fg_sandbox_helper_pid(sb);
    cr_assert_eq(extract_named(sb, "fg-test-segv.txt", &fail, reason, sizeof reason), FG_CORRUPT);
    cr_assert_eq(fail, FG_SANDBOX_CRASHED);
    cr_assert_str_eq(reason, "crashed: SIGSEGV");
    cr_assert_eq(fg_sandbox_helper_pid(sb), pid, "the helper survives its child's crash");
    /* the crashed child was reaped: no zombie; at most the spare forked
     * for the next file is there */
    pid_t kids[4];
    int zombies;
    cr_assert_leq(children_of(pid, kids, 4, &zombies), 1);
    cr_assert_eq(zombies, 0, "the crashed child was reaped");
    assert_extracts(sb, "danach.html");
    fg_sandbox_stop(sb);
}

Test(sandbox, hang_is_killed_at_the_timeout) {
    NEED_HOOKS();
    fg_sandbox_options_t opt = {.timeout_s = 1};
    fg_sandbox_t *sb = start(&opt);
    fg_sandbox_failure_t fail;
    char reason[256];
    double t0 = now_s();
    cr_assert_eq(extract_named(sb, "fg-test-hang.txt", &fail, reason, sizeof reason), FG_CORRUPT);
    double took = now_s() - t0;
    cr_assert_eq(fail, FG_SANDBOX_TIMEOUT);
    cr_assert_str_eq(reason, "timeout after 1 s");
    cr_assert(took >= 0.9 && took < 2.5, "took %.2f s", took);
    assert_extracts(sb, "danach.html");
    fg_sandbox_stop(sb);
}

Test(sandbox, memory_hog_hits_the_limit) {
    NEED_HOOKS();
    fg_sandbox_options_t opt = {.mem_limit = 256u << 20};
    fg_sandbox_t *sb = start(&opt);
    fg_sandbox_failure_t fail;
    char reason[256];
    cr_assert_eq(extract_named(sb, "fg-test-alloc.txt", &fail, reason, sizeof reason), FG_CORRUPT);
    cr_assert_eq(fail, FG_SANDBOX_MEMORY, "%s", reason);
    cr_assert_str_eq(reason, "killed: memory limit 256 MiB");
    assert_extracts(sb, "danach.html");
    fg_sandbox_stop(sb);
}

Test(sandbox, child_cannot_write_files_or_make_sockets) {
    NEED_HOOKS();
    fg_sandbox_t *sb = start(NULL);
    fg_sandbox_failure_t fail;
    char reason[256], name[128], created[256];
    snprintf(name, sizeof name, "fg-test-escape-%d-%ld.txt", (int)getpid(), (long)time(NULL));
    snprintf(created, sizeof created, "/tmp/%s.created", name);
    unlink(created);
    fg_status_t st = extract_named(sb, name, &fail, reason, sizeof reason);
    struct stat s;
    int exists = stat(created, &s) == 0;
    unlink(created);
    cr_assert_not(exists, "the child created %s", created);
    /* open() fails with EPERM; socket() kills the child with SIGSYS (under
     * ASan it fails with EPERM too, see sandbox_child.c) */
#ifdef SANDBOX_ASAN
    cr_assert_eq(st, FG_INVALID, "%s (%s)", fg_status_str(st), reason);
    cr_assert_str_eq(reason, "test hook: open and socket both refused with an error");
#else
    cr_assert_eq(st, FG_CORRUPT, "%s (%s)", fg_status_str(st), reason);
    cr_assert_eq(fail, FG_SANDBOX_CRASHED);
    cr_assert_str_eq(reason, "crashed: SIGSYS");
#endif
    assert_extracts(sb, "danach.html");
    fg_sandbox_stop(sb);
}

Test(sandbox, killed_helper_is_restarted) {
    fg_sandbox_t *sb = start(NULL);
    assert_extracts(sb, "vorher.html");
    pid_t pid = fg_sandbox_helper_pid(sb);
    cr_assert_eq(kill(pid, SIGKILL), 0);
    usleep(50 * 1000); /* let it die before the next request */
    assert_extracts(sb, "nachher.html");
    cr_assert_neq(fg_sandbox_helper_pid(sb), pid, "a new helper runs");
    cr_assert_gt(fg_sandbox_helper_pid(sb), 0);
    /* the old helper was reaped, not left a zombie */
    cr_assert_eq(waitpid(pid, NULL, WNOHANG), -1);
    cr_assert_eq(errno, ECHILD);
    fg_sandbox_stop(sb);
}

/* The value of field (e.g. "Seccomp:") in /proc/<pid>/status, -1 if none. */
static long status_field(pid_t pid, const char *field) {
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long v = -1;
    if (!f)
        return -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, field, strlen(field)) == 0)
            v = strtol(line + strlen(field), NULL, 10);
    fclose(f);
    return v;
}

/* The child for the next file is forked ahead and confines itself before
 * its request comes (no_new_privs, the seccomp filter, the limits): a spare
 * waiting between two files is already as locked down as a child parsing
 * one.  Files go on through new children, and stopping the sandbox takes
 * the spare along. */
Test(sandbox, spare_child_is_confined_before_its_file) {
    fg_sandbox_options_t opt = {.mem_limit = 300u << 20};
    fg_sandbox_t *sb = start(&opt);
    assert_extracts(sb, "eins.html");
    pid_t helper = fg_sandbox_helper_pid(sb), kids[4], spare = 0;
    int zombies;
    for (int i = 0; i < 1000 && !spare; i++) {
        if (children_of(helper, kids, 4, &zombies) == 1 && status_field(kids[0], "Seccomp:") == 2)
            spare = kids[0];
        else
            usleep(1000);
    }
    cr_assert_gt(spare, 0, "no confined spare child of the helper");
    cr_assert_eq(status_field(spare, "NoNewPrivs:"), 1);
    char path[64], line[256];
    bool as_limited = false;
    snprintf(path, sizeof path, "/proc/%d/limits", (int)spare);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "Max address space", 17) == 0)
            as_limited = strstr(line, "unlimited") == NULL;
    fclose(f);
    cr_assert(as_limited, "the spare has no RLIMIT_AS");
    assert_extracts(sb, "zwei.html");
    assert_extracts(sb, "drei.html");
    /* that spare read zwei.html and is gone; a new one waits */
    bool gone = false;
    for (int i = 0; i < 200 && !gone; i++) {
        gone = kill(spare, 0) != 0 && errno == ESRCH;
        if (!gone)
            usleep(5000);
    }
    cr_assert(gone, "the spare %d served its file and was reaped", (int)spare);
    spare = 0;
    for (int i = 0; i < 1000 && !spare; i++) {
        if (children_of(helper, kids, 4, &zombies) == 1)
            spare = kids[0];
        else
            usleep(1000);
    }
    cr_assert_gt(spare, 0, "a new spare waits");
    fg_sandbox_stop(sb);
    cr_assert(kill(spare, 0) != 0 && errno == ESRCH, "the spare outlived the sandbox");
}

Test(sandbox, sparse_2gb_file_finishes_within_limits) {
    fg_sandbox_options_t opt = {.max_text = 1u << 20};
    fg_sandbox_t *sb = start(&opt);
    char path[512];
    snprintf(path, sizeof path, "%s/gross.txt", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    /* 1.5 MiB of text, then a hole up to 2 GiB */
    static char line[] = "Die Mietkaution wird nach Ende des Mietvertrags zur\xC3\xBC"
                         "ckgezahlt.\n";
    size_t written = 0;
    while (written < (3u << 19)) {
        cr_assert_eq(write(fd, line, sizeof line - 1), (ssize_t)(sizeof line - 1));
        written += sizeof line - 1;
    }
    cr_assert_eq(ftruncate(fd, 2ll << 30), 0);
    close(fd);
    fg_format_doc_t doc;
    fg_sandbox_failure_t fail;
    char reason[256];
    double t0 = now_s();
    fg_status_t st = fg_sandbox_extract(sb, path, &doc, &fail, reason, sizeof reason);
    double took = now_s() - t0;
    cr_assert_eq(fail, FG_SANDBOX_NONE, "%s", reason);
    cr_assert(took < 10, "took %.1f s", took);
    cr_assert(st == FG_OK || st == FG_SKIPPED, "%s (%s)", fg_status_str(st), reason);
    if (st == FG_OK) {
        cr_assert_leq(doc.text_len, (size_t)1 << 20);
        cr_assert(doc.truncated);
        cr_assert_not_null(strstr(doc.text, "Mietkaution"));
        fg_sandbox_doc_free(&doc);
    }
    fg_sandbox_stop(sb);
}

/* CPU ticks (utime + stime) pid has used, -1 when it is gone. */
static long cpu_ticks(pid_t pid) {
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[len] = '\0';
    char *rp = strrchr(buf, ')');
    long ut = 0, stt = 0;
    /* after the name: state ppid pgrp session tty tpgid flags minflt
     * cminflt majflt cmajflt utime stime */
    if (!rp ||
        sscanf(rp + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ut, &stt) != 2)
        return -1;
    return ut + stt;
}

/* Kills the helper once its child for the file is running: a child that
 * has spun for 50 ms of CPU (the hang hook), not the spare that waits for
 * the next file. */
static void *kill_helper_mid_request(void *arg) {
    pid_t helper = *(pid_t *)arg, kids[4];
    int zombies;
    long hz = sysconf(_SC_CLK_TCK);
    for (int i = 0; i < 2000; i++) {
        int n = children_of(helper, kids, 4, &zombies);
        for (int k = 0; k < n; k++) {
            if (cpu_ticks(kids[k]) * 20 >= hz) {
                *(pid_t *)arg = kids[k];
                kill(helper, SIGKILL);
                return NULL;
            }
        }
        usleep(1000);
    }
    *(pid_t *)arg = 0;
    return NULL;
}

Test(sandbox, helper_killed_mid_request_takes_its_child_and_is_restarted) {
    NEED_HOOKS();
    fg_sandbox_options_t opt = {.timeout_s = 1};
    fg_sandbox_t *sb = start(&opt);
    pid_t helper = fg_sandbox_helper_pid(sb), arg = helper;
    pthread_t t;
    cr_assert_eq(pthread_create(&t, NULL, kill_helper_mid_request, &arg), 0);
    fg_sandbox_failure_t fail;
    char reason[256];
    double t0 = now_s();
    fg_status_t st = extract_named(sb, "fg-test-hang.txt", &fail, reason, sizeof reason);
    double took = now_s() - t0;
    pthread_join(t, NULL);
    cr_assert_gt(arg, 0, "the helper's child was seen");
    /* the retry ran in a new helper and timed out there */
    cr_assert_eq(st, FG_CORRUPT, "%s (%s)", fg_status_str(st), reason);
    cr_assert_eq(fail, FG_SANDBOX_TIMEOUT);
    cr_assert_str_eq(reason, "timeout after 1 s");
    cr_assert_lt(took, 4.0, "took %.2f s", took);
    cr_assert_neq(fg_sandbox_helper_pid(sb), helper);
    /* the orphaned child died with its parent (PR_SET_PDEATHSIG) */
    bool gone = false;
    for (int i = 0; i < 200 && !gone; i++) {
        gone = kill(arg, 0) != 0 && errno == ESRCH;
        if (!gone)
            usleep(5000);
    }
    cr_assert(gone, "child %d still runs", (int)arg);
    assert_extracts(sb, "danach.html");
    fg_sandbox_stop(sb);
}

/* ------------------------------------------------------------------------ */
/* The wire format (sandbox_proto.h), without a helper                      */
/* ------------------------------------------------------------------------ */

Test(sandbox, outcomes_name_the_limit_or_signal) {
    fgx_outcome_t o;
    fgx_classify(W_EXITCODE(0, 0), false, 0.1, 30, 1ull << 30, &o);
    cr_assert_eq(o.kind, FGX_OK);
    cr_assert_eq(o.magic, FGX_OUTCOME_MAGIC);
    fgx_classify(W_EXITCODE(FGX_EXIT_BASE + FG_NOMEM, 0), false, 0.1, 30, 1ull << 30, &o);
    cr_assert_eq(o.kind, FGX_MEMORY);
    cr_assert_str_eq(o.reason, "killed: memory limit 1 GiB");
    fgx_classify(W_EXITCODE(FGX_EXIT_BASE + FG_SKIPPED, 0), false, 0.1, 30, 1ull << 30, &o);
    cr_assert_eq(o.kind, FGX_FAILED);
    cr_assert_eq(o.status, FG_SKIPPED);
    fgx_classify(W_EXITCODE(0, SIGKILL), true, 0.2, 30, 1ull << 30, &o);
    cr_assert_eq(o.kind, FGX_TIMEOUT);
    cr_assert_str_eq(o.reason, "timeout after 30 s");
    fgx_classify(W_EXITCODE(0, SIGKILL), false, 31.0, 30, 1ull << 30, &o);
    cr_assert_eq(o.kind, FGX_CPU);
    cr_assert_str_eq(o.reason, "timeout after 30 s (CPU)");
    fgx_classify(W_EXITCODE(0, SIGXCPU), false, 30.0, 30, 1ull << 30, &o);
    cr_assert_eq(o.kind, FGX_CPU);
    fgx_classify(W_EXITCODE(0, SIGKILL), false, 0.1, 30, 1ull << 30, &o);
    cr_assert_eq(o.kind, FGX_CRASHED, "a SIGKILL from elsewhere is no CPU timeout");
    cr_assert_str_eq(o.reason, "crashed: SIGKILL");
    fgx_classify(W_EXITCODE(0, SIGBUS), false, 0.1, 30, 1ull << 30, &o);
    cr_assert_str_eq(o.reason, "crashed: SIGBUS");
    fgx_classify(W_EXITCODE(0, SIGABRT), false, 0.1, 30, 1ull << 30, &o);
    cr_assert_str_eq(o.reason, "crashed: SIGABRT");
    fgx_classify(W_EXITCODE(1, 0), false, 0.1, 30, 1ull << 30, &o);
    cr_assert_eq(o.kind, FGX_CRASHED);
    cr_assert_str_eq(o.reason, "crashed: exit status 1");
    fgx_classify(W_EXITCODE(FGX_EXIT_BASE + FG_NOMEM, 0), false, 0.1, 30, 256u << 20, &o);
    cr_assert_str_eq(o.reason, "killed: memory limit 256 MiB");
    char buf[32];
    cr_assert_str_eq(fgx_format_bytes(1000, buf, sizeof buf), "1000 bytes");
}

/* Writes a record through a pipe and reads it back into *len bytes. */
static char *record_bytes(fg_status_t st, const char *err, const fg_format_doc_t *doc,
                          uint64_t max_text, size_t *len) {
    char path[512];
    snprintf(path, sizeof path, "%s/record", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    cr_assert_geq(fd, 0);
    cr_assert_eq(fgx_record_write(fd, st, err, doc, max_text), 0);
    close(fd);
    char *buf = tu_read(path, len);
    cr_assert_not_null(buf);
    return buf;
}

Test(sandbox, record_round_trip_caps_text_and_rejects_damage) {
    uint32_t pages[] = {0, 6, 40};
    char title[] = "Mietvertrag", author[] = "J\xC3\xBCrgen", text[] = "Seite1Seite2 mit \xC3\xA4";
    fg_format_doc_t doc = {.type = FG_DOCTYPE_PDF,
                           .text = text,
                           .text_len = strlen(text),
                           .pages = pages,
                           .npages = 3,
                           .title = title,
                           .author = author,
                           .date = "2024-07-15"};
    size_t len;
    char *buf = record_bytes(FG_OK, NULL, &doc, 18, &len); /* cuts inside the ä */
    fg_format_doc_t back;
    fg_status_t st;
    char err[64];
    cr_assert_eq(fgx_record_parse(buf, len, 18, &st, &back, err, sizeof err), 0);
    cr_assert_eq(st, FG_OK);
    cr_assert_eq(back.type, FG_DOCTYPE_PDF);
    cr_assert_str_eq(back.text, "Seite1Seite2 mit ", "cut at a character boundary");
    cr_assert(back.truncated);
    cr_assert_eq(back.npages, 2, "the page starting past the cut is dropped");
    cr_assert_eq(back.pages[1], 6);
    cr_assert_str_eq(back.title, "Mietvertrag");
    cr_assert_str_eq(back.author, "J\xC3\xBCrgen");
    cr_assert_str_eq(back.date, "2024-07-15");
    cr_assert_str_eq(back.from, "", "no mail fields: empty");
    cr_assert_str_eq(back.parts, "");
    fgx_doc_free(&back);
    for (size_t cut = 0; cut < len; cut++) /* every prefix is refused */
        cr_assert_eq(fgx_record_parse(buf, cut, 18, &st, &back, err, sizeof err), -1, "%zu", cut);
    /* the size from the length fields alone: unknown (0) until they are
     * all there, then the whole record's, for the client to stop at */
    cr_assert_eq(fgx_record_size(buf, len, 18), (int64_t)len);
    size_t known = 0;
    for (size_t cut = 0; cut < len; cut++) {
        int64_t sz = fgx_record_size(buf, cut, 18);
        cr_assert(sz == 0 || sz == (int64_t)len, "prefix %zu: %lld", cut, (long long)sz);
        if (sz && !known)
            known = cut;
    }
    cr_assert_gt(known, 0);
    cr_assert_eq(known, len - (strlen("Seite1Seite2 mit ")), "known once the text length is");
    cr_assert_eq(fgx_record_size(buf, len, 10), -1, "text over max_text");
    buf[0] ^= 1;
    cr_assert_eq(fgx_record_size(buf, len, 18), -1, "bad magic");
    cr_assert_eq(fgx_record_size(buf, 2, 18), 0, "too short to tell");
    buf[0] ^= 1;
    size_t flen;
    char *fbuf = record_bytes(FG_CORRUPT, "kaputt", NULL, 18, &flen);
    cr_assert_eq(fgx_record_size(fbuf, flen, 18), (int64_t)flen);
    cr_assert_eq(fgx_record_size(fbuf, 11, 18), 0);
    free(fbuf);
    cr_assert_eq(fgx_record_parse(buf, len, 10, &st, &back, err, sizeof err), -1,
                 "text over the client's max_text");
    buf[0] ^= 1;
    cr_assert_eq(fgx_record_parse(buf, len, 18, &st, &back, err, sizeof err), -1, "bad magic");
    free(buf);

    /* a mail's fields */
    char from[] = "J\xC3\xBCrgen <j@example.de>", to[] = "eva@example.de, b@example.de",
         parts[] = "rechnung.pdf\n", notes[] = "attachment x.docx: zip bomb, skipped\n";
    fg_format_doc_t mail = {.type = FG_DOCTYPE_EML,
                            .text = text,
                            .text_len = strlen(text),
                            .title = title,
                            .author = from,
                            .from = from,
                            .to = to,
                            .parts = parts,
                            .notes = notes};
    buf = record_bytes(FG_OK, NULL, &mail, 100, &len);
    cr_assert_eq(fgx_record_parse(buf, len, 100, &st, &back, err, sizeof err), 0);
    cr_assert_eq(back.type, FG_DOCTYPE_EML);
    cr_assert_str_eq(back.from, from);
    cr_assert_str_eq(back.to, to);
    cr_assert_str_eq(back.parts, parts);
    cr_assert_str_eq(back.notes, notes);
    fgx_doc_free(&back);
    free(buf);

    buf = record_bytes(FG_SKIPPED, "encrypted", NULL, 0, &len);
    cr_assert_eq(fgx_record_parse(buf, len, 18, &st, &back, err, sizeof err), 0);
    cr_assert_eq(st, FG_SKIPPED);
    cr_assert_str_eq(err, "encrypted");
    free(buf);
}

/* Writes to path a valid PDF of one page whose content stream inflates to
 * inflated bytes of graphics operators ("q Q\n": save and restore, over and
 * over), deflated by zlib into a stream of a few hundred KB. */
static void write_inflating_pdf(const char *path, size_t inflated) {
    static const char ops[] = "q Q\n";
    size_t chunk = 1u << 20;
    char *in = malloc(chunk);
    size_t cap = inflated / 100 + (1u << 16), clen = 0;
    unsigned char *out = malloc(cap);
    cr_assert(in && out);
    for (size_t i = 0; i < chunk; i++)
        in[i] = ops[i % 4];
    z_stream z = {0};
    cr_assert_eq(deflateInit(&z, 9), Z_OK);
    for (size_t done = 0; done < inflated; done += chunk) {
        z.next_in = (Bytef *)in;
        z.avail_in = (uInt)chunk;
        int flush = done + chunk >= inflated ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = out + clen;
            z.avail_out = (uInt)(cap - clen);
            int zr = deflate(&z, flush);
            cr_assert(zr == Z_OK || zr == Z_STREAM_END || zr == Z_BUF_ERROR);
            clen = cap - z.avail_out;
            cr_assert_lt(clen, cap, "compressed stream larger than expected");
        } while (z.avail_in > 0 || (flush == Z_FINISH && z.avail_out == 0));
    }
    deflateEnd(&z);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
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
    fclose(f);
    free(in);
    free(out);
}

/* A PDF whose one content stream inflates to 200 MB (the hostile corpus of
 * the formats issue): whatever poppler makes of it, it costs this file at
 * most the timeout, and the next file is extracted. */
Test(sandbox, pdf_content_stream_of_200mb_is_bounded) {
    fg_sandbox_options_t opt = {.timeout_s = 5};
    fg_sandbox_t *sb = start(&opt);
    char path[512];
    snprintf(path, sizeof path, "%s/bombe.pdf", dir);
    write_inflating_pdf(path, 200u << 20);
    struct stat st_file;
    cr_assert_eq(stat(path, &st_file), 0);
    cr_assert_lt(st_file.st_size, 2 << 20, "the file itself is small: %lld bytes",
                 (long long)st_file.st_size);
    fg_format_doc_t doc;
    fg_sandbox_failure_t fail;
    char reason[256] = "";
    double t0 = now_s();
    fg_status_t st = fg_sandbox_extract(sb, path, &doc, &fail, reason, sizeof reason);
    double took = now_s() - t0;
    cr_assert(took < 5 + 3, "took %.1f s (timeout 5 s)", took);
    if (st == FG_OK) {
        cr_assert_lt(doc.text_len, (size_t)1 << 20, "no text hides in save/restore operators");
        fg_sandbox_doc_free(&doc);
    } else {
        cr_assert(fail == FG_SANDBOX_TIMEOUT || fail == FG_SANDBOX_MEMORY || st == FG_CORRUPT ||
                      st == FG_SKIPPED,
                  "%s (%s)", fg_status_str(st), reason);
    }
    cr_log_info("200 MB content stream: %s in %.2f s (%s)", fg_status_str(st), took, reason);
    assert_extracts(sb, "danach.html");
    fg_sandbox_stop(sb);
}
