/*
 * snippet_cache.c - snippets remembered across the hits of one page (see
 * snippet_cache.h).
 */
#include "plugin/snippet_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Frees what the cache holds. */
void fg_snippet_cache_free(snippet_cache_t *c) {
    for (size_t i = 0; i < c->n; i++) {
        fg_extracted_free(&c->e[i].ex);
        free(c->e[i].snippet);
    }
    c->n = c->next = 0;
}

/* The remembered snippet of the body text of ex, or NULL. */
const char *fg_snippet_cache_find(const snippet_cache_t *c, const fg_extracted_t *ex) {
    size_t len = ex->text_len - ex->body_offset;
    for (size_t i = 0; i < c->n; i++) {
        const fg_extracted_t *x = &c->e[i].ex;
        if (x->text && x->content_hash == ex->content_hash && x->text_len - x->body_offset == len &&
            memcmp(x->text + x->body_offset, ex->text + ex->body_offset, len) == 0)
            return c->e[i].snippet;
    }
    return NULL;
}

/* The remembered snippet of the content key key (not ""), or NULL. */
const char *fg_snippet_cache_find_key(const snippet_cache_t *c, const char *key) {
    for (size_t i = 0; i < c->n; i++)
        if (c->e[i].key[0] && strcmp(c->e[i].key, key) == 0)
            return c->e[i].snippet;
    return NULL;
}

/* Remembers ex (taken over: emptied; its text only up to SNIPPET_CACHE_TEXT
 * bytes) with the content key key ("" for none) and a copy of its snippet;
 * forgets the oldest entry when full.  Nothing is remembered when memory runs
 * out. */
void fg_snippet_cache_add(snippet_cache_t *c, fg_extracted_t *ex, const char *key,
                          const char *snippet) {
    char *copy = strdup(snippet);
    if (!copy)
        return;
    size_t i;
    if (c->n < SNIPPET_CACHE) {
        i = c->n++;
    } else {
        i = c->next; /* the oldest */
        fg_extracted_free(&c->e[i].ex);
        free(c->e[i].snippet);
    }
    c->next = (i + 1) % SNIPPET_CACHE;
    c->e[i].ex = *ex;
    if (ex->text_len > SNIPPET_CACHE_TEXT)
        fg_extracted_free(&c->e[i].ex);
    snprintf(c->e[i].key, sizeof c->e[i].key, "%s", key);
    c->e[i].snippet = copy;
    memset(ex, 0, sizeof *ex);
}
