/*
 * sandbox_child.h - one extraction in a confined child of the extractor
 * helper: resource limits, no new privileges, a seccomp allow-list, then
 * fg_format_extract() and the result record onto the pipe.
 */
#ifndef FG_EXTRACT_SANDBOX_CHILD_H
#define FG_EXTRACT_SANDBOX_CHILD_H

#include <stdint.h>
#include <sys/types.h>

#include "extract/format.h"

/* FGX_ASAN: built with AddressSanitizer (gcc or clang), which the child's
 * limits and filter make room for (see sandbox_child.c). */
#if defined(__SANITIZE_ADDRESS__)
#define FGX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FGX_ASAN 1
#endif
#endif

/* What a child may use; fixed for the helper's lifetime. */
typedef struct fgx_child_limits {
    uint64_t mem_limit;        /* RLIMIT_AS in bytes (under ASan: on top of the shadow) */
    unsigned timeout_s;        /* wall clock; RLIMIT_CPU is timeout_s + 1 */
    fg_format_limits_t format; /* max_text, max_inflate for the parser */
} fgx_child_limits_t;

/*
 * Runs in the freshly forked child (parent is the helper's pid): confines
 * the process, extracts file_fd (name is the file's base name, the format
 * hint) and writes the record onto pipe_fd.  Never returns: exits 0 on
 * success, FGX_EXIT_BASE + status on a failure it could report, or dies of
 * a signal.  Every descriptor except file_fd, pipe_fd and 0-2 is closed
 * first.
 */
_Noreturn void fgx_child_run(pid_t parent, int file_fd, int pipe_fd, const char *name,
                             const fgx_child_limits_t *lim);

#endif
