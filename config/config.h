/*
 * config.h - the effective configuration and where each value came from.
 *
 * One INI file (parsed with libinih), optional: built-in defaults cover every
 * key.  Every key is one line of the table in config/keys.h (section, name,
 * kind, field, default, range, message, flags, doc); fg_config_key() and
 * friends below expose it.  Sections and keys (config/fundgrube.conf
 * documents each, and tests/config/test_keys.c checks it does):
 *
 *   [index]     path            index folder (default $XDG_DATA_HOME/fundgrube/index,
 *                               else ~/.local/share/fundgrube/index)
 *               threads         bulk indexing workers, 0..64 (default 0: one per
 *                               core, at most 4)
 *   [watch]     folder          a folder to watch; repeat the key for several
 *                               (default ~/Fundgrube)
 *               include         a glob of file names to index; repeatable
 *                               (default *.txt, *.md)
 *               exclude         a glob of names or paths to skip; repeatable
 *               max_file_size   bytes, with optional K/M/G suffix (default 64M)
 *               hidden          index hidden files and folders: yes/no (default no)
 *   [analysis]  language        Snowball algorithm (default german)
 *               stemming        yes/no (default yes)
 *               stopwords       default/off/a file path (default default)
 *               decompound      split German compounds: yes/no (default yes)
 *               dictionary      word list for splitting and umlauts: default or a
 *                               file path (default default)
 *               min_part        shortest compound part in letters, 2..10 (default 3)
 *               umlauts         Mueller = Müller, weak Muller: yes/no (default yes)
 *               gender          Bürger*innen = bürgerinnen + bürger: yes/no (default yes)
 *               protected_words stems that avoid Snowball's over-stemming: yes/no
 *                               (default yes)
 *               protected_file  extra protected words, a file path, empty for none
 *                               (default empty)
 *               latin_plurals   Ministerium = Ministerien: yes/no (default yes)
 *   [ranking]   bm25_k1         >= 0 (default 1.2)
 *               bm25_b          0..1 (default 0.75)
 *               exact_weight, stem_weight, title_weight, lead_weight,
 *               part_weight, qpart_weight, weak_weight
 *                               how much each way of matching a query word
 *                               counts, 0..100 (see fg_rank_weights_t); 0 turns
 *                               it off
 *   [search]    max_wildcard    words a prefix wildcard (Verzeich*) may expand to,
 *                               1..1000000 (default 1000); a search option overrides it
 *   [daemon]    commit_interval least milliseconds between two commits, 0..86400000
 *                               (default 25)
 *               commit_max_age  most milliseconds a change waits while events keep
 *                               coming, 1..86400000 (default 1000)
 *               rescan_interval seconds between rescans of folders without watches,
 *                               1..86400 (default 60)
 *               (fundgrubed's --commit-interval, --commit-max-age and
 *               --rescan-interval override them)
 *   [extract]   timeout         seconds one document may take to extract (default 30)
 *               memory_limit    address space of its extracting process (default 1G)
 *               max_text        text kept of one document (default 32M)
 *               max_inflate     bytes a zip-based document may inflate to (default 256M)
 *   [web]       listen          where fundgrube serve listens: HOST:PORT (an IP
 *                               address or localhost, port 0..65535) or unix:PATH
 *                               (default 127.0.0.1:8080)
 *               threads         worker threads, 1..64 (default 4)
 *               max_connections connections held at once, 1..10000 (default 64)
 *               timeout         seconds an idle or slow connection is kept (default 10)
 *               max_query       longest query or text of a request, bytes (default 1024)
 *
 * Booleans accept yes/no, on/off, true/false, 1/0.  "~/" at the start of a path
 * is the home folder.  An unknown section or key, or a bad value, is an error
 * naming the file and line.  A file's values replace the defaults key by key;
 * the first occurrence of a repeatable key in a file replaces the default list,
 * later ones (and indented continuation lines) add items, and an empty value
 * empties the list.  Any other key given twice in one file is an error.
 * Section and key names ignore case; lines are limited to 197 characters
 * (libinih's line buffer).  Numbers take '.' or ',' whatever the locale.
 */
