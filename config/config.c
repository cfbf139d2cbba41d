/*
 * config.c - defaults, the INI file, command-line values, and the origin of
 * every effective value (see config.h and the example config/fundgrube.conf).
 *
 * libinih does the INI syntax.  Debian's libinih (r55) is built without
 * INI_HANDLER_LINENO and with a fixed 200-byte line buffer, so the file is fed
 * through our own reader (ini_parse_stream) which
 *   - hands inih exactly one physical line per call, so our line counter is
 *     inih's line number when the handler runs;
 *   - classifies each line as inih will (comment, continuation, section
 *     header, key line), so that an unknown section is reported at its header
 *     line even when it holds no key, and a syntax error gets a precise text;
 *   - refuses a line that does not fit inih's buffer, which inih would
 *     otherwise split silently into two lines;
 *   - ends the parse (returns NULL) at the first error.
 * A file is applied to a copy of the configuration that replaces the original
 * only when the whole file is good: a failed load changes nothing.
 *
 * Choices: a non-repeatable key given twice in one file is an error (a hand-
 * written file with two values for one key is almost always a mistake); an
 * indented continuation line adds an item to a repeatable key and is an error
 * for any other key; an empty value for a repeatable key empties the list.
 * fg_config_foreach() reports a repeatable key once per item (each item keeps
 * its own origin), and once with the value "" when the list is empty.
 */
#include "common/message.h"
#include "config/config.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ini.h>
#include <libstemmer.h>

/* ----------------------------------------------------------------- keys */

/* Every key, in the order of the example file (and of fg_config_foreach). */
typedef enum key_id {
    K_INDEX_PATH,
    K_INDEX_THREADS,
    K_WATCH_FOLDER,
    K_WATCH_INCLUDE,
    K_WATCH_EXCLUDE,
    K_MAX_FILE_SIZE,
    K_HIDDEN,
    K_LANGUAGE,
    K_STEMMING,
    K_STOPWORDS,
    K_DECOMPOUND,
    K_DICTIONARY,
    K_MIN_PART,
    K_UMLAUTS,
    K_GENDER,
    K_PROTECTED_WORDS,
    K_PROTECTED_FILE,
    K_LATIN_PLURALS,
    K_BM25_K1,
    K_BM25_B,
    K_W_EXACT,
    K_W_STEM,
    K_W_TITLE,
    K_W_LEAD,
    K_W_PART,
    K_W_QPART,
    K_W_WEAK,
    K_MAX_WILDCARD,
    K_COMMIT_INTERVAL,
    K_COMMIT_MAX_AGE,
    K_RESCAN_INTERVAL,
    K_COUNT
} key_id_t;

/* A key: its section, its name, and whether it may be given several times. */
typedef struct key_def {
    const char *section;
    const char *name;
    bool repeatable;
} key_def_t;

static const key_def_t keys[K_COUNT] = {
    [K_INDEX_PATH] = {"index", "path", false},
    [K_WATCH_FOLDER] = {"watch", "folder", true},
    [K_WATCH_INCLUDE] = {"watch", "include", true},
    [K_WATCH_EXCLUDE] = {"watch", "exclude", true},
    [K_MAX_FILE_SIZE] = {"watch", "max_file_size", false},
    [K_HIDDEN] = {"watch", "hidden", false},
    [K_LANGUAGE] = {"analysis", "language", false},
    [K_STEMMING] = {"analysis", "stemming", false},
    [K_STOPWORDS] = {"analysis", "stopwords", false},
    [K_DECOMPOUND] = {"analysis", "decompound", false},
    [K_DICTIONARY] = {"analysis", "dictionary", false},
    [K_MIN_PART] = {"analysis", "min_part", false},
    [K_UMLAUTS] = {"analysis", "umlauts", false},
    [K_GENDER] = {"analysis", "gender", false},
    [K_PROTECTED_WORDS] = {"analysis", "protected_words", false},
    [K_PROTECTED_FILE] = {"analysis", "protected_file", false},
    [K_LATIN_PLURALS] = {"analysis", "latin_plurals", false},
    [K_BM25_K1] = {"ranking", "bm25_k1", false},
    [K_BM25_B] = {"ranking", "bm25_b", false},
    [K_W_EXACT] = {"ranking", "exact_weight", false},
    [K_W_STEM] = {"ranking", "stem_weight", false},
    [K_W_TITLE] = {"ranking", "title_weight", false},
    [K_W_LEAD] = {"ranking", "lead_weight", false},
    [K_W_PART] = {"ranking", "part_weight", false},
    [K_W_QPART] = {"ranking", "qpart_weight", false},
    [K_W_WEAK] = {"ranking", "weak_weight", false},
    [K_MAX_WILDCARD] = {"search", "max_wildcard", false},
    [K_INDEX_THREADS] = {"index", "threads", false},
    [K_COMMIT_INTERVAL] = {"daemon", "commit_interval", false},
    [K_COMMIT_MAX_AGE] = {"daemon", "commit_max_age", false},
    [K_RESCAN_INTERVAL] = {"daemon", "rescan_interval", false},
};

/* The range of the whole-number keys (inclusive) and what a bad value gets
 * told. */
static const struct {
    key_id_t key;
    uint32_t lo, hi;
    const char *expected;
} wholes[] = {
    {K_MAX_WILDCARD, 1, 1000000, "expected a whole number from 1 to 1000000"},
    {K_INDEX_THREADS, 0, 64, "expected a whole number from 0 (one per core) to 64"},
    {K_COMMIT_INTERVAL, 0, 86400000, "expected milliseconds from 0 to 86400000 (a day)"},
    {K_COMMIT_MAX_AGE, 1, 86400000, "expected milliseconds from 1 to 86400000 (a day)"},
    {K_RESCAN_INTERVAL, 1, 86400, "expected seconds from 1 to 86400"},
};

/* The uint32_t field of fg_config_t that whole-number key k sets, or NULL. */
static uint32_t *whole_field(fg_config_t *c, key_id_t k) {
    switch (k) {
    case K_MAX_WILDCARD: return &c->max_wildcard;
    case K_INDEX_THREADS: return &c->threads;
    case K_COMMIT_INTERVAL: return &c->commit_interval_ms;
    case K_COMMIT_MAX_AGE: return &c->commit_max_age_ms;
    case K_RESCAN_INTERVAL: return &c->rescan_interval_s;
    default: return NULL;
    }
}

