/*
 * query_terms.c - the term set a query looks for (see query.h): its folded
 * words, stems and wildcard prefixes (highlighting) and its plain words
 * (spelling suggestions).
 */
#include "plugin/query-private.h"

#include <stdlib.h>
#include <string.h>

/* Adds a copy of s to a string array unless it is there already. */
bool fg_strarr_add(char ***arr, size_t *n, size_t *cap, const char *s) {
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*arr)[i], s) == 0)
            return true;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        char **p = realloc(*arr, ncap * sizeof *p);
        if (!p)
            return false;
        *arr = p;
        *cap = ncap;
    }
    (*arr)[*n] = strdup(s);
    if (!(*arr)[*n])
        return false;
    (*n)++;
    return true;
}

/* Frees a term set (see query.h). */
void fg_termset_free(fg_termset_t *ts) {
    for (size_t i = 0; i < ts->n_exact; i++)
        free(ts->exact[i]);
    for (size_t i = 0; i < ts->n_stems; i++)
        free(ts->stems[i]);
    for (size_t i = 0; i < ts->n_prefixes; i++)
        free(ts->prefixes[i]);
    for (size_t i = 0; i < ts->n_words; i++) {
        free(ts->words[i].term);
        free(ts->words[i].stem);
    }
    free(ts->exact);
    free(ts->stems);
    free(ts->prefixes);
    free(ts->words);
    memset(ts, 0, sizeof *ts);
}

/* Adds a stem (see query.h). */
bool fg_termset_add_stem(fg_termset_t *ts, const char *stem) {
    return fg_strarr_add(&ts->stems, &ts->n_stems, &ts->cap_stems, stem);
}

/* True when term or stem is in the set or term has a wildcard prefix (see query.h). */
bool fg_termset_matches(const fg_termset_t *ts, const char *term, const char *stem) {
    for (size_t i = 0; i < ts->n_exact; i++)
        if (strcmp(ts->exact[i], term) == 0)
            return true;
    if (stem)
        for (size_t i = 0; i < ts->n_stems; i++)
            if (strcmp(ts->stems[i], stem) == 0)
                return true;
    for (size_t i = 0; i < ts->n_prefixes; i++)
        if (strncmp(term, ts->prefixes[i], strlen(ts->prefixes[i])) == 0)
            return true;
    return false;
}

/* Records a plain query word for suggestions; false when memory ran out. */
bool fg_qword_add(fg_termset_t *ts, size_t offset, size_t length, const char *term,
                  const char *stem) {
    if (ts->n_words == ts->cap_words) {
        size_t cap = ts->cap_words ? ts->cap_words * 2 : 4;
        fg_qword_t *w = realloc(ts->words, cap * sizeof *w);
        if (!w)
            return false;
        ts->words = w;
        ts->cap_words = cap;
    }
    fg_qword_t *w = &ts->words[ts->n_words];
    w->offset = offset;
    w->length = length;
    w->term = strdup(term);
    w->stem = stem ? strdup(stem) : NULL;
    if (!w->term || (stem && !w->stem)) {
        free(w->term);
        free(w->stem);
        return false;
    }
    ts->n_words++;
    return true;
}
