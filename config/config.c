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
 * Every key is one line of the table in config/keys.h: its kind (parse and
 * format function, below), the fg_config_t field it sets, its default as
 * text, its range and message.  Defaults, parsing, copying, freeing and
 * fg_config_foreach() all walk that table.
 *
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
#include "common/path.h"
#include "config/config.h"
#include "config/keys.h"

#include <ctype.h>
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ini.h>
#include <libstemmer.h>

/* ----------------------------------------------------------------- keys */

/* How a key's value is parsed, stored and printed (see kinds[] below). */
typedef enum kind {
    KIND_FOLDER,     /* a path, "~" expanded, not empty: char[FG_PATH_MAX] */
    KIND_PATHS,      /* a list of paths or globs, "~" expanded: fg_strlist_t */
    KIND_GLOBS,      /* a list of file-name globs, taken as written: fg_strlist_t */
    KIND_SIZE,       /* bytes with an optional K/M/G suffix: uint64_t */
    KIND_BOOL,       /* yes/no, on/off, true/false, 1/0: bool */
    KIND_LANGUAGE,   /* a Snowball algorithm, lower case: char[FG_LANGUAGE_MAX] */
    KIND_STOPWORDS,  /* default/off/a file: the whole fg_analysis_settings_t */
    KIND_DICTIONARY, /* default ("") or an existing file: char[FG_PATH_MAX] */
    KIND_WORDFILE,   /* none ("") or an existing file: char[FG_PATH_MAX] */
    KIND_WHOLE,      /* a whole number in [lo, hi]: uint32_t (or unsigned) */
    KIND_NUMBER,     /* a decimal number in [lo, hi], '.' or ',': double */
    KIND_LISTEN,     /* HOST:PORT or unix:PATH ("~" expanded): char[FG_PATH_MAX] */
    KIND_NEWFILE,    /* "" or a file path ("~" expanded), need not exist: char[FG_PATH_MAX] */
} kind_t;

/* Every key, in the order of the example file (and of fg_config_foreach). */
typedef enum key_id {
#define X(id, sec, name, kind, field, def, lo, hi, expected, flags, doc) K_##id,
    FG_CONFIG_KEYS(X)
#undef X
        K_COUNT
} key_id_t;

/* A key of the table: what config.h tells, and how config.c handles it. */
typedef struct key_def {
    fg_config_key_t pub;
    kind_t kind;
    size_t offset;        /* of its field in fg_config_t */
    const char *def;      /* the default as text ('\n' between list items), or NULL */
    double lo, hi;        /* the range of a number */
    const char *expected; /* what a bad value is told */
} key_def_t;

#define FG_CFG_KEY_SEARCH 1u

static const key_def_t keys[K_COUNT] = {
#define X(id, sec, nm, knd, field, dflt, low, high, exp, flags, text)                              \
    [K_##id] = {.pub = {.section = sec,                                                            \
                        .name = nm,                                                                \
                        .doc = text,                                                               \
                        .repeatable = knd == KIND_PATHS || knd == KIND_GLOBS,                      \
                        .search = ((flags)&FG_CFG_KEY_SEARCH) != 0},                               \
                .kind = knd,                                                                       \
                .offset = offsetof(fg_config_t, field),                                            \
                .def = dflt,                                                                       \
                .lo = low,                                                                         \
                .hi = high,                                                                        \
                .expected = exp},
    FG_CONFIG_KEYS(X)
#undef X
};

_Static_assert(sizeof(unsigned) == sizeof(uint32_t), "min_part is a KIND_WHOLE field");

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

/* The field of key k in c. */
static void *field_of(fg_config_t *c, key_id_t k) {
    return (char *)c + keys[k].offset;
}

/* Const twin of field_of(). */
static const void *field_of_const(const fg_config_t *c, key_id_t k) {
    return (const char *)c + keys[k].offset;
}