/* Fills w with the default weights, chosen on the man-page dev set (bench/quality). */
void fg_rank_weights_default(fg_rank_weights_t *w) {
    *w = (fg_rank_weights_t){.exact = 1.0, .stem = 1.0, .title = 0.5, .lead = 1.0,
                             .part = 0.5, .qpart = 0.5, .weak = 0.3};
}

/* The weight field of fg_config_t that a *_weight key sets, or NULL. */
static double *weight_field(fg_config_t *c, int k) {
    switch (k) {
    case K_W_EXACT: return &c->weights.exact;
    case K_W_STEM: return &c->weights.stem;
    case K_W_TITLE: return &c->weights.title;
    case K_W_LEAD: return &c->weights.lead;
    case K_W_PART: return &c->weights.part;
    case K_W_QPART: return &c->weights.qpart;
    case K_W_WEAK: return &c->weights.weak;
    default: return NULL;
    }
}

static const char *const sections[] = {"index", "watch", "analysis", "ranking", "search", "daemon"};

#define DEFAULT_MAX_FILE_SIZE ((uint64_t)64 << 20)
#define DEFAULT_BM25_K1 1.2
#define DEFAULT_BM25_B 0.75
#define DEFAULT_MAX_WILDCARD 1000

#define ORIGIN_DEFAULT "default"
#define ORIGIN_COMMAND_LINE "command line"

/*
 * Where one key's value came from.  For a list, where is the origin of the
 * last replacement of the whole list (reported while the list is empty) and
 * items holds the origin of each item, parallel to the list.
 */
struct fg_config_origin {
    char *where;
    char **items;
    size_t count;
};

/* ------------------------------------------------------------- helpers */

/* Returns a malloc'ed, formatted string, or NULL when out of memory. */
static char *format_alloc(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* Narrows [*s, *s + *len) to exclude leading and trailing white space. */
static void trim_span(const char **s, size_t *len) {
    while (*len > 0 && isspace((unsigned char)**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && isspace((unsigned char)(*s)[*len - 1]))
        (*len)--;
}

/* True when the len bytes at s equal the NUL-terminated name, ignoring case. */
static bool span_equals(const char *s, size_t len, const char *name) {
    return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

/* True when the section name (len bytes at s, already trimmed) is known. */
static bool section_known(const char *s, size_t len) {
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (span_equals(s, len, sections[i]))
            return true;
    return false;
}

/* Returns the key of section.name (section trimmed, both case-insensitive),
 * or -1 when there is none. */
static int find_key(const char *section, const char *name) {
    size_t slen = strlen(section);
    trim_span(&section, &slen);
    for (int k = 0; k < K_COUNT; k++)
        if (span_equals(section, slen, keys[k].section) && strcasecmp(name, keys[k].name) == 0)
            return k;
    return -1;
}

/* Returns the home folder from $HOME, or NULL when HOME is unset or empty. */
static const char *home_dir(void) {
    const char *home = getenv("HOME");
    return home && *home ? home : NULL;
}

/* Returns an XDG base-directory variable when it is set to an absolute path
 * (the specification says to ignore relative ones), else NULL. */
static const char *xdg_dir(const char *var) {
    const char *dir = getenv(var);
    return dir && dir[0] == '/' ? dir : NULL;
}

/* True when the path begins with "~/" or is exactly "~". */
static bool needs_home(const char *path) {
    return path[0] == '~' && (path[1] == '/' || path[1] == '\0');
}

/* ------------------------------------------------- numbers in the C locale */

/*
 * Parses a decimal number written as digits with an optional fraction after
 * '.' or ',' (German users write 0,75).  No sign, exponent, inf or nan.
 * Conversion happens in the C locale, whatever locale the program set.
 * Returns false when text is not such a number.
 */
static bool parse_number(const char *text, double *out) {
    char buf[64];
    size_t digits = 0, seps = 0, n = strlen(text);
    if (n == 0 || n >= sizeof buf)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)text[i])) {
            digits++;
            buf[i] = text[i];
        } else if ((text[i] == '.' || text[i] == ',') && seps++ == 0) {
            buf[i] = '.';
        } else {
            return false;
        }
    }
    buf[n] = '\0';
    if (digits == 0)
        return false;
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (!cloc)
        return false;
    char *end;
    double v = strtod_l(buf, &end, cloc);
    freelocale(cloc);
    if (*end != '\0')
        return false;
    *out = v;
    return true;
}

/* Writes v as the shortest of %.15g / %.17g that reads back exactly, with a
 * '.' as the decimal point whatever the locale. */
static void format_number(double v, char *buf, size_t len) {
    locale_t cloc = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    locale_t old = cloc ? uselocale(cloc) : (locale_t)0;
    snprintf(buf, len, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, len, "%.17g", v);
    if (cloc) {
        uselocale(old);
        freelocale(cloc);
    }
}

/* ---------------------------------------------------------------- values */

