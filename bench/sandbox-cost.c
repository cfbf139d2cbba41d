/*
 * sandbox-cost.c - what the extractor sandbox costs per file.
 *
 * Extracts one tiny HTML file N times (default 500) through the sandbox
 * (extract/sandbox.h: fundgrube-extract hands the descriptor to a forked
 * child, which sets its rlimits, PR_SET_NO_NEW_PRIVS and seccomp, parses and
 * sends the text back through a pipe) and prints the median and p95 ms per
 * file.  Anchor, in the same run: opening and parsing the same file in this
 * process with the same parsers (fg_format_extract of extract/format.h, linked
 * into this benchmark only; the daemon and the CLI never do this), with what
 * the helper loads once (fg_format_preload(): libmagic's database) loaded
 * here once too.  The difference of the medians is the sandbox's own cost
 * per file (fork, limits, seccomp, pipe, the round trip to the helper).
 * Three timings per iteration, so a slow period of the machine hits all:
 *   sandbox       a file through the sandbox after the anchor's parse, as
 *                 in the indexer, which analyses a document before it asks
 *                 for the next (the helper forks its next child meanwhile);
 *   back to back  a second file straight after it: the helper had no time
 *                 in between, so the next child's fork and confinement are
 *                 paid here (the worst case);
 *   in process    the anchor.
 * Goal (issue 12): sandbox cost <= 5 ms median.
 *
 * Usage: sandbox-cost [N] [FILE]   (FILE: any document; default a tiny HTML page)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "extract/format.h"
#include "extract/sandbox.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (0..1) of the sorted v[0..n). */
static double quantile(const double *v, size_t n, double q) {
    size_t i = (size_t)(q * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* Extracts path through the sandbox once and returns the milliseconds it
 * took, or -1 after printing why it failed; sets *text_len and *type (either
 * may be NULL) from the document. */
static double timed_extract(fg_sandbox_t *sb, const char *path, size_t *text_len,
                            fg_doctype_t *type) {
    fg_format_doc_t doc;
    fg_sandbox_failure_t fail = FG_SANDBOX_NONE;
    char err[512];
    double a = now_ms();
    fg_status_t st = fg_sandbox_extract(sb, path, &doc, &fail, err, sizeof err);
    double b = now_ms();
    if (st != FG_OK) {
        fprintf(stderr, "sandbox-cost: fg_sandbox_extract %s: %s (%d): %s\n", path,
                fg_status_str(st), (int)fail, err);
        return -1;
    }
    if (text_len)
        *text_len = doc.text_len;
    if (type)
        *type = doc.type;
    fg_sandbox_doc_free(&doc);
    return b - a;
}

static const char TINY_HTML[] =
    "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\">\n"
    "<title>Grüße aus der Fundgrube</title>\n"
    "<meta name=\"author\" content=\"Erika Mustermann\"></head>\n"
    "<body><h1>Straßenfest</h1><p>Die Bürgerversammlung beschließt das Straßenfest "
    "am Samstag.</p><script>var x = 1;</script></body></html>\n";

int main(int argc, char **argv) {
    size_t n = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 500;
    if (n < 2) {
        fprintf(stderr, "usage: sandbox-cost [N >= 2] [FILE]\n");
        return 2;
    }
    char tmpdir[] = "/tmp/fgsandboxcost.XXXXXX", path[4096];
    int made = 0;
    if (argc > 2) {
        snprintf(path, sizeof path, "%s", argv[2]);
    } else {
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            return 1;
        }
        snprintf(path, sizeof path, "%s/tiny.html", tmpdir);
        FILE *f = fopen(path, "w");
        if (!f || fwrite(TINY_HTML, 1, sizeof TINY_HTML - 1, f) != sizeof TINY_HTML - 1 ||
            fclose(f) != 0) {
            perror(path);
            return 1;
        }
        made = 1;
    }

    char err[512];
    fg_sandbox_t *sb = NULL;
    double t0 = now_ms();
    fg_status_t st = fg_sandbox_start(NULL, &sb, err, sizeof err);
    double t_start = now_ms() - t0;
    if (st != FG_OK) {
        fprintf(stderr, "sandbox-cost: fg_sandbox_start: %s: %s\n", fg_status_str(st), err);
        return 1;
    }
    fg_format_limits_t lim;
    fg_format_limits_default(&lim);
    fg_format_preload(); /* the helper has it loaded before its children fork */

    double *sand = malloc(n * sizeof *sand), *inproc = malloc(n * sizeof *inproc);
    double *b2b = malloc(n * sizeof *b2b);
    if (!sand || !inproc || !b2b)
        return 1;
    size_t text_len = 0;
    fg_doctype_t type = FG_DOCTYPE_UNKNOWN;
    double t_first = 0;
    const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    for (size_t i = 0; i <= n; i++) { /* i == 0: the first file, a warm-up */
        fg_format_doc_t doc;
        double t_sand = timed_extract(sb, path, &text_len, &type);
        double t_b2b = timed_extract(sb, path, NULL, NULL);
        if (t_sand < 0 || t_b2b < 0)
            return 1;

        double c = now_ms();
        int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            perror(path);
            return 1;
        }
        st = fg_format_extract(fd, name, &lim, &doc, err, sizeof err);
        close(fd);
        double d = now_ms();
        if (st != FG_OK) {
            fprintf(stderr, "sandbox-cost: fg_format_extract %s: %s: %s\n", path, fg_status_str(st),
                    err);
            return 1;
        }
        fg_format_doc_free(&doc);
        if (i == 0) {
            t_first = t_sand;
            continue;
        }
        sand[i - 1] = t_sand;
        b2b[i - 1] = t_b2b;
        inproc[i - 1] = d - c;
    }
    fg_sandbox_stop(sb);
    if (made) {
        unlink(path);
        rmdir(tmpdir);
    }

    qsort(sand, n, sizeof *sand, cmp_double);
    qsort(inproc, n, sizeof *inproc, cmp_double);
    qsort(b2b, n, sizeof *b2b, cmp_double);
    double sm = quantile(sand, n, 0.5), sp = quantile(sand, n, 0.95);
    double bm = quantile(b2b, n, 0.5), bp = quantile(b2b, n, 0.95);
    double im = quantile(inproc, n, 0.5), ip = quantile(inproc, n, 0.95);
    printf("sandbox-cost: %s (%s, %zu bytes of text), %zu files each way\n", path,
           fg_doctype_name(type), text_len, n);
    printf("helper start %.2f ms, first file %.2f ms (not counted)\n", t_start, t_first);
    printf("through the sandbox     median %.3f ms  p95 %.3f ms  max %.3f ms\n", sm, sp,
           sand[n - 1]);
    printf("back to back            median %.3f ms  p95 %.3f ms  max %.3f ms\n", bm, bp,
           b2b[n - 1]);
    printf("in process (anchor)     median %.3f ms  p95 %.3f ms  max %.3f ms\n", im, ip,
           inproc[n - 1]);
    printf("sandbox cost per file   median %.3f ms  p95 %.3f ms  (goal: median <= 5 ms)\n", sm - im,
           sp - ip);
    printf("back to back, per file  median %.3f ms  p95 %.3f ms\n", bm - im, bp - ip);
    free(sand);
    free(b2b);
    free(inproc);
    return 0;
}
