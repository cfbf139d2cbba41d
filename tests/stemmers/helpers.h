/*
 * helpers.h - shared helpers of the stemmers tests: collecting tokens.
 */
#ifndef FG_TESTS_STEMMERS_HELPERS_H
#define FG_TESTS_STEMMERS_HELPERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stemmers/analysis.h"

#define TOK_MAX 1024

/* A copy of one delivered token. */
typedef struct tok {
    char term[128];
    char stem[128];
    bool has_stem;
    size_t offset, length;
    uint32_t position;
    unsigned flags;
} tok_t;

/* The tokens of one fg_analyze() run. */
typedef struct toks {
    tok_t t[TOK_MAX];
    size_t n;
    int stop_after; /* when > 0, the callback returns 7 at that many tokens */
} toks_t;

/* fg_token_fn that copies each token into a toks_t (checking the lengths). */
int collect(void *ctx, const fg_token_t *t);

/* Fills *s with the defaults minus every German feature (decompounding,
 * umlauts, gender forms, protected words, Latin plurals): the plain
 * tokenizer and Snowball stage. */
void plain_settings(fg_analysis_settings_t *s);

/* Creates an analyzer for settings s (NULL: defaults), asserting success. */
fg_analyzer_t *new_analyzer(const fg_analysis_settings_t *s);

/* Analyses a NUL-terminated text with a into *out from position 0; returns
 * fg_analyze()'s value and stores the next position in *next (may be NULL). */
int analyze(fg_analyzer_t *a, const char *text, toks_t *out, uint32_t *next);

/* Writes text into a fresh temporary file; returns its path (malloc'ed: the
 * caller unlinks the file and frees the path). */
char *temp_file(const char *text);

#endif
