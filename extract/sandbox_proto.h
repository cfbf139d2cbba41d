/*
 * sandbox_proto.h - the wire format between the sandbox client
 * (extract/sandbox.c), the extractor helper (extract/extractor_main.c) and
 * its per-file children (extract/sandbox_child.c).
 *
 * Three kinds of message, all in host byte order (every party runs on the
 * same machine, built from the same tree):
 *
 *   request   client -> helper, one SOCK_SEQPACKET message: fgx_request_t,
 *             then the file's base name (namelen bytes, no NUL); two
 *             descriptors ride along as SCM_RIGHTS: the file (read-only) and
 *             the write end of the result pipe.
 *   record    child -> client, over the result pipe, read to EOF:
 *               u32 magic FGX_RECORD_MAGIC, u32 status, u32 errlen, err
 *             and when status is FG_OK:
 *               u32 type, u32 truncated, u32 titlelen, title, u32 authorlen,
 *               author, u32 datelen, date, u32 fromlen, from, u32 tolen, to,
 *               u32 partslen, parts, u32 noteslen, notes, u32 npages, npages x u32,
 *               u64 textlen, text
 *   outcome   helper -> client, one SOCK_SEQPACKET message: fgx_outcome_t,
 *             how the child ended.
 *
 * Inside the helper the request travels on, unchanged, over a socketpair
 * to the spare child forked for the next file (sandbox_child.h), and the
 * child ends with a done note on a pipe to the helper: its exit code as a
 * u32, written after the record is complete and the result pipe closed.
 */
#ifndef FG_EXTRACT_SANDBOX_PROTO_H
#define FG_EXTRACT_SANDBOX_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "extract/format.h"

#define FGX_REQUEST_MAGIC 0x46475852u /* "FGXR" */
#define FGX_OUTCOME_MAGIC 0x4647584fu /* "FGXO" */
#define FGX_RECORD_MAGIC 0x46475832u  /* "FGX2" */

#define FGX_NAME_MAX 4096      /* bytes of file name in a request */
#define FGX_META_MAX 65536     /* bytes of title, author, from, to, parts, notes each */
#define FGX_PAGES_MAX 1048576u /* pages in a record */
#define FGX_REASON_MAX 256     /* bytes of reason text in an outcome */

/* A child's exit code for a failed extraction is FGX_EXIT_BASE + status, so
 * it cannot be mistaken for the exit(1) of a runtime (ASan, glib). */
#define FGX_EXIT_BASE 100

typedef struct fgx_request {
    uint32_t magic;
    uint32_t namelen;
} fgx_request_t;

/* How a child ended, as the helper saw it. */
typedef enum fgx_kind {
    FGX_OK = 0,      /* exited 0: the record holds the document */
    FGX_FAILED = 1,  /* exited FGX_EXIT_BASE + status: the record holds the reason */
    FGX_TIMEOUT = 2, /* killed by the helper at the wall-clock timeout */
    FGX_CPU = 3,     /* killed by RLIMIT_CPU */
    FGX_MEMORY = 4,  /* ran out of its RLIMIT_AS (reported FG_NOMEM) */
    FGX_CRASHED = 5, /* died of another signal, or exited with a foreign code */
    FGX_HELPER = 6   /* the helper could not run the child (fork failed, bad request) */
} fgx_kind_t;

typedef struct fgx_outcome {
    uint32_t magic;
    uint32_t kind;               /* fgx_kind_t */
    int32_t status;              /* FGX_FAILED: the child's fg_status_t */
    int32_t code;                /* exit code or signal number */
    char reason[FGX_REASON_MAX]; /* NUL-terminated; "" for FGX_OK and FGX_FAILED */
} fgx_outcome_t;

/*
 * Sends a request for file_fd (name its base name, at most FGX_NAME_MAX - 1
 * bytes) with the result pipe's write end pipe_fd over the SOCK_SEQPACKET
 * socket sock: the client to the helper, and the helper on to the child
 * that will read the file.  Returns 0 or -errno (-EPIPE, -ECONNRESET: the
 * other end is gone).
 */
int fgx_request_send(int sock, int file_fd, int pipe_fd, const char *name);

/*
 * Receives one request from sock: the name into name (FGX_NAME_MAX bytes,
 * NUL-terminated) and the two descriptors (close-on-exec).  Uses no heap
 * memory.  Returns 1 for a request, 0 at EOF, -1 for a malformed one (any
 * descriptors it carried are closed), -2 on a socket error (errno set).
 */
int fgx_request_recv(int sock, char *name, int *file_fd, int *pipe_fd);

/*
 * Writes a byte count the way the outcomes name limits: "1 GiB", "256 MiB",
 * "64 KiB", else "N bytes".  Returns buf.
 */
char *fgx_format_bytes(uint64_t n, char *buf, size_t len);

/*
 * Tells how a child ended from its wait status: killed says the helper
 * killed it at the wall-clock timeout, cpu_s is the CPU time it used,
 * timeout_s and mem_limit the limits it ran under (for the reason texts).
 * Fills *o (magic, kind, status, code, reason):
 *   exit 0                           FGX_OK
 *   exit FGX_EXIT_BASE + FG_NOMEM    FGX_MEMORY  "killed: memory limit 1 GiB"
 *   exit FGX_EXIT_BASE + status      FGX_FAILED  (the reason is in the record)
 *   killed                           FGX_TIMEOUT "timeout after 30 s"
 *   SIGXCPU, or SIGKILL after its CPU limit (timeout_s + 1) was used up
 *                                    FGX_CPU     "timeout after 30 s (CPU)"
 *   another signal                   FGX_CRASHED "crashed: SIGSEGV"
 *   another exit code                FGX_CRASHED "crashed: exit status 1"
 */
void fgx_classify(int wait_status, bool killed, double cpu_s, unsigned timeout_s,
                  uint64_t mem_limit, fgx_outcome_t *o);

/*
 * Writes a record onto fd: the failure (status != FG_OK, err the reason) or
 * the document doc (status FG_OK, err ignored), with title and author cut at
 * FGX_META_MAX, pages at FGX_PAGES_MAX and text at max_text bytes (a cut sets
 * truncated).  Uses no heap memory, so it works after malloc has failed.
 * Returns 0, or -errno of the failing write.
 */
int fgx_record_write(int fd, fg_status_t status, const char *err, const fg_format_doc_t *doc,
                     uint64_t max_text);

/*
 * Parses a record of len bytes at buf.  On success returns 0 and sets
 * *status; for FG_OK fills *doc (owned by the caller, free with
 * fgx_doc_free()), otherwise copies the reason into err.  A record
 * that is cut short, longer than its fields or over max_text returns -1 and
 * leaves *doc empty.
 */
int fgx_record_parse(const char *buf, size_t len, uint64_t max_text, fg_status_t *status,
                     fg_format_doc_t *doc, char *err, size_t errlen);

/*
 * The size of the record whose first len bytes are at buf, from its length
 * fields alone (nothing is copied): 0 while those fields are not all there
 * yet, -1 when they are impossible (a bad magic or status, a field over its
 * cap).  A record is complete once len reaches the size; the client stops
 * reading there instead of waiting for EOF.
 */
int64_t fgx_record_size(const char *buf, size_t len, uint64_t max_text);

/* Frees what a parsed doc owns (every field malloc'ed by fgx_record_parse())
 * and empties it; an empty doc is fine. */
void fgx_doc_free(fg_format_doc_t *doc);

#endif
