/*
 * sandbox_proto.c - the sandbox's wire format: writing and parsing the
 * result record (see sandbox_proto.h for the layout).
 */
#include "extract/sandbox_proto.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------------------ */
/* Outcomes and writing (in the helper and the child: no heap)              */
/* ------------------------------------------------------------------------ */

/* Formats a byte count for a reason text (see sandbox_proto.h). */
char *fgx_format_bytes(uint64_t n, char *buf, size_t len) {
    static const struct {
        uint64_t unit;
        const char *name;
    } units[] = {{1ull << 30, "GiB"}, {1ull << 20, "MiB"}, {1ull << 10, "KiB"}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (n >= units[i].unit && n % units[i].unit == 0) {
            snprintf(buf, len, "%" PRIu64 " %s", n / units[i].unit, units[i].name);
            return buf;
        }
    }
    snprintf(buf, len, "%" PRIu64 " bytes", n);
    return buf;
}

/* Tells how a child ended (see sandbox_proto.h). */
void fgx_classify(int st, bool killed, double cpu_s, unsigned timeout_s, uint64_t mem_limit,
                  fgx_outcome_t *o) {
    char lim_text[32];
    memset(o, 0, sizeof *o);
    o->magic = FGX_OUTCOME_MAGIC;
    if (killed) {
        o->kind = FGX_TIMEOUT;
        o->code = SIGKILL;
        snprintf(o->reason, sizeof o->reason, "timeout after %u s", timeout_s);
    } else if (WIFEXITED(st)) {
        int code = WEXITSTATUS(st);
        o->code = code;
        if (code == 0) {
            o->kind = FGX_OK;
        } else if (code == FGX_EXIT_BASE + FG_NOMEM) {
            o->kind = FGX_MEMORY;
            o->status = FG_NOMEM;
            snprintf(o->reason, sizeof o->reason, "killed: memory limit %s",
                     fgx_format_bytes(mem_limit, lim_text, sizeof lim_text));
        } else if (code > FGX_EXIT_BASE && code < FGX_EXIT_BASE + FG_STATUS_LAST_) {
            o->kind = FGX_FAILED;
            o->status = code - FGX_EXIT_BASE;
        } else {
            o->kind = FGX_CRASHED;
            snprintf(o->reason, sizeof o->reason, "crashed: exit status %d", code);
        }
    } else {
        int sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
        o->code = sig;
        if (sig == SIGXCPU || (sig == SIGKILL && cpu_s + 0.5 >= (double)timeout_s + 1)) {
            o->kind = FGX_CPU;
            snprintf(o->reason, sizeof o->reason, "timeout after %u s (CPU)", timeout_s);
        } else {
            const char *abbrev = sigabbrev_np(sig);
            o->kind = FGX_CRASHED;
            if (abbrev)
                snprintf(o->reason, sizeof o->reason, "crashed: SIG%s", abbrev);
            else
                snprintf(o->reason, sizeof o->reason, "crashed: signal %d", sig);
        }
    }
}

/* Writes the n buffers of iov to fd in as few writev() calls as the pipe
 * takes (one for a record that fits the pipe: the reader wakes once, not
 * once per field), retrying on EINTR and short writes; iov is used up.
 * Returns 0 or -errno. */
