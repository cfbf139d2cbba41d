/*
 * fundgrube.h - the search plugin's ABI (libfundgrube.so).
 *
 * The plugin exports exactly one symbol, fundgrube_plugin_entry().  A host
 * dlopen()s the shared object, looks the symbol up, and calls it with the ABI
 * major version it was compiled against.  It receives a table of function
 * pointers (fg_plugin_api_t) whose first fields say which ABI the plugin
 * speaks and how large the table is:
 *
 *     void *so = dlopen(FG_PLUGIN_SONAME, RTLD_NOW | RTLD_LOCAL);
 *     fg_plugin_entry_fn entry = (fg_plugin_entry_fn)dlsym(so, FG_PLUGIN_ENTRY_NAME);
 *     const fg_plugin_api_t *api = entry(FG_PLUGIN_ABI_MAJOR);
 *     if (!api || api->abi_major != FG_PLUGIN_ABI_MAJOR) { ... incompatible ... }
 *     if (api->struct_size >= FG_PLUGIN_API_MIN_SIZE(search)) { ... may call api->search ... }
 *
 * Compatibility rules (as SQLite's sqlite3_api_routines and Redis modules):
 * - The table only ever grows at its end; a new function bumps abi_minor.
 *   A host compiled against an older minor keeps working unchanged.
 * - A host checks struct_size (or abi_minor) before calling a member that was
 *   added after the minor it needs.
 * - Structs the host passes in (fg_search_options_t) begin with their own size,
 *   so the plugin reads only the fields the host knows.  Structs the plugin
 *   hands out (fg_results_t, fg_hit_t) grow only at their end and carry their
 *   size, so hosts step through hits by hit_size, never sizeof(fg_hit_t).
 * - An incompatible change bumps abi_major; the entry point then returns NULL
 *   to a host asking for another major.
 *
 * Errors: every function that can fail returns an fg_status_t (0 = FG_OK; see
 * status.h).  The text of the last failure on a handle is api->last_error(h),
 * valid until the next call on that handle.  The plugin never prints and never
 * exits.  A handle may be used from one thread at a time; separate handles are
 * independent.
 *
 * Installed, the plugin is <libdir>/libfundgrube.so.<ABI major> (the Debian
 * package libfundgrube1); `pkg-config --variable=plugin fundgrube` gives its
 * full path, --variable=plugindir its folder, and --cflags --libs what a host
 * needs to compile (the header) and link (-ldl).
 */
#ifndef FUNDGRUBE_FUNDGRUBE_H
#define FUNDGRUBE_FUNDGRUBE_H

#include <stddef.h>
#include <stdint.h>

#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define FG_PLUGIN_ABI_MAJOR 1
#define FG_PLUGIN_ABI_MINOR 6
#define FG_PLUGIN_ENTRY_NAME "fundgrube_plugin_entry"
/* The plugin's file name (its SONAME), found by dlopen() in the library path. */
#define FG_PLUGIN_SONAME "libfundgrube.so.1"

/* An open index, as the plugin sees it (opaque). */
typedef struct fg_handle fg_handle_t;

/* What a host asks of a search.  Zero-initialise, set struct_size =
 * sizeof(fg_search_options_t), then fill what you need; zero means default. */
typedef struct fg_search_options {
    size_t struct_size;      /* sizeof(fg_search_options_t) as the host knows it */
    uint32_t offset;         /* first hit, 0-based (default 0) */
    uint32_t limit;          /* hits per page (0: default 10; at most 10000) */
    const char *hl_start;    /* marker before a matched word in snippets (default "[") */
    const char *hl_end;      /* marker after it (default "]") */
    uint32_t snippet_length; /* about this many bytes of snippet (0: 200) */
    uint32_t flags;          /* FG_SEARCH_* */

    /* ---- ABI 1.1 ---- */
    uint32_t sort;         /* FG_SORT_RELEVANCE (0, default) or FG_SORT_DATE */
    uint32_t max_wildcard; /* words a prefix wildcard may expand to (0: the index's
                              configuration, [search] max_wildcard, default 1000) */

    /* ---- ABI 1.5 ---- */
    uint32_t time_limit_ms; /* 0: none; else the match ends about this long after the
                               call and the hits ranked until then are the result
                               (fg_results_t.timed_out), like Elasticsearch's timeout;
                               wildcard, phrase, date-sorted and faceted searches then
                               give higher percentages than without a limit */
} fg_search_options_t;

