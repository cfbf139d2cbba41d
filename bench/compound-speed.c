/*
 * compound-speed.c - what the German compound dictionary costs: its size,
 * the start-up of a default (German) analyzer that opens it, opening the
 * built-in dictionary on its own, and uncached splits per second over a
 * sample of compounds.  Start-up and opening are the medians of ROUNDS runs;
 * the splits are the best of ROUNDS runs of 2000 passes over the sample.
 * (The start-up target is 50 ms; tests/stemmers/test_compound.c checks the
 * splits, this prints figures.)
 *
 * Usage: compound-speed [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "stemmers/analysis.h"
#include "stemmers/compound.h"

#define MAX_ROUNDS 100

static const char *const sample[] = {"festplattenpartitionstabelle",
                                     "verzeichnishierarchie",
                                     "sitzungsschlüsselbund",
                                     "zeilendrucker",
                                     "archivierungswerkzeug",
                                     "namensräume",
                                     "bundesverfassungsgericht",
                                     "donaudampfschifffahrt",
                                     "mitgliedschaft",
                                     "urinstinkt",
                                     "krankenversicherung",
                                     "konfigurationsdatei",
                                     "umgebungsvariablen",
                                     "arbeitsamt",
                                     "zeitung",
                                     "haustür"};

/* Seconds of a monotonic clock. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* qsort comparison of doubles. */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median of v[0..n) (sorts v). */
static double median(double *v, size_t n) {
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Seconds to create and free a default analyzer; -1 on failure. */
static double analyzer_startup(void) {
    fg_analysis_settings_t s;
    fg_analysis_settings_default(&s);
    fg_analyzer_t *a = NULL;
    char err[512] = "";
    double t0 = now();
    if (fg_analyzer_new(&s, &a, err, sizeof err) != FG_OK) {
        fprintf(stderr, "compound-speed: analyzer: %s\n", err);
        return -1;
    }
    double t1 = now();
    fg_analyzer_free(a);
    return t1 - t0;
}

/* Seconds to open (and free) the built-in dictionary; -1 on failure. */
static double dict_open(void) {
    fg_compound_dict_t *d = NULL;
    char err[512] = "";
    double t0 = now();
    if (fg_compound_dict_builtin(&d, err, sizeof err) != FG_OK) {
        fprintf(stderr, "compound-speed: dictionary: %s\n", err);
        return -1;
    }
    double t1 = now();
    fg_compound_dict_free(d);
    return t1 - t0;
}

/* Splits per second of passes passes over the sample; *parts counts the
 * parts found (so the work cannot be optimised away). */
static double splits_per_second(const fg_compound_dict_t *d, size_t passes, size_t *parts) {
    size_t n = sizeof sample / sizeof sample[0];
    fg_compound_part_t p[FG_COMPOUND_MAX_PARTS];
    double t0 = now();
    for (size_t r = 0; r < passes; r++)
        for (size_t i = 0; i < n; i++)
            *parts += fg_compound_split(d, sample[i], strlen(sample[i]), 3, p);
    double t1 = now();
    return (double)(passes * n) / (t1 - t0);
}

/* Prints the figures; returns 0, or 1 when the dictionary cannot be opened. */
int main(int argc, char **argv) {
    long rounds = argc > 1 ? strtol(argv[1], NULL, 10) : 9;
    if (rounds < 1 || rounds > MAX_ROUNDS) {
        fprintf(stderr, "usage: compound-speed [ROUNDS (1-%d)]\n", MAX_ROUNDS);
        return 2;
    }
    double startup[MAX_ROUNDS], open_s[MAX_ROUNDS], best = 0;
    for (long r = 0; r < rounds; r++) {
        if ((startup[r] = analyzer_startup()) < 0 || (open_s[r] = dict_open()) < 0)
            return 1;
    }
    fg_compound_dict_t *d = NULL;
    char err[512] = "";
    if (fg_compound_dict_builtin(&d, err, sizeof err) != FG_OK) {
        fprintf(stderr, "compound-speed: dictionary: %s\n", err);
        return 1;
    }
    size_t parts = 0;
    for (long r = 0; r < rounds; r++) {
        double v = splits_per_second(d, 2000, &parts);
        if (v > best)
            best = v;
    }
    printf("compound dictionary: %zu words, %.1f MB\n", fg_compound_dict_size(d),
           (double)fg_compound_dict_bytes(d) / 1e6);
    printf("analyzer start-up:   %.2f ms (median of %ld; target 50 ms)\n",
           median(startup, (size_t)rounds) * 1e3, rounds);
    printf("dictionary open:     %.3f ms (median of %ld)\n", median(open_s, (size_t)rounds) * 1e3,
           rounds);
    printf("uncached splits:     %.0f /s (best of %ld; %zu parts)\n", best, rounds, parts);
    fg_compound_dict_free(d);
    return 0;
}
