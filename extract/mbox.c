/*
 * mbox.c - the messages of an mbox as a stream (see mbox.h): a line reader
 * over blocks, which keeps the first bytes of each line only.
 */
#include "extract/mbox.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/hash.h"

/* Bytes of a line kept (enough for "From ", a header's name and a
 * Message-ID). */
#define LINE_KEEP 1024

/* The walk's state. */
typedef struct walker {
    fg_mbox_fn fn;
    void *ctx;
    bool open;         /* a message is being read */
    bool in_header;    /* ... and its header */
    bool prev_blank;   /* the previous line was empty (or none was read yet) */
    bool want_msgid;   /* "Message-ID:" had no value on its line: take the next */
    fg_mbox_msg_t msg; /* the message being read */
    uint64_t header_hash;
    char msgid[LINE_KEEP];
    /* the current line */
    uint64_t line_off;
    size_t line_len; /* bytes, '\n' excluded */
    char line[LINE_KEEP];
} walker_t;

/* Reads up to n bytes at off; the count, 0 at the end, -1 on an error. */
static ssize_t read_at(int fd, char *buf, size_t n, uint64_t off) {
    ssize_t r;
    do
        r = pread(fd, buf, n, (off_t)off);
    while (r < 0 && errno == EINTR);
    return r;
}

/* The FNV-1a 64 of the tail before offset (at most FG_MBOX_TAIL bytes);
 * false when it cannot be read. */
static bool tail_hash(int fd, uint64_t offset, uint64_t *out) {
    char buf[FG_MBOX_TAIL];
    uint64_t n = offset < FG_MBOX_TAIL ? offset : FG_MBOX_TAIL;
    ssize_t r = read_at(fd, buf, (size_t)n, offset - n);
    if (r != (ssize_t)n)
        return false;
    *out = fg_fnv1a64(FG_FNV64_OFFSET, buf, (size_t)n);
    return true;
}

/* The key of the message being read: its Message-ID's, else its header's. */
static void make_key(walker_t *w) {
    const char *id = w->msgid;
    while (*id == ' ' || *id == '\t')
        id++;
    size_t n = strcspn(id, "\r");
    while (n > 0 && (id[n - 1] == ' ' || id[n - 1] == '\t'))
        n--;
    if (n > 0)
        snprintf(w->msg.key, sizeof w->msg.key, "m%016llx",
                 (unsigned long long)fg_fnv1a64(FG_FNV64_OFFSET, id, n));
    else
        snprintf(w->msg.key, sizeof w->msg.key, "h%016llx", (unsigned long long)w->header_hash);
}

/* Ends the message being read at offset end and hands it to fn. */
static fg_status_t close_message(walker_t *w, uint64_t end) {
    if (!w->open)
        return FG_OK;
    w->open = false;
    if (!w->msg.key[0])
        make_key(w); /* a message of headers only */
    w->msg.length = end - w->msg.offset;
    return w->fn(w->ctx, &w->msg);
}

/* One whole line (its first bytes in w->line). */
static fg_status_t on_line(walker_t *w) {
    size_t kept = w->line_len < LINE_KEEP ? w->line_len : LINE_KEEP;
    bool blank = w->line_len == 0 || (w->line_len == 1 && w->line[0] == '\r');
    if (w->prev_blank && kept >= 5 && !memcmp(w->line, "From ", 5)) {
        fg_status_t st = close_message(w, w->line_off);
        if (st != FG_OK)
            return st;
        w->open = w->in_header = true;
        w->want_msgid = false;
        memset(&w->msg, 0, sizeof w->msg);
        w->msg.offset = w->line_off;
        w->header_hash = FG_FNV64_OFFSET;
        w->msgid[0] = '\0';
    } else if (w->open && w->in_header) {
        if (blank) {
            w->in_header = false;
            make_key(w);
        } else {
            w->header_hash = fg_fnv1a64(w->header_hash, w->line, kept);
            bool cont = w->line[0] == ' ' || w->line[0] == '\t';
            const char *value = NULL;
            if (kept >= 11 && !strncasecmp(w->line, "Message-ID:", 11) && !w->msgid[0])
                value = w->line + 11;
            else if (cont && w->want_msgid)
                value = w->line;
            w->want_msgid = false;
            if (value) {
                size_t n = kept - (size_t)(value - w->line);
                memcpy(w->msgid, value, n);
                w->msgid[n] = '\0';
                if (strspn(w->msgid, " \t\r") == n) { /* the value is on the next line */
                    w->msgid[0] = '\0';
                    w->want_msgid = true;
                }
            }
        }
    }
    w->prev_blank = blank;
    return FG_OK;
}