/* The number of keys (see config.h). */
size_t fg_config_key_count(void) {
    return K_COUNT;
}

/* The i-th key of the table (see config.h). */
const fg_config_key_t *fg_config_key(size_t i) {
    return i < K_COUNT ? &keys[i].pub : NULL;
}

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

/* True when the section name (len bytes at s, already trimmed) is the
 * section of a key of the table. */
static bool section_known(const char *s, size_t len) {
    for (int k = 0; k < K_COUNT; k++)
        if (span_equals(s, len, keys[k].pub.section))
            return true;
    return false;
}

/* Returns the key of section.name (section trimmed, both case-insensitive),
 * or -1 when there is none. */
static int find_key(const char *section, const char *name) {
    size_t slen = strlen(section);
    trim_span(&section, &slen);
    for (int k = 0; k < K_COUNT; k++)
        if (span_equals(section, slen, keys[k].pub.section) &&
            strcasecmp(name, keys[k].pub.name) == 0)
            return k;
    return -1;
}

/* The key section.name of the table (see config.h). */
const fg_config_key_t *fg_config_key_find(const char *section, const char *name) {
    int k = section && name ? find_key(section, name) : -1;
    return k < 0 ? NULL : &keys[k].pub;
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
    case 'k':
    case 'K': shift = 10; break;
    case 'm':
    case 'M': shift = 20; break;
    case 'g':
    case 'G': shift = 30; break;
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
    return keys[k].pub.repeatable ? field_of(c, k) : NULL;
}

/* Const twin of key_list(). */
static const fg_strlist_t *key_list_const(const fg_config_t *c, key_id_t k) {
    return keys[k].pub.repeatable ? field_of_const(c, k) : NULL;
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
 * copy of everything it points to (the list of every repeatable key of the
 * table, the file, the origins). */
fg_status_t fg_config_copy(fg_config_t *dst, const fg_config_t *src) {
    *dst = *src;
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k].pub.repeatable)
            *key_list(dst, (key_id_t)k) = (fg_strlist_t){0};
    dst->file = NULL;
    dst->origins = NULL;
    dst->n_origins = 0;
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k].pub.repeatable &&
            fg_strlist_copy(key_list(dst, (key_id_t)k), key_list_const(src, (key_id_t)k)) != FG_OK)
            goto nomem;
    if (src->file && !(dst->file = strdup(src->file)))
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

/* ------------------------------------------------------------------ kinds */

/*
 * Each kind of value has a parse function and a format function.
 *
 * parse reads value for key k into out, which holds the field's current
 * value on entry and has the field's type (KIND_STOPWORDS: the analysis
 * settings).  On failure it writes the bare reason (no file or line) into
 * msg and returns FG_CONFIG, or returns FG_NOMEM; out is then scrap.
 *
 * format returns the field's value as text, written into buf or a constant.
 */
typedef fg_status_t (*parse_fn)(key_id_t k, const char *value, void *out, char *msg, size_t msglen);
typedef const char *(*format_fn)(const void *field, char *buf, size_t len);

/* Writes the "bad value" reason for key k into msg and returns FG_CONFIG. */
static fg_status_t bad_value(key_id_t k, const char *value, const char *expected, char *msg,
                             size_t msglen) {
    fg_message(msg, msglen, "bad value '%s' for %s (%s)", value, keys[k].pub.name, expected);
    return FG_CONFIG;
}

/*
 * Expands "~" in a path value of key k into buf (FG_PATH_MAX bytes).  On
 * failure writes "bad value ..." into msg and returns FG_CONFIG, or FG_NOMEM.
 */
static fg_status_t expand_value(key_id_t k, const char *value, char *buf, char *msg,
                                size_t msglen) {
    const char *home = home_dir();
    if (fg_path_needs_home(value) && !home)
        return bad_value(k, value, "HOME is not set to expand '~'", msg, msglen);
    char *path = fg_path_expand_home(value, home);
    if (!path)
        return FG_NOMEM;
    size_t n = strlen(path);
    if (n < FG_PATH_MAX)
        memcpy(buf, path, n + 1);
    free(path);
    if (n >= FG_PATH_MAX)
        return bad_value(k, value, "path too long", msg, msglen);
    return FG_OK;
}

