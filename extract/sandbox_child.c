/*
 * sandbox_child.c - the confined child that extracts one file (see
 * sandbox_child.h).
 *
 * The order matters: descriptors are closed first (the helper's socket must
 * not be reachable), then the rlimits, PR_SET_NO_NEW_PRIVS and the seccomp
 * filter, then the child waits for its request (a spare, forked ahead of
 * time), closes the socket it came on, and only then is a byte of the file
 * parsed.  The filter lets recvmsg through on that one socket only; once it
 * is closed the child holds no socket and cannot make one, so the number
 * can only come back as a file, where recvmsg fails.
 *
 * The seccomp filter is an allow-list.  A syscall that is not listed fails
 * with EPERM, so a parser that probes for something harmless (a config
 * file it may not create, a thread name) degrades instead of dying; the
 * syscalls that would let a compromised parser reach out (socket, connect,
 * execve, fork, process-creating clone, ptrace, process_vm_*) kill the
 * child with SIGSYS.  open/openat pass only without O_WRONLY, O_RDWR,
 * O_CREAT and O_TRUNC (glib, fontconfig and poppler read their
 * configuration).  write is allowed on any descriptor: the only writable
 * descriptors the child holds are the result pipe and stderr, and it can
 * make no new writable file descriptor (open is read-only, RLIMIT_FSIZE is
 * 0, no sockets); restricting write by descriptor number would only break
 * glib's internal eventfd wake-ups.
 *
 * Under AddressSanitizer (FGX_ASAN) the filter is wider, not off:
 *   - prctl with any option (the runtime's own calls); harmless, since a
 *     seccomp filter can only be narrowed and no_new_privs not unset;
 *   - the address space the runtime has already reserved (terabytes of
 *     shadow) would make any RLIMIT_AS fail every allocation, so the limit
 *     is the size mapped at the start of the child plus mem_limit;
 *   - the forbidden calls above fail with EPERM (the default) instead of
 *     SIGSYS, so an ASan report, which forks a symbolizer, is still written
 *     out (unsymbolised) before the child exits;
 *   - the helper sets allocator_may_return_null (extractor_main.c), so a
 *     child at its limit sees malloc return NULL as in a normal build.
 * The child leaves with _exit(), so LeakSanitizer (which needs ptrace and
 * a thread) never runs in it; the helper itself is checked as usual.
 */
#include "extract/sandbox_child.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "extract/sandbox_proto.h"

/* ------------------------------------------------------------------------ */
/* Descriptors and limits                                                    */
/* ------------------------------------------------------------------------ */

/* Closes every descriptor from lo up to hi (inclusive). */
static void close_span(unsigned lo, unsigned hi) {
    if (lo > hi)
        return;
    if (close_range(lo, hi, 0) == 0)
        return;
    for (unsigned fd = lo; fd <= hi && fd < 65536; fd++)
        close((int)fd);
}

/* Closes every descriptor >= 3 except a and b. */
static void close_others(int a, int b) {
    unsigned lo = (unsigned)(a < b ? a : b), hi = (unsigned)(a < b ? b : a);
    close_span(3, lo - 1);
    close_span(lo + 1, hi - 1);
    close_span(hi + 1, ~0u);
}

#ifdef FGX_ASAN
/* Bytes of address space mapped now (from /proc/self/statm), 0 if unknown. */
static uint64_t mapped_now(void) {
    char buf[128];
    int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return 0;
    buf[n] = '\0';
    return strtoull(buf, NULL, 10) * (uint64_t)sysconf(_SC_PAGESIZE);
}
#endif