#ifndef FG_CONFIG_CONFIG_H
#define FG_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fundgrube/status.h"
#include "stemmers/analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where a value came from. */
typedef enum fg_config_source {
    FG_CFG_DEFAULT = 0, /* built in */
    FG_CFG_FILE,        /* a configuration file (file and line recorded) */
    FG_CFG_COMMAND_LINE /* an option of the program */
} fg_config_source_t;

/*
 * How much each way of matching a query word counts (factors on BM25 weights).
 * A word is searched as: its folded form (exact), its stem, its stem in
 * document titles, in the lead (first words) of documents, as a part of
 * document compounds, and as a weak variant (umlauts dropped); a compound
 * query word also through its parts (qpart).  Zero leaves that way out.
 */
typedef struct fg_rank_weights {
    double exact;
    double stem;
    double title;
    double lead;
    double part;
    double qpart;
    double weak;
} fg_rank_weights_t;

/* Fills w with the default weights ([ranking] *_weight). */
void fg_rank_weights_default(fg_rank_weights_t *w);

/* A list of strings (watch folders, globs). */
typedef struct fg_strlist {
    char **items;
    size_t count;
} fg_strlist_t;

/* Copies src into the empty list dst (new copies of every string).  Returns
 * FG_OK or FG_NOMEM; dst then holds what was copied (free it either way). */
fg_status_t fg_strlist_copy(fg_strlist_t *dst, const fg_strlist_t *src);

/* Frees the strings and the array of l; l is then empty. */
void fg_strlist_free(fg_strlist_t *l);

/* The effective configuration. */
typedef struct fg_config {
    char index_path[FG_PATH_MAX];
    fg_strlist_t watch_folders;
    fg_strlist_t include;
    fg_strlist_t exclude;
    uint64_t max_file_size;
    bool hidden;
    fg_analysis_settings_t analysis;
    double bm25_k1;
    double bm25_b;
    fg_rank_weights_t weights;
    uint32_t max_wildcard;         /* [search] max_wildcard */
    uint32_t threads;              /* [index] threads: bulk workers (0: one per core, at most 4) */
    uint32_t commit_interval_ms;   /* [daemon] commit_interval */
    uint32_t commit_max_age_ms;    /* [daemon] commit_max_age */
    uint32_t rescan_interval_s;    /* [daemon] rescan_interval */
    uint32_t extract_timeout_s;    /* [extract] timeout */
    uint64_t extract_memory_limit; /* [extract] memory_limit */
    uint64_t extract_max_text;     /* [extract] max_text */
    uint64_t extract_max_inflate;  /* [extract] max_inflate */
    char web_listen[FG_PATH_MAX];  /* [web] listen: "HOST:PORT" or "unix:PATH" */
    uint32_t web_threads;          /* [web] threads */
    uint32_t web_max_connections;  /* [web] max_connections */
    uint32_t web_timeout_s;        /* [web] timeout */
    uint32_t web_max_query;        /* [web] max_query: bytes */
    uint32_t web_time_limit_ms;    /* [web] time_limit */
    char web_token_file[FG_PATH_MAX];    /* [web] token_file ("": beside the index folder) */
    fg_strlist_t cluster_shards;         /* [cluster] shards: folders, remote:HOST:PORT */
    uint32_t cluster_timeout_ms;         /* [cluster] timeout */
    uint32_t cluster_connect_timeout_ms; /* [cluster] connect_timeout */
    uint32_t cluster_retry_ms;           /* [cluster] retry */
    char *file;                          /* the configuration file read, or NULL */
    struct fg_config_origin *origins;    /* private: where each key came from */
    size_t n_origins;
} fg_config_t;

