/*
 * test_shards.c - a shard list (Xapian's stub format) searched as one
 * index: two local index folders, and a local one with another served by
 * xapian-tcpsrv, rank every query as the one index of all their files does
 * (the same hits with the same weights), through `fundgrube search`.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static char *dir, *exe, *home_env;

/* Runs fundgrube with argv[1..] (NULL-terminated); returns the run. */
static tu_run_t run(const char *const *args) {
    const char *argv[16] = {exe};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    const char *env[] = {home_env, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    return r;
}

/* "dir/name" (malloc'ed). */
static char *at(const char *name) {
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

/* Indexes the folders a and b (b may be NULL) into dir/name. */
static void index_into(const char *name, const char *a, const char *b) {
    char *ix = at(name), *opt = NULL;
    cr_assert(asprintf(&opt, "--index=%s", ix) > 0);
    const char *args[] = {"index", opt, a, b, NULL};
    tu_run_t r = run(args);
    cr_assert_eq(r.status, 0, "%s", r.err);
    tu_run_free(&r);
    free(opt);
    free(ix);
}

/* Half the examples and the sample in shard a, the rest in b, all in "all". */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    exe = tu_build_path("cli/fundgrube");
    cr_assert(asprintf(&home_env, "HOME=%s", dir) > 0);
    char *cmd = NULL;
    cr_assert(asprintf(&cmd,
                       "mkdir -p %s/a %s/b && cp %s/examples/[bf]* %s/sample/* %s/a/ && "
                       "cp %s/examples/[kmw]* %s/b/",
                       dir, dir, FG_SOURCE_DIR, FG_SHARED_DATA, dir, FG_SOURCE_DIR, dir) > 0);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
    char *a = at("a"), *b = at("b");
    index_into("ia", a, NULL);
    index_into("ib", b, NULL);
    index_into("all", a, b);
    free(a);
    free(b);
}

static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
    free(exe);
    free(home_env);
}

TestSuite(shards, .init = setup, .fini = teardown, .timeout = 60);

/* qsort() order of strings. */
static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The hits of q on index ix (an option value) as "weight path" lines, sorted
 * (ties of weight in any docid order), with the total. */
static char *hits_of(const char *ix, const char *q, const char *extra) {
    char *opt = NULL;
    cr_assert(asprintf(&opt, "--index=%s", ix) > 0);
    const char *args[] = {"search", opt, "--json", "--limit=100", "--no-snippets", q, extra, NULL};
    tu_run_t r = run(args);
    cr_assert_eq(r.status, 0, "%s: %s", q, r.err);
    size_t n = 0;
    char *lines[128];
    long total = -1;
    for (char *line = strtok(r.out, "\n"); line && n < 128; line = strtok(NULL, "\n")) {
        json_t *j = json_loads(line, 0, NULL);
        cr_assert(j, "%s", line);
        const char *path = json_string_value(json_object_get(j, "path"));
        total = (long)json_integer_value(json_object_get(j, "total"));
        if (path) {
            const char *rel = strstr(path, "/a/") ? strstr(path, "/a/") : strstr(path, "/b/");
            cr_assert(asprintf(&lines[n++], "%.6f %s", json_real_value(json_object_get(j, "score")),
                               rel ? rel : path) > 0);
        }
        json_decref(j);
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    size_t len = 64;
    for (size_t i = 0; i < n; i++)
        len += strlen(lines[i]) + 1;
    char *out = malloc(len);
    int k = snprintf(out, len, "total %ld\n", total);
    for (size_t i = 0; i < n; i++) {
        k += snprintf(out + k, len - (size_t)k, "%s\n", lines[i]);
        free(lines[i]);
    }
    tu_run_free(&r);
    free(opt);
    return out;
}

static const char *const queries[] = {"Kaffee",
                                      "Wetter Sommer Reparatur",
                                      "Bürger*",
                                      "\"frisch gemahlene Bohnen\"",
                                      "Fahrrad NOT Espresso",
                                      "title:Kaffeezubereitung",
                                      "Partnerschaften",
                                      "Mietvertrag OR Nebenkosten"};

/* Asserts that the shard list list ranks every query as "all" does. */
static void assert_as_one(const char *list) {
    char *all = at("all");
    for (size_t i = 0; i < sizeof queries / sizeof *queries; i++) {
        char *want = hits_of(all, queries[i], NULL), *got = hits_of(list, queries[i], NULL);
        cr_expect_str_eq(got, want, "%s:\n%s---\n%s", queries[i], got, want);
        cr_expect(strncmp(want, "total 0\n", 8) != 0 && strncmp(want, "total -1", 8) != 0,
                  "'%s' finds something: %s", queries[i], want);
        free(want);
        free(got);
        want = hits_of(all, queries[i], "--sort=date");
        got = hits_of(list, queries[i], "--sort=date");
        cr_expect_str_eq(got, want, "%s --sort=date", queries[i]);
        free(want);
        free(got);
    }
    free(all);
}

Test(shards, two_local_folders_rank_as_one_index) {
    char *list = at("shards");
    free(tu_write_str(dir, "shards", "auto ia\nauto ib\n")); /* relative to the list */
    assert_as_one(list);
    /* a shard list is not written to */
    char *opt = NULL, *a = at("a");
    cr_assert(asprintf(&opt, "--index=%s", list) > 0);
    const char *args[] = {"index", opt, a, NULL};
    tu_run_t r = run(args);
    cr_expect_neq(r.status, 0);
    cr_expect(strstr(r.err, "shard list"), "%s", r.err);
    tu_run_free(&r);
    free(opt);
    free(a);
    free(list);
}

Test(shards, a_remote_shard_through_xapian_tcpsrv) {
    char *ib = at("ib");
    unsigned port = 0;
    pid_t srv = -1;
    for (int attempt = 0; attempt < 10 && srv < 0; attempt++) {
        port = 20000 + (unsigned)((getpid() * 7 + attempt * 131) % 20000);
        char portarg[16];
        snprintf(portarg, sizeof portarg, "%u", port);
        pid_t pid = fork();
        cr_assert(pid >= 0);
        if (pid == 0) {
            setsid(); /* xapian-tcpsrv 1.4 answers SIGTERM by killing its process group */
            execlp("xapian-tcpsrv", "xapian-tcpsrv", "--quiet", "--port", portarg, ib,
                   (char *)NULL);
            _exit(127);
        }
        usleep(300 * 1000);
        int st;
        if (waitpid(pid, &st, WNOHANG) == 0)
            srv = pid; /* still running: it listens */
    }
    cr_assert(srv > 0, "xapian-tcpsrv (package xapian-tools) did not start");
    char text[128];
    snprintf(text, sizeof text, "auto ia\nremote localhost:%u\n", port);
    free(tu_write_str(dir, "remote-shards", text));
    char *list = at("remote-shards");
    assert_as_one(list);
    kill(srv, SIGTERM);
    waitpid(srv, NULL, 0);
    free(list);
    free(ib);
}