#define FG_SEARCH_NO_SNIPPETS 0x1u /* skip snippets (faster) */
#define FG_SEARCH_HTML 0x2u        /* snippets HTML-escaped (markers are not) */
/* ABI 1.1: */
#define FG_SEARCH_COLLAPSE 0x4u /* one hit per content: duplicates listed in the hit */
#define FG_SEARCH_FACETS 0x8u   /* count the hits by type, year and folder */
#define FG_SEARCH_SUGGEST 0x10u /* "Meinten Sie": suggest close words for unknown ones */

/* Orders of fg_search_options_t.sort (ABI 1.1). */
#define FG_SORT_RELEVANCE 0u /* best match first */
#define FG_SORT_DATE 1u      /* newest document date first; ties by relevance */

/* One ranked hit.  Strings are owned by the fg_results_t they came in. */
typedef struct fg_hit {
    const char *path;    /* absolute path of the file */
    const char *title;   /* title ("" if none) */
    const char *snippet; /* passage with matches marked ("" without snippets) */
    double score;        /* BM25 weight */
    int percent;         /* Xapian's percentage score */
    uint32_t rank;       /* 1-based rank in the whole result */
    int64_t mtime;       /* file modification time, seconds since 1970 */
    uint64_t size;       /* file size in bytes */
    uint32_t docid;      /* the document's id in the index */

    /* ---- ABI 1.1 ---- */
    const char *date;    /* document date "YYYY-MM-DD" ("YYYY-MM" when the day is unknown) */
    size_t n_duplicates; /* with FG_SEARCH_COLLAPSE: other matching files of the same content */
    const char *const *duplicates; /* their paths (n_duplicates; at most 100) */

    /* ---- ABI 1.3 ---- */
    const char *type;   /* the detected type: "txt", "md", "pdf", "docx", ... (as type:) */
    const char *author; /* the author the document names ("" when none) */
    uint32_t page;      /* the page of the snippet's first match (PDF; 1-based), 0 when
                           unknown or the document has no pages */

    /* ---- ABI 1.5 ---- */
    const char *attachment; /* mail ("eml"): the name of the attachment the snippet's
                               first match is in ("rechnung.pdf"), "" when it is in
                               the message itself or the hit is no mail */
} fg_hit_t;

/* One value of a facet and how many hits have it. */
typedef struct fg_facet_value {
    const char *value; /* "md"; "2024"; "/home/a/Dokumente" (usable as ext:, date:, dir:) */
    uint64_t count;
} fg_facet_value_t;

/* Counts of the hits by one property (FG_SEARCH_FACETS). */
typedef struct fg_facet {
    const char *name;               /* "type", "year", "folder" or (1.3) "author" */
    size_t count;                   /* values */
    const fg_facet_value_t *values; /* most frequent first (year: newest first) */
} fg_facet_t;

