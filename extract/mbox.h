/*
 * mbox.h - the messages of an mbox file (Thunderbird's "Posteingang",
 * "Gesendet"), read as a stream: where each message starts and ends, a key
 * that stays the same when other messages come or go, and a mark of how far
 * a walk got, so that appended messages are found without reading the file
 * again.
 *
 * This is the ground for one search result per message (issue 13, step 3):
 * the feed does not use it yet.  A message starts at a line "From " that
 * begins the file or follows an empty line (mboxo/mboxrd: "From " inside a
 * body is written ">From "); its key is "m" and the FNV-1a 64 of its
 * Message-ID, else "h" and that of its header lines.  Memory is one block
 * of FG_MBOX_BLOCK bytes and a few KiB per walk, whatever the file's size.
 *
 * Usage:
 *
 *     fg_mbox_mark_t mark;
 *     fg_mbox_walk(fd, 0, on_message, ctx, &mark, err, sizeof err);   // all of it
 *     ...later, the file changed...
 *     if (fg_mbox_compare(fd, &mark) == FG_MBOX_APPENDED)
 *         fg_mbox_walk(fd, mark.offset, on_message, ctx, &mark, err, sizeof err);
 *     else  // rewritten (compacted): walk all, reconcile by key
 */
#ifndef FG_EXTRACT_MBOX_H
#define FG_EXTRACT_MBOX_H

#include <stddef.h>
#include <stdint.h>

#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FG_MBOX_BLOCK 65536 /* bytes read at a time */
#define FG_MBOX_TAIL 4096   /* bytes before a mark's offset its checksum covers */

/* One message of the mbox. */
typedef struct fg_mbox_msg {
    uint64_t offset; /* of its "From " line */
    uint64_t length; /* bytes up to the next message's "From " line, or the end */
    char key[18];    /* "m" or "h" and 16 hex digits (see above); NUL-terminated */
} fg_mbox_msg_t;

/* How far a walk read: the file's size then, and the FNV-1a 64 of the
 * FG_MBOX_TAIL bytes before it (fewer in a smaller file). */
typedef struct fg_mbox_mark {
    uint64_t offset;
    uint64_t tail_hash;
} fg_mbox_mark_t;

/* Receives one message; a status other than FG_OK stops the walk, which
 * returns it. */
typedef fg_status_t (*fg_mbox_fn)(void *ctx, const fg_mbox_msg_t *msg);

/*
 * Calls fn for each message of the mbox open as fd from byte from (0, or
 * the offset of a mark: empty lines there are skipped), in file order, and
 * sets *end (may be NULL) to the mark of the end.  Reads with pread(); fd's
 * offset is left alone.  Returns FG_OK, fn's status, FG_CORRUPT when the
 * bytes at from are no "From " line (err names the offset), FG_IO.
 */
fg_status_t fg_mbox_walk(int fd, uint64_t from, fg_mbox_fn fn, void *ctx, fg_mbox_mark_t *end,
                         char *err, size_t errlen);

/* What became of an mbox since a walk's mark. */
typedef enum fg_mbox_change {
    FG_MBOX_SAME,      /* the same size and the same bytes before the mark */
    FG_MBOX_APPENDED,  /* longer, the same bytes before the mark: walk from mark->offset */
    FG_MBOX_REWRITTEN, /* shorter, or the bytes before the mark changed (compacted,
                        * a message deleted or edited): walk all and compare keys */
    FG_MBOX_UNREADABLE /* the file cannot be read (errno set) */
} fg_mbox_change_t;

/* Compares the mbox open as fd with mark (reads its FG_MBOX_TAIL bytes). */
fg_mbox_change_t fg_mbox_compare(int fd, const fg_mbox_mark_t *mark);

#ifdef __cplusplus
}
#endif
#endif
