/*
 * settings.c - analysis settings: defaults, canonical text, parsing, diff.
 *
 * The canonical text has eleven fields in a fixed order, separated by ';':
 *   language=NAME;stemming=0|1;stopwords=default|off|file:PATH:sha=HEX;
 *   decompound=0|1;dictionary=|PATH:sha=HEX;min_part=N;umlauts=0|1;
 *   gender=0|1;protected=0|1;protected_file=|PATH:sha=HEX;latin_plurals=0|1
 * NAME is the Snowball algorithm name, lower-case, with ISO 639 codes mapped
 * to it ("de" -> "german").  HEX is the FNV-1a 64 hash of the file's bytes
 * (16 lower-case hex digits): editing a file changes the text.  In a PATH,
 * '%' is written "%25" and ';' "%3B", so a path may contain any character.
 *
 * Settings that analyse alike serialise alike: for a language other than
 * german/german2 every German feature is written as off (min_part 3, no
 * files); without stemming, protected words and Latin plurals are off (they
 * only change stems); the dictionary is written only when decompounding or
 * umlaut handling uses it, min_part only when decompounding is on, the
 * protected file only when protected words are on.
 *
 * Older indexes recorded only the first three fields, with a raw stop-word
 * PATH running to the end of the text.  Such a text still parses: it names
 * an index built without any of the German features, so they read as off.
 */
#include <libstemmer.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/message.h"
#include "stemmers/internal.h"

/* ISO 639-1/-2 codes libstemmer 2.2 accepts, and the algorithm each names. */
static const struct {
    const char *code;
    const char *name;
} language_aliases[] = {
    {"ar", "arabic"},     {"ara", "arabic"},     {"hy", "armenian"},   {"hye", "armenian"},
    {"arm", "armenian"},  {"eu", "basque"},      {"eus", "basque"},    {"baq", "basque"},
    {"ca", "catalan"},    {"cat", "catalan"},    {"da", "danish"},     {"dan", "danish"},
    {"nl", "dutch"},      {"dut", "dutch"},      {"nld", "dutch"},     {"en", "english"},
    {"eng", "english"},   {"fi", "finnish"},     {"fin", "finnish"},   {"fr", "french"},
    {"fre", "french"},    {"fra", "french"},     {"de", "german"},     {"ger", "german"},
    {"deu", "german"},    {"el", "greek"},       {"gre", "greek"},     {"ell", "greek"},
    {"hi", "hindi"},      {"hin", "hindi"},      {"hu", "hungarian"},  {"hun", "hungarian"},
    {"id", "indonesian"}, {"ind", "indonesian"}, {"ga", "irish"},      {"gle", "irish"},
    {"it", "italian"},    {"ita", "italian"},    {"lt", "lithuanian"}, {"lit", "lithuanian"},
    {"ne", "nepali"},     {"nep", "nepali"},     {"no", "norwegian"},  {"nor", "norwegian"},
    {"pt", "portuguese"}, {"por", "portuguese"}, {"ro", "romanian"},   {"rum", "romanian"},
    {"ron", "romanian"},  {"ru", "russian"},     {"rus", "russian"},   {"sr", "serbian"},
    {"srp", "serbian"},   {"es", "spanish"},     {"esl", "spanish"},   {"spa", "spanish"},
    {"sv", "swedish"},    {"swe", "swedish"},    {"ta", "tamil"},      {"tam", "tamil"},
    {"tr", "turkish"},    {"tur", "turkish"},    {"yi", "yiddish"},    {"yid", "yiddish"},
};

/* Canonicalises a language name into out (see internal.h).  Returns true
 * when libstemmer has an algorithm of that name. */
bool fg_language_canonical(const char *language, char out[FG_LANGUAGE_MAX]) {
    size_t n = 0;
    for (; language[n] && n < FG_LANGUAGE_MAX - 1; n++)
        out[n] = fg_ascii_tolower(language[n]);
    out[n] = '\0';
    if (language[n] != '\0' || n == 0)
        return false; /* too long or empty: no algorithm has such a name */
    for (size_t i = 0; i < sizeof language_aliases / sizeof language_aliases[0]; i++) {
        if (strcmp(out, language_aliases[i].code) == 0) {
            snprintf(out, FG_LANGUAGE_MAX, "%s", language_aliases[i].name);
            break;
        }
    }
    for (const char **l = sb_stemmer_list(); *l; l++)
        if (strcmp(*l, out) == 0)
            return true;
    return false;
}

