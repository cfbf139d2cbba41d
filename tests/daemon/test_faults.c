/*
 * test_faults.c - faults of the machine, not of the files: a full disk while
 * the daemon commits (through tests/daemon/faultshim.c, an LD_PRELOAD
 * library), a file that fails with EIO, an index damaged on disk.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dtest.h"
#include "testutil.h"

static dtest_t t;

static void setup(void) {
    dt_init(&t);
}

static void teardown(void) {
    dt_fini(&t);
}

TestSuite(daemon_faults, .init = setup, .fini = teardown, .timeout = 120);

/* "NAME=VALUE" (malloc'ed). */
static char *env_var(const char *name, const char *value) {
    char *s = NULL;
    cr_assert(asprintf(&s, "%s=%s", name, value) > 0);
    return s;
}

/* The LD_PRELOAD entry of the shim (with ASan's link-order check off: the
 * shim comes before the sanitizer's runtime). */
static char *preload(void) {
    char *shim = tu_build_path("tests/daemon/libfg_faultshim.so");
    char *e = env_var("LD_PRELOAD", shim);
    free(shim);
    return e;
}

/* Writes file i (probe word i) into the watched folder. */
static void write_numbered(unsigned i) {
    char path[1024], word[24], text[128];
    snprintf(path, sizeof path, "%s/f%u.txt", t.watch, i);
    snprintf(text, sizeof text, "%s Notiz Nummer %u\n", dt_word(i, word), i);
    dt_write(path, text);
}

/* Polls the log until it contains what (up to timeout_s); true when it does. */
static bool wait_log(const char *what, double timeout_s) {
    for (double end = dt_now() + timeout_s; dt_now() < end;) {
        if (strstr(dt_log(&t), what))
            return true;
        usleep(20 * 1000);
    }
    return strstr(dt_log(&t), what) != NULL;
}

Test(daemon_faults, disk_full_keeps_the_index_and_catches_up) {
    char *flag = NULL;
    cr_assert(asprintf(&flag, "%s/disk-full", t.dir) > 0);
    char *pre = preload(), *dir = env_var("FG_FAULT_FULL_DIR", t.index),
         *fl = env_var("FG_FAULT_FULL_FLAG", flag);
    const char *env[] = {pre, dir, fl, "ASAN_OPTIONS=verify_asan_link_order=0:detect_leaks=1",
                         NULL};
    for (unsigned i = 0; i < 3; i++)
        write_numbered(i);
    cr_assert(dt_start(&t, NULL, env), "%s", dt_log(&t));
    cr_assert_geq(dt_wait_count(&t, 3, 20), 0, "%s", dt_log(&t));

    /* the disk fills: commits fail, the daemon keeps what it committed */
    dt_write(flag, "");
    for (unsigned i = 3; i < 60; i++)
        write_numbered(i);
    cr_assert(wait_log("disk full", 20), "no 'disk full' in the log:\n%s", dt_log(&t));
    cr_assert_eq(dt_count(&t), 3, "the last committed index stays searchable");
    char word[24];
    cr_assert_eq(dt_freq(&t, dt_word(1, word)), 1);
    usleep(1500 * 1000); /* at least one retry, still full */
    cr_assert_eq(dt_count(&t), 3);
    cr_assert(t.pid > 0 && kill(t.pid, 0) == 0, "the daemon runs on");

    /* space again: it catches up with everything that changed meanwhile */
    unlink(flag);
    write_numbered(60);
    char why[1024];
    double s = dt_wait_tree(&t, 30, why, sizeof why);
    cr_assert_geq(s, 0, "no catching up: %s\n%s", why, dt_log(&t));
    cr_expect(strstr(dt_log(&t), "caught up"), "%s", dt_log(&t));
    cr_assert_eq(dt_count(&t), 61);
    cr_expect_eq(dt_stop(&t), 0, "%s", dt_log(&t));
    free(flag);
    free(pre);
    free(dir);
    free(fl);
}

