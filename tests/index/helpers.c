/* helpers.c - see helpers.h. */
#include "helpers.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char tdir[64];

/* Makes a fresh /tmp/fg-index-XXXXXX for the test. */
void tdir_setup(void) {
    snprintf(tdir, sizeof tdir, "/tmp/fg-index-XXXXXX");
    cr_assert_not_null(mkdtemp(tdir), "mkdtemp: %s", strerror(errno));
}

/* Removes the test's folder. */
void tdir_teardown(void) {
    if (tdir[0])
        rm_tree(tdir);
    tdir[0] = '\0';
}

/* "<tdir>/<name>" in a static buffer. */
const char *tpath(const char *name) {
    static char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s/%s", tdir, name);
    return buf;
}

/* nftw callback: removes one entry. */
static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw) {
    (void)sb;
    (void)ftw;
    if (type == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

/* Removes a tree, depth first, without following symlinks. */
void rm_tree(const char *dir) {
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Opens (creating) a writer, asserting. */
fg_index_t *open_writer(const char *dir) {
    char err[512] = "";
    fg_index_t *idx = NULL;
    fg_status_t st = fg_index_open_writable(dir, FG_INDEX_CREATE, &idx, err, sizeof err);
    cr_assert_eq(st, FG_OK, "open_writable %s: %s (%s)", dir, fg_status_str(st), err);
    cr_assert_not_null(idx);
    return idx;
}

/* Opens a reader, asserting. */
fg_index_t *open_reader(const char *dir) {
    char err[512] = "";
    fg_index_t *idx = NULL;
    fg_status_t st = fg_index_open_readonly(dir, &idx, err, sizeof err);
    cr_assert_eq(st, FG_OK, "open_readonly %s: %s (%s)", dir, fg_status_str(st), err);
    cr_assert_not_null(idx);
    return idx;
}

/* Builds the document of put_words(). */
static fg_doc_t *words_doc(const char *uid, const char *words) {
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_doc_new(&doc), FG_OK);
    uint32_t pos = 1;
    for (const char *w = words; *w;) {
        size_t n = strcspn(w, " ");
        if (n) {
            fg_status_t st = fg_doc_add_posting(doc, w, n, pos++);
            cr_assert_eq(st, FG_OK, "add_posting %.*s: %s", (int)n, w, fg_status_str(st));
        }
        w += n;
        w += strspn(w, " ");
    }
    char data[1024];
    int len = snprintf(data, sizeof data, "url=%s", uid);
    cr_assert_eq(fg_doc_set_data(doc, data, (size_t)len), FG_OK);
    return doc;
}

/* Replaces uid with a document of words. */
void put_words(fg_index_t *idx, const char *uid, const char *words) {
    fg_doc_t *doc = words_doc(uid, words);
    fg_status_t st = fg_index_replace(idx, uid, doc);
    cr_assert_eq(st, FG_OK, "replace %s: %s", uid, fg_index_error(idx));
    fg_doc_free(doc);
}

/* put_words() plus a sortable number in a value slot. */
void put_words_value(fg_index_t *idx, const char *uid, const char *words, unsigned slot,
                     double num) {
    fg_doc_t *doc = words_doc(uid, words);
    char buf[18];
    size_t n = fg_sortable_serialise(num, buf);
    cr_assert_eq(fg_doc_set_value(doc, slot, buf, n), FG_OK);
    fg_status_t st = fg_index_replace(idx, uid, doc);
    cr_assert_eq(st, FG_OK, "replace %s: %s", uid, fg_index_error(idx));
    fg_doc_free(doc);
}

/* A term query. */
fg_xquery_t *qterm(const char *term) {
    fg_xquery_t *q = NULL;
    cr_assert_eq(fg_xquery_term(term, strlen(term), 1, &q), FG_OK);
    return q;
}

/* Two or three queries combined. */
fg_xquery_t *qcombine(fg_xquery_op_t op, uint32_t window, fg_xquery_t *a, fg_xquery_t *b,
                      fg_xquery_t *c) {
    fg_xquery_t *subs[3] = {a, b, c};
    fg_xquery_t *q = NULL;
    cr_assert_eq(fg_xquery_combine(op, subs, c ? 3 : 2, window, &q), FG_OK);
    return q;
}

/* A search with limit 100. */
fg_mset_t *search_all(fg_index_t *idx, const fg_xquery_t *q) {
    fg_search_params_t p;
    fg_search_params_default(&p);
    p.limit = 100;
    fg_mset_t *m = NULL;
    fg_status_t st = fg_index_search(idx, q, &p, &m);
    cr_assert_eq(st, FG_OK, "search: %s (%s)", fg_status_str(st), fg_index_error(idx));
    cr_assert_not_null(m);
    return m;
}

/* The uid of hit i. */
const char *hit_uid(const fg_mset_t *m, size_t i) {
    const fg_mset_hit_t *h = fg_mset_hit(m, i);
    cr_assert_not_null(h, "no hit %zu", i);
    cr_assert(strncmp(h->data, "url=", 4) == 0, "data %s", h->data);
    return h->data + 4;
}

/* CLOCK_MONOTONIC in seconds. */
double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The holder child: takes the writer, reports, obeys one command. */
static void holder_main(const char *dir, int ready_fd, int cmd_fd) {
    char err[512] = "";
    fg_index_t *idx = NULL;
    fg_status_t st = fg_index_open_writable(dir, FG_INDEX_CREATE, &idx, err, sizeof err);
    char status = (char)st;
    if (write(ready_fd, &status, 1) != 1 || st != FG_OK)
        _exit(2);
    char cmd = 'c';
    if (read(cmd_fd, &cmd, 1) != 1)
        cmd = 'c';
    if (cmd == 'x')
        _exit(0); /* the kernel must release the lock */
    _exit(fg_index_close(idx) == FG_OK ? 0 : 3);
}

/* Forks a holder and waits for its report. */
holder_t holder_start(const char *dir) {
    int ready[2], cmd[2];
    cr_assert_eq(pipe(ready), 0);
    cr_assert_eq(pipe(cmd), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1, "fork: %s", strerror(errno));
    if (pid == 0) {
        close(ready[0]);
        close(cmd[1]);
        holder_main(dir, ready[1], cmd[0]);
    }
    close(ready[1]);
    close(cmd[0]);
    char status = -1;
    ssize_t n = read(ready[0], &status, 1);
    close(ready[0]);
    cr_assert_eq(n, 1, "holder died before reporting");
    cr_assert_eq(status, FG_OK, "holder could not open the writer: %s", fg_status_str(status));
    return (holder_t){.pid = pid, .cmd_fd = cmd[1]};
}

/* Stops the holder with a command and reaps it. */
void holder_stop(holder_t *h, char cmd) {
    cr_assert_eq(write(h->cmd_fd, &cmd, 1), 1);
    close(h->cmd_fd);
    int ws = 0;
    cr_assert_eq(waitpid(h->pid, &ws, 0), h->pid);
    cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "holder status 0x%x", ws);
}

/* Kills the holder (SIGKILL) and reaps it. */
void holder_kill(holder_t *h) {
    cr_assert_eq(kill(h->pid, SIGKILL), 0);
    int ws = 0;
    cr_assert_eq(waitpid(h->pid, &ws, 0), h->pid);
    cr_assert(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL);
    close(h->cmd_fd);
}