/* Fills *s with german, stemming on, default stop words. */
void fg_analysis_settings_default(fg_analysis_settings_t *s) {
    memset(s, 0, sizeof *s);
    snprintf(s->language, sizeof s->language, "german");
    s->stemming = true;
    s->stopwords = FG_STOPWORDS_DEFAULT;
    s->decompound = true;
    s->min_part = 3;
    s->umlauts = true;
    s->gender = true;
    s->protected_words = true;
    s->latin_plurals = true;
}

/* True when the German features apply to a canonical language name. */
bool fg_language_is_german(const char *language) {
    return strcmp(language, "german") == 0 || strcmp(language, "german2") == 0;
}

/* Appends len bytes to b.  Returns FG_OK or FG_NOMEM. */
static fg_status_t buf_add(fg_buf_t *b, const char *s, size_t len) {
    if (fg_buf_reserve(b, len + 1) != FG_OK)
        return FG_NOMEM;
    memcpy(b->p + b->len, s, len);
    b->len += len;
    b->p[b->len] = '\0';
    return FG_OK;
}

/* Appends a NUL-terminated string to b.  Returns FG_OK or FG_NOMEM. */
static fg_status_t buf_str(fg_buf_t *b, const char *s) {
    return buf_add(b, s, strlen(s));
}

/* Appends a path with '%' written "%25" and ';' written "%3B".  Returns FG_OK
 * or FG_NOMEM. */
static fg_status_t buf_path(fg_buf_t *b, const char *path) {
    fg_status_t st = FG_OK;
    for (const char *p = path; *p && st == FG_OK; p++) {
        if (*p == '%')
            st = buf_str(b, "%25");
        else if (*p == ';')
            st = buf_str(b, "%3B");
        else
            st = buf_add(b, p, 1);
    }
    return st;
}

/* Appends "PATH:sha=HEX" for a file (escaped path, FNV-1a 64 of its bytes).
 * Returns FG_OK, FG_NOMEM, or FG_IO with err naming the file. */
static fg_status_t buf_file(fg_buf_t *b, const char *path, char *err, size_t errlen) {
    char *data;
    size_t len;
    fg_status_t st = fg_read_file(path, &data, &len, err, errlen);
    if (st != FG_OK)
        return st;
    uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, data, len);
    free(data);
    char hash[32];
    snprintf(hash, sizeof hash, ":sha=%016llx", (unsigned long long)h);
    st = buf_path(b, path);
    return st == FG_OK ? buf_str(b, hash) : st;
}

/* Serialises s into *out (malloc'ed; see analysis.h and the top of this
 * file).  Returns FG_OK, FG_NOMEM, or FG_IO with err naming an unreadable
 * stop-word, dictionary or protected-words file. */
fg_status_t fg_analysis_settings_serialize(const fg_analysis_settings_t *s, char **out, char *err,
                                           size_t errlen) {
    char lang[FG_LANGUAGE_MAX];
    *out = NULL;
    fg_language_canonical(s->language, lang);
    bool german = fg_language_is_german(lang);
    bool decompound = german && s->decompound;
    bool umlauts = german && s->umlauts;
    bool gender = german && s->gender;
    bool protect = german && s->stemming && s->protected_words;
    bool latin = german && s->stemming && s->latin_plurals;
    unsigned min_part = decompound ? s->min_part : 3;
    char num[32];

    fg_buf_t b = {0};
    fg_status_t st = buf_str(&b, "language=");
    if (st == FG_OK)
        st = buf_str(&b, lang);
    if (st == FG_OK)
        st = buf_str(&b, s->stemming ? ";stemming=1;stopwords=" : ";stemming=0;stopwords=");
    if (st == FG_OK) {
        if (s->stopwords == FG_STOPWORDS_OFF) {
            st = buf_str(&b, "off");
        } else if (s->stopwords == FG_STOPWORDS_FILE) {
            st = buf_str(&b, "file:");
            if (st == FG_OK)
                st = buf_file(&b, s->stopword_file, err, errlen);
        } else {
            st = buf_str(&b, "default");
        }
    }
    if (st == FG_OK)
        st = buf_str(&b, decompound ? ";decompound=1;dictionary=" : ";decompound=0;dictionary=");
    if (st == FG_OK && (decompound || umlauts) && s->dictionary[0])
        st = buf_file(&b, s->dictionary, err, errlen);
    snprintf(num, sizeof num, ";min_part=%u", min_part);
    if (st == FG_OK)
        st = buf_str(&b, num);
    if (st == FG_OK)
        st = buf_str(&b, umlauts ? ";umlauts=1" : ";umlauts=0");
    if (st == FG_OK)
        st = buf_str(&b, gender ? ";gender=1" : ";gender=0");
    if (st == FG_OK)
        st = buf_str(&b, protect ? ";protected=1;protected_file=" : ";protected=0;protected_file=");
    if (st == FG_OK && protect && s->protected_file[0])
        st = buf_file(&b, s->protected_file, err, errlen);
    if (st == FG_OK)
        st = buf_str(&b, latin ? ";latin_plurals=1" : ";latin_plurals=0");
    if (st != FG_OK) {
        fg_buf_free(&b);
        if (st == FG_NOMEM)
            fg_message(err, errlen, "out of memory");
        return st;
    }
    *out = b.p;
    return FG_OK;
}