/* A page of results. */
typedef struct fg_results {
    size_t struct_size;      /* sizeof(fg_results_t) as the plugin knows it */
    uint64_t total_estimate; /* estimated number of all matching documents */
    size_t count;            /* hits in this page */
    size_t hit_size;         /* stride of hits: sizeof(fg_hit_t) as the plugin knows it */
    const fg_hit_t *hits;    /* count hits, hit_size bytes apart */

    /* ---- ABI 1.1 ---- */
    const char *suggestion; /* with FG_SEARCH_SUGGEST: the query with its unknown words
                               replaced by close words of the index; NULL when none */
    size_t n_facets;        /* with FG_SEARCH_FACETS: 3 (type, year, folder), from ABI 1.3
                               4 (and author); else (and for a query with nothing to
                               search, e.g. "") 0 */
    const fg_facet_t *facets;

    /* ---- ABI 1.5 ---- */
    int timed_out; /* 1 when time_limit_ms ended the match: the hits, the total and the
                      facets are of the documents ranked until then */

    /* ---- ABI 1.6 ---- */
    const char *warnings; /* NULL, or what the results lack, one line each ('\n'
                             between lines): a shard of a shard list that is down
                             or timed out ("shard HOST:PORT is not available
                             (...): its documents are missing from the results");
                             the hits are of the other shards.  Owned by the
                             results (freed by results_free()) */
} fg_results_t;

/* Hit i of results r, honouring hit_size. */
#define FG_RESULTS_HIT(r, i)                                                                       \
    ((const fg_hit_t *)(const void *)((const char *)(r)->hits + (size_t)(i) * (r)->hit_size))

/* ABI 1.4: one document of the index as document() gives it.  Strings are
 * owned by it (free it with document_free()). */
typedef struct fg_document {
    size_t struct_size; /* sizeof(fg_document_t) as the plugin knows it */
    uint32_t docid;
    const char *path;   /* absolute path of the file */
    const char *title;  /* "" when none */
    const char *type;   /* the detected type, as in fg_hit_t */
    const char *author; /* "" when none */
    const char *date;   /* as in fg_hit_t */
    int64_t mtime;      /* file modification time at indexing */
    uint64_t size;      /* file size at indexing */
    const char *text;   /* the extracted text, line breaks kept, the query's
                           matches between the markers (HTML-escaped with
                           FG_SEARCH_HTML, markers not) */
    size_t text_len;    /* bytes of text */
    uint32_t matches;   /* matches marked */
    int truncated;      /* 1 when text is the first FG_DOCUMENT_TEXT_MAX bytes only */
} fg_document_t;

#define FG_DOCUMENT_TEXT_MAX (2u << 20) /* bytes of text document() gives at most */

/* ABI 1.4: words of the index vocabulary (complete()). */
typedef struct fg_words {
    size_t struct_size;         /* sizeof(fg_words_t) as the plugin knows it */
    size_t count;               /* words */
    const char *const *words;   /* folded, as the index holds them; most documents first */
    const uint64_t *doc_counts; /* documents holding each */
} fg_words_t;

