/*
 * analysis-speed.c - single-thread throughput of the analysis pipeline.
 *
 * Reads every file of a folder (default: the German man pages of
 * ../shared/data/manpages-de/docs) into memory, then runs decoding and
 * analysis over all of it with the plain Snowball stage (German features off)
 * and with the full default pipeline, several rounds each, and prints tokens/s
 * and MB/s (medians) and the ratio.  Anchor: the plain stage in the same run.
 *
 * Then the pathological rows (issue 16): texts of MB megabytes (default 64)
 * made to hurt: one word without a break, nothing but "ä", nothing but
 * hyphens, a chain of one-letter words joined by hyphens, digits with
 * separators.  Each is decoded (fg_extract_buffer: UTF-8 check, NFC) and
 * analysed with the full pipeline; its MB/s is printed against the full
 * pipeline on the corpus (goal: >= 50%).
 *
 * Usage: analysis-speed [DIR] [ROUNDS] [MB]
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extract/extract.h"
#include "stemmers/analysis.h"

/* All documents, decoded once. */
typedef struct corpus {
    char **text;
    size_t *len;
    size_t n, bytes;
} corpus_t;

/* Seconds of a monotonic clock. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Loads and decodes every regular file of dir. */
static int load(const char *dir, corpus_t *c) {
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return -1;
    }
    struct dirent *de;
    size_t cap = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096], err[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        fg_extracted_t ex;
        if (fg_extract_file(path, 0, &ex, err, sizeof err) != FG_OK)
            continue;
        if (c->n == cap) {
            cap = cap ? cap * 2 : 1024;
            c->text = realloc(c->text, cap * sizeof *c->text);
            c->len = realloc(c->len, cap * sizeof *c->len);
        }
        c->text[c->n] = ex.text;
        c->len[c->n] = ex.text_len;
        c->bytes += ex.text_len;
        c->n++;
        ex.text = NULL;
        fg_extracted_free(&ex);
    }
    closedir(d);
    return 0;
}

/* Counts tokens. */
static int count(void *ctx, const fg_token_t *tok) {
    (void)tok;
    (*(size_t *)ctx)++;
    return 0;
}

/* One round over the corpus with a new analyzer; returns seconds, *tokens set. */
static double round_once(const fg_analysis_settings_t *s, const corpus_t *c, size_t *tokens) {
    char err[512];
    fg_analyzer_t *a = NULL;
    double t0 = now();
    if (fg_analyzer_new(s, &a, err, sizeof err) != FG_OK) {
        fprintf(stderr, "analysis-speed: %s\n", err);
        exit(1);
    }
    *tokens = 0;
    for (size_t i = 0; i < c->n; i++)
        fg_analyze(a, c->text[i], c->len[i], 1, count, tokens, NULL);
    fg_analyzer_free(a);
    return now() - t0;
}

/* qsort comparison of doubles. */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Median seconds of rounds runs; *tokens from the last. */
static double median_run(const fg_analysis_settings_t *s, const corpus_t *c, int rounds,
                         size_t *tokens) {
    double t[64];
    for (int r = 0; r < rounds; r++)
        t[r] = round_once(s, c, tokens);
    qsort(t, (size_t)rounds, sizeof *t, cmp_double);
    return t[rounds / 2];
}

/* Builds a text of size bytes of unit repeated, decodes and analyses it
 * once, and prints its MB/s against normal. */
static void pathological(const char *what, const char *unit, size_t size,
                         const fg_analysis_settings_t *s, double normal) {
    size_t ul = strlen(unit), n = size / ul * ul;
    char *buf = malloc(n);
    if (!buf)
        exit(1);
    for (size_t i = 0; i < n; i += ul)
        memcpy(buf + i, unit, ul);
    char err[512];
    fg_analyzer_t *a = NULL;
    if (fg_analyzer_new(s, &a, err, sizeof err) != FG_OK) {
        fprintf(stderr, "analysis-speed: %s\n", err);
        exit(1);
    }
    double t0 = now();
    fg_extracted_t ex;
    size_t tokens = 0;
    if (fg_extract_buffer("pathological.txt", buf, n, &ex, err, sizeof err) == FG_OK) {
        fg_analyze(a, ex.text, ex.text_len, 1, count, &tokens, NULL);
        fg_extracted_free(&ex);
    } else {
        printf("  %-16s extraction: %s\n", what, err);
    }
    double sec = now() - t0;
    double rate = (double)n / 1e6 / sec;
    printf("  %-16s %8.2f s %8.1f MB/s  %5.0f%% of normal  %s  (%zu tokens)\n", what, sec, rate,
           100 * rate / normal, rate >= 0.5 * normal ? "MET" : "NOT MET", tokens);
    fg_analyzer_free(a);
    free(buf);
}

/* Loads the corpus and prints the figures. */
int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : FG_SHARED_DATA "/manpages-de/docs";
    int rounds = argc > 2 ? atoi(argv[2]) : 5;
    if (rounds < 1 || rounds > 64)
        rounds = 5;
    corpus_t c = {0};
    if (load(dir, &c) != 0 || c.n == 0) {
        fprintf(stderr, "analysis-speed: no documents in %s\n", dir);
        return 1;
    }
    fg_analysis_settings_t plain, full;
    fg_analysis_settings_default(&full);
    plain = full;
    plain.decompound = plain.umlauts = plain.gender = false;
    plain.protected_words = plain.latin_plurals = false;
    printf("analysis-speed: %zu documents, %.1f MB of text, %d rounds, one thread\n", c.n,
           (double)c.bytes / 1e6, rounds);
    size_t tok_plain = 0, tok_full = 0;
    double sp = median_run(&plain, &c, rounds, &tok_plain);
    double sf = median_run(&full, &c, rounds, &tok_full);
    printf("%-28s %10.0f tokens/s %8.1f MB/s  (%zu tokens)\n", "plain Snowball stage",
           (double)tok_plain / sp, (double)c.bytes / 1e6 / sp, tok_plain);
    printf("%-28s %10.0f tokens/s %8.1f MB/s  (%zu tokens, parts and variants included)\n",
           "full German pipeline", (double)tok_full / sf, (double)c.bytes / 1e6 / sf, tok_full);
    printf("MB/s ratio full/plain: %.2f\n", sp / sf);
    size_t mb = argc > 3 ? (size_t)atoi(argv[3]) : 64;
    if (mb < 1 || mb > 1024)
        mb = 64;
    double normal = (double)c.bytes / 1e6 / sf;
    static const char *const kinds[][2] = {
        {"one word", "Donaudampfschifffahrtsgesellschaftskapit\xc3\xa4n"},
        {"only \xc3\xa4", "\xc3\xa4"},
        {"only hyphens", "-"},
        {"x-x-x chain", "x-"},
        {"digits 1.000,5", "1.000,5"},
    };
    printf("pathological texts of %zu MB, full pipeline (decode + analysis), against %.1f MB/s "
           "(goal >= 50%%):\n",
           mb, normal);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        pathological(kinds[k][0], kinds[k][1], mb << 20, &full, normal);
    for (size_t i = 0; i < c.n; i++)
        free(c.text[i]);
    free(c.text);
    free(c.len);
    return 0;
}
