/*
 * sandbox.h - extracting untrusted document formats out of process.
 *
 * fg_sandbox_start() spawns the extractor helper, fundgrube-extract
 * (extractor_main.c), connected by a socketpair.  fg_sandbox_extract()
 * opens a file, hands its descriptor to the helper, which forks one child
 * per file; the child sets RLIMIT_AS, RLIMIT_CPU, RLIMIT_FSIZE 0,
 * RLIMIT_CORE 0, PR_SET_NO_NEW_PRIVS and a seccomp allow-list before it
 * runs the parsers of format.h, and sends the text back through a pipe.  A
 * crash, a hang or a memory hog costs that one file: it comes back as a
 * failure with a reason ("crashed: SIGSEGV", "timeout after 30 s",
 * "killed: memory limit 1 GiB").  If the helper itself dies, the next
 * request restarts it.
 *
 * Thread safety: a sandbox is not shared.  Use one fg_sandbox_t per thread
 * (each has its own helper); different sandboxes may be used concurrently.
 */
#ifndef FG_EXTRACT_SANDBOX_H
#define FG_EXTRACT_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include "extract/format.h"
#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct fg_sandbox fg_sandbox_t;

/* Options of a sandbox; zero fields take the defaults. */
typedef struct fg_sandbox_options {
    /* The helper program.  NULL looks in this order, taking the first
     * executable file found:
     *   1. fundgrube-extract in the folder of the running program
     *      (/proc/self/exe), as installed beside the binaries;
     *   2. <libexecdir>/fundgrube/fundgrube-extract relative to the running
     *      program's bindir, or to the library holding this code (the
     *      plugin in <libdir>): an installed tree under any prefix;
     *   3. <build>/extract/fundgrube-extract when the running program (or
     *      library) lies in a build tree (common/relocate.h): the tests,
     *      build/cli/fundgrube, build/daemon/fundgrubed;
     *   4. <libexecdir>/fundgrube/fundgrube-extract of the configured
     *      prefix (FG_SANDBOX_INSTALLED_HELPER). */
    const char *helper_path;
    uint64_t mem_limit;   /* RLIMIT_AS of a child in bytes; default 1 GiB */
    unsigned timeout_s;   /* wall-clock seconds per file; default 30 */
    uint64_t max_text;    /* bytes of text kept; default 32 MiB ([extract] max_text) */
    uint64_t max_inflate; /* bytes inflated from a zip; default 256 MiB */
} fg_sandbox_options_t;

/* Why an extraction ended without a document, beside its status. */
typedef enum fg_sandbox_failure {
    FG_SANDBOX_NONE = 0,    /* no sandbox failure: FG_OK, or the parser refused the file */
    FG_SANDBOX_CRASHED = 1, /* the child died of a signal ("crashed: SIGSEGV") */
    FG_SANDBOX_TIMEOUT = 2, /* wall clock or CPU limit ("timeout after 30 s") */
    FG_SANDBOX_MEMORY = 3,  /* RLIMIT_AS ("killed: memory limit 1 GiB") */
    FG_SANDBOX_HELPER = 4   /* the helper could not be (re)started or died twice */
} fg_sandbox_failure_t;

/*
 * Spawns the helper (see helper_path for where it is looked up); opt may be
 * NULL for the defaults.  On success *out is a sandbox to free with
 * fg_sandbox_stop().  Returns FG_OK, FG_NOT_FOUND (no helper found),
 * FG_IO (it could not be started; err says why) or FG_NOMEM.
 */
fg_status_t fg_sandbox_start(const fg_sandbox_options_t *opt, fg_sandbox_t **out, char *err,
                             size_t errlen);

/*
 * Extracts the file at path in a sandboxed child into *out (owned by the
 * caller; free it with fg_sandbox_doc_free()).  The file is opened here,
 * O_RDONLY | O_NOFOLLOW; only regular files are read.  failure may be NULL.
 * Returns:
 *   FG_OK       *out holds the document (text cut at max_text: truncated)
 *   FG_SKIPPED  a refusal (not a regular file, a symbolic link, not a
 *               supported format, "encrypted"); reason says which
 *   FG_CORRUPT  the parser rejected the file (reason from the parser), or
 *               the sandbox stopped it: *failure is CRASHED, TIMEOUT or
 *               MEMORY and reason the text to log ("crashed: SIGSEGV")
 *   FG_IO       the file could not be opened or read (reason), or the helper
 *               died and died again on the retry (*failure HELPER)
 *   FG_NOMEM
 * On every failure *out holds nothing to free.  A helper that died (killed,
 * crashed) is restarted once and the file retried once.
 */
fg_status_t fg_sandbox_extract(fg_sandbox_t *sb, const char *path, fg_format_doc_t *out,
                               fg_sandbox_failure_t *failure, char *reason, size_t reasonlen);

/* The process id of the current helper, -1 when none runs (for the tests
 * and the daemon's log). */
int fg_sandbox_helper_pid(const fg_sandbox_t *sb);

/* Frees what a document from fg_sandbox_extract() owns and empties it. */
void fg_sandbox_doc_free(fg_format_doc_t *doc);

/* Stops the helper (closes its socket and reaps it) and frees sb; NULL is
 * allowed. */
void fg_sandbox_stop(fg_sandbox_t *sb);

#ifdef __cplusplus
}
#endif
#endif