/* Sets RLIMIT_AS, RLIMIT_CPU, RLIMIT_FSIZE and RLIMIT_CORE; 0 or -errno. */
static int set_limits(const fgx_child_limits_t *lim) {
    uint64_t as = lim->mem_limit;
#ifdef FGX_ASAN
    as += mapped_now();
#endif
    struct rlimit r_as = {as, as};
    struct rlimit r_cpu = {(rlim_t)lim->timeout_s + 1, (rlim_t)lim->timeout_s + 1};
    struct rlimit r_zero = {0, 0};
    if (setrlimit(RLIMIT_AS, &r_as) || setrlimit(RLIMIT_CPU, &r_cpu) ||
        setrlimit(RLIMIT_FSIZE, &r_zero) || setrlimit(RLIMIT_CORE, &r_zero))
        return -errno;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* The seccomp filter                                                        */
/* ------------------------------------------------------------------------ */

/* Syscalls allowed with any arguments. */
static const int allowed[] = {
    SCMP_SYS(read),
    SCMP_SYS(readv),
    SCMP_SYS(pread64),
    SCMP_SYS(preadv),
    SCMP_SYS(preadv2),
    SCMP_SYS(write),
    SCMP_SYS(writev),
    SCMP_SYS(lseek),
    SCMP_SYS(close),
    SCMP_SYS(fstat),
    SCMP_SYS(newfstatat),
    SCMP_SYS(stat),
    SCMP_SYS(lstat),
    SCMP_SYS(statx),
    SCMP_SYS(access),
    SCMP_SYS(faccessat),
    SCMP_SYS(faccessat2),
    SCMP_SYS(readlink),
    SCMP_SYS(readlinkat),
    SCMP_SYS(getdents64),
    SCMP_SYS(getcwd),
    SCMP_SYS(fcntl),
    SCMP_SYS(dup),
    SCMP_SYS(dup3),
    SCMP_SYS(fadvise64),
    SCMP_SYS(mmap),
    SCMP_SYS(munmap),
    SCMP_SYS(mremap),
    SCMP_SYS(mprotect),
    SCMP_SYS(brk),
    SCMP_SYS(madvise),
    SCMP_SYS(mincore),
    SCMP_SYS(futex),
    SCMP_SYS(set_robust_list),
    SCMP_SYS(set_tid_address),
    SCMP_SYS(rseq),
    SCMP_SYS(membarrier),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(sigaltstack),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
    SCMP_SYS(restart_syscall),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(getppid),
    SCMP_SYS(getuid),
    SCMP_SYS(geteuid),
    SCMP_SYS(getgid),
    SCMP_SYS(getegid),
    SCMP_SYS(getresuid),
    SCMP_SYS(getresgid),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(clock_getres),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(nanosleep),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(time),
    SCMP_SYS(getrandom),
    SCMP_SYS(uname),
    SCMP_SYS(sched_yield),
    SCMP_SYS(sched_getaffinity),
    SCMP_SYS(getrusage),
    SCMP_SYS(sysinfo),
    SCMP_SYS(getrlimit),
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(pipe2),
    SCMP_SYS(eventfd2),
};

/* Syscalls that would let the child reach out of the sandbox. */
static const int forbidden[] = {
    SCMP_SYS(socket),
    SCMP_SYS(socketpair),
    SCMP_SYS(connect),
    SCMP_SYS(bind),
    SCMP_SYS(listen),
    SCMP_SYS(accept),
    SCMP_SYS(accept4),
    SCMP_SYS(execve),
    SCMP_SYS(execveat),
    SCMP_SYS(fork),
    SCMP_SYS(vfork),
    SCMP_SYS(ptrace),
    SCMP_SYS(process_vm_readv),
    SCMP_SYS(process_vm_writev),
};

/* Installs the filter (see the file comment); ctl_fd is the socket the
 * request comes on.  Returns 0 or -errno. */
static int install_filter(int ctl_fd) {
#ifdef FGX_ASAN
    /* the default action already: libseccomp refuses such rules (EACCES) */
    const bool kill_forbidden = false;
#else
    const bool kill_forbidden = true;
#endif
    const uint32_t deny = SCMP_ACT_KILL_PROCESS;
    const uint64_t open_mask = O_ACCMODE | O_CREAT | O_TRUNC;
    pid_t self = getpid();
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (!ctx)
        return -ENOMEM;
    /* a binary tree of syscall numbers, not a list: the kernel runs the
     * filter once per syscall number when it loads it (its action cache)
     * and on every uncached call after (bench/sandbox-cost: the kernel's
     * do_seccomp from 8.1 % of the helper's samples to 3.7 %, libseccomp
     * from 4.4 % to 5.6 %) */
    int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    for (size_t i = 0; !rc && i < sizeof allowed / sizeof allowed[0]; i++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, allowed[i], 0);
    for (size_t i = 0; !rc && kill_forbidden && i < sizeof forbidden / sizeof forbidden[0]; i++)
        rc = seccomp_rule_add(ctx, deny, forbidden[i], 0);
    /* read-only opens */
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
                              SCMP_A1(SCMP_CMP_MASKED_EQ, open_mask, O_RDONLY));
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
                              SCMP_A2(SCMP_CMP_MASKED_EQ, open_mask, O_RDONLY));
    /* openat2 hides its flags behind a pointer: glibc falls back to openat */
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0);
    /* threads yes, processes no; clone3 hides its flags: glibc falls back */
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
    if (!rc && kill_forbidden)
        rc = seccomp_rule_add(ctx, deny, SCMP_SYS(clone), 1,
                              SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
    /* the one request, on the one socket */
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(recvmsg), 1,
                              SCMP_A0(SCMP_CMP_EQ, (uint64_t)ctl_fd, 0));
    /* signals to itself only (raise, abort) */
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
                              SCMP_A0(SCMP_CMP_EQ, (uint64_t)self, 0));
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
                              SCMP_A0(SCMP_CMP_EQ, (uint64_t)self, 0));
    /* reading limits, not raising them; isatty() */
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1,
                              SCMP_A2(SCMP_CMP_EQ, 0, 0));
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(ioctl), 1,
                              SCMP_A1(SCMP_CMP_EQ, TCGETS, 0));
#ifdef FGX_ASAN
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 0);
#else
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
                              SCMP_A0(SCMP_CMP_EQ, PR_GET_NAME, 0));
    if (!rc)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
                              SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME, 0));
