/*
 * test_model.c - the inotify event handling against a model: random
 * sequences of what people and programs do to a watched tree (create,
 * rewrite, delete and rename files, make, move and remove folders, move
 * things out of the tree and back in), some at once, some with pauses; the
 * index must converge to the tree each time (dt_matches_tree: one document
 * per admitted file, each file's probe word in exactly one document).
 *
 * CI runs a few seeds; a longer run: FG_MODEL_ROUNDS=N FG_MODEL_SEED=S.
 */
#include <criterion/criterion.h>
#include <dirent.h>
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

TestSuite(daemon_model, .init = setup, .fini = teardown, .timeout = 300);

#define MAX_PATHS 256

/* The model: the folders and files below the watched folder, as paths
 * relative to it ("" is the watched folder itself). */
typedef struct model {
    char *dirs[MAX_PATHS];
    size_t ndirs;
    char *files[MAX_PATHS];
    size_t nfiles;
    unsigned next; /* the next name and probe word */
    uint64_t rng;
} model_t;

/* A pseudo-random number below n (xorshift64*). */
static unsigned pick(model_t *m, unsigned n) {
    m->rng ^= m->rng >> 12;
    m->rng ^= m->rng << 25;
    m->rng ^= m->rng >> 27;
    return n ? (unsigned)((m->rng * 2685821657736338717ull) >> 33) % n : 0;
}

/* The absolute path of rel. */
static void abs_path(const char *rel, char *out, size_t len) {
    snprintf(out, len, "%s%s%s", t.watch, rel[0] ? "/" : "", rel);
}

/* Writes file rel with a new probe word. */
static void put_file(model_t *m, const char *rel) {
    char path[2048], word[24], text[256];
    abs_path(rel, path, sizeof path);
    unsigned n = m->next++;
    snprintf(text, sizeof text, "%s Modelltest Datei %u\n", dt_word(n, word), n);
    dt_write(path, text);
}

/* Removes entry i of list (n entries) by swapping the last in. */
static void drop(char **list, size_t *n, size_t i) {
    free(list[i]);
    list[i] = list[--*n];
}

/* True when path lies below folder (or is it). */
static bool below(const char *path, const char *folder) {
    size_t n = strlen(folder);
    return n == 0 || (strncmp(path, folder, n) == 0 && (path[n] == '/' || path[n] == '\0'));
}

/* Replaces the prefix from of every path of list below from with to. */
static void rebase(char **list, size_t n, const char *from, const char *to) {
    for (size_t i = 0; i < n; i++)
        if (below(list[i], from)) {
            char *p = NULL;
            cr_assert(asprintf(&p, "%s%s", to, list[i] + strlen(from)) > 0);
            free(list[i]);
            list[i] = p;
        }
}

