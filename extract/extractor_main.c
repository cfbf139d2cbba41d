/*
 * extractor_main.c - fundgrube-extract, the extractor helper.
 *
 *   fundgrube-extract [--socket-fd N] [--mem-limit BYTES] [--timeout SECONDS]
 *                     [--max-text BYTES] [--max-inflate BYTES]
 *
 * A long-lived parent, started by fg_sandbox_start() (extract/sandbox.c),
 * that reads requests from a SOCK_SEQPACKET socket (fd 3 unless
 * --socket-fd says otherwise; format in sandbox_proto.h) and forks one
 * confined child per file (sandbox_child.c).  The parent itself never
 * parses a file: it only waits for the child, kills it at the wall-clock
 * timeout, reaps it and answers with how it ended.
 *
 * Each child is forked one file ahead, a spare: it confines itself (rlimits,
 * no_new_privs, the seccomp filter compiled and loaded) and waits for its
 * request while the previous file is read or the client indexes.  A request
 * goes on to the spare; the spare sends a done note (its exit code) once its
 * record is written and the result pipe closed, and the helper answers at
 * once, kills it and reaps it after the answer.  So the fork, the filter
 * and the exit's teardown of the address space (each about as costly as the
 * parsing of a small file) are off the time a file takes.  A child still
 * serves one file: a crash, a hang or a memory hog costs that file only.  It exits 0 when the
 * client closes the socket.  Defaults: 1 GiB of address space, 30 s, 32 MiB
 * of text, 256 MiB inflated.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "extract/sandbox_child.h"
#include "extract/sandbox_proto.h"

/* ------------------------------------------------------------------------ */
/* The spare child                                                           */
/* ------------------------------------------------------------------------ */

/* The child forked for the next file: confined already, waiting for its
 * request on ctl (sandbox_child.h); done is the read end of its done pipe.
 * pid -1: none. */
typedef struct spare {
    pid_t pid;
    int ctl, done;
} spare_t;

/* errno of the last fork of a spare that failed (for the outcome). */
static int spare_errno;

/* Forks a spare child into *s.  False (s->pid -1, spare_errno set) when
 * the socketpair, the pipe or the fork failed. */
static bool spare_fork(const fgx_child_limits_t *lim, spare_t *s) {
    int sv[2], dp[2];
    s->pid = -1;
    s->ctl = s->done = -1;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        spare_errno = errno;
        return false;
    }
    if (pipe2(dp, O_CLOEXEC) != 0) {
        spare_errno = errno;
        close(sv[0]);
        close(sv[1]);
        return false;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        fgx_child_run(parent, sv[1], dp[1], lim);
    spare_errno = errno;
    close(sv[1]);
    close(dp[1]);
    if (pid < 0) {
        close(sv[0]);
        close(dp[0]);
        return false;
    }
    s->pid = pid;
    s->ctl = sv[0];
    s->done = dp[0];
    return true;
}

/* Lets a spare that was never used go: closing its socket makes it exit,
 * then it is reaped. */
static void spare_drop(spare_t *s) {
    if (s->pid < 0)
        return;
    close(s->ctl);
    close(s->done);
    while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    s->pid = -1;
}

/* ------------------------------------------------------------------------ */
/* Waiting for a child                                                       */
/* ------------------------------------------------------------------------ */

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* How the wait for a child ended. */
typedef enum ended {
    ENDED_DONE,   /* it sent its done note: *code; it may still be exiting */
    ENDED_EXIT,   /* it has ended (not yet reaped) without a note */
    ENDED_TIMEOUT /* timeout_ms passed */
} ended_t;

/* Reads a done note from fd: 1 with *code, 0 at EOF or a short note (no
 * note will come), -1 when nothing is there yet. */
static int read_note(int fd, uint32_t *code) {
    ssize_t n;
    do
        n = read(fd, code, sizeof *code);
    while (n < 0 && errno == EINTR);
    if (n < 0 && errno == EAGAIN)
        return -1;
    return n == (ssize_t)sizeof *code ? 1 : 0;
}

/* Waits until child pid has sent its done note on done_fd, has ended, or
 * timeout_ms have passed: through a pidfd when the kernel has them, else
 * by polling every millisecond.  A child that closes its end of the done
 * pipe without a note is waited for until it ends. */
