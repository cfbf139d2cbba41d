/*
 * keys.h - the one table of configuration keys (private to config/).
 *
 * FG_CONFIG_KEYS(X) calls X once for every key, in the order of the example
 * file config/fundgrube.conf and of fg_config_foreach():
 *
 *   X(ID, section, name, kind, field, default, lo, hi, expected, flags, doc)
 *
 *   ID        the key's enumerator, K_<ID>
 *   kind      how the value is parsed, checked, stored and printed
 *             (KIND_* in config.c, one small parse and format function each)
 *   field     the member of fg_config_t it sets (nested: analysis.language)
 *   default   the built-in value as text, parsed like a file's value; items
 *             of a list are separated by '\n'; NULL when config.c computes it
 *             (the index path, from $XDG_DATA_HOME or $HOME)
 *   lo, hi    the range of a number (KIND_WHOLE, KIND_NUMBER)
 *   expected  what a bad value is told ("bad value 'x' for key (expected)")
 *   flags     FG_CFG_KEY_SEARCH: a search setting the CLI passes to the plugin
 *   doc       one line for people
 *
 * Adding a key: one line here, its field in fg_config_t, a "key = value"
 * line in config/fundgrube.conf (tests/config checks the file and the table
 * agree), and whatever reads the field.
 */
#ifndef FG_CONFIG_KEYS_H
#define FG_CONFIG_KEYS_H