/* The fields of the canonical text, in order. */
enum {
    F_LANGUAGE,
    F_STEMMING,
    F_STOPWORDS,
    F_DECOMPOUND,
    F_DICTIONARY,
    F_MIN_PART,
    F_UMLAUTS,
    F_GENDER,
    F_PROTECTED,
    F_PROTECTED_FILE,
    F_LATIN_PLURALS,
    F_COUNT
};

static const char *const field_names[F_COUNT] = {
    "language", "stemming", "stopwords", "decompound",     "dictionary",   "min_part",
    "umlauts",  "gender",   "protected", "protected_file", "latin_plurals"};

/* What a text of the older three-field format means for the later fields:
 * an index built before they existed, so without the German features. */
static const char *const legacy_values[F_COUNT] = {NULL, NULL, NULL, "0", "", "3",
                                                   "0",  "0",  "0",  "",  "0"};

/* Which fields hold 0/1 (shown as off/on by the diff). */
static const bool field_is_bool[F_COUNT] = {false, true, false, true,  false, false,
                                            true,  true, true,  false, true};

/* The raw field values of a canonical text. */
typedef struct fields {
    const char *v[F_COUNT];
    size_t len[F_COUNT];
    bool legacy; /* the older three-field format */
} fields_t;

/* Splits text into its fields without judging the values.  Returns NULL on
 * success, else the name of the first field that is missing or misplaced. */
static const char *split(const char *text, fields_t *f) {
    const char *p = text;
    f->legacy = false;
    for (int k = 0; k < F_COUNT; k++) {
        size_t n = strlen(field_names[k]);
        if (k > 0 && *p++ != ';')
            return field_names[k];
        if (strncmp(p, field_names[k], n) != 0 || p[n] != '=')
            return field_names[k];
        p += n + 1;
        f->v[k] = p;
        p += strcspn(p, ";");
        if (k == F_STOPWORDS && (*p != ';' || strncmp(p + 1, "decompound=", 11) != 0)) {
            /* the older format: the stop-word field runs to the end */
            f->len[k] = strlen(f->v[k]);
            for (int j = k + 1; j < F_COUNT; j++) {
                f->v[j] = legacy_values[j];
                f->len[j] = strlen(legacy_values[j]);
            }
            f->legacy = true;
            return NULL;
        }
        f->len[k] = (size_t)(p - f->v[k]);
    }
    return *p ? field_names[F_LATIN_PLURALS] : NULL;
}

/* True when c is a lower-case hex digit. */
static bool is_hex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* Parses a 0/1 field into *out.  Returns false when it is neither. */
static bool parse_flag(const fields_t *f, int k, bool *out) {
    if (f->len[k] != 1 || (f->v[k][0] != '0' && f->v[k][0] != '1'))
        return false;
    *out = f->v[k][0] == '1';
    return true;
}

/* Copies a path of n bytes into out (FG_PATH_MAX), undoing the escapes when
 * escaped is set.  Returns false for a bad escape or a path too long. */