/* Parses yes/no, on/off, true/false, 1/0 (any case).  False if none. */
static bool parse_bool(const char *text, bool *out) {
    static const char *const yes[] = {"yes", "on", "true", "1"};
    static const char *const no[] = {"no", "off", "false", "0"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(text, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(text, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/*
 * Parses a size: decimal digits, optional spaces, then an optional K, M or G
 * (powers of 1024, any case) which may be followed by "B" or "iB".  The size
 * must be at least 1 and fit 64 bits.  False otherwise.
 */
static bool parse_size(const char *text, uint64_t *out) {
    const char *p = text;
    if (!isdigit((unsigned char)*p))
        return false;
    uint64_t v = 0;
    for (; isdigit((unsigned char)*p); p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    unsigned shift = 0;
    switch (*p) {
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    case '\0': break;
    default: return false;
    }
    if (shift) {
        p++;
        if (strcasecmp(p, "b") == 0 || strcasecmp(p, "ib") == 0)
            p += strlen(p);
    }
    if (*p != '\0' || v == 0 || v > (UINT64_MAX >> shift))
        return false;
    *out = v << shift;
    return true;
}

/* Writes a size with the largest suffix that represents it exactly. */
static void format_size(uint64_t v, char *buf, size_t len) {
    static const char suffix[] = "GMK";
    for (int i = 0; i < 3; i++) {
        unsigned shift = (unsigned)(30 - 10 * i);
        if (v != 0 && v % ((uint64_t)1 << shift) == 0) {
            snprintf(buf, len, "%llu%c", (unsigned long long)(v >> shift), suffix[i]);
            return;
        }
    }
    snprintf(buf, len, "%llu", (unsigned long long)v);
}

/* Copies in into buf (buflen bytes) with a leading "~/" or a lone "~"
 * replaced by home (trailing slashes of home dropped).  False if too long. */
static bool expand_with(const char *in, const char *home, char *buf, size_t buflen) {
    int n;
    if (home && needs_home(in)) {
        size_t hlen = strlen(home);
        if (in[1] == '\0') {
            n = snprintf(buf, buflen, "%s", home);
        } else {
            while (hlen > 0 && home[hlen - 1] == '/')
                hlen--;
            n = snprintf(buf, buflen, "%.*s%s", (int)hlen, home, in + 1);
        }
    } else {
        n = snprintf(buf, buflen, "%s", in);
    }
    return n >= 0 && (size_t)n < buflen;
}

/*
 * Expands "~" in a path value of key k into buf (FG_PATH_MAX bytes).  On
 * failure writes "bad value ..." into msg and returns FG_CONFIG.
 */
static fg_status_t expand_value(key_id_t k, const char *value, char *buf, char *msg,
                                size_t msglen) {
    const char *home = home_dir();
    if (needs_home(value) && !home) {
        fg_message(msg, msglen, "bad value '%s' for %s (HOME is not set to expand '~')", value,
                keys[k].name);
        return FG_CONFIG;
    }
    if (!expand_with(value, home, buf, FG_PATH_MAX)) {
        fg_message(msg, msglen, "bad value '%s' for %s (path too long)", value, keys[k].name);
        return FG_CONFIG;
    }
    return FG_OK;
}

/* Checks that a language is a Snowball algorithm of libstemmer; writes it in
 * lower case into out (FG_LANGUAGE_MAX bytes).  Else writes msg, FG_CONFIG. */
static fg_status_t check_language(const char *value, char *out, char *msg, size_t msglen) {
    char lower[FG_LANGUAGE_MAX];
    size_t n = strlen(value);
    bool found = false;
    if (n > 0 && n < sizeof lower) {
        for (size_t i = 0; i <= n; i++)
            lower[i] = (char)tolower((unsigned char)value[i]);
        for (const char **l = sb_stemmer_list(); *l && !found; l++)
            found = strcmp(*l, lower) == 0;
    }
    if (found) {
        memcpy(out, lower, n + 1);
        return FG_OK;
    }
    char list[512] = "";
    size_t used = 0;
    for (const char **l = sb_stemmer_list(); *l && used < sizeof list; l++) {
        int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", *l);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    fg_message(msg, msglen, "unknown language '%s' (Snowball offers: %s)", value, list);
    return FG_CONFIG;
}

/* --------------------------------------------------------- origins, lists */

/* Returns the list of a repeatable key, NULL for any other key. */
static fg_strlist_t *key_list(fg_config_t *c, key_id_t k) {
    switch (k) {
    case K_WATCH_FOLDER: return &c->watch_folders;
    case K_WATCH_INCLUDE: return &c->include;
    case K_WATCH_EXCLUDE: return &c->exclude;
    default: return NULL;
    }
}

/* Const twin of key_list(). */
static const fg_strlist_t *key_list_const(const fg_config_t *c, key_id_t k) {
    return key_list((fg_config_t *)c, k);
}

/* Frees the items of a string list and empties it. */
void fg_strlist_free(fg_strlist_t *l) {
    for (size_t i = 0; i < l->count; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->count = 0;
}

/* Frees what one origin owns and empties it. */
static void origin_free(struct fg_config_origin *o) {
    free(o->where);
    for (size_t i = 0; i < o->count; i++)
        free(o->items[i]);
    free(o->items);
    memset(o, 0, sizeof *o);
}

/* Records origin as where key k's value (or whole list) came from. */
static fg_status_t set_where(fg_config_t *c, key_id_t k, const char *origin) {
    char *copy = strdup(origin);
    if (!copy)
        return FG_NOMEM;
    free(c->origins[k].where);
    c->origins[k].where = copy;
    return FG_OK;
}

/* Empties the list of key k, recording origin as the list's origin. */
static fg_status_t list_clear(fg_config_t *c, key_id_t k, const char *origin) {
    fg_status_t st = set_where(c, k, origin);
    if (st != FG_OK)
        return st;
    struct fg_config_origin *o = &c->origins[k];
    for (size_t i = 0; i < o->count; i++)
        free(o->items[i]);
    free(o->items);
    o->items = NULL;
    o->count = 0;
    fg_strlist_free(key_list(c, k));
    return FG_OK;
}

/* Appends one item with its origin to the list of key k. */
static fg_status_t list_append(fg_config_t *c, key_id_t k, const char *value, const char *origin) {
    fg_strlist_t *l = key_list(c, k);
    struct fg_config_origin *o = &c->origins[k];
    /* Keep the origins parallel to the items even if someone edited the list. */
    while (o->count > l->count)
        free(o->items[--o->count]);
    char *item = strdup(value);
    char *where = strdup(origin);
    char **items = item && where ? realloc(l->items, (l->count + 1) * sizeof *items) : NULL;
    if (items)
        l->items = items;
    char **wheres = items ? realloc(o->items, (l->count + 1) * sizeof *wheres) : NULL;
    if (!wheres) {
        free(item);
        free(where);
        return FG_NOMEM;
    }
    o->items = wheres;
    while (o->count < l->count)
        o->items[o->count++] = NULL; /* items added without us: origin unknown */
    l->items[l->count++] = item;
    o->items[o->count++] = where;
    return FG_OK;
}

/* Copies a string list into an empty one (see config.h). */
fg_status_t fg_strlist_copy(fg_strlist_t *dst, const fg_strlist_t *src) {
    dst->items = NULL;
    dst->count = 0;
    if (src->count == 0)
        return FG_OK;
    dst->items = calloc(src->count, sizeof *dst->items);
    if (!dst->items)
        return FG_NOMEM;
    for (; dst->count < src->count; dst->count++) {
        dst->items[dst->count] = strdup(src->items[dst->count]);
        if (!dst->items[dst->count])
            return FG_NOMEM;
    }
    return FG_OK;
}

/* Deep-copies src into dst (see config.h): the struct as a whole, then a new
 * copy of everything it points to, so a field added later is copied too. */
fg_status_t fg_config_copy(fg_config_t *dst, const fg_config_t *src) {
    *dst = *src;
    dst->watch_folders = (fg_strlist_t){0};
    dst->include = (fg_strlist_t){0};
    dst->exclude = (fg_strlist_t){0};
    dst->file = NULL;
    dst->origins = NULL;
    dst->n_origins = 0;
    if (fg_strlist_copy(&dst->watch_folders, &src->watch_folders) != FG_OK ||
        fg_strlist_copy(&dst->include, &src->include) != FG_OK ||
        fg_strlist_copy(&dst->exclude, &src->exclude) != FG_OK ||
        (src->file && !(dst->file = strdup(src->file))))
        goto nomem;
    if (src->n_origins) {
        dst->origins = calloc(src->n_origins, sizeof *dst->origins);
        if (!dst->origins)
            goto nomem;
        dst->n_origins = src->n_origins;
    }
    for (size_t k = 0; k < src->n_origins; k++) {
        const struct fg_config_origin *so = &src->origins[k];
        struct fg_config_origin *o = &dst->origins[k];
        if (so->where && !(o->where = strdup(so->where)))
            goto nomem;
        if (so->count) {
            o->items = calloc(so->count, sizeof *o->items);
            if (!o->items)
                goto nomem;
        }
        for (; o->count < so->count; o->count++)
            if (so->items[o->count] && !(o->items[o->count] = strdup(so->items[o->count])))
                goto nomem;
    }
    return FG_OK;
nomem:
    fg_config_free(dst);
    return FG_NOMEM;
}

/* ---------------------------------------------------------- apply a value */

/* Writes the "bad value" reason for key k into msg and returns FG_CONFIG. */
static fg_status_t bad_value(key_id_t k, const char *value, const char *expected, char *msg,
                             size_t msglen) {
    fg_message(msg, msglen, "bad value '%s' for %s (%s)", value, keys[k].name, expected);
    return FG_CONFIG;
}

/*
 * Parses a stopwords value into *s: "default" (or yes/on/true), "off" (or
 * no/false/none), else a path, "~" expanded, that must exist and not be a
 * folder.  On failure writes the reason into msg and returns FG_CONFIG.
 */
static fg_status_t parse_stopwords(const char *value, fg_analysis_settings_t *s, char *msg,
                                   size_t msglen) {
    bool on;
    bool is_bool = strcmp(value, "0") != 0 && strcmp(value, "1") != 0 && parse_bool(value, &on);
    if (strcasecmp(value, "default") == 0 || (is_bool && on)) {
        s->stopwords = FG_STOPWORDS_DEFAULT;
        return FG_OK;
    }
    if (strcasecmp(value, "none") == 0 || (is_bool && !on)) {
        s->stopwords = FG_STOPWORDS_OFF;
        return FG_OK;
    }
    if (!*value)
        return bad_value(K_STOPWORDS, value, "expected default, off or a file path", msg,
                         msglen);
    fg_status_t st = expand_value(K_STOPWORDS, value, s->stopword_file, msg, msglen);
    if (st != FG_OK)
        return st;
    struct stat sb;
    if (stat(s->stopword_file, &sb) != 0) {
        fg_message(msg, msglen, "cannot read stop-word file '%s': %s", s->stopword_file,
                strerror(errno));
        return FG_CONFIG;
    }
    if (S_ISDIR(sb.st_mode)) {
        fg_message(msg, msglen, "stop-word file '%s' is a folder", s->stopword_file);
        return FG_CONFIG;
    }
    s->stopwords = FG_STOPWORDS_FILE;
    return FG_OK;
}

/*
 * Parses the path of a file the analysis reads (dictionary, protected_file)
 * into out (FG_PATH_MAX): "~" expanded; it must exist and not be a folder.
 * what names the file in messages.  On failure writes the reason into msg
 * and returns FG_CONFIG.
 */
static fg_status_t parse_analysis_file(key_id_t k, const char *value, const char *what,
                                       char *out, char *msg, size_t msglen) {
    fg_status_t st = expand_value(k, value, out, msg, msglen);
    if (st != FG_OK)
        return st;
    struct stat sb;
    if (stat(out, &sb) != 0) {
        fg_message(msg, msglen, "cannot read %s '%s': %s", what, out, strerror(errno));
        return FG_CONFIG;
    }
    if (S_ISDIR(sb.st_mode)) {
        fg_message(msg, msglen, "%s '%s' is a folder", what, out);
        return FG_CONFIG;
    }
    return FG_OK;
}

/* Parses min_part: a whole number from 2 to 10.  False otherwise. */
static bool parse_min_part(const char *value, unsigned *out) {
    if (!isdigit((unsigned char)value[0]) ||
        (value[1] && (!isdigit((unsigned char)value[1]) || value[2])))
        return false;
    unsigned v = (unsigned)atoi(value);
    if (v < 2 || v > 10)
        return false;
    *out = v;
    return true;
}

/* Parses the value of whole-number key k (see wholes[]) into *out.  False
 * when it is not a whole number in the key's range; *expected then says
 * what is. */
static bool parse_whole(key_id_t k, const char *value, uint32_t *out, const char **expected) {
    size_t i = 0;
    while (wholes[i].key != k)
        i++;
    *expected = wholes[i].expected;
    if (!*value || strlen(value) > 9)
        return false;
    for (const char *p = value; *p; p++)
        if (!isdigit((unsigned char)*p))
            return false;
    unsigned long v = strtoul(value, NULL, 10);
    if (v < wholes[i].lo || v > wholes[i].hi)
        return false;
    *out = (uint32_t)v;
    return true;
}

/*
 * Applies a value of key k to c, recording origin.  A repeatable key gets the
 * value appended, after emptying the list first when replace is set; an empty
 * value empties the list.  Nothing changes on failure: a bad value writes the
 * bare reason (no file or line) into msg and returns FG_CONFIG; FG_NOMEM when
 * out of memory.
 */
static fg_status_t apply_value(fg_config_t *c, key_id_t k, const char *value, bool replace,
                               const char *origin, char *msg, size_t msglen) {
    char path[FG_PATH_MAX];
    fg_status_t st;

    if (keys[k].repeatable) {
        const char *item = value;
        if (*value && k != K_WATCH_INCLUDE) { /* folders and exclude paths know "~" */
            st = expand_value(k, value, path, msg, msglen);
            if (st != FG_OK)
                return st;
            item = path;
        }
        if (replace || !*value) {
            st = list_clear(c, k, origin);
            if (st != FG_OK)
                return st;
        }
        return *value ? list_append(c, k, item, origin) : FG_OK;
    }

    /* A scalar: parse into temporaries, then record the origin, then store. */
    fg_analysis_settings_t analysis = c->analysis;
    uint64_t size = 0;
    bool flag = false;
    double number = 0;
    unsigned min_part = 0;
    uint32_t whole = 0;
    const char *expected = NULL;
    switch (k) {
    case K_INDEX_PATH:
        if (!*value)
            return bad_value(k, value, "expected a folder path", msg, msglen);
        st = expand_value(k, value, path, msg, msglen);
        if (st != FG_OK)
            return st;
        break;
    case K_MAX_FILE_SIZE:
        if (!parse_size(value, &size))
            return bad_value(k, value,
                             "expected a positive size in bytes with optional K, M or G "
                             "suffix, e.g. 64M",
                             msg, msglen);
        break;
    case K_HIDDEN:
    case K_STEMMING:
    case K_DECOMPOUND:
    case K_UMLAUTS:
    case K_GENDER:
    case K_PROTECTED_WORDS:
    case K_LATIN_PLURALS:
        if (!parse_bool(value, &flag))
            return bad_value(k, value, "expected yes or no", msg, msglen);
        break;
    case K_LANGUAGE:
        st = check_language(value, analysis.language, msg, msglen);
        if (st != FG_OK)
            return st;
        break;
    case K_STOPWORDS:
        st = parse_stopwords(value, &analysis, msg, msglen);
        if (st != FG_OK)
            return st;
        break;
    case K_DICTIONARY:
        if (!*value)
            return bad_value(k, value, "expected default or a word-list file", msg, msglen);
        if (strcasecmp(value, "default") == 0) {
            analysis.dictionary[0] = '\0';
            break;
        }
        st = parse_analysis_file(k, value, "dictionary", analysis.dictionary, msg, msglen);
        if (st != FG_OK)
            return st;
        break;
    case K_PROTECTED_FILE:
        if (!*value || strcasecmp(value, "none") == 0) {
            analysis.protected_file[0] = '\0';
            break;
        }
        st = parse_analysis_file(k, value, "protected-words file", analysis.protected_file, msg,
                                 msglen);
        if (st != FG_OK)
            return st;
        break;
    case K_MIN_PART:
        if (!parse_min_part(value, &min_part))
            return bad_value(k, value, "expected a whole number from 2 to 10", msg, msglen);
        break;
    case K_MAX_WILDCARD:
    case K_INDEX_THREADS:
    case K_COMMIT_INTERVAL:
    case K_COMMIT_MAX_AGE:
    case K_RESCAN_INTERVAL:
        if (!parse_whole(k, value, &whole, &expected))
            return bad_value(k, value, expected, msg, msglen);
        break;
    case K_BM25_K1:
        if (!parse_number(value, &number))
            return bad_value(k, value, "expected a number of 0 or more", msg, msglen);
        break;
    case K_BM25_B:
        if (!parse_number(value, &number) || number > 1.0)
            return bad_value(k, value, "expected a number from 0 to 1", msg, msglen);
        break;
    case K_W_EXACT:
    case K_W_STEM:
    case K_W_TITLE:
    case K_W_LEAD:
    case K_W_PART:
    case K_W_QPART:
    case K_W_WEAK:
        if (!parse_number(value, &number) || number > 100.0)
            return bad_value(k, value, "expected a number from 0 to 100", msg, msglen);
        break;
    default:
        return FG_INVALID;
    }
    st = set_where(c, k, origin);
    if (st != FG_OK)
        return st;
    switch (k) {
    case K_INDEX_PATH: memcpy(c->index_path, path, sizeof path); break;
    case K_MAX_FILE_SIZE: c->max_file_size = size; break;
    case K_HIDDEN: c->hidden = flag; break;
    case K_STEMMING: c->analysis.stemming = flag; break;
    case K_DECOMPOUND: c->analysis.decompound = flag; break;
    case K_UMLAUTS: c->analysis.umlauts = flag; break;
    case K_GENDER: c->analysis.gender = flag; break;
    case K_PROTECTED_WORDS: c->analysis.protected_words = flag; break;
    case K_LATIN_PLURALS: c->analysis.latin_plurals = flag; break;
    case K_MIN_PART: c->analysis.min_part = min_part; break;
    case K_DICTIONARY:
    case K_PROTECTED_FILE:
    case K_LANGUAGE:
    case K_STOPWORDS: c->analysis = analysis; break;
    case K_BM25_K1: c->bm25_k1 = number; break;
    case K_BM25_B: c->bm25_b = number; break;
    case K_MAX_WILDCARD:
    case K_INDEX_THREADS:
    case K_COMMIT_INTERVAL:
    case K_COMMIT_MAX_AGE:
    case K_RESCAN_INTERVAL: *whole_field(c, k) = whole; break;
    default:
        if (weight_field(c, k))
            *weight_field(c, k) = number;
        break;
    }
    return FG_OK;
}

/* ------------------------------------------------------------- the file */

/* The state of one fg_config_load_file(), shared by the reader and handler. */
typedef struct parse_ctx {
    fg_config_t *cfg;         /* the copy being changed */
    const char *path;         /* the file, for messages and origins */
    FILE *fp;
    char *buf;                /* getline() buffer */
    size_t cap;
    int line;                 /* the physical line last handed to inih */
    bool key_seen;            /* a key line since the last section header */
    bool continuation;        /* the current line continues the previous key */
    int first_line[K_COUNT];  /* where each key first appeared in this file */
    int read_errno;           /* errno of a failed read, 0 if none */
    fg_status_t status;       /* the first error, FG_OK if none */
    char *err;
    size_t errlen;
} parse_ctx_t;

/* Records the first error of a parse as "FILE:LINE: message". */
static void parse_fail(parse_ctx_t *ctx, fg_status_t st, const char *fmt, ...) {
    if (ctx->status != FG_OK)
        return;
    ctx->status = st;
    if (!ctx->err || ctx->errlen == 0)
        return;
    int n = snprintf(ctx->err, ctx->errlen, "%s:%d: ", ctx->path, ctx->line);
    if (n < 0 || (size_t)n >= ctx->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

/*
 * inih's find_chars_or_comment(): the first character of s that is in chars,
 * or that starts an inline comment (a prefix character after white space),
 * or the terminating NUL.
 */
static const char *find_chars_or_comment(const char *s, const char *chars) {
#if INI_ALLOW_INLINE_COMMENTS
    bool was_space = false;
    while (*s && !strchr(chars, *s) &&
           !(was_space && strchr(INI_INLINE_COMMENT_PREFIXES, *s))) {
        was_space = isspace((unsigned char)*s);
        s++;
    }
#else
    while (*s && !strchr(chars, *s))
        s++;
#endif
    return s;
}

/*
 * Classifies the line in ctx->buf as inih's ini_parse_stream() will: blank or
 * comment, continuation of the previous key, section header, or key line.
 * Records an error and returns false for an unknown section or a line inih
 * would reject; sets ctx->continuation and tracks ctx->key_seen.
 */
static bool classify_line(parse_ctx_t *ctx) {
    const char *line = ctx->buf;
    if (ctx->line == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
        line += 3;
    const char *s = line;
    while (isspace((unsigned char)*s))
        s++;
    ctx->continuation = false;
    if (*s == '\0' || strchr(INI_START_COMMENT_PREFIXES, *s))
        return true;
#if INI_ALLOW_MULTILINE
    if (ctx->key_seen && s > line) {
        ctx->continuation = true;
        return true;
    }
#endif
    if (*s == '[') {
        const char *end = find_chars_or_comment(s + 1, "]");
        if (*end != ']') {
            parse_fail(ctx, FG_CONFIG, "missing ']' after the section name");
            return false;
        }
        const char *name = s + 1;
        size_t len = (size_t)(end - name);
        trim_span(&name, &len);
        if (!section_known(name, len)) {
            parse_fail(ctx, FG_CONFIG, "unknown section [%.*s]", (int)len, name);
            return false;
        }
        ctx->key_seen = false;
        return true;
    }
    const char *end = find_chars_or_comment(s, "=:");
    if (*end != '=' && *end != ':') {
        parse_fail(ctx, FG_CONFIG, "expected 'key = value', a [section] or a comment");
        return false;
    }
    return true;
}

/*
 * The ini_reader for ini_parse_stream(): copies the next physical line into
 * str (num bytes) and returns str, or NULL at the end of the file, on a read
 * error, on a line too long for inih's buffer, or once an error is recorded.
 */
static char *read_line(char *str, int num, void *stream) {
    parse_ctx_t *ctx = stream;
    if (ctx->status != FG_OK)
        return NULL;
    errno = 0;
    ssize_t n = getline(&ctx->buf, &ctx->cap, ctx->fp);
    if (n < 0) {
        if (ferror(ctx->fp))
            ctx->read_errno = errno ? errno : EIO;
        else if (errno == ENOMEM)
            ctx->status = FG_NOMEM;
        return NULL;
    }
    ctx->line++;
    size_t len = (size_t)n, content = len;
    while (content > 0 && (ctx->buf[content - 1] == '\n' || ctx->buf[content - 1] == '\r'))
        content--;
    if (num < 4 || content > (size_t)num - 3) {
        parse_fail(ctx, FG_CONFIG, "line too long (more than %d characters)", num - 3);
        return NULL;
    }
    if (!classify_line(ctx))
        return NULL;
    if (len > (size_t)num - 1) /* "\r\r\n" endings: drop the surplus */
        len = (size_t)num - 1;
    memcpy(str, ctx->buf, len);
    str[len] = '\0';
    return str;
}

/* The ini_handler: applies one key = value of the current line to the copy.
 * Returns 1 on success, 0 (error recorded) otherwise. */
static int on_value(void *user, const char *section, const char *name, const char *value) {
    parse_ctx_t *ctx = user;
    bool continuation = ctx->continuation;
    ctx->key_seen = true;
    if (ctx->status != FG_OK)
        return 0;
    const char *sec = section;
    size_t slen = strlen(section);
    trim_span(&sec, &slen);
    if (slen == 0) {
        parse_fail(ctx, FG_CONFIG, "key '%s' outside any section", name);
        return 0;
    }
    int k = find_key(section, name);
    if (k < 0) {
        parse_fail(ctx, FG_CONFIG, "unknown key '%s' in section [%.*s]", name, (int)slen, sec);
        return 0;
    }
    if (!keys[k].repeatable && continuation) {
        parse_fail(ctx, FG_CONFIG, "indented line continues '%s', which takes a single value",
                   name);
        return 0;
    }
    if (!keys[k].repeatable && ctx->first_line[k]) {
        parse_fail(ctx, FG_CONFIG, "key '%s' given twice in section [%.*s] (first on line %d)",
                   name, (int)slen, sec, ctx->first_line[k]);
        return 0;
    }
    bool replace = ctx->first_line[k] == 0;
    if (replace)
        ctx->first_line[k] = ctx->line;
    char *origin = format_alloc("%s:%d", ctx->path, ctx->line);
    if (!origin) {
        parse_fail(ctx, FG_NOMEM, "out of memory");
        return 0;
    }
    /* inih r55 keeps an inline comment on a continuation line: drop it. */
    char *item = NULL;
    if (continuation) {
        item = strdup(value);
        if (!item) {
            free(origin);
            parse_fail(ctx, FG_NOMEM, "out of memory");
            return 0;
        }
        size_t len = (size_t)(find_chars_or_comment(item, "") - item);
        while (len > 0 && isspace((unsigned char)item[len - 1]))
            len--;
        item[len] = '\0';
        value = item;
    }
    char msg[FG_PATH_MAX + 256];
    fg_status_t st = apply_value(ctx->cfg, (key_id_t)k, value, replace, origin, msg, sizeof msg);
    free(item);
    free(origin);
    if (st != FG_OK) {
        parse_fail(ctx, st, "%s", st == FG_NOMEM ? "out of memory" : msg);
        return 0;
    }
    return 1;
}

/* --------------------------------------------------------------- public */

/*
 * Sets every value to its default.  The paths need $HOME (the index also
 * $XDG_DATA_HOME when set to an absolute path); without HOME the watch folder
 * list stays empty, and so does index_path unless XDG_DATA_HOME gives it.
 * c must own nothing.  Returns FG_OK, FG_NOMEM (c then owns nothing), or
 * FG_INVALID for a NULL c.
 */
fg_status_t fg_config_init(fg_config_t *c) {
    if (!c)
        return FG_INVALID;
    memset(c, 0, sizeof *c);
    fg_analysis_settings_default(&c->analysis);
    c->max_file_size = DEFAULT_MAX_FILE_SIZE;
    c->hidden = false;
    c->bm25_k1 = DEFAULT_BM25_K1;
    c->bm25_b = DEFAULT_BM25_B;
    fg_rank_weights_default(&c->weights);
    c->max_wildcard = DEFAULT_MAX_WILDCARD;
    c->threads = 0;
    c->commit_interval_ms = 25;
    c->commit_max_age_ms = 1000;
    c->rescan_interval_s = 60;

    const char *home = home_dir();
    const char *data = xdg_dir("XDG_DATA_HOME");
    int n = 0;
    if (data)
        n = snprintf(c->index_path, sizeof c->index_path, "%s/fundgrube/index", data);
    else if (home)
        n = snprintf(c->index_path, sizeof c->index_path, "%s/.local/share/fundgrube/index",
                     home);
    if (n < 0 || (size_t)n >= sizeof c->index_path)
        c->index_path[0] = '\0';

    c->origins = calloc(K_COUNT, sizeof *c->origins);
    if (!c->origins)
        return FG_NOMEM;
    c->n_origins = K_COUNT;
    fg_status_t st = FG_OK;
    for (int k = 0; k < K_COUNT && st == FG_OK; k++)
        st = set_where(c, (key_id_t)k, ORIGIN_DEFAULT);
    char folder[FG_PATH_MAX];
    if (st == FG_OK && home && expand_with("~/Fundgrube", home, folder, sizeof folder))
        st = list_append(c, K_WATCH_FOLDER, folder, ORIGIN_DEFAULT);
    if (st == FG_OK)
        st = list_append(c, K_WATCH_INCLUDE, "*.txt", ORIGIN_DEFAULT);
    if (st == FG_OK)
        st = list_append(c, K_WATCH_INCLUDE, "*.md", ORIGIN_DEFAULT);
    if (st != FG_OK)
        fg_config_free(c);
    return st;
}

/* Frees what c owns and zeroes it; safe on a zeroed or already freed c. */
void fg_config_free(fg_config_t *c) {
    if (!c)
        return;
    fg_strlist_free(&c->watch_folders);
    fg_strlist_free(&c->include);
    fg_strlist_free(&c->exclude);
    for (size_t k = 0; k < c->n_origins; k++)
        origin_free(&c->origins[k]);
    free(c->origins);
    free(c->file);
    memset(c, 0, sizeof *c);
}

/*
 * Reads the INI file at path over the current values of c, atomically: the
 * file is applied to a copy that replaces c only when the whole file is good.
 * On success c->file becomes path.  Returns FG_OK; FG_IO when the file cannot
 * be opened or read ("cannot read FILE: reason"); FG_CONFIG for a syntax
 * error, unknown section or key, key given twice, or bad value
 * ("FILE:LINE: what is wrong"); FG_NOMEM; FG_INVALID for NULL arguments.
 */
fg_status_t fg_config_load_file(fg_config_t *c, const char *path, char *err, size_t errlen) {
    fg_message(err, errlen, "%s", "");
    if (!c || !path || !c->origins) {
        fg_message(err, errlen, "no configuration or no file given");
        return FG_INVALID;
    }
    FILE *fp = fopen(path, "re");
    if (!fp) {
        fg_message(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return FG_IO;
    }
    fg_config_t copy;
    char *file = strdup(path);
    if (!file || fg_config_copy(&copy, c) != FG_OK) {
        free(file);
        fclose(fp);
        fg_message(err, errlen, "out of memory");
        return FG_NOMEM;
    }
    parse_ctx_t ctx = {.cfg = &copy, .path = path, .fp = fp, .err = err, .errlen = errlen};
    int r = ini_parse_stream(read_line, &ctx, on_value, &ctx);
    fg_status_t st = ctx.status;
    if (st == FG_OK && ctx.read_errno) {
        fg_message(err, errlen, "cannot read %s: %s", path, strerror(ctx.read_errno));
        st = FG_IO;
    } else if (st == FG_NOMEM || (st == FG_OK && r == -2)) {
        fg_message(err, errlen, "out of memory");
        st = FG_NOMEM;
    } else if (st == FG_OK && r != 0) { /* not expected: classify_line() predicts inih */
        fg_message(err, errlen, "%s:%d: syntax error", path, r);
        st = FG_CONFIG;
    }
    free(ctx.buf);
    fclose(fp);
    if (st != FG_OK) {
        free(file);
        fg_config_free(&copy);
        return st;
    }
    free(copy.file);
    copy.file = file;
    fg_config_free(c);
    *c = copy;
    return FG_OK;
}

/* Writes the default configuration file path ($XDG_CONFIG_HOME/fundgrube/
 * fundgrube.conf, else ~/.config/...) into buf; false when neither is set. */
static bool default_config_path(char *buf, size_t len) {
    const char *xdg = xdg_dir("XDG_CONFIG_HOME");
    const char *home = home_dir();
    int n;
    if (xdg)
        n = snprintf(buf, len, "%s/fundgrube/fundgrube.conf", xdg);
    else if (home)
        n = snprintf(buf, len, "%s/.config/fundgrube/fundgrube.conf", home);
    else
        return false;
    return n >= 0 && (size_t)n < len;
}

/*
 * fg_config_init(), then one configuration file: explicit_path when not NULL,
 * else $FUNDGRUBE_CONFIG when set and not empty (both must exist), else the
 * default file if it exists.  Returns as fg_config_load_file().  On failure
 * c owns nothing (fg_config_free() on it is harmless); on success free it.
 */
fg_status_t fg_config_load(fg_config_t *c, const char *explicit_path, char *err, size_t errlen) {
    fg_message(err, errlen, "%s", "");
    fg_status_t st = fg_config_init(c);
    if (st != FG_OK) {
        fg_message(err, errlen, "%s", fg_status_str(st));
        return st;
    }
    const char *path = explicit_path;
    const char *env = getenv("FUNDGRUBE_CONFIG");
    if (!path && env && *env)
        path = env;
    char def[FG_PATH_MAX];
    struct stat sb;
    if (!path) {
        if (!default_config_path(def, sizeof def) ||
            (stat(def, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR)))
            return FG_OK;
        path = def;
    }
    st = fg_config_load_file(c, path, err, errlen);
    if (st != FG_OK)
        fg_config_free(c);
    return st;
}

/*
 * Sets section.key to value as the program's options do; repeatable keys
 * append (an empty value empties the list).  The origin is "command line",
 * "default", or for FG_CFG_FILE the file last read.  Errors as for a file,
 * without file and line: FG_CONFIG (unknown section or key, bad value),
 * FG_NOMEM, FG_INVALID for NULL arguments.  Nothing changes on failure.
 */
fg_status_t fg_config_set(fg_config_t *c, const char *section, const char *key,
                          const char *value, fg_config_source_t source, char *err,
                          size_t errlen) {
    fg_message(err, errlen, "%s", "");
    if (!c || !c->origins || !section || !key || !value) {
        fg_message(err, errlen, "missing configuration, section, key or value");
        return FG_INVALID;
    }
    size_t slen = strlen(section);
    const char *sec = section;
    trim_span(&sec, &slen);
    if (!section_known(sec, slen)) {
        fg_message(err, errlen, "unknown section [%s]", section);
        return FG_CONFIG;
    }
    int k = find_key(section, key);
    if (k < 0) {
        fg_message(err, errlen, "unknown key '%s' in section [%s]", key, section);
        return FG_CONFIG;
    }
    const char *origin = source == FG_CFG_DEFAULT        ? ORIGIN_DEFAULT
                         : source == FG_CFG_COMMAND_LINE ? ORIGIN_COMMAND_LINE
                         : c->file                       ? c->file
                                                         : "configuration file";
    fg_status_t st = apply_value(c, (key_id_t)k, value, false, origin, err, errlen);
    if (st == FG_NOMEM)
        fg_message(err, errlen, "out of memory");
    return st;
}

/*
 * Calls fn for every key in the order of the example file, with the value as
 * text (a size with its largest exact suffix, booleans as yes/no, numbers with
 * a '.') and its origin.  A repeatable key is reported once per item with the
 * item's origin, or once with "" and the list's origin when it is empty.
 */
void fg_config_foreach(const fg_config_t *c, fg_config_entry_fn fn, void *ctx) {
    if (!c || !fn)
        return;
    char buf[FG_PATH_MAX + 64];
    for (int k = 0; k < K_COUNT; k++) {
        const struct fg_config_origin *o =
            (size_t)k < c->n_origins && c->origins ? &c->origins[k] : NULL;
        const char *where = o && o->where ? o->where : ORIGIN_DEFAULT;
        const fg_strlist_t *l = key_list_const(c, (key_id_t)k);
        if (l) {
            if (l->count == 0)
                fn(ctx, keys[k].section, keys[k].name, "", where);
            for (size_t i = 0; i < l->count; i++) {
                const char *w = o && i < o->count && o->items[i] ? o->items[i] : where;
                fn(ctx, keys[k].section, keys[k].name, l->items[i], w);
            }
            continue;
        }
        const char *value = buf;
        switch ((key_id_t)k) {
        case K_INDEX_PATH: value = c->index_path; break;
        case K_MAX_FILE_SIZE: format_size(c->max_file_size, buf, sizeof buf); break;
        case K_HIDDEN: value = c->hidden ? "yes" : "no"; break;
        case K_LANGUAGE: value = c->analysis.language; break;
        case K_STEMMING: value = c->analysis.stemming ? "yes" : "no"; break;
        case K_STOPWORDS:
            value = c->analysis.stopwords == FG_STOPWORDS_OFF       ? "off"
                    : c->analysis.stopwords == FG_STOPWORDS_DEFAULT ? "default"
                                                                    : c->analysis.stopword_file;
            break;
        case K_DECOMPOUND: value = c->analysis.decompound ? "yes" : "no"; break;
        case K_DICTIONARY:
            value = c->analysis.dictionary[0] ? c->analysis.dictionary : "default";
            break;
        case K_MIN_PART: snprintf(buf, sizeof buf, "%u", c->analysis.min_part); break;
        case K_UMLAUTS: value = c->analysis.umlauts ? "yes" : "no"; break;
        case K_GENDER: value = c->analysis.gender ? "yes" : "no"; break;
        case K_PROTECTED_WORDS: value = c->analysis.protected_words ? "yes" : "no"; break;
        case K_PROTECTED_FILE: value = c->analysis.protected_file; break;
        case K_LATIN_PLURALS: value = c->analysis.latin_plurals ? "yes" : "no"; break;
        case K_BM25_K1: format_number(c->bm25_k1, buf, sizeof buf); break;
        case K_BM25_B: format_number(c->bm25_b, buf, sizeof buf); break;
        case K_MAX_WILDCARD:
        case K_INDEX_THREADS:
        case K_COMMIT_INTERVAL:
        case K_COMMIT_MAX_AGE:
        case K_RESCAN_INTERVAL:
            snprintf(buf, sizeof buf, "%u", *whole_field((fg_config_t *)c, k));
            break;
        default:
            if (weight_field((fg_config_t *)c, k))
                format_number(*weight_field((fg_config_t *)c, k), buf, sizeof buf);
            else
                buf[0] = '\0';
            break;
        }
        fn(ctx, keys[k].section, keys[k].name, value, where);
    }
}

/* Expands a leading "~/" (or a lone "~") with $HOME into buf; other paths are
 * copied.  Returns FG_OK, or FG_INVALID when too long, HOME is needed but
 * unset, or an argument is NULL (buf then holds "" when it has room). */
fg_status_t fg_config_expand_path(const char *in, char *buf, size_t buflen) {
    if (!buf || buflen == 0)
        return FG_INVALID;
    buf[0] = '\0';
    if (!in)
        return FG_INVALID;
    const char *home = home_dir();
    if ((needs_home(in) && !home) || !expand_with(in, home, buf, buflen)) {
        buf[0] = '\0';
        return FG_INVALID;
    }
    return FG_OK;
}