static ended_t wait_child(pid_t pid, int done_fd, int64_t timeout_ms, uint32_t *code) {
    int64_t deadline = now_ms() + timeout_ms;
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    fcntl(done_fd, F_SETFL, fcntl(done_fd, F_GETFL) | O_NONBLOCK);
    bool note_open = true;
    ended_t how = ENDED_TIMEOUT;
    for (;;) {
        int64_t left = deadline - now_ms();
        struct pollfd p[2] = {{.fd = note_open ? done_fd : -1, .events = POLLIN},
                              {.fd = pfd, .events = POLLIN}};
        int wait_ms = pfd >= 0 ? (left > 0 ? (int)left : 0) : (left > 0 ? 1 : 0);
        int n = poll(p, 2, wait_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (note_open && n > 0 && p[0].revents) {
            int r = read_note(done_fd, code);
            if (r == 1) {
                how = ENDED_DONE;
                break;
            }
            if (r == 0)
                note_open = false;
        }
        if (pfd >= 0 && n > 0 && p[1].revents) {
            how = ENDED_EXIT;
            break;
        }
        if (pfd < 0) {
            siginfo_t si = {0};
            if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid) {
                how = ENDED_EXIT;
                break;
            }
        }
        if (left <= 0)
            break;
    }
    if (pfd >= 0)
        close(pfd);
    return how;
}

/* ------------------------------------------------------------------------ */
/* One request                                                               */
/* ------------------------------------------------------------------------ */

/* Hands the request to the spare *sp, which becomes the file's child, and
 * fills *o with how it ended.  Closes pipe_fd (the helper's copy) before
 * waiting.  A child that sent its done note is killed but not reaped:
 * *reap is its pid (else -1), for the caller to reap once the client has
 * its answer (tearing down its address space takes as long as the fork). */
static void run_one(const fgx_child_limits_t *lim, spare_t *sp, int file_fd, int pipe_fd,
                    const char *name, fgx_outcome_t *o, pid_t *reap) {
    memset(o, 0, sizeof *o);
    o->magic = FGX_OUTCOME_MAGIC;
    *reap = -1;
    pid_t pid = sp->pid;
    int done = sp->done;
    /* a spare that died before its request is waited for below */
    (void)fgx_request_send(sp->ctl, file_fd, pipe_fd, name);
    close(sp->ctl);
    close(pipe_fd);
    sp->pid = -1;
    sp->ctl = sp->done = -1;
    uint32_t code = 0;
    ended_t how = wait_child(pid, done, (int64_t)lim->timeout_s * 1000, &code);
    close(done);
    if (how == ENDED_DONE) {
        kill(pid, SIGKILL); /* it is on its way out; the note decides */
        *reap = pid;
        fgx_classify(W_EXITCODE((int)(code & 0xff), 0), false, 0, lim->timeout_s, lim->mem_limit,
                     o);
        return;
    }
    bool killed = how == ENDED_TIMEOUT;
    if (killed)
        kill(pid, SIGKILL);
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
        ;
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                 ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
    fgx_classify(st, killed, cpu, lim->timeout_s, lim->mem_limit, o);
}

