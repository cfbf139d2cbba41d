/*
 * test_cluster.c - a shard list whose shards fail: three xapian-tcpsrv
 * servers, one stopped mid-run (killed, then frozen): the searches of an
 * open handle go on with the others' hits and a warning naming it, and give
 * the full results once it is back.  Also the [cluster] section of a
 * configuration file searched by `fundgrube search`.
 */
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fundgrube/fundgrube.h"
#include "index/index.h"
#include "tcpsrv.h"
#include "testutil.h"

#define SHARDS 3

static char *dir, *exe, *home_env;
static tcpsrv_t srv[SHARDS];

/* "dir/name" (malloc'ed). */
static char *at(const char *name) {
    char *p = NULL;
    cr_assert(asprintf(&p, "%s/%s", dir, name) > 0);
    return p;
}

/* Runs fundgrube with args (NULL-terminated) and extra env; returns the run. */
static tu_run_t run(const char *const *args, const char *config_env) {
    const char *argv[16] = {exe};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 15; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    const char *env[] = {home_env, config_env ? config_env : "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=",
                         "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    return r;
}

/* The examples in three folders s0 (Bürger, Büro, Fahrrad), s1 (Kaffee,
 * Miete, Wetter), s2 (the sample), each indexed into i0..i2 and served. */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    exe = tu_build_path("cli/fundgrube");
    cr_assert(asprintf(&home_env, "HOME=%s", dir) > 0);
    char *cmd = NULL;
    cr_assert(asprintf(&cmd,
                       "mkdir -p %s/s0 %s/s1 %s/s2 && cp %s/examples/[bf]* %s/s0/ && "
                       "cp %s/examples/[kmw]* %s/s1/ && cp %s/sample/* %s/s2/",
                       dir, dir, dir, FG_SOURCE_DIR, dir, FG_SOURCE_DIR, dir, FG_SHARED_DATA,
                       dir) > 0);
    cr_assert_eq(system(cmd), 0);
    free(cmd);
    for (int s = 0; s < SHARDS; s++) {
        char name[8], *opt = NULL, *folder, *ix;
        snprintf(name, sizeof name, "s%d", s);
        folder = at(name);
        name[0] = 'i';
        ix = at(name);
        cr_assert(asprintf(&opt, "--index=%s", ix) > 0);
        const char *args[] = {"index", opt, folder, NULL};
        tu_run_t r = run(args, NULL);
        cr_assert_eq(r.status, 0, "%s", r.err);
        tu_run_free(&r);
        cr_assert(tcpsrv_start(&srv[s], ix, 0), "xapian-tcpsrv (xapian-tools) did not start");
        free(opt);
        free(folder);
        free(ix);
    }
}

static void teardown(void) {
    for (int s = 0; s < SHARDS; s++)
        tcpsrv_stop(&srv[s]);
    tu_rmtree(dir);
    free(dir);
    free(exe);
    free(home_env);
}

TestSuite(cluster, .init = setup, .fini = teardown, .timeout = 60);

/* Writes the shard list of the three servers; returns its path. */
static char *write_list(void) {
    char text[256];
    int n = 0;
    for (int s = 0; s < SHARDS; s++)
        n += snprintf(text + n, sizeof text - (size_t)n, "remote localhost:%u\n", srv[s].port);
    return tu_write_str(dir, "shards", text);
}

/* The plugin, and a handle on path opened with settings. */
static const fg_plugin_api_t *load(void **so, const char *path, const char *const *settings,
                                   fg_handle_t **h) {
    char *lib = tu_build_path("plugin/libfundgrube.so"), err[1024];
    *so = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    cr_assert(*so, "dlopen %s: %s", lib, dlerror());
    free(lib);
    fg_plugin_entry_fn entry = (fg_plugin_entry_fn)dlsym(*so, FG_PLUGIN_ENTRY_NAME);
    const fg_plugin_api_t *api = entry ? entry(FG_PLUGIN_ABI_MAJOR) : NULL;
    cr_assert(api && api->struct_size >= FG_PLUGIN_API_MIN_SIZE(open_with));
    cr_assert_eq(api->open_with(path, settings, h, err, sizeof err), FG_OK, "%s", err);
    return api;
}

/* One search's outcome: the hits' file names and docids in rank order, the
 * total and the warnings. */
typedef struct outcome {
    char names[1024];
    uint32_t docids[16];
    size_t n;
    uint64_t total;
    char warnings[1024];
} outcome_t;

static const char *const QUERY = "Kaffee OR Fahrrad OR Zentralasien OR Bürgerversammlung";

