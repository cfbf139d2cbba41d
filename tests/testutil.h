/*
 * testutil.h - helpers the test suites share: temporary folders, files,
 * running the built programs.
 */
#ifndef FG_TESTS_TESTUTIL_H
#define FG_TESTS_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

/* Makes a new empty folder under /tmp; returns a malloc'ed path. */
char *tu_tmpdir(void);

/* Removes a folder tree (rm -rf); NULL is allowed. */
void tu_rmtree(const char *path);

/* Writes len bytes to dir/name (creating folders of name); returns the
 * malloc'ed full path. */
char *tu_write(const char *dir, const char *name, const char *data, size_t len);

/* As tu_write() with a NUL-terminated text. */
char *tu_write_str(const char *dir, const char *name, const char *text);

/* Reads a whole file into a malloc'ed NUL-terminated string (NULL on failure). */
char *tu_read(const char *path, size_t *len);

/* Output and status of a finished program. */
typedef struct tu_run {
    char *out;  /* stdout, NUL-terminated */
    char *err;  /* stderr, NUL-terminated */
    int status; /* exit code, or 128+signal */
} tu_run_t;

/*
 * Runs argv (argv[0] a path) with extra environment assignments env (NULL-
 * terminated "K=V" list, may be NULL; "K=" unsets K) and stdin from /dev/null;
 * waits and captures its output.  Returns false if it could not be started.
 */
bool tu_run(const char *const *argv, const char *const *env, tu_run_t *out);

/* Frees the captured output. */
void tu_run_free(tu_run_t *r);

/* The seed of a random test: FG_TEST_SEED if set (to replay a failure),
 * else one from the clock; written to stderr with the test's name so a
 * failing run can be repeated.  Call srand(tu_seed("name")). */
unsigned tu_seed(const char *test);

/* Path of a built artefact: FG_BINARY_DIR "/" rel; malloc'ed. */
char *tu_build_path(const char *rel);

#endif