/* Sets every value to its default (needs HOME or XDG_* for the paths; the
 * ones that cannot be found stay empty).  Returns FG_OK or FG_NOMEM. */
fg_status_t fg_config_init(fg_config_t *c);

/*
 * Makes dst an independent copy of src: every value, the file and the
 * origins (dst's previous contents are not freed: it should own nothing).
 * Returns FG_OK or FG_NOMEM; on failure dst owns nothing.
 */
fg_status_t fg_config_copy(fg_config_t *dst, const fg_config_t *src);

/* Frees what c owns; c can be initialised again afterwards. */
void fg_config_free(fg_config_t *c);

/*
 * Reads an INI file over the current values.  FG_IO if it cannot be read,
 * FG_CONFIG for a syntax error, unknown section or key, or bad value; err then
 * says "FILE:LINE: what is wrong".  A failed load leaves c unchanged.
 */
fg_status_t fg_config_load_file(fg_config_t *c, const char *path, char *err, size_t errlen);

/*
 * fg_config_init(), then the configuration file: explicit_path if not NULL
 * (missing is an error), else $FUNDGRUBE_CONFIG, else
 * $XDG_CONFIG_HOME/fundgrube/fundgrube.conf (or ~/.config/...) if it exists.
 * On failure c owns nothing (fg_config_free() on it is harmless).
 */
fg_status_t fg_config_load(fg_config_t *c, const char *explicit_path, char *err, size_t errlen);

/*
 * Sets one key as the program's options do ("index", "path", "/tmp/ix").
 * Repeatable keys append (an empty value empties the list).  Same errors as a
 * file, without file and line; nothing changes on failure.  The origin is
 * "command line", "default", or for FG_CFG_FILE the file last read.
 */
fg_status_t fg_config_set(fg_config_t *c, const char *section, const char *key, const char *value,
                          fg_config_source_t source, char *err, size_t errlen);

/* Receives each effective key: its value as text and its origin, e.g.
 * "default", "/home/u/.config/fundgrube/fundgrube.conf:12", "command line". */
typedef void (*fg_config_entry_fn)(void *ctx, const char *section, const char *key,
                                   const char *value, const char *origin);

/* Calls fn for every key of every section, in the order of the example file.
 * A repeatable key comes once per item, each with its own origin, or once
 * with the value "" when its list is empty. */
void fg_config_foreach(const fg_config_t *c, fg_config_entry_fn fn, void *ctx);

/* The search settings of c (the keys the table marks search) as a
 * NULL-terminated list of "section.key=value", what the plugin's
 * open_with() takes from a host (the CLI, the web server); NULL when memory
 * ran out.  Free it with fg_config_search_settings_free(). */
char **fg_config_search_settings(const fg_config_t *c);

/* Frees a list of fg_config_search_settings(); NULL is allowed. */
void fg_config_search_settings_free(char **list);

/* What the key table (config/keys.h) says about one key. */
typedef struct fg_config_key {
    const char *section; /* e.g. "watch" */
    const char *name;    /* e.g. "include" */
    const char *doc;     /* one line for people */
    bool repeatable;     /* a list: the key may be given several times */
    bool search;         /* a search setting: the CLI passes it to the plugin's open_with() */
} fg_config_key_t;

/* The number of keys (of every section). */
size_t fg_config_key_count(void);

/* The i-th key, in the order of the example file and of fg_config_foreach(),
 * or NULL when i >= fg_config_key_count().  The table is static: never free. */
const fg_config_key_t *fg_config_key(size_t i);

/* The key section.name (both ignoring case), or NULL when there is none. */
const fg_config_key_t *fg_config_key_find(const char *section, const char *name);

/* Expands a leading "~/" with $HOME into buf.  Returns FG_OK or FG_INVALID
 * (too long, or HOME unset). */
fg_status_t fg_config_expand_path(const char *in, char *buf, size_t buflen);

#ifdef __cplusplus
}
#endif
#endif