/* The function table.  Append new members at the end only. */
typedef struct fg_plugin_api {
    uint32_t abi_major; /* FG_PLUGIN_ABI_MAJOR of the plugin */
    uint32_t abi_minor; /* FG_PLUGIN_ABI_MINOR of the plugin */
    size_t struct_size; /* sizeof(fg_plugin_api_t) of the plugin */

    /* ---- ABI 1.0 ---- */

    /* The plugin's version text, e.g. "0.1.0"; static. */
    const char *(*version)(void);

    /* Text of a status code; static. */
    const char *(*status_str)(int status);

    /*
     * Opens the index in folder index_path read-only.  On success *out is a
     * new handle (close it with close()).  On failure *out is NULL and, if
     * err is not NULL, errlen bytes of err receive the message (e.g. "no
     * index at /x").  Queries on this handle are analysed with the analysis
     * settings recorded in the index and ranked with the built-in defaults
     * (the plugin never reads the user's configuration file; a host passes
     * its settings to open_with()).
     */
    int (*open)(const char *index_path, fg_handle_t **out, char *err, size_t errlen);

    /*
     * Runs a ranked search.  query is UTF-8 (or Windows-1252) text in the
     * query language: words (documents matching more of them rank higher),
     * "quoted phrases", AND / OR / NOT, +must, -mustnot, parentheses; since
     * 1.1 also a NEAR/n b, prefix wildcards (Verzeich*), the fields title:,
     * path:/dir:, ext:/type: and date: (see plugin/QUERY-LANGUAGE.md).
     * A wildcard matching more than max_wildcard words fails with FG_QUERY.
     * opts may be NULL (defaults).  On success *out holds a page of results
     * (free it with results_free()); a search with no hits succeeds with
     * count 0.  FG_QUERY for a malformed query (last_error says where).
     * Sees the newest committed state of the index at each call.
     */
    int (*search)(fg_handle_t *h, const char *query, const fg_search_options_t *opts,
                  fg_results_t **out);

    /* Frees results; NULL is allowed. */
    void (*results_free)(fg_results_t *r);

    /* Text of the last failure on h ("" if none); NULL h gives "". */
    const char *(*last_error)(const fg_handle_t *h);

    /* Closes a handle; NULL is allowed. */
    void (*close)(fg_handle_t *h);

    /* Number of documents in the index (as of the last search or open). */
    int (*doc_count)(fg_handle_t *h, uint64_t *out);

    /* ---- ABI 1.1 ---- */

    /*
     * "More like this": documents similar to the hit with this docid (the
     * best terms of its expand set, Xapian's relevance feedback), the
     * document itself excluded, as a page of results like search() gives
     * (opts as there; snippets highlight the terms that were used).
     * FG_NOT_FOUND for a docid that is not in the index.
     */
    int (*similar)(fg_handle_t *h, uint32_t docid, const fg_search_options_t *opts,
                   fg_results_t **out);

    /* ---- ABI 1.2 ---- */

    /*
     * As open(), with the host's settings over the defaults: a NULL-terminated
     * list of "section.key=value" in the configuration file's names and
     * syntax (e.g. "ranking.bm25_k1=1.0", "search.max_wildcard=500"); NULL or
     * an empty list is open().  What concerns searching is used ([ranking],
     * [search], [index] max_file_size for snippets); every setting is checked
     * as in a configuration file, and a bad one fails the open with
     * FG_CONFIG or FG_INVALID, err naming it.
     */
    int (*open_with)(const char *index_path, const char *const *settings, fg_handle_t **out,
                     char *err, size_t errlen);

    /* ---- ABI 1.4 ---- */

    /*
     * The document docid: its metadata and its extracted text (the text the
     * index keeps of a document format, else the file read again as at
     * indexing, else the sample in the index), with the matches of query
     * (may be NULL or "") marked by opts' hl_start/hl_end (default "[", "]";
     * FG_SEARCH_HTML escapes the text).  FG_NOT_FOUND for a docid that is no
     * document (none, deleted, or a failure stub).  Free *out with
     * document_free().
     */
    int (*document)(fg_handle_t *h, uint32_t docid, const char *query,
                    const fg_search_options_t *opts, fg_document_t **out);

    /* Frees a document; NULL is allowed. */
    void (*document_free)(fg_document_t *d);

    /*
     * Words of the index starting with prefix (analysed like a query word:
     * case and umlauts folded), the max (at most 100) held by most documents
     * first, for search-as-you-type.  An empty or too short prefix gives no
     * words.  Free *out with words_free().
     */
    int (*complete)(fg_handle_t *h, const char *prefix, uint32_t max, fg_words_t **out);

    /* Frees words; NULL is allowed. */
    void (*words_free)(fg_words_t *w);
} fg_plugin_api_t;

/* Size of the table up to and including member m: a host checks
 * api->struct_size >= FG_PLUGIN_API_MIN_SIZE(m) before calling m. */
#define FG_PLUGIN_API_MIN_SIZE(m) (offsetof(fg_plugin_api_t, m) + sizeof(((fg_plugin_api_t *)0)->m))

/*
 * The one exported symbol.  Returns the function table (static, never freed)
 * when host_abi_major equals the plugin's major, else NULL.
 */
typedef const fg_plugin_api_t *(*fg_plugin_entry_fn)(uint32_t host_abi_major);
const fg_plugin_api_t *fundgrube_plugin_entry(uint32_t host_abi_major);

#ifdef __cplusplus
}
#endif
#endif
