/*
 * test_open.c - opening, creating, closing, the writer lock, format versions.
 */
#include "helpers.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

TestSuite(open, .init = tdir_setup, .fini = tdir_teardown);

/* Does the file exist? */
static bool exists(const char *path) {
    struct stat sb;
    return stat(path, &sb) == 0;
}

/* Create, close, reopen read-only and writable. */
Test(open, create_open_close) {
    fg_index_t *w = open_writer(tdir);
    cr_assert_str_eq(fg_index_path(w), tdir);
    cr_assert_str_eq(fg_index_error(w), "");
    cr_assert(exists(tpath("XAPIANDB")), "a stub names the live generation");
    cr_assert(exists(tpath("gen-1/iamglass")), "the database lives in generation gen-1");
    cr_assert(exists(tpath("fundgrube.lock")));
    cr_assert_eq(fg_index_close(w), FG_OK);

    fg_index_t *r = open_reader(tdir);
    uint64_t n = 99;
    cr_assert_eq(fg_index_doc_count(r, &n), FG_OK);
    cr_assert_eq(n, 0);
    char *fmt = NULL;
    cr_assert_eq(fg_index_get_metadata(r, FG_META_FORMAT, &fmt), FG_OK);
    cr_assert_str_eq(fmt, FG_INDEX_FORMAT);
    free(fmt);
    cr_assert_eq(fg_index_close(r), FG_OK);

    /* An existing index opens without FG_INDEX_CREATE. */
    char err[256] = "";
    fg_index_t *w2 = NULL;
    cr_assert_eq(fg_index_open_writable(tdir, 0, &w2, err, sizeof err), FG_OK, "%s", err);
    cr_assert_eq(fg_index_close(w2), FG_OK);
    cr_assert_eq(fg_index_close(NULL), FG_OK);
}

/* FG_INDEX_CREATE makes missing parent folders. */
Test(open, create_makes_parent_folders) {
    fg_index_t *w = open_writer(tpath("a/b/c"));
    cr_assert(exists(tpath("a/b/c/XAPIANDB")));
    cr_assert(exists(tpath("a/b/c/gen-1/iamglass")));
    fg_index_close(w);
}

/* A reader on a missing or empty folder gets "no index at DIR". */
Test(open, readonly_missing_is_not_found) {
    char err[256] = "";
    fg_index_t *r = (fg_index_t *)1;
    const char *missing = tpath("nothing-here");
    cr_assert_eq(fg_index_open_readonly(missing, &r, err, sizeof err), FG_NOT_FOUND);
    cr_assert_null(r);
    char want[512];
    snprintf(want, sizeof want, "no index at %s", missing);
    cr_assert_str_eq(err, want);

    /* An empty folder is no index either. */
    cr_assert_eq(fg_index_open_readonly(tdir, &r, err, sizeof err), FG_NOT_FOUND);
    cr_assert_null(r);
    /* A NULL err buffer is fine. */
    cr_assert_eq(fg_index_open_readonly(missing, &r, NULL, 0), FG_NOT_FOUND);
}

/* A writer without FG_INDEX_CREATE needs an existing index. */
Test(open, writable_missing_without_create_is_not_found) {
    char err[256] = "";
    fg_index_t *w = NULL;
    cr_assert_eq(fg_index_open_writable(tpath("nope"), 0, &w, err, sizeof err), FG_NOT_FOUND);
    cr_assert_null(w);
    cr_assert(strstr(err, "no index at") != NULL, "%s", err);
    /* An existing empty folder: refused, and no lock file is left in it. */
    cr_assert_eq(fg_index_open_writable(tdir, 0, &w, err, sizeof err), FG_NOT_FOUND);
    cr_assert(!exists(tpath("fundgrube.lock")));
}

/* FG_INDEX_CREATE does not fill a folder holding other files. */
Test(open, create_refuses_folder_with_other_files) {
    int fd = open(tpath("someones-file.txt"), O_CREAT | O_WRONLY, 0644);
    cr_assert_geq(fd, 0);
    close(fd);
    char err[256] = "";
    fg_index_t *w = NULL;
    cr_assert_eq(fg_index_open_writable(tdir, FG_INDEX_CREATE, &w, err, sizeof err), FG_INVALID);
    cr_assert_null(w);
    cr_assert(strstr(err, "holds files but no index") != NULL, "%s", err);
    cr_assert(!exists(tpath("iamglass")));
}