static bool unescape_path(const char *s, size_t n, bool escaped, char out[FG_PATH_MAX]) {
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (escaped && c == '%') {
            if (n - i >= 3 && memcmp(s + i, "%25", 3) == 0)
                c = '%';
            else if (n - i >= 3 && memcmp(s + i, "%3B", 3) == 0)
                c = ';';
            else
                return false;
            i += 2;
        }
        if (o + 1 >= FG_PATH_MAX)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

/* Parses "PATH:sha=HEX" (n bytes at s; the last ":sha=" counts) into out.
 * Returns false when it is not of that form. */
static bool parse_file_value(const char *s, size_t n, bool escaped, char out[FG_PATH_MAX]) {
    static const char k_sha[] = ":sha=";
    const size_t kl = sizeof k_sha - 1;
    if (n < kl + 16 + 1)
        return false;
    const char *sha = s + n - 16 - kl;
    if (memcmp(sha, k_sha, kl) != 0)
        return false;
    for (int i = 0; i < 16; i++)
        if (!is_hex(sha[kl + (size_t)i]))
            return false;
    size_t plen = (size_t)(sha - s);
    return plen > 0 && unescape_path(s, plen, escaped, out);
}

/* Parses a canonical text, or one of the older three-field format, into
 * *out (see analysis.h).  Returns FG_OK or FG_INVALID with err naming the
 * field. */
fg_status_t fg_analysis_settings_parse(const char *text, fg_analysis_settings_t *out, char *err,
                                       size_t errlen) {
    fields_t f;
    fg_analysis_settings_t s;
    memset(&s, 0, sizeof s);
    const char *bad = text ? split(text, &f) : "language";
    if (bad) {
        fg_message(err, errlen, "%s: field missing or out of place in '%s'", bad, text ? text : "");
        return FG_INVALID;
    }

    const char *lv = f.v[F_LANGUAGE];
    size_t ll = f.len[F_LANGUAGE];
    bool ok = ll > 0 && ll < FG_LANGUAGE_MAX;
    for (size_t i = 0; ok && i < ll; i++)
        ok = (lv[i] >= 'a' && lv[i] <= 'z') || (lv[i] >= '0' && lv[i] <= '9') || lv[i] == '_';
    if (!ok) {
        fg_message(err, errlen, "language: invalid name '%.*s'", (int)ll, lv);
        return FG_INVALID;
    }
    memcpy(s.language, lv, ll);

    static const struct {
        int field;
        size_t offset;
    } flags[] = {
        {F_STEMMING, offsetof(fg_analysis_settings_t, stemming)},
        {F_DECOMPOUND, offsetof(fg_analysis_settings_t, decompound)},
        {F_UMLAUTS, offsetof(fg_analysis_settings_t, umlauts)},
        {F_GENDER, offsetof(fg_analysis_settings_t, gender)},
        {F_PROTECTED, offsetof(fg_analysis_settings_t, protected_words)},
        {F_LATIN_PLURALS, offsetof(fg_analysis_settings_t, latin_plurals)},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        int k = flags[i].field;
        if (!parse_flag(&f, k, (bool *)((char *)&s + flags[i].offset))) {
            fg_message(err, errlen, "%s: expected 0 or 1, found '%.*s'", field_names[k],
                       (int)f.len[k], f.v[k]);
            return FG_INVALID;
        }
    }

    const char *sv = f.v[F_STOPWORDS];
    size_t sl = f.len[F_STOPWORDS];
    if (sl == 7 && memcmp(sv, "default", 7) == 0) {
        s.stopwords = FG_STOPWORDS_DEFAULT;
    } else if (sl == 3 && memcmp(sv, "off", 3) == 0) {
        s.stopwords = FG_STOPWORDS_OFF;
    } else if (sl > 5 && memcmp(sv, "file:", 5) == 0 &&
               parse_file_value(sv + 5, sl - 5, !f.legacy, s.stopword_file)) {
        s.stopwords = FG_STOPWORDS_FILE;
    } else {
        fg_message(err, errlen,
                   "stopwords: expected 'default', 'off' or 'file:PATH:sha=HEX', found '%.*s'",
                   (int)sl, sv);
        return FG_INVALID;
    }

    static const struct {
        int field;
        size_t offset;
    } files[] = {
        {F_DICTIONARY, offsetof(fg_analysis_settings_t, dictionary)},
        {F_PROTECTED_FILE, offsetof(fg_analysis_settings_t, protected_file)},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        int k = files[i].field;
        if (f.len[k] && !parse_file_value(f.v[k], f.len[k], true, (char *)&s + files[i].offset)) {
            fg_message(err, errlen, "%s: expected nothing or 'PATH:sha=HEX', found '%.*s'",
                       field_names[k], (int)f.len[k], f.v[k]);
            return FG_INVALID;
        }
    }

    unsigned mp = 0;
    ok = f.len[F_MIN_PART] > 0 && f.len[F_MIN_PART] <= 2;
    for (size_t i = 0; ok && i < f.len[F_MIN_PART]; i++) {
        char c = f.v[F_MIN_PART][i];
        ok = c >= '0' && c <= '9';
        mp = mp * 10 + (unsigned)(c - '0');
    }
    if (!ok || mp == 0) {
        fg_message(err, errlen, "min_part: expected a number from 1 to 99, found '%.*s'",
                   (int)f.len[F_MIN_PART], f.v[F_MIN_PART]);
        return FG_INVALID;
    }
    s.min_part = mp;
    *out = s;
    return FG_OK;
}

/* Appends a formatted text to buf (size buflen) at *used, truncating. */
static void append(char *buf, size_t buflen, size_t *used, const char *fmt, ...) {
    if (!buf || *used + 1 >= buflen)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *used, buflen - *used, fmt, ap);
    va_end(ap);
    if (n > 0)
        *used = *used + (size_t)n < buflen ? *used + (size_t)n : buflen - 1;
}

