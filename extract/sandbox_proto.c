/*
 * sandbox_proto.c - the sandbox's wire format: writing and parsing the
 * result record (see sandbox_proto.h for the layout).
 */
#include "extract/sandbox_proto.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* Writes all len bytes of p to fd, retrying on EINTR and short writes.
 * Returns 0 or -errno. */
static int write_all(int fd, const void *p, size_t len) {
    const char *c = p;
    while (len > 0) {
        ssize_t n = write(fd, c, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        c += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Writes a u32 length and then len bytes of s. */
static int write_field(int fd, const char *s, size_t len) {
    uint32_t n = (uint32_t)len;
    int rc = write_all(fd, &n, sizeof n);
    return rc ? rc : write_all(fd, s, len);
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

/* Writes a record (see sandbox_proto.h). */
int fgx_record_write(int fd, fg_status_t status, const char *err, const fg_format_doc_t *doc,
                     uint64_t max_text) {
    uint32_t head[3] = {FGX_RECORD_MAGIC, (uint32_t)status, 0};
    if (status != FG_OK) {
        const char *e = err ? err : "";
        size_t elen = cut_utf8(e, strlen(e), FGX_REASON_MAX - 1);
        head[2] = (uint32_t)elen;
        int rc = write_all(fd, head, sizeof head);
        return rc ? rc : write_all(fd, e, elen);
    }
    int rc = write_all(fd, head, sizeof head);
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
    if (!rc)
        rc = write_all(fd, ty, sizeof ty);
    if (!rc)
        rc = write_field(fd, title, cut_utf8(title, strlen(title), FGX_META_MAX));
    if (!rc)
        rc = write_field(fd, author, cut_utf8(author, strlen(author), FGX_META_MAX));
    if (!rc)
        rc = write_field(fd, doc->date, strnlen(doc->date, sizeof doc->date - 1));
    const char *mail[] = {doc->from, doc->to, doc->parts, doc->notes};
    for (size_t i = 0; i < sizeof mail / sizeof mail[0] && !rc; i++) {
        const char *m = mail[i] ? mail[i] : "";
        rc = write_field(fd, m, cut_utf8(m, strlen(m), FGX_META_MAX));
    }
    if (!rc)
        rc = write_all(fd, &npages, sizeof npages);
    if (!rc && npages)
        rc = write_all(fd, doc->pages, npages * sizeof *doc->pages);
    uint64_t tl = text_len;
    if (!rc)
        rc = write_all(fd, &tl, sizeof tl);
    if (!rc && text_len)
        rc = write_all(fd, doc->text, text_len);
    return rc;
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