/* Sends an outcome; false when the client is gone. */
static bool answer(int sock, const fgx_outcome_t *o) {
    ssize_t n;
    do
        n = send(sock, o, sizeof *o, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof *o;
}

#ifdef FGX_ASAN
/* Under AddressSanitizer a child that reaches its RLIMIT_AS must see malloc
 * return NULL (and report FG_NOMEM, "killed: memory limit"), not an ASan
 * out-of-memory abort.  ASAN_OPTIONS from the environment still override. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "allocator_may_return_null=1";
}
#endif

/* ------------------------------------------------------------------------ */
/* Main                                                                      */
/* ------------------------------------------------------------------------ */

/* Parses a decimal option value > 0; false on anything else. */
static bool parse_u64(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = s ? strtoull(s, &end, 10) : 0;
    if (!s || errno || end == s || *end || v == 0 || s[0] == '-')
        return false;
    *out = v;
    return true;
}

#ifndef PROJECT_VERSION
#define PROJECT_VERSION "0"
#endif

static const char extract_usage[] =
    "Usage: fundgrube-extract [--socket-fd N] [--mem-limit BYTES] [--timeout SECONDS]\n"
    "                         [--max-text BYTES] [--max-inflate BYTES]\n"
    "\n"
    "The extractor helper of fundgrubed and fundgrube: reads documents (PDF,\n"
    "OpenDocument, Office, EPUB, HTML, RTF) handed to it over a socket, one\n"
    "confined child process per file, and sends back their text.  Not meant to\n"
    "be run by hand: they start it themselves.\n"
    "\n"
    "  --socket-fd N        the SOCK_SEQPACKET socket to serve (default 3)\n"
    "  --mem-limit BYTES    address space of a child (default 1 GiB)\n"
    "  --timeout SECONDS    wall-clock time per file (default 30)\n"
    "  --max-text BYTES     text kept of a document\n"
    "  --max-inflate BYTES  bytes a zip member may inflate to\n"
    "  -h, --help           this text\n"
    "  -V, --version        the version\n";

/* Parses the options, checks the socket, closes what it inherited, then
 * serves requests until the client closes the socket (exit 0); 2 for a
 * usage error, 1 when the socket fails. */
int main(int argc, char **argv) {
    int sock = 3;
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(extract_usage, stdout);
        return 0;
    }
    if (argc == 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
        printf("fundgrube-extract %s\n", PROJECT_VERSION);
        return 0;
    }
    fgx_child_limits_t lim = {.mem_limit = 1ull << 30, .timeout_s = 30};
    fg_format_limits_default(&lim.format);
    for (int i = 1; i < argc; i += 2) { /* option, value */
        uint64_t v = 0;
        const char *opt = argv[i];
        bool ok = i + 1 < argc && parse_u64(argv[i + 1], &v);
        if (ok && strcmp(opt, "--socket-fd") == 0 && v < 65536)
            sock = (int)v;
        else if (ok && strcmp(opt, "--mem-limit") == 0)
            lim.mem_limit = v;
        else if (ok && strcmp(opt, "--timeout") == 0 && v < 86400)
            lim.timeout_s = (unsigned)v;
        else if (ok && strcmp(opt, "--max-text") == 0 && v < (1ull << 32))
            lim.format.max_text = v;
        else if (ok && strcmp(opt, "--max-inflate") == 0)
            lim.format.max_inflate = v;
        else {
            fputs(extract_usage, stderr);
            return 2;
        }
    }
    int type = 0;
    socklen_t tl = sizeof type;
    if (getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &tl) != 0 || type != SOCK_SEQPACKET) {
        fprintf(stderr, "fundgrube-extract: fd %d is not a SOCK_SEQPACKET socket\n", sock);
        return 2;
    }
    /* whatever else the client leaked into us (descriptors without
     * close-on-exec) is none of the helper's business */
    if (sock > 3)
        close_range(3, (unsigned)sock - 1, 0);
    close_range((unsigned)sock + 1, ~0u, 0);
    /* children inherit 0 and 1: make them harmless */
    int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull >= 0) {
        dup2(devnull, 0);
        dup2(devnull, 1);
        if (devnull > 2)
            close(devnull);
    }
    signal(SIGPIPE, SIG_IGN);
    fg_format_preload(); /* every child inherits it */
    char name[FGX_NAME_MAX];
    spare_t spare = {-1, -1, -1};
    for (;;) {
        if (spare.pid < 0)
            spare_fork(&lim, &spare); /* ready before the request comes */
        int file_fd = -1, pipe_fd = -1;
        int rc = fgx_request_recv(sock, name, &file_fd, &pipe_fd);
        /* a client that closes with our last outcome unread resets the
         * connection: it is gone all the same */
        if (rc == -2 && errno == ECONNRESET)
            rc = 0;
        if (rc == 0) {
            spare_drop(&spare);
            return 0;
        }
        if (rc == -2) {
            fprintf(stderr, "fundgrube-extract: recvmsg: %s\n", strerror(errno));
            spare_drop(&spare);
            return 1;
        }
        fgx_outcome_t o;
        pid_t reap = -1;
        memset(&o, 0, sizeof o);
        o.magic = FGX_OUTCOME_MAGIC;
        if (rc < 0) {
            o.kind = FGX_HELPER;
            snprintf(o.reason, sizeof o.reason, "failed: malformed request");
        } else if (spare.pid < 0 && !spare_fork(&lim, &spare)) {
            o.kind = FGX_HELPER;
            snprintf(o.reason, sizeof o.reason, "failed: fork: %s", strerror(spare_errno));
            close(file_fd);
            close(pipe_fd);
        } else {
            run_one(&lim, &spare, file_fd, pipe_fd, name, &o, &reap);
            close(file_fd);
        }
        bool ok = answer(sock, &o);
        /* the next spare first: its fork runs while the last child tears
         * down its address space (in its own context), not after it */
        if (ok && spare.pid < 0)
            spare_fork(&lim, &spare);
        if (reap > 0)
            while (waitpid(reap, NULL, 0) < 0 && errno == EINTR)
                ;
        if (!ok) {
            spare_drop(&spare);
            return 0;
        }
    }
}
