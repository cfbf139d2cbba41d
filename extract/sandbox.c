/*
 * sandbox.c - the client side of the extractor sandbox (see sandbox.h):
 * spawning the helper, sending a request, reading the record and the
 * outcome, restarting a helper that died.
 */
#include "extract/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/relocate.h"
#include "extract/sandbox_proto.h"

extern char **environ;

struct fg_sandbox {
    char *helper;             /* path of the helper program */
    fg_sandbox_options_t opt; /* with defaults filled in */
    pid_t pid;                /* the helper, -1 when none runs */
    int sock;                 /* our end of the socketpair, -1 when none */
    bool outcome_due;         /* the last request's outcome is still to be received */
};

/* What a request came to. */
typedef enum attempt {
    ATTEMPT_DONE,       /* a status to return */
    ATTEMPT_HELPER_DIED /* the helper went away: restart, retry */
} attempt_t;

/* Guard time beyond the helper's timeout before the client gives up on it. */
#define GUARD_MS 5000

/* ------------------------------------------------------------------------ */
/* The helper process                                                        */
/* ------------------------------------------------------------------------ */

/* True when path is an executable regular file. */
static bool is_program(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Finds the helper (order in sandbox.h); a malloc'ed path or NULL. */
static char *find_helper(const char *given) {
    if (given)
        return is_program(given) ? strdup(given) : NULL;
    char path[PATH_MAX];
    if (fg_relocate_find(NULL, "fundgrube-extract", NULL, NULL, X_OK, path, sizeof path) &&
        is_program(path))
        return strdup(path);
    if (fg_relocate_find((const void *)find_helper,
                         FG_REL_BIN_TO_LIBEXEC "/fundgrube/fundgrube-extract",
                         FG_REL_LIB_TO_LIBEXEC "/fundgrube/fundgrube-extract",
                         "extract/fundgrube-extract", X_OK, path, sizeof path) &&
        is_program(path))
        return strdup(path);
#ifdef FG_SANDBOX_INSTALLED_HELPER
    if (is_program(FG_SANDBOX_INSTALLED_HELPER))
        return strdup(FG_SANDBOX_INSTALLED_HELPER);
#endif
    return NULL;
}

/* Closes the socket, kills and reaps the helper. */
static void helper_kill(fg_sandbox_t *sb) {
    if (sb->sock >= 0)
        close(sb->sock);
    sb->sock = -1;
    sb->outcome_due = false;
    if (sb->pid > 0) {
        kill(sb->pid, SIGKILL);
        while (waitpid(sb->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    sb->pid = -1;
}

/* The environment of the helper: ours with LD_BIND_NOW=1 (any
 * LD_BIND_NOW of ours dropped), so that the dynamic linker resolves every
 * symbol of the parsers' libraries once in the helper instead of lazily in
 * each child, where each first call costs a lookup and the GOT page written
 * a copy-on-write fault (bench/sandbox-cost: 7 % fewer page faults per PDF).
 * A malloc'ed array of borrowed strings (free the array only); NULL when
 * out of memory. */
static char **helper_env(void) {
    static char bind_now[] = "LD_BIND_NOW=1";
    size_t n = 0;
    while (environ[n])
        n++;
    char **env = malloc((n + 2) * sizeof *env);
    if (!env)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "LD_BIND_NOW=", 12) != 0)
            env[k++] = environ[i];
    env[k++] = bind_now;
    env[k] = NULL;
    return env;
}

/* Spawns the helper with its end of a fresh socketpair as fd 3, stdin and
 * stdout /dev/null, default signal handling, the environment of
 * helper_env().  Returns FG_OK or FG_IO. */
static fg_status_t helper_spawn(fg_sandbox_t *sb, char *err, size_t errlen) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errlen, "socketpair: %s", strerror(errno));
        return FG_IO;
    }
    /* never 3 itself: dup2(3, 3) would leave close-on-exec set */
    int child_end = fcntl(sv[1], F_DUPFD_CLOEXEC, 10);
    close(sv[1]);
    if (child_end < 0) {
        snprintf(err, errlen, "fcntl: %s", strerror(errno));
        close(sv[0]);
        return FG_IO;
    }
    char mem[32], tmo[32], txt[32], inf[32];
    snprintf(mem, sizeof mem, "%llu", (unsigned long long)sb->opt.mem_limit);
    snprintf(tmo, sizeof tmo, "%u", sb->opt.timeout_s);
    snprintf(txt, sizeof txt, "%llu", (unsigned long long)sb->opt.max_text);
    snprintf(inf, sizeof inf, "%llu", (unsigned long long)sb->opt.max_inflate);
    char *argv[] = {sb->helper, "--socket-fd", "3", "--mem-limit",   mem, "--timeout",
                    tmo,        "--max-text",  txt, "--max-inflate", inf, NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    sigset_t none, dflt;
    sigemptyset(&none);
    sigemptyset(&dflt);
    sigaddset(&dflt, SIGPIPE);
    sigaddset(&dflt, SIGCHLD);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, child_end, 3);
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &dflt);
    pid_t pid;
    char **env = helper_env();
    int rc = posix_spawn(&pid, sb->helper, &fa, &at, argv, env ? env : environ);
    free(env);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(child_end);
    if (rc != 0) {
        snprintf(err, errlen, "%s: %s", sb->helper, strerror(rc));
        close(sv[0]);
        return FG_IO;
    }
    sb->pid = pid;
    sb->sock = sv[0];
    return FG_OK;
}