/* clang-format off */
#define FG_CONFIG_KEYS(X)                                                                      \
    X(INDEX_PATH, "index", "path", KIND_FOLDER, index_path, NULL, 0, 0,                        \
      "expected a folder path", 0, "folder of the search index")                               \
    X(INDEX_THREADS, "index", "threads", KIND_WHOLE, threads, "0", 0, 64,                      \
      "expected a whole number from 0 (one per core) to 64", 0,                                \
      "bulk indexing workers (0: one per core, at most 4)")                                    \
    X(WATCH_FOLDER, "watch", "folder", KIND_PATHS, watch_folders, "~/Fundgrube", 0, 0,         \
      "", 0, "a folder to index and watch; repeatable")                                        \
    X(WATCH_INCLUDE, "watch", "include", KIND_GLOBS, include,                                 \
      "*.txt\n*.md\n*.html\n*.htm\n*.xhtml\n*.pdf\n*.odt\n*.ods\n*.odp\n*.docx\n*.xlsx\n*.pptx\n" \
      "*.epub\n*.rtf\n*.eml", 0, 0, "", 0, "a glob of file names to index; repeatable")               \
    X(WATCH_EXCLUDE, "watch", "exclude", KIND_PATHS, exclude, "", 0, 0, "", 0,                 \
      "a glob of names or paths to skip; repeatable")                                          \
    X(MAX_FILE_SIZE, "watch", "max_file_size", KIND_SIZE, max_file_size, "64M", 0, 0,          \
      "expected a positive size in bytes with optional K, M or G suffix, e.g. 64M",          \
      FG_CFG_KEY_SEARCH,                                                                       \
      "larger files are skipped (bytes, K, M or G)")                                           \
    X(HIDDEN, "watch", "hidden", KIND_BOOL, hidden, "no", 0, 0, "expected yes or no", 0,       \
      "index hidden files and folders")                                                        \
    X(LANGUAGE, "analysis", "language", KIND_LANGUAGE, analysis.language, "german", 0, 0,      \
      "", 0, "Snowball stemming algorithm")                                                    \
    X(STEMMING, "analysis", "stemming", KIND_BOOL, analysis.stemming, "yes", 0, 0,             \
      "expected yes or no", 0, "reduce words to their stems")                                  \
    X(STOPWORDS, "analysis", "stopwords", KIND_STOPWORDS, analysis, "default", 0, 0,           \
      "expected default, off or a file path", 0, "stop words: default, off or a file")         \
    X(DECOMPOUND, "analysis", "decompound", KIND_BOOL, analysis.decompound, "yes", 0, 0,       \
      "expected yes or no", 0, "split German compounds into their parts")                      \
    X(DICTIONARY, "analysis", "dictionary", KIND_DICTIONARY, analysis.dictionary, "default",   \
      0, 0, "expected default or a word-list file", 0,                                         \
      "word list for compounds and umlauts: default or a file")                                \
    X(MIN_PART, "analysis", "min_part", KIND_WHOLE, analysis.min_part, "3", 2, 10,             \
      "expected a whole number from 2 to 10", 0, "shortest compound part, in letters")         \
    X(UMLAUTS, "analysis", "umlauts", KIND_BOOL, analysis.umlauts, "yes", 0, 0,                \
      "expected yes or no", 0, "Mueller = Müller, weak Muller")                                \
    X(GENDER, "analysis", "gender", KIND_BOOL, analysis.gender, "yes", 0, 0,                   \
      "expected yes or no", 0, "Bürger*innen = bürgerinnen + bürger")                          \
    X(PROTECTED_WORDS, "analysis", "protected_words", KIND_BOOL, analysis.protected_words,     \
      "yes", 0, 0, "expected yes or no", 0, "stems that avoid Snowball's over-stemming")       \
    X(PROTECTED_FILE, "analysis", "protected_file", KIND_WORDFILE, analysis.protected_file,    \
      "", 0, 0, "", 0, "extra protected words, a file; empty for none")                        \
    X(LATIN_PLURALS, "analysis", "latin_plurals", KIND_BOOL, analysis.latin_plurals, "yes",    \
      0, 0, "expected yes or no", 0, "Ministerium = Ministerien")                              \
    X(BM25_K1, "ranking", "bm25_k1", KIND_NUMBER, bm25_k1, "1.2", 0, INFINITY,                 \
      "expected a number of 0 or more", FG_CFG_KEY_SEARCH, "BM25 term-frequency saturation")   \
    X(BM25_B, "ranking", "bm25_b", KIND_NUMBER, bm25_b, "0.75", 0, 1,                          \
      "expected a number from 0 to 1", FG_CFG_KEY_SEARCH,                                      \
      "BM25 document-length normalisation")                                                    \
    X(W_EXACT, "ranking", "exact_weight", KIND_NUMBER, weights.exact, "1", 0, 100,             \
      "expected a number from 0 to 100", FG_CFG_KEY_SEARCH, "weight of the word as written")   \
    X(W_STEM, "ranking", "stem_weight", KIND_NUMBER, weights.stem, "1", 0, 100,                \
      "expected a number from 0 to 100", FG_CFG_KEY_SEARCH, "weight of its stem")              \
    X(W_TITLE, "ranking", "title_weight", KIND_NUMBER, weights.title, "0.5", 0, 100,           \
      "expected a number from 0 to 100", FG_CFG_KEY_SEARCH, "weight of its stem in titles")    \
    X(W_LEAD, "ranking", "lead_weight", KIND_NUMBER, weights.lead, "1", 0, 100,                \
      "expected a number from 0 to 100", FG_CFG_KEY_SEARCH,                                    \
      "weight of its stem in a document's lead")                                               \
    X(W_PART, "ranking", "part_weight", KIND_NUMBER, weights.part, "0.5", 0, 100,              \
      "expected a number from 0 to 100", FG_CFG_KEY_SEARCH,                                    \
      "weight of its stem as a part of a document's compound")                                 \
    X(W_QPART, "ranking", "qpart_weight", KIND_NUMBER, weights.qpart, "0.5", 0, 100,           \
      "expected a number from 0 to 100", FG_CFG_KEY_SEARCH,                                    \
      "weight of the parts of a compound query word")                                          \
    X(W_WEAK, "ranking", "weak_weight", KIND_NUMBER, weights.weak, "0.3", 0, 100,              \
      "expected a number from 0 to 100", FG_CFG_KEY_SEARCH,                                    \
      "weight of weak spelling variants (umlauts dropped)")                                    \
    X(MAX_WILDCARD, "search", "max_wildcard", KIND_WHOLE, max_wildcard, "1000", 1, 1000000,    \
      "expected a whole number from 1 to 1000000", FG_CFG_KEY_SEARCH,                          \
      "words a prefix wildcard may expand to")                                                 \
    X(COMMIT_INTERVAL, "daemon", "commit_interval", KIND_WHOLE, commit_interval_ms, "25", 0,   \
      86400000, "expected milliseconds from 0 to 86400000 (a day)", 0,                         \
      "least milliseconds between two commits")                                                \
    X(COMMIT_MAX_AGE, "daemon", "commit_max_age", KIND_WHOLE, commit_max_age_ms, "1000", 1,    \
      86400000, "expected milliseconds from 1 to 86400000 (a day)", 0,                         \
      "most milliseconds a change waits while events keep coming")                             \
    X(RESCAN_INTERVAL, "daemon", "rescan_interval", KIND_WHOLE, rescan_interval_s, "60", 1,    \
      86400, "expected seconds from 1 to 86400", 0,                                            \
      "seconds between rescans of folders without watches")                                \
    X(EXTRACT_TIMEOUT, "extract", "timeout", KIND_WHOLE, extract_timeout_s, "30", 1, 86400,    \
      "expected seconds from 1 to 86400", 0,                                                   \
      "seconds one document may take to extract before it is killed")                         \
    X(EXTRACT_MEMORY, "extract", "memory_limit", KIND_SIZE, extract_memory_limit, "1G", 0, 0, \
      "expected a positive size in bytes with optional K, M or G suffix, e.g. 1G", 0,          \
      "address space of the process extracting one document")                                 \
    X(EXTRACT_MAX_TEXT, "extract", "max_text", KIND_SIZE, extract_max_text, "32M", 0, 0,       \
      "expected a positive size in bytes with optional K, M or G suffix, e.g. 32M", 0,         \
      "text kept of one document; the rest is cut")                                          \
    X(EXTRACT_MAX_INFLATE, "extract", "max_inflate", KIND_SIZE, extract_max_inflate, "256M",   \
      0, 0, "expected a positive size in bytes with optional K, M or G suffix, e.g. 256M", 0,  \
      "bytes a zip-based document (ODF, OOXML, EPUB) may inflate to")                          \
    X(WEB_LISTEN, "web", "listen", KIND_LISTEN, web_listen, "127.0.0.1:8080", 0, 0,            \
      "expected HOST:PORT (an IP address or localhost) or unix:PATH", 0,                       \
      "where fundgrube serve listens: HOST:PORT or unix:PATH")                                 \
    X(WEB_THREADS, "web", "threads", KIND_WHOLE, web_threads, "4", 1, 64,                      \
      "expected a whole number from 1 to 64", 0,                                               \
      "worker threads of fundgrube serve (each with its own index handle)")                    \
    X(WEB_MAX_CONNECTIONS, "web", "max_connections", KIND_WHOLE, web_max_connections, "64", 1,  \
      10000, "expected a whole number from 1 to 10000", 0,                                     \
      "connections fundgrube serve holds at once")                                             \
    X(WEB_TIMEOUT, "web", "timeout", KIND_WHOLE, web_timeout_s, "10", 1, 3600,                 \
      "expected seconds from 1 to 3600", 0,                                                    \
      "seconds an idle or slow connection is kept")                                            \
    X(WEB_MAX_QUERY, "web", "max_query", KIND_WHOLE, web_max_query, "1024", 16, 65536,          \
      "expected bytes from 16 to 65536", 0, "longest query or text of a request, in bytes")  \
    X(WEB_TIME_LIMIT, "web", "time_limit", KIND_WHOLE, web_time_limit_ms, "2000", 10, 600000,  \
      "expected milliseconds from 10 to 600000", 0,                                            \
      "a search ends after this long with the hits found so far (ms)")                        \
    X(WEB_TOKEN_FILE, "web", "token_file", KIND_NEWFILE, web_token_file, "", 0, 0, "", 0,      \
      "access token for a non-loopback listen address; empty: web-token beside the index")     \
    X(CLUSTER_SHARDS, "cluster", "shards", KIND_PATHS, cluster_shards, "", 0, 0, "",            \
      FG_CFG_KEY_SEARCH,                                                                       \
      "a shard searched instead of [index] path: a folder or remote:HOST:PORT; repeatable")    \
    X(CLUSTER_TIMEOUT, "cluster", "timeout", KIND_WHOLE, cluster_timeout_ms, "5000", 1,         \
      3600000, "expected milliseconds from 1 to 3600000", FG_CFG_KEY_SEARCH,                   \
      "a remote shard slower than this is left out of the search (ms)")                        \
    X(CLUSTER_CONNECT_TIMEOUT, "cluster", "connect_timeout", KIND_WHOLE,                       \
      cluster_connect_timeout_ms, "2000", 1, 3600000,                                          \
      "expected milliseconds from 1 to 3600000", FG_CFG_KEY_SEARCH,                            \
      "connecting to a remote shard waits this long (ms)")                                     \
    X(CLUSTER_RETRY, "cluster", "retry", KIND_WHOLE, cluster_retry_ms, "1000", 0, 86400000,     \
      "expected milliseconds from 0 to 86400000 (a day)", FG_CFG_KEY_SEARCH,                   \
      "a missing shard is tried again after this long (ms; 0: every search)")
/* clang-format on */

#endif
