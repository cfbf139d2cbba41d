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
 * timeout, reaps it and answers with how it ended.  It exits 0 when the
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
/* Waiting for a child                                                       */
/* ------------------------------------------------------------------------ */

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until child pid has ended or timeout_ms have passed: through a
 * pidfd when the kernel has them, else by polling every millisecond.
 * Returns true when it has ended (not yet reaped). */
static bool wait_exit(pid_t pid, int64_t timeout_ms) {
    int64_t deadline = now_ms() + timeout_ms;
    int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
    for (;;) {
        int64_t left = deadline - now_ms();
        if (pfd >= 0) {
            struct pollfd p = {.fd = pfd, .events = POLLIN};
            int n = poll(&p, 1, left > 0 ? (int)left : 0);
            if (n > 0) {
                close(pfd);
                return true;
            }
            if (n < 0 && errno == EINTR)
                continue;
        } else {
            siginfo_t si = {0};
            if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid)
                return true;
            if (left > 0) {
                nanosleep(&(struct timespec){0, 1000000}, NULL);
                continue;
            }
        }
        if (left <= 0) {
            if (pfd >= 0)
                close(pfd);
            return false;
        }
    }
}

/* ------------------------------------------------------------------------ */
/* One request                                                               */
/* ------------------------------------------------------------------------ */

/* Forks a child for the file and fills *o with how it ended.  Closes
 * pipe_fd (the parent's copy) before waiting. */
static void run_one(const fgx_child_limits_t *lim, int file_fd, int pipe_fd, const char *name,
                    fgx_outcome_t *o) {
    memset(o, 0, sizeof *o);
    o->magic = FGX_OUTCOME_MAGIC;
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0)
        fgx_child_run(parent, file_fd, pipe_fd, name, lim);
    close(pipe_fd);
    if (pid < 0) {
        o->kind = FGX_HELPER;
        snprintf(o->reason, sizeof o->reason, "failed: fork: %s", strerror(errno));
        return;
    }
    bool killed = false;
    if (!wait_exit(pid, (int64_t)lim->timeout_s * 1000)) {
        kill(pid, SIGKILL);
        killed = true;
    }
    int st;
    struct rusage ru;
    while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
        ;
    double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
                 ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) / 1e6;
    fgx_classify(st, killed, cpu, lim->timeout_s, lim->mem_limit, o);
}

/* Receives one request: the name into name (NUL-terminated) and the two
 * descriptors.  Returns 1 for a request, 0 at EOF, -1 for a malformed one
 * (any descriptors it carried are closed), -2 on a socket error. */
static int receive(int sock, char *name, int *file_fd, int *pipe_fd) {
    char buf[sizeof(fgx_request_t) + FGX_NAME_MAX];
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(2 * sizeof(int))];
    } ctl;
    struct iovec iov = {buf, sizeof buf};
    struct msghdr msg = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = &ctl, .msg_controllen = sizeof ctl};
    ssize_t n;
    do
        n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n == 0)
        return 0;
    if (n < 0)
        return -2;
    int fds[2] = {-1, -1}, nfds = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
            continue;
        int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        int *got = (int *)CMSG_DATA(c);
        for (int i = 0; i < k; i++) {
            if (nfds < 2)
                fds[nfds++] = got[i];
            else
                close(got[i]);
        }
    }
    fgx_request_t req;
    bool ok = (size_t)n >= sizeof req && nfds == 2 && !(msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC));
    if (ok) {
        memcpy(&req, buf, sizeof req);
        ok = req.magic == FGX_REQUEST_MAGIC && req.namelen < FGX_NAME_MAX &&
             (size_t)n == sizeof req + req.namelen;
    }
    if (!ok) {
        for (int i = 0; i < nfds; i++)
            close(fds[i]);
        return -1;
    }
    memcpy(name, buf + sizeof req, req.namelen);
    name[req.namelen] = '\0';
    *file_fd = fds[0];
    *pipe_fd = fds[1];
    return 1;
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
    for (;;) {
        int file_fd = -1, pipe_fd = -1;
        int rc = receive(sock, name, &file_fd, &pipe_fd);
        if (rc == 0)
            return 0;
        if (rc == -2) {
            fprintf(stderr, "fundgrube-extract: recvmsg: %s\n", strerror(errno));
            return 1;
        }
        fgx_outcome_t o;
        if (rc < 0) {
            memset(&o, 0, sizeof o);
            o.magic = FGX_OUTCOME_MAGIC;
            o.kind = FGX_HELPER;
            snprintf(o.reason, sizeof o.reason, "failed: malformed request");
        } else {
            run_one(&lim, file_fd, pipe_fd, name, &o);
            close(file_fd);
        }
        if (!answer(sock, &o))
            return 0;
    }
}