/*
 * Checks that the file a path value names (already "~" expanded in path)
 * exists and is no folder; what names it in messages.  On failure writes
 * the reason into msg and returns FG_CONFIG.
 */
static fg_status_t check_file(const char *path, const char *what, char *msg, size_t msglen) {
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fg_message(msg, msglen, "cannot read %s '%s': %s", what, path, strerror(errno));
        return FG_CONFIG;
    }
    if (S_ISDIR(sb.st_mode)) {
        fg_message(msg, msglen, "%s '%s' is a folder", what, path);
        return FG_CONFIG;
    }
    return FG_OK;
}

/* KIND_FOLDER: a path that must not be empty, "~" expanded. */
static fg_status_t parse_folder(key_id_t k, const char *value, void *out, char *msg,
                                size_t msglen) {
    if (!*value)
        return bad_value(k, value, keys[k].expected, msg, msglen);
    return expand_value(k, value, out, msg, msglen);
}

/* KIND_SIZE: see parse_size(). */
static fg_status_t parse_size_value(key_id_t k, const char *value, void *out, char *msg,
                                    size_t msglen) {
    return parse_size(value, out) ? FG_OK : bad_value(k, value, keys[k].expected, msg, msglen);
}

/* KIND_BOOL: see parse_bool(). */
static fg_status_t parse_bool_value(key_id_t k, const char *value, void *out, char *msg,
                                    size_t msglen) {
    return parse_bool(value, out) ? FG_OK : bad_value(k, value, keys[k].expected, msg, msglen);
}

/* KIND_LANGUAGE: see check_language(). */
static fg_status_t parse_language(key_id_t k, const char *value, void *out, char *msg,
                                  size_t msglen) {
    (void)k;
    return check_language(value, out, msg, msglen);
}

/*
 * KIND_STOPWORDS: "default" (or yes/on/true), "off" (or no/false/none), else
 * a path, "~" expanded, that must exist and not be a folder; out is the
 * analysis settings (stopwords and stopword_file).
 */
static fg_status_t parse_stopwords(key_id_t k, const char *value, void *out, char *msg,
                                   size_t msglen) {
    fg_analysis_settings_t *s = out;
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
        return bad_value(k, value, keys[k].expected, msg, msglen);
    fg_status_t st = expand_value(k, value, s->stopword_file, msg, msglen);
    if (st == FG_OK)
        st = check_file(s->stopword_file, "stop-word file", msg, msglen);
    if (st == FG_OK)
        s->stopwords = FG_STOPWORDS_FILE;
    return st;
}

/* KIND_DICTIONARY: "default" (stored as "") or an existing file, not empty. */
static fg_status_t parse_dictionary(key_id_t k, const char *value, void *out, char *msg,
                                    size_t msglen) {
    char *path = out;
    if (!*value)
        return bad_value(k, value, keys[k].expected, msg, msglen);
    if (strcasecmp(value, "default") == 0) {
        path[0] = '\0';
        return FG_OK;
    }
    fg_status_t st = expand_value(k, value, path, msg, msglen);
    return st == FG_OK ? check_file(path, "dictionary", msg, msglen) : st;
}

/* KIND_WORDFILE: empty or "none" (stored as "") or an existing file. */
static fg_status_t parse_wordfile(key_id_t k, const char *value, void *out, char *msg,
                                  size_t msglen) {
    char *path = out;
    if (!*value || strcasecmp(value, "none") == 0) {
        path[0] = '\0';
        return FG_OK;
    }
    fg_status_t st = expand_value(k, value, path, msg, msglen);
    return st == FG_OK ? check_file(path, "protected-words file", msg, msglen) : st;
}