#endif
    if (!rc)
        rc = seccomp_load(ctx);
    seccomp_release(ctx);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Test hooks                                                                */
/* ------------------------------------------------------------------------ */

/* The done note's descriptor (the helper's pipe), -1 before it is known. */
static int done_note_fd = -1;

/* Ends the child: closes the result pipe (the client sees EOF now, not
 * after the address space is torn down), tells the helper the exit code on
 * the done pipe, and exits with it. */
_Noreturn static void finish(int pipe_fd, int code) {
    close(pipe_fd);
    if (done_note_fd >= 0) {
        uint32_t c = (uint32_t)code;
        ssize_t n;
        do
            n = write(done_note_fd, &c, sizeof c);
        while (n < 0 && errno == EINTR);
    }
    _exit(code);
}

/* Writes a failure record and exits with its code. */
_Noreturn static void fail(int pipe_fd, fg_status_t st, const char *why) {
    fgx_record_write(pipe_fd, st, why, NULL, 0);
    finish(pipe_fd, FGX_EXIT_BASE + (int)st);
}

#ifdef FG_TEST_HOOKS
/* Misbehaves as the file name asks (the tests of test_sandbox.c):
 * fg-test-segv dies of SIGSEGV, fg-test-hang spins forever, fg-test-alloc
 * allocates until malloc fails, fg-test-escape tries to create
 * /tmp/<name>.created and a socket.  Returns for any other name. */
static void test_hooks(int pipe_fd, const char *name) {
    if (strstr(name, "fg-test-segv")) {
        signal(SIGSEGV, SIG_DFL); /* past ASan's handler: die of the signal */
        raise(SIGSEGV);
    }
    if (strstr(name, "fg-test-hang")) {
        volatile unsigned long spin = 0;
        for (;;)
            spin++;
    }
    if (strstr(name, "fg-test-alloc")) {
        static void *held[1 << 16];
        for (size_t i = 0; i < sizeof held / sizeof held[0]; i++) {
            held[i] = malloc(16u << 20);
            if (!held[i])
                fail(pipe_fd, FG_NOMEM, "out of memory");
            memset(held[i], 1, 16u << 20);
        }
        fail(pipe_fd, FG_INVALID, "test hook: 1 TiB allocated without a limit");
    }
    if (strstr(name, "fg-test-escape")) {
        char path[FGX_NAME_MAX + 32];
        snprintf(path, sizeof path, "/tmp/%s.created", name);
        int fd = open(path, O_WRONLY | O_CREAT, 0600);
        if (fd >= 0)
            fail(pipe_fd, FG_INVALID, "escaped: opened a file for writing");
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd >= 0)
            fail(pipe_fd, FG_INVALID, "escaped: made a socket");
        fail(pipe_fd, FG_INVALID, "test hook: open and socket both refused with an error");
    }
}
#endif

/* ------------------------------------------------------------------------ */
/* The child                                                                 */
/* ------------------------------------------------------------------------ */

/* Confines the process, waits for the request, extracts, writes the record
 * (see sandbox_child.h). */
_Noreturn void fgx_child_run(pid_t parent, int ctl_fd, int done_fd, const fgx_child_limits_t *lim) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
        _exit(FGX_EXIT_BASE + FG_IO);
    close_others(ctl_fd, done_fd);
    signal(SIGPIPE, SIG_DFL); /* the client stopped reading: stop */
    signal(SIGXFSZ, SIG_IGN); /* a write to a file fails with EFBIG instead */
    /* a confinement that failed is reported once the request (and with it
     * the result pipe) has come; nothing is parsed then */
    char err[FGX_REASON_MAX];
    err[0] = '\0';
    int rc = set_limits(lim);
    if (rc)
        snprintf(err, sizeof err, "cannot set resource limits: %s", strerror(-rc));
    else if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        snprintf(err, sizeof err, "cannot set no_new_privs");
    else if ((rc = install_filter(ctl_fd)) != 0)
        snprintf(err, sizeof err, "cannot install the seccomp filter: %s", strerror(-rc));
    char name[FGX_NAME_MAX];
    int file_fd = -1, pipe_fd = -1;
    int got = fgx_request_recv(ctl_fd, name, &file_fd, &pipe_fd);
    if (got <= 0)
        _exit(got == 0 ? 0 : FGX_EXIT_BASE + FG_IO);
    close(ctl_fd);
    done_note_fd = done_fd;
    if (err[0])
        fail(pipe_fd, FG_IO, err);
#ifdef FG_TEST_HOOKS
    test_hooks(pipe_fd, name);
#endif
    fg_format_doc_t doc;
    fg_status_t st = fg_format_extract(file_fd, name, &lim->format, &doc, err, sizeof err);
    if (st != FG_OK)
        fail(pipe_fd, st, err[0] ? err : fg_status_str(st));
    rc = fgx_record_write(pipe_fd, FG_OK, NULL, &doc, lim->format.max_text);
    fg_format_doc_free(&doc);
    finish(pipe_fd, rc ? FGX_EXIT_BASE + FG_IO : 0);
}