/* Walks the messages (see mbox.h). */
fg_status_t fg_mbox_walk(int fd, uint64_t from, fg_mbox_fn fn, void *ctx, fg_mbox_mark_t *end,
                         char *err, size_t errlen) {
    char *buf = malloc(FG_MBOX_BLOCK);
    walker_t *w = calloc(1, sizeof *w);
    if (!buf || !w) {
        free(buf);
        free(w);
        return FG_NOMEM;
    }
    w->fn = fn;
    w->ctx = ctx;
    w->prev_blank = true;
    w->line_off = from;
    uint64_t off = from;
    bool first = true; /* before the first line that is not empty */
    fg_status_t st = FG_OK;
    for (;;) {
        ssize_t r = read_at(fd, buf, FG_MBOX_BLOCK, off);
        if (r < 0) {
            snprintf(err, errlen, "byte %llu: %s", (unsigned long long)off, strerror(errno));
            st = FG_IO;
            break;
        }
        if (r == 0)
            break;
        for (ssize_t i = 0; i < r && st == FG_OK; i++) {
            char ch = buf[i];
            if (ch != '\n') {
                if (w->line_len < LINE_KEEP)
                    w->line[w->line_len] = ch;
                w->line_len++;
                continue;
            }
            bool blank = w->line_len == 0 || (w->line_len == 1 && w->line[0] == '\r');
            if (first && !blank && (w->line_len < 5 || memcmp(w->line, "From ", 5) != 0)) {
                snprintf(err, errlen, "byte %llu: no \"From \" line: not an mbox",
                         (unsigned long long)w->line_off);
                st = FG_CORRUPT;
                break;
            }
            first = first && blank;
            st = on_line(w);
            w->line_off = off + (uint64_t)i + 1;
            w->line_len = 0;
        }
        if (st != FG_OK)
            break;
        off += (uint64_t)r;
    }
    if (st == FG_OK && w->line_len > 0) { /* a last line without '\n' */
        if (first && (w->line_len < 5 || memcmp(w->line, "From ", 5) != 0)) {
            snprintf(err, errlen, "byte %llu: no \"From \" line: not an mbox",
                     (unsigned long long)w->line_off);
            st = FG_CORRUPT;
        } else {
            st = on_line(w);
        }
    }
    if (st == FG_OK)
        st = close_message(w, off);
    if (st == FG_OK && end) {
        end->offset = off;
        if (!tail_hash(fd, off, &end->tail_hash)) {
            snprintf(err, errlen, "byte %llu: %s", (unsigned long long)off, strerror(errno));
            st = FG_IO;
        }
    }
    free(buf);
    free(w);
    return st;
}

/* Compares the mbox with a mark (see mbox.h). */
fg_mbox_change_t fg_mbox_compare(int fd, const fg_mbox_mark_t *mark) {
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        return FG_MBOX_UNREADABLE;
    uint64_t size = (uint64_t)sb.st_size, h;
    if (size < mark->offset)
        return FG_MBOX_REWRITTEN;
    if (!tail_hash(fd, mark->offset, &h))
        return FG_MBOX_UNREADABLE;
    if (h != mark->tail_hash)
        return FG_MBOX_REWRITTEN;
    return size == mark->offset ? FG_MBOX_SAME : FG_MBOX_APPENDED;
}