/* KIND_NEWFILE: empty (stored as "") or a path, which need not exist yet. */
static fg_status_t parse_newfile(key_id_t k, const char *value, void *out, char *msg,
                                 size_t msglen) {
    char *path = out;
    if (!*value) {
        path[0] = '\0';
        return FG_OK;
    }
    return expand_value(k, value, path, msg, msglen);
}

/* KIND_WHOLE: at most 9 decimal digits, from lo to hi. */
static fg_status_t parse_whole(key_id_t k, const char *value, void *out, char *msg, size_t msglen) {
    bool ok = *value && strlen(value) <= 9;
    for (const char *p = value; ok && *p; p++)
        ok = isdigit((unsigned char)*p);
    unsigned long v = ok ? strtoul(value, NULL, 10) : 0;
    if (!ok || (double)v < keys[k].lo || (double)v > keys[k].hi)
        return bad_value(k, value, keys[k].expected, msg, msglen);
    *(uint32_t *)out = (uint32_t)v;
    return FG_OK;
}

/* KIND_NUMBER: see parse_number(), from lo to hi. */
static fg_status_t parse_number_value(key_id_t k, const char *value, void *out, char *msg,
                                      size_t msglen) {
    double v;
    if (!parse_number(value, &v) || v < keys[k].lo || v > keys[k].hi)
        return bad_value(k, value, keys[k].expected, msg, msglen);
    *(double *)out = v;
    return FG_OK;
}

/* True when host (len bytes) is "localhost", a dotted IPv4 address or a
 * bracketed IPv6 address ("[::1]"). */
static bool listen_host_ok(const char *host, size_t len) {
    if (len == 9 && strncmp(host, "localhost", 9) == 0)
        return true;
    if (len > 2 && host[0] == '[' && host[len - 1] == ']') {
        for (size_t i = 1; i + 1 < len; i++)
            if (!isxdigit((unsigned char)host[i]) && host[i] != ':' && host[i] != '.')
                return false;
        return true;
    }
    unsigned dots = 0, digits = 0;
    for (size_t i = 0; i < len; i++) {
        if (host[i] == '.') {
            if (digits == 0)
                return false;
            dots++, digits = 0;
        } else if (isdigit((unsigned char)host[i]) && ++digits <= 3) {
            continue;
        } else {
            return false;
        }
    }
    return dots == 3 && digits > 0;
}

/* KIND_LISTEN: "unix:PATH" ("~" expanded, not empty) or "HOST:PORT". */
static fg_status_t parse_listen(key_id_t k, const char *value, void *out, char *msg,
                                size_t msglen) {
    if (strncmp(value, "unix:", 5) == 0) {
        if (!value[5])
            return bad_value(k, value, keys[k].expected, msg, msglen);
        char *path = out;
        memcpy(path, "unix:", 5);
        return expand_value(k, value + 5, path + 5, msg, msglen);
    }
    const char *colon = strrchr(value, ':');
    bool ok = colon && colon[1] && strlen(colon + 1) <= 5 &&
              listen_host_ok(value, (size_t)(colon - value)) && strlen(value) < FG_PATH_MAX;
    for (const char *p = colon ? colon + 1 : ""; ok && *p; p++)
        ok = isdigit((unsigned char)*p);
    if (!ok || strtoul(colon + 1, NULL, 10) > 65535)
        return bad_value(k, value, keys[k].expected, msg, msglen);
    snprintf(out, FG_PATH_MAX, "%s", value);
    return FG_OK;
}

/* KIND_FOLDER, KIND_LANGUAGE, KIND_WORDFILE, KIND_LISTEN, KIND_NEWFILE: the text as
 * stored. */
static const char *format_text(const void *field, char *buf, size_t len) {
    (void)buf, (void)len;
    return field;
}