/* ------------------------------------------------------------------------ */
/* One request                                                               */
/* ------------------------------------------------------------------------ */

/* Milliseconds on the monotonic clock. */
static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until fd is readable or deadline (monotonic ms) passes; true when
 * readable (or at EOF). */
static bool wait_readable(int fd, int64_t deadline) {
    for (;;) {
        int64_t left = deadline - now_ms();
        if (left < 0)
            return false;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (n > 0)
            return true;
        if (n == 0 || errno != EINTR)
            return false;
    }
}

static int recv_outcome(int sock, int64_t deadline, fgx_outcome_t *o);

/* Reads the record from fd into a malloc'ed buffer of at most max bytes,
 * until it is complete by its own length fields (fgx_record_size(); *complete
 * set: the child's exit is not waited for) or to EOF.  Returns 0, -E2BIG
 * when there was more, -ETIMEDOUT at the deadline, -ENOMEM or -errno. */
static int read_record(int fd, size_t max, uint64_t max_text, int64_t deadline, char **out,
                       size_t *outlen, bool *complete) {
    size_t cap = 4096, len = 0;
    int64_t size = 0;
    *complete = false;
    char *buf = malloc(cap);
    if (!buf)
        return -ENOMEM;
    for (;;) {
        if (len == cap || (size > 0 && (size_t)size > cap && (size_t)size <= max)) {
            if (cap >= max + 1) {
                free(buf);
                return -E2BIG;
            }
            /* once the size is known, one buffer of that size */
            size_t ncap = size > 0 && (size_t)size > cap && (size_t)size <= max ? (size_t)size
                          : cap * 2 > max + 1                                   ? max + 1
                                                                                : cap * 2;
            char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return -ENOMEM;
            }
            buf = nb;
            cap = ncap;
        }
        if (!wait_readable(fd, deadline)) {
            free(buf);
            return -ETIMEDOUT;
        }
        ssize_t n = read(fd, buf + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int e = errno;
            free(buf);
            return -e;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max) {
            free(buf);
            return -E2BIG;
        }
        if (size == 0)
            size = fgx_record_size(buf, len, max_text);
        if (size > 0 && len >= (size_t)size) {
            *complete = len == (size_t)size;
            break;
        }
    }
    *out = buf;
    *outlen = len;
    return 0;
}

/* Takes the outcome of the last request when it was left for later (its
 * record was complete): the helper sends it once the child's done note
 * came.  A helper that is gone, or never sends it, is killed (the next
 * request starts a new one). */
static void settle(fg_sandbox_t *sb) {
    if (!sb->outcome_due)
        return;
    sb->outcome_due = false;
    fgx_outcome_t o;
    int64_t deadline = now_ms() + (int64_t)sb->opt.timeout_s * 1000 + GUARD_MS;
    if (recv_outcome(sb->sock, deadline, &o) != 0)
        helper_kill(sb);
}

/* Turns a complete record's status into the request's result as the
 * helper's outcome would (FG_NOMEM from the child: its memory limit). */
static void from_record(const fg_sandbox_t *sb, fg_status_t rst, const char *err,
                        fg_sandbox_failure_t *failure, fg_status_t *st, char *reason,
                        size_t reasonlen) {
    if (rst == FG_NOMEM) {
        char lim[32];
        *st = FG_CORRUPT;
        *failure = FG_SANDBOX_MEMORY;
        if (reasonlen)
            snprintf(reason, reasonlen, "killed: memory limit %s",
                     fgx_format_bytes(sb->opt.mem_limit, lim, sizeof lim));
        return;
    }
    *st = rst;
    if (rst != FG_OK && reasonlen)
        snprintf(reason, reasonlen, "%s", err);
}