/* Appends "name: index has 'A', configuration has 'B'" to buf, preceded by
 * "; " when it is not the first difference. */
static void describe(char *buf, size_t buflen, size_t *used, const char *name, const char *a,
                     size_t alen, const char *b, size_t blen) {
    append(buf, buflen, used, "%s%s: index has '%.*s', configuration has '%.*s'", *used ? "; " : "",
           name, (int)alen, a, (int)blen, b);
}

/* Replaces a 0/1 value (*v, *len) by "off"/"on". */
static void on_off(const char **v, size_t *len) {
    if (*len == 1 && (**v == '0' || **v == '1')) {
        *v = **v == '1' ? "on" : "off";
        *len = strlen(*v);
    }
}

/* True when two file values name the same file ("[file:]PATH:sha=HEX") with
 * different hashes. */
static bool same_file_other_hash(const char *a, size_t alen, const char *b, size_t blen) {
    if (alen != blen || alen < 22)
        return false;
    return memcmp(a + alen - 21, ":sha=", 5) == 0 && memcmp(b + blen - 21, ":sha=", 5) == 0 &&
           memcmp(a, b, alen - 16) == 0;
}

/* Describes how two serialised settings differ (see analysis.h).  Every
 * differing field is named, separated by "; ", in the order of the text;
 * flags read on/off; a file whose path is the same but whose hash differs
 * is said to have changed.  A text of the older three-field format has the
 * later fields off (min_part 3).  Text that does not parse is compared as a
 * whole ("settings: ...").  Returns true when they differ; buf is "" when
 * they do not. */
bool fg_analysis_settings_diff(const char *index_text, const char *config_text, char *buf,
                               size_t buflen) {
    size_t used = 0;
    if (buf && buflen)
        buf[0] = '\0';
    if (!index_text)
        index_text = "";
    if (!config_text)
        config_text = "";
    if (strcmp(index_text, config_text) == 0)
        return false;

    fields_t a, b;
    if (split(index_text, &a) || split(config_text, &b)) {
        describe(buf, buflen, &used, "settings", index_text, strlen(index_text), config_text,
                 strlen(config_text));
        return true;
    }
    for (int k = 0; k < F_COUNT; k++) {
        const char *x = a.v[k], *y = b.v[k];
        size_t xl = a.len[k], yl = b.len[k];
        if (xl == yl && memcmp(x, y, xl) == 0)
            continue;
        bool changed = same_file_other_hash(x, xl, y, yl);
        if (field_is_bool[k]) {
            on_off(&x, &xl);
            on_off(&y, &yl);
        }
        describe(buf, buflen, &used, field_names[k], x, xl, y, yl);
        if (changed)
            append(buf, buflen, &used, " (the file's contents changed)");
    }
    if (used == 0) /* equal fields but different text (old and new format alike) */
        return false;
    return true;
}