/* A damaged database is FG_CORRUPT, and the failed writer unlocks. */
Test(open, garbage_database_is_corrupt) {
    int fd = open(tpath("iamglass"), O_CREAT | O_WRONLY, 0644);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, "garbage\n", 8), 8);
    close(fd);
    char err[256] = "";
    fg_index_t *idx = NULL;
    cr_assert_eq(fg_index_open_readonly(tdir, &idx, err, sizeof err), FG_CORRUPT, "%s", err);
    cr_assert_null(idx);
    cr_assert_eq(fg_index_open_writable(tdir, 0, &idx, err, sizeof err), FG_CORRUPT, "%s", err);
    cr_assert_null(idx);
    /* The failed writer released its lock: a second failure is still FG_CORRUPT. */
    cr_assert_eq(fg_index_open_writable(tdir, 0, &idx, err, sizeof err), FG_CORRUPT, "%s", err);
}

/* Bad arguments to the open functions are FG_INVALID. */
Test(open, bad_arguments) {
    char err[256] = "";
    fg_index_t *idx = NULL;
    cr_assert_eq(fg_index_open_writable("", FG_INDEX_CREATE, &idx, err, sizeof err), FG_INVALID);
    cr_assert_eq(fg_index_open_writable(tdir, 0x80, &idx, err, sizeof err), FG_INVALID);
    cr_assert_eq(fg_index_open_readonly(NULL, &idx, err, sizeof err), FG_INVALID);
    cr_assert_eq(fg_index_open_readonly(tdir, NULL, err, sizeof err), FG_INVALID);
    cr_assert_str_eq(fg_index_error(NULL), "");
}

/* Another fundgrube.format is FG_VERSION naming both formats. */
Test(open, format_mismatch_is_version_error) {
    fg_index_t *w = open_writer(tdir);
    cr_assert_eq(fg_index_set_metadata(w, FG_META_FORMAT, "999"), FG_OK);
    cr_assert_eq(fg_index_close(w), FG_OK);

    char err[256] = "";
    fg_index_t *idx = NULL;
    cr_assert_eq(fg_index_open_writable(tdir, FG_INDEX_CREATE, &idx, err, sizeof err), FG_VERSION);
    cr_assert_null(idx);
    cr_assert(strstr(err, "format 999") && strstr(err, "format " FG_INDEX_FORMAT), "%s", err);
    err[0] = '\0';
    cr_assert_eq(fg_index_open_readonly(tdir, &idx, err, sizeof err), FG_VERSION);
    cr_assert(strstr(err, "999") != NULL, "%s", err);
    /* The refused writer did not keep the lock. */
    cr_assert_eq(fg_index_open_writable(tdir, 0, &idx, err, sizeof err), FG_VERSION);
}

/* A second writer in this process is refused with our pid. */
Test(open, second_writer_in_same_process_is_locked) {
    fg_index_t *w = open_writer(tdir);
    char err[256] = "";
    fg_index_t *w2 = (fg_index_t *)1;
    double t0 = now_seconds();
    cr_assert_eq(fg_index_open_writable(tdir, FG_INDEX_CREATE, &w2, err, sizeof err), FG_LOCKED);
    cr_assert_lt(now_seconds() - t0, 1.0);
    cr_assert_null(w2);
    char want[512];
    snprintf(want, sizeof want, "index %s is locked by pid %ld", tdir, (long)getpid());
    cr_assert_str_eq(err, want);
    /* Readers are not affected by the lock. */
    fg_index_t *r = open_reader(tdir);
    fg_index_close(r);
    /* Closing the writer frees the lock for the next one. */
    cr_assert_eq(fg_index_close(w), FG_OK);
    w2 = open_writer(tdir);
    fg_index_close(w2);
}

/* A writer in a child process locks us out, naming its pid. */
Test(open, writer_in_other_process_locks_us_out) {
    fg_index_t *w = open_writer(tdir); /* create it first */
    fg_index_close(w);
    holder_t h = holder_start(tdir);
    char err[256] = "";
    fg_index_t *idx = NULL;
    double t0 = now_seconds();
    cr_assert_eq(fg_index_open_writable(tdir, 0, &idx, err, sizeof err), FG_LOCKED);
    cr_assert_lt(now_seconds() - t0, 1.0);
    char want[512];
    snprintf(want, sizeof want, "index %s is locked by pid %ld", tdir, (long)h.pid);
    cr_assert_str_eq(err, want);
    holder_stop(&h, 'c');
    idx = open_writer(tdir);
    fg_index_close(idx);
}