/* Receives the outcome; 0, -EPIPE when the helper is gone, -ETIMEDOUT. */
static int recv_outcome(int sock, int64_t deadline, fgx_outcome_t *o) {
    if (!wait_readable(sock, deadline))
        return -ETIMEDOUT;
    ssize_t n;
    do
        n = recv(sock, o, sizeof *o, 0);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof *o || o->magic != FGX_OUTCOME_MAGIC)
        return -EPIPE;
    o->reason[sizeof o->reason - 1] = '\0';
    return 0;
}

/* Sets a reason text. */
static void say(char *reason, size_t len, const char *text) {
    if (len)
        snprintf(reason, len, "%s", text);
}

/* One request for the open file: sends it, reads the record until it is
 * complete or to EOF, then (unless the record was complete: see settle())
 * the outcome, and turns them into *st.  Returns ATTEMPT_HELPER_DIED when
 * the helper went away (it is then killed and reaped). */
static attempt_t attempt(fg_sandbox_t *sb, int file_fd, const char *name, fg_format_doc_t *out,
                         fg_sandbox_failure_t *failure, fg_status_t *st, char *reason,
                         size_t reasonlen) {
    int p[2];
    *failure = FG_SANDBOX_NONE;
    if (pipe2(p, O_CLOEXEC) != 0) {
        *st = errno == EMFILE || errno == ENFILE ? FG_IO : FG_NOMEM;
        say(reason, reasonlen, strerror(errno));
        return ATTEMPT_DONE;
    }
    int rc = fgx_request_send(sb->sock, file_fd, p[1], name);
    close(p[1]);
    if (rc) {
        close(p[0]);
        helper_kill(sb);
        return ATTEMPT_HELPER_DIED;
    }
    int64_t deadline = now_ms() + (int64_t)sb->opt.timeout_s * 1000 + GUARD_MS;
    size_t max = (size_t)sb->opt.max_text + 2 * FGX_META_MAX + 4 * (size_t)FGX_PAGES_MAX + 4096;
    char *rec = NULL;
    size_t reclen = 0;
    bool complete = false;
    int rrc = read_record(p[0], max, sb->opt.max_text, deadline, &rec, &reclen, &complete);
    close(p[0]); /* a child still writing now dies of SIGPIPE */
    if (rrc == 0 && complete) {
        /* the record says all: the outcome is taken before the next
         * request (settle()), not waited for now */
        fg_status_t rst;
        char err[FGX_REASON_MAX];
        if (fgx_record_parse(rec, reclen, sb->opt.max_text, &rst, out, err, sizeof err) == 0) {
            free(rec);
            sb->outcome_due = true;
            from_record(sb, rst, err, failure, st, reason, reasonlen);
            return ATTEMPT_DONE;
        }
    }
    fgx_outcome_t o;
    rc = recv_outcome(sb->sock, deadline, &o);
    if (rc) {
        free(rec);
        helper_kill(sb);
        return ATTEMPT_HELPER_DIED;
    }
    *st = FG_CORRUPT;
    switch ((fgx_kind_t)o.kind) {
    case FGX_OK:
    case FGX_FAILED: {
        fg_status_t rst;
        char err[FGX_REASON_MAX];
        if (rrc == -ENOMEM) {
            *st = FG_NOMEM;
            say(reason, reasonlen, "out of memory");
        } else if (rrc ||
                   fgx_record_parse(rec, reclen, sb->opt.max_text, &rst, out, err, sizeof err) !=
                       0 ||
                   (o.kind == FGX_OK) != (rst == FG_OK)) {
            *failure = FG_SANDBOX_CRASHED;
            say(reason, reasonlen, "failed: malformed result from the extractor");
            fgx_doc_free(out);
        } else {
            *st = rst;
            if (rst != FG_OK)
                say(reason, reasonlen, err);
        }
        break;
    }
    case FGX_TIMEOUT:
    case FGX_CPU:
        *failure = FG_SANDBOX_TIMEOUT;
        say(reason, reasonlen, o.reason);
        break;
    case FGX_MEMORY:
        *failure = FG_SANDBOX_MEMORY;
        say(reason, reasonlen, o.reason);
        break;
    case FGX_CRASHED:
        *failure = FG_SANDBOX_CRASHED;
        say(reason, reasonlen, o.reason);
        break;
    default:
        *st = FG_IO;
        *failure = FG_SANDBOX_HELPER;
        say(reason, reasonlen, o.reason[0] ? o.reason : "failed: unknown outcome");
        break;
    }
    free(rec);
    return ATTEMPT_DONE;
}