/* One random operation on the tree and the model. */
static void step(model_t *m) {
    char a[2048], b[2048], rel[1024];
    unsigned op = pick(m, 100);
    const char *dir = m->dirs[pick(m, (unsigned)m->ndirs)];
    if (op < 30 && m->nfiles < MAX_PATHS) { /* a new file */
        snprintf(rel, sizeof rel, "%s%sn%u.txt", dir, dir[0] ? "/" : "", m->next);
        put_file(m, rel);
        m->files[m->nfiles++] = strdup(rel);
    } else if (op < 45 && m->nfiles) { /* rewritten in place */
        put_file(m, m->files[pick(m, (unsigned)m->nfiles)]);
    } else if (op < 55 && m->nfiles) { /* deleted */
        size_t i = pick(m, (unsigned)m->nfiles);
        abs_path(m->files[i], a, sizeof a);
        cr_assert_eq(unlink(a), 0, "%s", a);
        drop(m->files, &m->nfiles, i);
    } else if (op < 70 && m->nfiles) { /* renamed, maybe into another folder */
        size_t i = pick(m, (unsigned)m->nfiles);
        snprintf(rel, sizeof rel, "%s%sr%u.txt", dir, dir[0] ? "/" : "", m->next++);
        abs_path(m->files[i], a, sizeof a);
        abs_path(rel, b, sizeof b);
        cr_assert_eq(rename(a, b), 0, "%s -> %s", a, b);
        free(m->files[i]);
        m->files[i] = strdup(rel);
    } else if (op < 78 && m->ndirs < MAX_PATHS) { /* a new folder */
        snprintf(rel, sizeof rel, "%s%sd%u", dir, dir[0] ? "/" : "", m->next++);
        abs_path(rel, a, sizeof a);
        cr_assert_eq(mkdir(a, 0755), 0, "%s", a);
        m->dirs[m->ndirs++] = strdup(rel);
    } else if (op < 86 && m->ndirs > 1) { /* a folder moved within the tree */
        size_t i = 1 + pick(m, (unsigned)m->ndirs - 1);
        char *from = strdup(m->dirs[i]);
        if (below(dir, from)) { /* not into itself */
            free(from);
            return;
        }
        snprintf(rel, sizeof rel, "%s%sm%u", dir, dir[0] ? "/" : "", m->next++);
        abs_path(from, a, sizeof a);
        abs_path(rel, b, sizeof b);
        cr_assert_eq(rename(a, b), 0, "%s -> %s", a, b);
        rebase(m->dirs, m->ndirs, from, rel);
        rebase(m->files, m->nfiles, from, rel);
        free(from);
    } else if (op < 92 && m->ndirs > 1) { /* a folder removed with all in it */
        size_t i = 1 + pick(m, (unsigned)m->ndirs - 1);
        char *gone = strdup(m->dirs[i]);
        abs_path(gone, a, sizeof a);
        tu_rmtree(a);
        for (size_t k = m->nfiles; k-- > 0;)
            if (below(m->files[k], gone))
                drop(m->files, &m->nfiles, k);
        for (size_t k = m->ndirs; k-- > 1;)
            if (below(m->dirs[k], gone))
                drop(m->dirs, &m->ndirs, k);
        free(gone);
    } else if (m->nfiles) { /* moved out of the tree, maybe back in under another name */
        size_t i = pick(m, (unsigned)m->nfiles);
        abs_path(m->files[i], a, sizeof a);
        snprintf(b, sizeof b, "%s/outside-%u.txt", t.dir, m->next++);
        cr_assert_eq(rename(a, b), 0, "%s -> %s", a, b);
        if (pick(m, 2)) {
            snprintf(rel, sizeof rel, "%s%sb%u.txt", dir, dir[0] ? "/" : "", m->next++);
            abs_path(rel, a, sizeof a);
            cr_assert_eq(rename(b, a), 0, "%s -> %s", b, a);
            free(m->files[i]);
            m->files[i] = strdup(rel);
        } else {
            unlink(b);
            drop(m->files, &m->nfiles, i);
        }
    }
}

/* Runs rounds of ops random operations from seed, each round ending in a
 * check that the index converged to the tree. */
static void run_model(uint64_t seed, unsigned rounds, unsigned ops) {
    model_t m = {.rng = seed * 0x9E3779B97F4A7C15ull + 1};
    m.dirs[m.ndirs++] = strdup("");
    cr_assert(dt_start(&t, NULL, NULL), "%s", dt_log(&t));
    for (unsigned r = 0; r < rounds; r++) {
        for (unsigned i = 0; i < ops; i++) {
            step(&m);
            if (pick(&m, 8) == 0)
                usleep(pick(&m, 30) * 1000); /* now and then a pause */
        }
        char why[1024];
        double s = dt_wait_tree(&t, 60, why, sizeof why);
        cr_assert_geq(s, 0, "seed %llu round %u: the index does not match the tree: %s\n%s",
                      (unsigned long long)seed, r, why, dt_log(&t));
        cr_assert_eq(dt_count(&t), (long)m.nfiles, "seed %llu round %u", (unsigned long long)seed,
                     r);
    }
    cr_expect_eq(dt_stop(&t), 0);
    for (size_t i = 0; i < m.ndirs; i++)
        free(m.dirs[i]);
    for (size_t i = 0; i < m.nfiles; i++)
        free(m.files[i]);
}

/* The rounds to run: FG_MODEL_ROUNDS, else def. */
static unsigned rounds_or(unsigned def) {
    const char *e = getenv("FG_MODEL_ROUNDS");
    return e && atoi(e) > 0 ? (unsigned)atoi(e) : def;
}

/* The seed: FG_MODEL_SEED, else def. */
static uint64_t seed_or(uint64_t def) {
    const char *e = getenv("FG_MODEL_SEED");
    return e && *e ? strtoull(e, NULL, 10) : def;
}

Test(daemon_model, random_changes_converge_seed_1) {
    run_model(seed_or(1), rounds_or(4), 60);
}

Test(daemon_model, random_changes_converge_seed_2) {
    run_model(seed_or(2) + 1000, rounds_or(4), 60);
}

Test(daemon_model, random_changes_converge_seed_3) {
    run_model(seed_or(3) + 2000, rounds_or(4), 60);
}
