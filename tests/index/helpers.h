/*
 * helpers.h - shared pieces of the index tests: a fresh temporary folder per
 * test, building documents from words, running searches, and a forked child
 * that holds the writer lock.
 */
#ifndef FG_TESTS_INDEX_HELPERS_H
#define FG_TESTS_INDEX_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "index/index.h"

/* The current test's temporary folder (made by tdir_setup()). */
extern char tdir[];

/* Criterion .init/.fini: mkdtemp a folder under /tmp, remove it after. */
void tdir_setup(void);
void tdir_teardown(void);

/* Writes "<tdir>/<name>" into a static buffer and returns it. */
const char *tpath(const char *name);

/* Removes a folder tree (nftw, depth first, no symlinks followed). */
void rm_tree(const char *dir);

/* Opens (creating) the writer on dir, asserting success. */
fg_index_t *open_writer(const char *dir);

/* Opens a reader on dir, asserting success. */
fg_index_t *open_reader(const char *dir);

/* Replaces uid with a document whose body words (space-separated) are added
 * as postings at positions 1, 2, ...; data is "url=<uid>". */
void put_words(fg_index_t *idx, const char *uid, const char *words);

/* Like put_words() with value slot slot set to sortable_serialise(num). */
void put_words_value(fg_index_t *idx, const char *uid, const char *words, unsigned slot,
                     double num);

/* A term query, asserting success. */
fg_xquery_t *qterm(const char *term);

/* Combines two or three queries (the third may be NULL), asserting. */
fg_xquery_t *qcombine(fg_xquery_op_t op, uint32_t window, fg_xquery_t *a, fg_xquery_t *b,
                      fg_xquery_t *c);

/* Searches with default parameters (limit 100), asserting FG_OK. */
fg_mset_t *search_all(fg_index_t *idx, const fg_xquery_t *q);

/* The uid (after "url=") of hit i, in a static buffer. */
const char *hit_uid(const fg_mset_t *m, size_t i);

/* Seconds since some fixed point (CLOCK_MONOTONIC). */
double now_seconds(void);

/* A child process holding the writer lock of dir (created if missing). */
typedef struct holder {
    pid_t pid;
    int cmd_fd; /* write 'c' (close and exit) or 'x' (exit without closing) */
} holder_t;

/* Forks the holder and waits until it has the lock (asserting it got it). */
holder_t holder_start(const char *dir);

/* Tells the holder to close the index and exit (cmd 'c'), or to _exit
 * without closing ('x'); waits for it and asserts it exited with 0. */
void holder_stop(holder_t *h, char cmd);

/* SIGKILLs the holder and reaps it. */
void holder_kill(holder_t *h);

#endif