/* ------------------------------------------------------------------------ */
/* The API                                                                   */
/* ------------------------------------------------------------------------ */

/* Spawns the helper (see sandbox.h). */
fg_status_t fg_sandbox_start(const fg_sandbox_options_t *opt, fg_sandbox_t **out, char *err,
                             size_t errlen) {
    *out = NULL;
    fg_sandbox_t *sb = calloc(1, sizeof *sb);
    if (!sb)
        return FG_NOMEM;
    if (opt)
        sb->opt = *opt;
    sb->opt.helper_path = NULL;
    if (!sb->opt.mem_limit)
        sb->opt.mem_limit = 1ull << 30;
    if (!sb->opt.timeout_s)
        sb->opt.timeout_s = 30;
    if (!sb->opt.max_text)
        sb->opt.max_text = 32u << 20;
    if (!sb->opt.max_inflate)
        sb->opt.max_inflate = 256u << 20;
    sb->pid = -1;
    sb->sock = -1;
    sb->helper = find_helper(opt ? opt->helper_path : NULL);
    if (!sb->helper) {
        snprintf(err, errlen, "extractor helper fundgrube-extract not found%s%s",
                 opt && opt->helper_path ? ": " : "",
                 opt && opt->helper_path ? opt->helper_path : "");
        free(sb);
        return FG_NOT_FOUND;
    }
    fg_status_t st = helper_spawn(sb, err, errlen);
    if (st != FG_OK) {
        free(sb->helper);
        free(sb);
        return st;
    }
    *out = sb;
    return FG_OK;
}

/* Extracts one file in the sandbox (see sandbox.h). */
fg_status_t fg_sandbox_extract(fg_sandbox_t *sb, const char *path, fg_format_doc_t *out,
                               fg_sandbox_failure_t *failure, char *reason, size_t reasonlen) {
    fg_sandbox_failure_t dummy;
    if (!failure)
        failure = &dummy;
    *failure = FG_SANDBOX_NONE;
    memset(out, 0, sizeof *out);
    say(reason, reasonlen, "");
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        int e = errno;
        say(reason, reasonlen, e == ELOOP ? "a symbolic link" : strerror(e));
        return e == ELOOP ? FG_SKIPPED : FG_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        say(reason, reasonlen, "not a regular file");
        close(fd);
        return FG_SKIPPED;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (strlen(name) >= FGX_NAME_MAX) {
        say(reason, reasonlen, "file name too long");
        close(fd);
        return FG_SKIPPED;
    }
    fg_status_t rst = FG_IO;
    char err[256];
    for (int round = 0; round < 2; round++) {
        settle(sb);
        if (sb->sock < 0 && helper_spawn(sb, err, sizeof err) != FG_OK) {
            *failure = FG_SANDBOX_HELPER;
            say(reason, reasonlen, err);
            close(fd);
            return FG_IO;
        }
        if (attempt(sb, fd, name, out, failure, &rst, reason, reasonlen) == ATTEMPT_DONE) {
            close(fd);
            return rst;
        }
    }
    close(fd);
    *failure = FG_SANDBOX_HELPER;
    say(reason, reasonlen, "failed: the extractor helper died twice");
    return FG_IO;
}

/* The helper's pid (see sandbox.h). */
int fg_sandbox_helper_pid(const fg_sandbox_t *sb) {
    return sb->pid;
}

/* Frees a document (see sandbox.h). */
void fg_sandbox_doc_free(fg_format_doc_t *doc) {
    fgx_doc_free(doc);
}

/* Stops the helper and frees sb (see sandbox.h): closes the socket, gives
 * the helper two seconds to see EOF and exit, then kills it. */
void fg_sandbox_stop(fg_sandbox_t *sb) {
    if (!sb)
        return;
    if (sb->sock >= 0) {
        close(sb->sock);
        sb->sock = -1;
        for (int i = 0; sb->pid > 0 && i < 2000; i++) {
            pid_t r = waitpid(sb->pid, NULL, WNOHANG);
            if (r == sb->pid || (r < 0 && errno != EINTR))
                sb->pid = -1;
            else
                nanosleep(&(struct timespec){0, 1000000}, NULL);
        }
    }
    helper_kill(sb);
    free(sb->helper);
    free(sb);
}