/* KIND_DICTIONARY: "default" for the built-in list. */
static const char *format_dictionary(const void *field, char *buf, size_t len) {
    (void)buf, (void)len;
    return *(const char *)field ? field : "default";
}

/* KIND_SIZE: see format_size(). */
static const char *format_size_value(const void *field, char *buf, size_t len) {
    format_size(*(const uint64_t *)field, buf, len);
    return buf;
}

/* KIND_BOOL: yes or no. */
static const char *format_bool(const void *field, char *buf, size_t len) {
    (void)buf, (void)len;
    return *(const bool *)field ? "yes" : "no";
}

/* KIND_STOPWORDS: off, default or the file. */
static const char *format_stopwords(const void *field, char *buf, size_t len) {
    const fg_analysis_settings_t *s = field;
    (void)buf, (void)len;
    return s->stopwords == FG_STOPWORDS_OFF       ? "off"
           : s->stopwords == FG_STOPWORDS_DEFAULT ? "default"
                                                  : s->stopword_file;
}

/* KIND_WHOLE: decimal. */
static const char *format_whole(const void *field, char *buf, size_t len) {
    snprintf(buf, len, "%u", (unsigned)*(const uint32_t *)field);
    return buf;
}

/* KIND_NUMBER: see format_number(). */
static const char *format_number_value(const void *field, char *buf, size_t len) {
    format_number(*(const double *)field, buf, len);
    return buf;
}

/* What each kind does; a list kind has no parse or format of its own. */
static const struct {
    parse_fn parse;
    format_fn format;
    size_t size; /* of the field */
} kinds[] = {
    [KIND_FOLDER] = {parse_folder, format_text, FG_PATH_MAX},
    [KIND_PATHS] = {NULL, NULL, sizeof(fg_strlist_t)},
    [KIND_GLOBS] = {NULL, NULL, sizeof(fg_strlist_t)},
    [KIND_SIZE] = {parse_size_value, format_size_value, sizeof(uint64_t)},
    [KIND_BOOL] = {parse_bool_value, format_bool, sizeof(bool)},
    [KIND_LANGUAGE] = {parse_language, format_text, FG_LANGUAGE_MAX},
    [KIND_STOPWORDS] = {parse_stopwords, format_stopwords, sizeof(fg_analysis_settings_t)},
    [KIND_DICTIONARY] = {parse_dictionary, format_dictionary, FG_PATH_MAX},
    [KIND_WORDFILE] = {parse_wordfile, format_text, FG_PATH_MAX},
    [KIND_WHOLE] = {parse_whole, format_whole, sizeof(uint32_t)},
    [KIND_NUMBER] = {parse_number_value, format_number_value, sizeof(double)},
    [KIND_LISTEN] = {parse_listen, format_text, FG_PATH_MAX},
    [KIND_NEWFILE] = {parse_newfile, format_text, FG_PATH_MAX},
};

/* Room for the field of any kind, while a value is parsed. */
typedef union scratch {
    fg_analysis_settings_t analysis;
    char path[FG_PATH_MAX];
    uint64_t size;
    double number;
} scratch_t;

/* ---------------------------------------------------------- apply a value */

/*
 * Applies a value of a repeatable key k: appended, after emptying the list
 * first when replace is set; an empty value empties the list.  KIND_PATHS
 * items are "~" expanded.  Errors as apply_value().
 */