/* Our writer locks out a writer in a child process. */
Test(open, our_writer_locks_out_other_process) {
    fg_index_t *w = open_writer(tdir);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        char err[256] = "", want[512];
        fg_index_t *idx = NULL;
        fg_status_t st = fg_index_open_writable(tdir, 0, &idx, err, sizeof err);
        snprintf(want, sizeof want, "index %s is locked by pid %ld", tdir, (long)getppid());
        _exit(st == FG_LOCKED && idx == NULL && strcmp(err, want) == 0 ? 0 : 1);
    }
    int ws = 0;
    cr_assert_eq(waitpid(pid, &ws, 0), pid);
    cr_assert(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "child saw no FG_LOCKED with our pid");
    /* The child's exit did not take our lock with it. */
    char err[256] = "";
    fg_index_t *w2 = NULL;
    cr_assert_eq(fg_index_open_writable(tdir, 0, &w2, err, sizeof err), FG_LOCKED);
    cr_assert_eq(fg_index_close(w), FG_OK);
}

/* A SIGKILLed writer leaves the lock free. */
Test(open, killed_writer_releases_lock) {
    holder_t h = holder_start(tdir);
    char err[256] = "";
    fg_index_t *idx = NULL;
    cr_assert_eq(fg_index_open_writable(tdir, 0, &idx, err, sizeof err), FG_LOCKED);
    holder_kill(&h);
    idx = open_writer(tdir);
    put_words(idx, "/a", "alpha");
    cr_assert_eq(fg_index_close(idx), FG_OK);
}

/* A writer exiting without fg_index_close() leaves the lock free. */
Test(open, exited_writer_releases_lock) {
    holder_t h = holder_start(tdir);
    holder_stop(&h, 'x'); /* _exit without fg_index_close() */
    fg_index_t *idx = open_writer(tdir);
    fg_index_close(idx);
}

/* A read-only handle refuses every write with FG_INVALID. */
Test(open, reader_refuses_writes) {
    fg_index_close(open_writer(tdir));
    fg_index_t *r = open_reader(tdir);
    fg_doc_t *doc = NULL;
    cr_assert_eq(fg_doc_new(&doc), FG_OK);
    cr_assert_eq(fg_index_replace(r, "/x", doc), FG_INVALID);
    cr_assert(strstr(fg_index_error(r), "read-only") != NULL, "%s", fg_index_error(r));
    cr_assert_eq(fg_index_delete(r, "/x"), FG_INVALID);
    cr_assert_eq(fg_index_commit(r), FG_INVALID);
    cr_assert_eq(fg_index_set_metadata(r, "k", "v"), FG_INVALID);
    fg_doc_free(doc);
    cr_assert_eq(fg_index_close(r), FG_OK);
}

/* A reader sees new commits after fg_index_reopen(), not before. */
Test(open, reader_reopen_sees_new_commits) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/a", "alpha");
    cr_assert_eq(fg_index_commit(w), FG_OK);
    fg_index_t *r = open_reader(tdir);
    uint64_t n = 0;
    cr_assert_eq(fg_index_doc_count(r, &n), FG_OK);
    cr_assert_eq(n, 1);
    put_words(w, "/b", "beta");
    /* The writer sees its pending change at once. */
    cr_assert_eq(fg_index_doc_count(w, &n), FG_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(fg_index_commit(w), FG_OK);
    cr_assert_eq(fg_index_doc_count(r, &n), FG_OK);
    cr_assert_eq(n, 1, "a reader stays at its revision until reopened");
    cr_assert_eq(fg_index_reopen(r), FG_OK);
    cr_assert_eq(fg_index_doc_count(r, &n), FG_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(fg_index_reopen(w), FG_OK);
    fg_index_close(w);
    fg_index_close(r);
}

/* fg_index_close() commits what is pending. */
Test(open, close_commits_pending_changes) {
    fg_index_t *w = open_writer(tdir);
    put_words(w, "/a", "alpha");
    cr_assert_eq(fg_index_close(w), FG_OK);
    fg_index_t *r = open_reader(tdir);
    uint64_t n = 0;
    cr_assert_eq(fg_index_doc_count(r, &n), FG_OK);
    cr_assert_eq(n, 1);
    fg_index_close(r);
}