/* Runs QUERY on h; asserts that the search succeeds. */
static outcome_t search(const fg_plugin_api_t *api, fg_handle_t *h) {
    fg_search_options_t o = {.struct_size = sizeof o, .limit = 16};
    fg_results_t *r = NULL;
    cr_assert_eq(api->search(h, QUERY, &o, &r), FG_OK, "%s", api->last_error(h));
    cr_assert_geq(r->struct_size, offsetof(fg_results_t, warnings) + sizeof r->warnings);
    outcome_t out = {.total = r->total_estimate, .n = r->count};
    size_t k = 0;
    for (size_t i = 0; i < r->count && i < 16; i++) {
        const fg_hit_t *hit = FG_RESULTS_HIT(r, i);
        const char *base = strrchr(hit->path, '/');
        k += (size_t)snprintf(out.names + k, sizeof out.names - k, "%s ", base ? base + 1 : "?");
        out.docids[i] = hit->docid;
    }
    snprintf(out.warnings, sizeof out.warnings, "%s", r->warnings ? r->warnings : "");
    api->results_free(r);
    return out;
}

/* True when the hits of o include the file name. */
static bool has(const outcome_t *o, const char *name) {
    return strstr(o->names, name) != NULL;
}

/* The docid o gives the file name (0: not among its hits). */
static uint32_t docid_of(const outcome_t *o, const char *name) {
    const char *at = o->names;
    for (size_t i = 0; i < o->n; i++) {
        const char *sp = strchr(at, ' ');
        if (!sp)
            break;
        if ((size_t)(sp - at) == strlen(name) && strncmp(at, name, (size_t)(sp - at)) == 0)
            return o->docids[i];
        at = sp + 1;
    }
    return 0;
}

/* Expects o to be full without the hits of shard 1 (Kaffee), with a
 * warning naming it, the others' docids as in full. */
static void expect_without_shard1(const outcome_t *o, const outcome_t *full, unsigned port,
                                  const char *when) {
    char name[64];
    snprintf(name, sizeof name, "shard localhost:%u ", port);
    cr_expect(strstr(o->warnings, name), "%s: warnings '%s'", when, o->warnings);
    cr_expect(!has(o, "kaffee-zubereitung.md"), "%s: %s", when, o->names);
    cr_expect(has(o, "fahrrad-reparatur.txt") && has(o, "buergerversammlung.txt") &&
                  has(o, "zentralasien-deutschland.txt"),
              "%s: %s", when, o->names);
    cr_expect_eq(o->n, full->n - 1, "%s: %s / %s", when, o->names, full->names);
    cr_expect_eq(o->total, full->total - 1, "%s", when);
    /* the others keep their docids: an empty stand-in holds the place */
    static const char *const others[] = {"fahrrad-reparatur.txt", "buergerversammlung.txt",
                                         "zentralasien-deutschland.txt"};
    for (size_t i = 0; i < 3; i++)
        cr_expect_eq(docid_of(o, others[i]), docid_of(full, others[i]), "%s: %s", when, others[i]);
}

Test(cluster, a_shard_down_gives_the_others_hits_and_a_warning) {
    char *list = write_list(), *i1 = at("i1");
    const char *settings[] = {"cluster.retry=0", "cluster.timeout=500",
                              "cluster.connect_timeout=500", NULL};
    void *so;
    fg_handle_t *h;
    const fg_plugin_api_t *api = load(&so, list, settings, &h);

    outcome_t full = search(api, h);
    cr_assert_str_eq(full.warnings, "");
    cr_assert(has(&full, "kaffee-zubereitung.md") && has(&full, "fahrrad-reparatur.txt") &&
                  has(&full, "zentralasien-deutschland.txt") &&
                  has(&full, "buergerversammlung.txt"),
              "%s", full.names);

    /* killed while the handle is open: its connection breaks mid-run */
    unsigned port1 = srv[1].port;
    tcpsrv_stop(&srv[1]);
    outcome_t part = search(api, h);
    expect_without_shard1(&part, &full, port1, "killed");
    part = search(api, h); /* tried again, still down */
    expect_without_shard1(&part, &full, port1, "still down");

    /* back on its port: the next search is complete again */
    cr_assert(tcpsrv_start(&srv[1], i1, port1), "restarting on port %u", port1);
    outcome_t again = search(api, h);
    cr_expect_str_eq(again.warnings, "");
    cr_expect_str_eq(again.names, full.names);
    cr_expect_eq(again.total, full.total);

    /* frozen (SIGSTOP to its session's group): the answer times out */
    cr_assert_eq(kill(-srv[1].pid, SIGSTOP), 0);
    part = search(api, h);
    expect_without_shard1(&part, &full, port1, "frozen");
    cr_expect(strstr(part.warnings, "Timeout") || strstr(part.warnings, "timeout") ||
                  strstr(part.warnings, "timed out"),
              "%s", part.warnings);
    cr_assert_eq(kill(-srv[1].pid, SIGCONT), 0);
    again = search(api, h);
    cr_expect_str_eq(again.warnings, "");
    cr_expect_str_eq(again.names, full.names);

    api->close(h);
    dlclose(so);
    free(list);
    free(i1);
}