static fg_status_t apply_item(fg_config_t *c, key_id_t k, const char *value, bool replace,
                              const char *origin, char *msg, size_t msglen) {
    char path[FG_PATH_MAX];
    const char *item = value;
    fg_status_t st;
    if (*value && keys[k].kind == KIND_PATHS) {
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

/*
 * Applies a value of key k to c, recording origin: the kind's parse into a
 * scratch copy of the field, then the origin, then the field.  Nothing
 * changes on failure: a bad value writes the bare reason (no file or line)
 * into msg and returns FG_CONFIG; FG_NOMEM when out of memory.
 */
static fg_status_t apply_value(fg_config_t *c, key_id_t k, const char *value, bool replace,
                               const char *origin, char *msg, size_t msglen) {
    if (keys[k].pub.repeatable)
        return apply_item(c, k, value, replace, origin, msg, msglen);
    size_t size = kinds[keys[k].kind].size;
    scratch_t scratch;
    memcpy(&scratch, field_of(c, k), size);
    fg_status_t st = kinds[keys[k].kind].parse(k, value, &scratch, msg, msglen);
    if (st == FG_OK)
        st = set_where(c, k, origin);
    if (st == FG_OK)
        memcpy(field_of(c, k), &scratch, size);
    return st;
}

/*
 * Applies the table's default of key k (each '\n'-separated item of a list)
 * with the origin "default".  A default that cannot be had (a "~" path
 * without HOME, or too long) leaves the value as it is.  FG_OK or FG_NOMEM.
 */
static fg_status_t apply_default(fg_config_t *c, key_id_t k) {
    const char *def = keys[k].def;
    if (!def)
        return FG_OK;
    char msg[FG_PATH_MAX + 256], item[FG_PATH_MAX];
    bool first = true;
    do {
        size_t n = strcspn(def, "\n");
        if (n >= sizeof item)
            return FG_OK;
        memcpy(item, def, n);
        item[n] = '\0';
        fg_status_t st = apply_value(c, k, item, first, ORIGIN_DEFAULT, msg, sizeof msg);
        if (st == FG_NOMEM)
            return st;
        first = false;
        def += n + (def[n] == '\n');
    } while (*def);
    return FG_OK;
}

/* Fills w with the default weights: the table's defaults of the *_weight
 * keys, chosen on the man-page dev set (bench/quality). */
void fg_rank_weights_default(fg_rank_weights_t *w) {
    const size_t base = offsetof(fg_config_t, weights);
    memset(w, 0, sizeof *w);
    for (int k = 0; k < K_COUNT; k++) {
        double v;
        if (keys[k].kind == KIND_NUMBER && keys[k].offset >= base &&
            keys[k].offset < base + sizeof *w && keys[k].def && parse_number(keys[k].def, &v))
            memcpy((char *)w + (keys[k].offset - base), &v, sizeof v);
    }
}

/* ------------------------------------------------------------- the file */

/* The state of one fg_config_load_file(), shared by the reader and handler. */
typedef struct parse_ctx {
    fg_config_t *cfg; /* the copy being changed */
    const char *path; /* the file, for messages and origins */
    FILE *fp;
    char *buf; /* getline() buffer */
    size_t cap;
    int line;                /* the physical line last handed to inih */
    bool key_seen;           /* a key line since the last section header */
    bool continuation;       /* the current line continues the previous key */
    int first_line[K_COUNT]; /* where each key first appeared in this file */
    int read_errno;          /* errno of a failed read, 0 if none */
    fg_status_t status;      /* the first error, FG_OK if none */
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
    while (*s && !strchr(chars, *s) && !(was_space && strchr(INI_INLINE_COMMENT_PREFIXES, *s))) {
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
    if (!keys[k].pub.repeatable && continuation) {
        parse_fail(ctx, FG_CONFIG, "indented line continues '%s', which takes a single value",
                   name);
        return 0;
    }
    if (!keys[k].pub.repeatable && ctx->first_line[k]) {
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
 * Sets every value to its default: the table's, parsed as a file's values
 * are, over fg_analysis_settings_default() (for analysis fields the table
 * does not name).  The paths need $HOME (the index also $XDG_DATA_HOME when
 * set to an absolute path); without HOME the watch folder list stays empty,
 * and so does index_path unless XDG_DATA_HOME gives it.  c must own nothing.
 * Returns FG_OK, FG_NOMEM (c then owns nothing), or FG_INVALID for a NULL c.
 */
fg_status_t fg_config_init(fg_config_t *c) {
    if (!c)
        return FG_INVALID;
    memset(c, 0, sizeof *c);
    fg_analysis_settings_default(&c->analysis);

    const char *home = home_dir();
    const char *data = xdg_dir("XDG_DATA_HOME");
    int n = 0;
    if (data)
        n = snprintf(c->index_path, sizeof c->index_path, "%s/fundgrube/index", data);
    else if (home)
        n = snprintf(c->index_path, sizeof c->index_path, "%s/.local/share/fundgrube/index", home);
    if (n < 0 || (size_t)n >= sizeof c->index_path)
        c->index_path[0] = '\0';

    c->origins = calloc(K_COUNT, sizeof *c->origins);
    if (!c->origins)
        return FG_NOMEM;
    c->n_origins = K_COUNT;
    fg_status_t st = FG_OK;
    for (int k = 0; k < K_COUNT && st == FG_OK; k++)
        st = set_where(c, (key_id_t)k, ORIGIN_DEFAULT);
    for (int k = 0; k < K_COUNT && st == FG_OK; k++)
        st = apply_default(c, (key_id_t)k);
    if (st != FG_OK)
        fg_config_free(c);
    return st;
}

/* Frees what c owns and zeroes it; safe on a zeroed or already freed c. */
void fg_config_free(fg_config_t *c) {
    if (!c)
        return;
    for (int k = 0; k < K_COUNT; k++)
        if (keys[k].pub.repeatable)
            fg_strlist_free(key_list(c, (key_id_t)k));
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
fg_status_t fg_config_set(fg_config_t *c, const char *section, const char *key, const char *value,
                          fg_config_source_t source, char *err, size_t errlen) {
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
 * Calls fn for every key of the table in its order, with the value as its
 * kind prints it (a size with its largest exact suffix, booleans as yes/no,
 * numbers with a '.') and its origin.  A repeatable key is reported once per
 * item with the item's origin, or once with "" and the list's origin when it
 * is empty.
 */
void fg_config_foreach(const fg_config_t *c, fg_config_entry_fn fn, void *ctx) {
    if (!c || !fn)
        return;
    char buf[FG_PATH_MAX + 64];
    for (int k = 0; k < K_COUNT; k++) {
        const struct fg_config_origin *o =
            (size_t)k < c->n_origins && c->origins ? &c->origins[k] : NULL;
        const char *where = o && o->where ? o->where : ORIGIN_DEFAULT;
        const char *sec = keys[k].pub.section, *name = keys[k].pub.name;
        const fg_strlist_t *l = key_list_const(c, (key_id_t)k);
        if (l) {
            if (l->count == 0)
                fn(ctx, sec, name, "", where);
            for (size_t i = 0; i < l->count; i++) {
                const char *w = o && i < o->count && o->items[i] ? o->items[i] : where;
                fn(ctx, sec, name, l->items[i], w);
            }
            continue;
        }
        const char *value =
            kinds[keys[k].kind].format(field_of_const(c, (key_id_t)k), buf, sizeof buf);
        fn(ctx, sec, name, value, where);
    }
}

/* Expands a leading "~/" (or a lone "~") with $HOME into buf; other paths are
 * copied.  Returns FG_OK, or FG_INVALID when too long, HOME is needed but
 * unset, out of memory, or an argument is NULL (buf then holds "" when it has
 * room). */
fg_status_t fg_config_expand_path(const char *in, char *buf, size_t buflen) {
    if (!buf || buflen == 0)
        return FG_INVALID;
    buf[0] = '\0';
    if (!in)
        return FG_INVALID;
    char *path = fg_path_expand_home(in, home_dir());
    bool ok = path && strlen(path) < buflen;
    if (ok)
        memcpy(buf, path, strlen(path) + 1);
    free(path);
    return ok ? FG_OK : FG_INVALID;
}