Test(daemon_faults, read_error_fails_that_file_only) {
    for (unsigned i = 0; i < 5; i++)
        write_numbered(i);
    char path[1024];
    snprintf(path, sizeof path, "%s/kaputt.txt", t.watch);
    dt_write(path, "Zitronenfalter auf kaputter Platte\n");
    char *exe = tu_build_path("cli/fundgrube");
    char *pre = preload();
    const char *argv[] = {exe, "index", "--index", t.index, t.watch, NULL};
    const char *env[] = {pre, "FG_FAULT_EIO=kaputt", "ASAN_OPTIONS=verify_asan_link_order=0", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    cr_expect(strstr(r.out, "5 files") || strstr(r.err, "5 files"), "out: %s\nerr: %s", r.out,
              r.err);
    cr_expect(strstr(r.out, "1 failed") || strstr(r.err, "1 failed"), "out: %s\nerr: %s", r.out,
              r.err);
    cr_expect(strstr(r.err, "kaputt.txt") && strstr(r.err, "Input/output error"), "%s", r.err);
    tu_run_free(&r);
    cr_assert_eq(dt_count(&t), 5, "the other files are indexed");
    free(pre);
    free(exe);
}

/* Truncates the largest table of the live generation to size bytes. */
static void damage_index(long size) {
    char *cmd = NULL;
    cr_assert(asprintf(&cmd, "truncate -s %ld %s/gen-*/postlist.glass", size, t.index) > 0);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
}

/* Indexes 20 files with the daemon, stops it and damages the index (its
 * postlist table cut to size bytes). */
static void make_damaged(long size) {
    for (unsigned i = 0; i < 20; i++)
        write_numbered(i);
    cr_assert(dt_start(&t, NULL, NULL), "%s", dt_log(&t));
    cr_assert_geq(dt_wait_count(&t, 20, 20), 0);
    cr_assert_eq(dt_stop(&t), 0);
    fg_index_close(t.rd); /* the test's reader: reopened on the new index later */
    t.rd = NULL;
    damage_index(size);
}

/* Starts the daemon on the damaged index and asserts it moves it aside and
 * rebuilds it from the watched folder (with a file added meanwhile). */
static void assert_rebuilt(void) {
    write_numbered(20);
    cr_assert(dt_start(&t, NULL, NULL), "%s", dt_log(&t));
    char why[1024];
    cr_assert_geq(dt_wait_tree(&t, 30, why, sizeof why), 0, "%s\n%s", why, dt_log(&t));
    cr_expect(strstr(dt_log(&t), "is damaged") && strstr(dt_log(&t), ".damaged"), "%s", dt_log(&t));
    char *aside = NULL;
    cr_assert(asprintf(&aside, "%s.damaged", t.index) > 0);
    struct stat sb;
    cr_expect_eq(stat(aside, &sb), 0, "the damaged index is kept aside");
    cr_expect_eq(dt_stop(&t), 0);
    tu_rmtree(aside);
    free(aside);
}

Test(daemon_faults, damaged_index_is_rebuilt_at_start) {
    make_damaged(0); /* seen when it is opened */
    /* the CLI says what is wrong and what to do */
    char *exe = tu_build_path("cli/fundgrube"), word[24];
    const char *argv[] = {exe, "search", "--index", t.index, dt_word(3, word), NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, NULL, &r));
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "is damaged") && strstr(r.err, "fundgrubed rebuilds it"), "%s", r.err);
    tu_run_free(&r);
    assert_rebuilt();
    cr_assert(tu_run(argv, NULL, &r));
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.out, "f3.txt"), "%s", r.out);
    tu_run_free(&r);
    free(exe);
}

Test(daemon_faults, damage_found_while_running_is_rebuilt) {
    make_damaged(8192); /* opens; reading a later block fails */
    assert_rebuilt();
}
