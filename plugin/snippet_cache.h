/*
 * snippet_cache.h - the snippets made for the hits of one page of results,
 * remembered so that copies of a file among the hits share one snippet.
 *
 * A cache lives on the stack of one search (zero-initialise it) and is
 * emptied with fg_snippet_cache_free(); it owns the texts and snippets it
 * holds and hands out borrowed pointers to them.
 */
#ifndef FG_PLUGIN_SNIPPET_CACHE_H
#define FG_PLUGIN_SNIPPET_CACHE_H

#include <stddef.h>

#include "extract/extract.h"

#define SNIPPET_CACHE 4              /* texts whose snippets a page of results remembers */
#define SNIPPET_CACHE_TEXT (4 << 20) /* longer texts are remembered by content key only */

/* The snippets made for the hits of one page, by body text and by content
 * key: a text seen again (a copy of a file) gets its snippet without the
 * work, and a file known unchanged since indexing whose indexed content is
 * that of an earlier hit without even being read. */
typedef struct snippet_cache {
    struct {
        fg_extracted_t ex; /* the text (owned; text NULL when too long to keep) */
        char key[48];      /* content key (content_key() of hits.c), "" for none */
        char *snippet;     /* its snippet (owned) */
    } e[SNIPPET_CACHE];
    size_t n, next; /* entries used; the one to replace next */
} snippet_cache_t;

/* Frees what the cache holds and leaves it empty (and reusable). */
void fg_snippet_cache_free(snippet_cache_t *c);

/* The remembered snippet of the body text of ex (borrowed), or NULL. */
const char *fg_snippet_cache_find(const snippet_cache_t *c, const fg_extracted_t *ex);

/* The remembered snippet of the content key key (not ""; borrowed), or NULL. */
const char *fg_snippet_cache_find_key(const snippet_cache_t *c, const char *key);

/* Remembers ex (taken over: emptied; its text only up to SNIPPET_CACHE_TEXT
 * bytes) with the content key key ("" for none) and a copy of its snippet;
 * forgets the oldest entry when full.  Nothing is remembered when memory runs
 * out. */
void fg_snippet_cache_add(snippet_cache_t *c, fg_extracted_t *ex, const char *key,
                          const char *snippet);

#endif
