/*
 * sandbox_child.h - one extraction in a confined child of the extractor
 * helper: resource limits, no new privileges, a seccomp allow-list, then
 * (once its request has come) fg_format_extract() and the result record
 * onto the pipe.
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
 * Runs in a spare child, forked by the helper (parent is its pid) before
 * the file it will read is known: closes every descriptor but ctl_fd and
 * done_fd, confines the process (rlimits, no_new_privs, the seccomp
 * filter), and only then waits on ctl_fd for its one request
 * (sandbox_proto.h).  It closes ctl_fd, extracts the file (the request's
 * name is its base name, the format hint), writes the record onto the
 * request's pipe and closes it, writes its exit code onto done_fd as a u32
 * and exits with it: 0 on success, FGX_EXIT_BASE + status on a failure it
 * could report; or it dies of a signal.  Never returns.  EOF on ctl_fd (the
 * helper stops) exits 0 without a record.  Confining ahead keeps the fork,
 * the filter's compilation and the limits off the time a file waits.
 */
_Noreturn void fgx_child_run(pid_t parent, int ctl_fd, int done_fd, const fgx_child_limits_t *lim);

#endif