static int writev_all(int fd, struct iovec *iov, int n) {
    while (n > 0) {
        ssize_t w = writev(fd, iov, n > IOV_MAX ? IOV_MAX : n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        size_t done = (size_t)w;
        while (n > 0 && done >= iov->iov_len) {
            done -= iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + done;
            iov->iov_len -= done;
        }
    }
    return 0;
}

/* The pieces of one record waiting for writev_all(): at most 2 + 7 fields
 * x 2 + 4 of them, and the u32 lengths they point to. */
typedef struct pieces {
    struct iovec iov[24];
    uint32_t lens[8];
    int n, nlens;
} pieces_t;

/* Adds len bytes at p (nothing when len is 0). */
static void add(pieces_t *w, const void *p, size_t len) {
    if (len)
        w->iov[w->n++] = (struct iovec){(void *)p, len};
}

/* Adds a u32 length and then len bytes of s. */
static void add_field(pieces_t *w, const char *s, size_t len) {
    uint32_t *n = &w->lens[w->nlens++];
    *n = (uint32_t)len;
    add(w, n, sizeof *n);
    add(w, s, len);
}

/* The length of s cut to at most max bytes, backing off to a UTF-8
 * character boundary. */
static size_t cut_utf8(const char *s, size_t len, size_t max) {
    if (len <= max)
        return len;
    size_t n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

/* Writes a record (see sandbox_proto.h): every piece in one writev(). */
int fgx_record_write(int fd, fg_status_t status, const char *err, const fg_format_doc_t *doc,
                     uint64_t max_text) {
    uint32_t head[3] = {FGX_RECORD_MAGIC, (uint32_t)status, 0};
    pieces_t w = {.n = 0};
    if (status != FG_OK) {
        const char *e = err ? err : "";
        size_t elen = cut_utf8(e, strlen(e), FGX_REASON_MAX - 1);
        head[2] = (uint32_t)elen;
        add(&w, head, sizeof head);
        add(&w, e, elen);
        return writev_all(fd, w.iov, w.n);
    }
    add(&w, head, sizeof head);
    const char *title = doc->title ? doc->title : "";
    const char *author = doc->author ? doc->author : "";
    size_t text_len = doc->text ? doc->text_len : 0;
    bool truncated = doc->truncated;
    if (text_len > max_text) {
        text_len = cut_utf8(doc->text, text_len, (size_t)max_text);
        truncated = true;
    }
    uint32_t npages = 0; /* pages that start inside the text kept */
    while (doc->pages && npages < doc->npages && npages < FGX_PAGES_MAX &&
           doc->pages[npages] <= text_len)
        npages++;
    uint32_t ty[2] = {(uint32_t)doc->type, truncated ? 1u : 0u};
    add(&w, ty, sizeof ty);
    add_field(&w, title, cut_utf8(title, strlen(title), FGX_META_MAX));
    add_field(&w, author, cut_utf8(author, strlen(author), FGX_META_MAX));
    add_field(&w, doc->date, strnlen(doc->date, sizeof doc->date - 1));
    const char *mail[] = {doc->from, doc->to, doc->parts, doc->notes};
    for (size_t i = 0; i < sizeof mail / sizeof mail[0]; i++) {
        const char *m = mail[i] ? mail[i] : "";
        add_field(&w, m, cut_utf8(m, strlen(m), FGX_META_MAX));
    }
    add(&w, &npages, sizeof npages);
    add(&w, doc->pages, npages * sizeof *doc->pages);
    uint64_t tl = text_len;
    add(&w, &tl, sizeof tl);
    add(&w, doc->text, text_len);
    return writev_all(fd, w.iov, w.n);
}

/* ------------------------------------------------------------------------ */
/* Requests                                                                  */
/* ------------------------------------------------------------------------ */

/* Sends a request (see sandbox_proto.h). */
int fgx_request_send(int sock, int file_fd, int pipe_fd, const char *name) {
    fgx_request_t req = {FGX_REQUEST_MAGIC, (uint32_t)strlen(name)};
    struct iovec iov[2] = {{&req, sizeof req}, {(void *)name, req.namelen}};
    union {
        struct cmsghdr h;
        char space[CMSG_SPACE(2 * sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr msg = {
        .msg_iov = iov, .msg_iovlen = 2, .msg_control = &ctl, .msg_controllen = sizeof ctl};
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int fds[2] = {file_fd, pipe_fd};
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    ssize_t n;
    do
        n = sendmsg(sock, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    return n < 0 ? -errno : 0;
}

/* Receives a request (see sandbox_proto.h). */
int fgx_request_recv(int sock, char *name, int *file_fd, int *pipe_fd) {
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
        for (int i = 0; i < k; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + (size_t)i * sizeof fd, sizeof fd);
            if (nfds < 2)
                fds[nfds++] = fd;
            else
                close(fd);
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

/* ------------------------------------------------------------------------ */
/* Parsing (in the client)                                                   */
/* ------------------------------------------------------------------------ */

/* A cursor over the record. */
typedef struct reader {
    const char *p;
    size_t left;
} reader_t;

/* Takes n bytes into dst; false when fewer are left. */
static bool take(reader_t *r, void *dst, size_t n) {
    if (r->left < n)
        return false;
    memcpy(dst, r->p, n);
    r->p += n;
    r->left -= n;
    return true;
}

/* Takes a u32-prefixed field of at most max bytes as a malloc'ed
 * NUL-terminated string into *out. */
static bool take_string(reader_t *r, size_t max, char **out) {
    uint32_t n;
    if (!take(r, &n, sizeof n) || n > max || n > r->left)
        return false;
    *out = malloc((size_t)n + 1);
    if (!*out)
        return false;
    memcpy(*out, r->p, n);
    (*out)[n] = '\0';
    r->p += n;
    r->left -= n;
    return true;
}

/* Reads the u32 at offset off of buf[0..len) into *v; false when it is not
 * all there. */
static bool peek_u32(const char *buf, size_t len, uint64_t off, uint32_t *v) {
    if (off + sizeof *v > len)
        return false;
    memcpy(v, buf + off, sizeof *v);
    return true;
}

/* The size of a record from its length fields (see sandbox_proto.h). */
int64_t fgx_record_size(const char *buf, size_t len, uint64_t max_text) {
    uint32_t magic, status, v;
    if (!peek_u32(buf, len, 0, &magic) || !peek_u32(buf, len, 4, &status) ||
        !peek_u32(buf, len, 8, &v))
        return len >= 4 && memcmp(buf, &(uint32_t){FGX_RECORD_MAGIC}, 4) != 0 ? -1 : 0;
    if (magic != FGX_RECORD_MAGIC || status >= FG_STATUS_LAST_)
        return -1;
    if (status != FG_OK)
        return v >= FGX_REASON_MAX ? -1 : (int64_t)(12 + (uint64_t)v);
    uint64_t off = 12 + 8; /* magic, status, 0, then type, truncated */
    const uint32_t date_max = sizeof(((fg_format_doc_t *)0)->date) - 1;
    uint32_t caps[7] = {FGX_META_MAX, FGX_META_MAX, date_max,    FGX_META_MAX,
                        FGX_META_MAX, FGX_META_MAX, FGX_META_MAX};
    for (int i = 0; i < 7; i++) { /* title, author, date, from, to, parts, notes */
        if (!peek_u32(buf, len, off, &v))
            return 0;
        if (v > caps[i])
            return -1;
        off += 4 + (uint64_t)v;
    }
    if (!peek_u32(buf, len, off, &v))
        return 0;
    if (v > FGX_PAGES_MAX)
        return -1;
    off += 4 + 4 * (uint64_t)v;
    uint64_t tl;
    if (off + sizeof tl > len)
        return 0;
    memcpy(&tl, buf + off, sizeof tl);
    if (tl > max_text)
        return -1;
    return (int64_t)(off + sizeof tl + tl);
}

/* Frees a parsed doc (see sandbox_proto.h). */
void fgx_doc_free(fg_format_doc_t *doc) {
    free(doc->text);
    free(doc->pages);
    free(doc->title);
    free(doc->author);
    free(doc->from);
    free(doc->to);
    free(doc->parts);
    free(doc->notes);
    memset(doc, 0, sizeof *doc);
}

/* Parses a record (see sandbox_proto.h). */
int fgx_record_parse(const char *buf, size_t len, uint64_t max_text, fg_status_t *status,
                     fg_format_doc_t *doc, char *err, size_t errlen) {
    reader_t r = {buf, len};
    uint32_t head[3];
    memset(doc, 0, sizeof *doc);
    if (!take(&r, head, sizeof head) || head[0] != FGX_RECORD_MAGIC || head[1] >= FG_STATUS_LAST_)
        return -1;
    *status = (fg_status_t)head[1];
    if (*status != FG_OK) {
        if (head[2] >= FGX_REASON_MAX || head[2] != r.left)
            return -1;
        if (errlen)
            snprintf(err, errlen, "%.*s", (int)head[2], r.p);
        return 0;
    }
    uint32_t ty[2], npages;
    char *date = NULL;
    uint64_t tl;
    if (!take(&r, ty, sizeof ty) || ty[0] >= FG_DOCTYPE_LAST_ || ty[1] > 1)
        goto bad;
    doc->type = (fg_doctype_t)ty[0];
    doc->truncated = ty[1] == 1;
    if (!take_string(&r, FGX_META_MAX, &doc->title) ||
        !take_string(&r, FGX_META_MAX, &doc->author) ||
        !take_string(&r, sizeof doc->date - 1, &date))
        goto bad;
    memcpy(doc->date, date, strlen(date) + 1);
    free(date);
    date = NULL;
    if (!take_string(&r, FGX_META_MAX, &doc->from) || !take_string(&r, FGX_META_MAX, &doc->to) ||
        !take_string(&r, FGX_META_MAX, &doc->parts) || !take_string(&r, FGX_META_MAX, &doc->notes))
        goto bad;
    if (!take(&r, &npages, sizeof npages) || npages > FGX_PAGES_MAX ||
        (size_t)npages * sizeof *doc->pages > r.left)
        goto bad;
    if (npages) {
        doc->pages = malloc(npages * sizeof *doc->pages);
        if (!doc->pages || !take(&r, doc->pages, npages * sizeof *doc->pages))
            goto bad;
        doc->npages = npages;
    }
    if (!take(&r, &tl, sizeof tl) || tl > max_text || tl != r.left)
        goto bad;
    for (size_t i = 0; i < doc->npages; i++)
        if (doc->pages[i] > tl || (i > 0 && doc->pages[i] < doc->pages[i - 1]))
            goto bad;
    doc->text = malloc((size_t)tl + 1);
    if (!doc->text)
        goto bad;
    memcpy(doc->text, r.p, (size_t)tl);
    doc->text[tl] = '\0';
    doc->text_len = (size_t)tl;
    return 0;
bad:
    free(date);
    fgx_doc_free(doc);
    return -1;
}
