/*
 * dtest.h - helpers of the daemon tests: a temporary home with a watched
 * folder and an index folder, the real fundgrubed started as a child process,
 * and checks of the index through a reader (fg_index_*), polled until a
 * deadline.
 */
#ifndef FG_TESTS_DTEST_H
#define FG_TESTS_DTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "index/index.h"

typedef struct dtest {
    char *dir;      /* the temporary home */
    char *watch;    /* dir/watch: the watched folder */
    char *index;    /* dir/index */
    char *log;      /* dir/daemon.log: the daemon's stderr */
    pid_t pid;      /* the running daemon, or 0 */
    fg_index_t *rd; /* a reader, opened on first use */
    char *logtext;  /* the last dt_log() */
    bool no_watch;  /* start without --watch (folders from a config file) */
} dtest_t;

/* Makes the temporary home and the watched folder. */
void dt_init(dtest_t *t);

/* Stops a running daemon (SIGKILL), closes the reader, removes the folder. */
void dt_fini(dtest_t *t);

/*
 * Starts fundgrubed --watch WATCH --index INDEX plus the extra arguments
 * (NULL-terminated, may be NULL) with HOME=dir, no XDG_* or FUNDGRUBE_CONFIG,
 * and the extra environment ("K=V", NULL-terminated, may be NULL), stderr
 * appended to the log.  Waits (up to 20 s) until its status file says
 * "watching" (start-up reconciliation done); returns false if it exited
 * instead or took too long.
 */
bool dt_start(dtest_t *t, const char *const *args, const char *const *env);

/* Starts it as dt_start() without waiting; returns the pid. */
pid_t dt_spawn(dtest_t *t, const char *const *args, const char *const *env);

/* Sends SIGTERM and waits (up to 30 s); returns the exit status (or 128+signal,
 * or -1 on timeout). */
int dt_stop(dtest_t *t);

/* Sends SIGKILL and reaps the daemon. */
void dt_kill9(dtest_t *t);

/* Waits up to timeout_s for pid to exit; returns its status as dt_stop(). */
int dt_wait_exit(pid_t pid, double timeout_s);

/* Seconds of the monotonic clock. */
double dt_now(void);

/* Number of documents containing term (after reopening the reader); -1 on
 * error. */
long dt_freq(dtest_t *t, const char *term);

/* dt_freq() of "P" + path: 1 when path has a document. */
long dt_has_path(dtest_t *t, const char *path);

/* Number of documents; -1 on error. */
long dt_count(dtest_t *t);

/* Polls until dt_freq(term) == want, up to timeout_s; returns the seconds it
 * took, or -1 on timeout. */
double dt_wait_freq(dtest_t *t, const char *term, long want, double timeout_s);

/* Polls until dt_has_path(path) == want (0 or 1). */
double dt_wait_path(dtest_t *t, const char *path, long want, double timeout_s);

/* Polls until dt_count() == want. */
double dt_wait_count(dtest_t *t, long want, double timeout_s);

/* A word of letters only that names number i ("zqk" + base 26), for
 * content probes; buf needs 24 bytes. */
const char *dt_word(unsigned i, char *buf);

/* Writes path (creating folders) with text; asserts. */
void dt_write(const char *path, const char *text);

/*
 * Checks that the index matches the files below the watched folder: the same
 * number of documents as admitted files (*.txt, *.md, not hidden), a
 * document for each path, and each file's probe word (its first word,
 * written by the test) found in exactly one document.  Returns true when it
 * matches; else why (size whylen) says the first difference.
 */
bool dt_matches_tree(dtest_t *t, char *why, size_t whylen);

/* Polls dt_matches_tree() until true or timeout_s; returns the seconds or -1
 * (why then holds the last difference). */
double dt_wait_tree(dtest_t *t, double timeout_s, char *why, size_t whylen);

/* The analysis settings the index records (malloc'ed; "" when it cannot be
 * read). */
char *dt_analysis(dtest_t *t);

/* Polls until the index's analysis settings contain want, up to timeout_s;
 * returns the seconds it took, or -1 on timeout. */
double dt_wait_analysis(dtest_t *t, const char *want, double timeout_s);

/* The whole log so far (valid until the next call or dt_fini()). */
const char *dt_log(dtest_t *t);

#endif