Test(cluster, a_cluster_section_searched_by_the_cli) {
    /* a local folder, a served one and one whose server is gone */
    char *i0 = at("i0"), conf[512], *cfg, *cfg_env = NULL;
    unsigned dead = srv[1].port;
    tcpsrv_stop(&srv[1]);
    snprintf(conf, sizeof conf,
             "[cluster]\nshards = %s\n  remote:localhost:%u\n  remote:localhost:%u\n"
             "timeout = 1000\nconnect_timeout = 500\n",
             i0, srv[2].port, dead);
    cfg = tu_write_str(dir, "cluster.conf", conf);
    cr_assert(asprintf(&cfg_env, "FUNDGRUBE_CONFIG=%s", cfg) > 0);
    const char *args[] = {"search", "--json", "--no-snippets", "--limit=20", QUERY, NULL};
    tu_run_t r = run(args, cfg_env);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char want[64];
    snprintf(want, sizeof want, "warning: shard localhost:%u ", dead);
    cr_expect(strstr(r.err, want), "stderr: %s", r.err);
    size_t hits = 0, warnings = 0;
    bool kaffee = false, fahrrad = false, sample = false;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n")) {
        json_t *j = json_loads(line, 0, NULL);
        cr_assert(j, "%s", line);
        const char *path = json_string_value(json_object_get(j, "path"));
        if (path) {
            hits++;
            kaffee = kaffee || strstr(path, "kaffee");
            fahrrad = fahrrad || strstr(path, "fahrrad");
            sample = sample || strstr(path, "zentralasien");
        } else {
            json_t *w = json_object_get(j, "warnings");
            cr_assert(json_is_array(w), "%s", line);
            warnings = json_array_size(w);
            cr_expect(strstr(json_string_value(json_array_get(w, 0)), want + 9), "%s", line);
        }
        json_decref(j);
    }
    cr_expect_eq(warnings, 1);
    cr_expect(fahrrad && sample && !kaffee, "%zu hits", hits);
    cr_expect_eq(hits, 3);
    tu_run_free(&r);
    free(cfg_env);
    free(cfg);
    free(i0);
}

/* The writer of the swap test: for ms milliseconds, commits a new revision
 * into the index folder ix every few milliseconds and every fifth time
 * compacts it into a new generation (the stub swaps to gen-N+1, gen-N is
 * removed).  Exits 0, or 1 when a step failed. */
static void write_for(const char *ix, int ms) {
    fg_index_t *w = NULL;
    char err[512];
    if (fg_index_open_writable(ix, 0, &w, err, sizeof err) != FG_OK)
        _exit(1);
    for (int i = 0; i * 10 < ms; i++) {
        char tick[16];
        snprintf(tick, sizeof tick, "%d", i);
        if (fg_index_set_metadata(w, "fg-test-tick", tick) != FG_OK || fg_index_commit(w) != FG_OK)
            _exit(1);
        if (i % 5 == 4 && fg_index_merge(w, NULL, 0) != FG_OK)
            _exit(1);
        usleep(10 * 1000);
    }
    _exit(fg_index_close(w) == FG_OK ? 0 : 1);
}

Test(cluster, searches_go_on_while_a_served_shard_swaps_generations) {
    char *list = write_list(), *i0 = at("i0"), stub[64] = "", *stub_path = NULL;
    const char *settings[] = {"cluster.retry=0", NULL};
    void *so;
    fg_handle_t *h;
    const fg_plugin_api_t *api = load(&so, list, settings, &h);
    outcome_t full = search(api, h);
    pid_t writer = fork();
    cr_assert(writer >= 0);
    if (writer == 0)
        write_for(i0, 1500);
    size_t searches = 0;
    int status = -1;
    while (waitpid(writer, &status, WNOHANG) == 0) {
        outcome_t o = search(api, h); /* asserts that it succeeds */
        cr_expect_str_eq(o.warnings, "", "search %zu", searches);
        cr_expect_str_eq(o.names, full.names, "search %zu", searches);
        searches++;
    }
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the writer failed");
    cr_assert(asprintf(&stub_path, "%s/XAPIANDB", i0) > 0);
    char *text = tu_read(stub_path, NULL);
    cr_assert(text);
    snprintf(stub, sizeof stub, "%s", text);
    cr_expect_neq(strcmp(stub, "glass gen-1\n"), 0, "no generation swap: %s", stub);
    outcome_t after = search(api, h);
    cr_expect_str_eq(after.names, full.names);
    cr_expect_gt(searches, 10, "searches during the writes: %zu", searches);
    api->close(h);
    dlclose(so);
    free(text);
    free(stub_path);
    free(list);
    free(i0);
}
