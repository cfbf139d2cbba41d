/*
 * settings.c - analysis settings: defaults, canonical text, parsing, diff.
 *
 * The canonical text has three fields in a fixed order:
 *   language=NAME;stemming=0|1;stopwords=default|off|file:PATH:sha=HEX
 * NAME is the Snowball algorithm name, lower-case, with ISO 639 codes mapped
 * to it ("de" -> "german"), so settings that analyse alike serialise alike.
 * HEX is the FNV-1a 64 hash of the stop-word file's bytes (16 lower-case hex
 * digits): editing the file changes the text.  The stopwords field comes last
 * and runs to the end, so PATH may contain ';' and ':'.
 */
#include <libstemmer.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
}

/* Formats into err when there is room (err may be NULL). */
static void set_err(char *err, size_t errlen, const char *fmt, ...) {
    if (!err || errlen == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Serialises s into *out (malloc'ed; see analysis.h).  Returns FG_OK,
 * FG_NOMEM, or FG_IO with err naming an unreadable stop-word file. */
fg_status_t fg_analysis_settings_serialize(const fg_analysis_settings_t *s, char **out, char *err,
                                           size_t errlen) {
    char lang[FG_LANGUAGE_MAX];
    const char *kind = "default"; /* or "off", or "file:" followed by path and hash */
    const char *path = "";
    char hash[32] = "";
    *out = NULL;
    fg_language_canonical(s->language, lang);
    if (s->stopwords == FG_STOPWORDS_OFF) {
        kind = "off";
    } else if (s->stopwords == FG_STOPWORDS_FILE) {
        char *data;
        size_t len;
        fg_status_t st = fg_read_file(s->stopword_file, &data, &len, err, errlen);
        if (st != FG_OK)
            return st;
        uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, data, len);
        free(data);
        kind = "file:";
        path = s->stopword_file;
        snprintf(hash, sizeof hash, ":sha=%016llx", (unsigned long long)h);
    }
    static const char fmt[] = "language=%s;stemming=%d;stopwords=%s%s%s";
    int stem = s->stemming ? 1 : 0;
    int n = snprintf(NULL, 0, fmt, lang, stem, kind, path, hash);
    if (n < 0)
        return FG_NOMEM;
    char *text = malloc((size_t)n + 1);
    if (!text)
        return FG_NOMEM;
    snprintf(text, (size_t)n + 1, fmt, lang, stem, kind, path, hash);
    *out = text;
    return FG_OK;
}

/* The three raw field values of a canonical text. */
typedef struct fields {
    const char *language, *stemming, *stopwords;
    size_t language_len, stemming_len, stopwords_len;
} fields_t;

/* Splits text into its fields without judging the values.  Returns NULL on
 * success, else the name of the first field that is missing or misplaced. */
static const char *split(const char *text, fields_t *f) {
    static const char k_lang[] = "language=", k_stem[] = "stemming=", k_stop[] = "stopwords=";
    const char *p = text;
    if (strncmp(p, k_lang, sizeof k_lang - 1) != 0)
        return "language";
    p += sizeof k_lang - 1;
    f->language = p;
    p += strcspn(p, ";");
    f->language_len = (size_t)(p - f->language);
    if (*p++ != ';' || strncmp(p, k_stem, sizeof k_stem - 1) != 0)
        return "stemming";
    p += sizeof k_stem - 1;
    f->stemming = p;
    p += strcspn(p, ";");
    f->stemming_len = (size_t)(p - f->stemming);
    if (*p++ != ';' || strncmp(p, k_stop, sizeof k_stop - 1) != 0)
        return "stopwords";
    p += sizeof k_stop - 1;
    f->stopwords = p;
    f->stopwords_len = strlen(p);
    return NULL;
}

/* True when c is a lower-case hex digit. */
static bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

/* Parses a canonical text into *out (see analysis.h).  Returns FG_OK or
 * FG_INVALID with err naming the field. */
fg_status_t fg_analysis_settings_parse(const char *text, fg_analysis_settings_t *out, char *err,
                                       size_t errlen) {
    fields_t f;
    fg_analysis_settings_t s;
    memset(&s, 0, sizeof s);
    const char *bad = text ? split(text, &f) : "language";
    if (bad) {
        set_err(err, errlen, "%s: field missing or out of place in '%s'", bad, text ? text : "");
        return FG_INVALID;
    }

    if (f.language_len == 0 || f.language_len >= FG_LANGUAGE_MAX) {
        set_err(err, errlen, "language: invalid name '%.*s'", (int)f.language_len, f.language);
        return FG_INVALID;
    }
    for (size_t i = 0; i < f.language_len; i++) {
        char c = f.language[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            set_err(err, errlen, "language: invalid name '%.*s'", (int)f.language_len, f.language);
            return FG_INVALID;
        }
    }
    memcpy(s.language, f.language, f.language_len);

    if (f.stemming_len != 1 || (f.stemming[0] != '0' && f.stemming[0] != '1')) {
        set_err(err, errlen, "stemming: expected 0 or 1, found '%.*s'", (int)f.stemming_len,
                f.stemming);
        return FG_INVALID;
    }
    s.stemming = f.stemming[0] == '1';

    if (strcmp(f.stopwords, "default") == 0) {
        s.stopwords = FG_STOPWORDS_DEFAULT;
    } else if (strcmp(f.stopwords, "off") == 0) {
        s.stopwords = FG_STOPWORDS_OFF;
    } else {
        static const char k_file[] = "file:", k_sha[] = ":sha=";
        const char *sha = NULL;
        for (const char *q = strstr(f.stopwords, k_sha); q; q = strstr(q + 1, k_sha))
            sha = q;
        size_t plen = sha ? (size_t)(sha - f.stopwords) - (sizeof k_file - 1) : 0;
        bool ok = strncmp(f.stopwords, k_file, sizeof k_file - 1) == 0 && sha &&
                  sha >= f.stopwords + sizeof k_file - 1 && plen > 0 && plen < FG_PATH_MAX &&
                  strlen(sha + sizeof k_sha - 1) == 16;
        for (int i = 0; ok && i < 16; i++)
            ok = is_hex(sha[sizeof k_sha - 1 + i]);
        if (!ok) {
            set_err(err, errlen,
                    "stopwords: expected 'default', 'off' or 'file:PATH:sha=HEX', found '%s'",
                    f.stopwords);
            return FG_INVALID;
        }
        s.stopwords = FG_STOPWORDS_FILE;
        memcpy(s.stopword_file, f.stopwords + sizeof k_file - 1, plen);
    }
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

/* Describes how two serialised settings differ (see analysis.h).  Every
 * differing field is named, separated by "; "; stemming reads on/off; a stop
 * file whose path is the same but whose hash differs is said to have changed.
 * Text that does not parse is compared as a whole ("settings: ...").
 * Returns true when they differ; buf is "" when they do not. */
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
    if (a.language_len != b.language_len || memcmp(a.language, b.language, a.language_len))
        describe(buf, buflen, &used, "language", a.language, a.language_len, b.language,
                 b.language_len);
    if (a.stemming_len != b.stemming_len || memcmp(a.stemming, b.stemming, a.stemming_len)) {
        const char *x = a.stemming, *y = b.stemming;
        size_t xl = a.stemming_len, yl = b.stemming_len;
        if (xl == 1 && (*x == '0' || *x == '1')) {
            x = *x == '1' ? "on" : "off";
            xl = strlen(x);
        }
        if (yl == 1 && (*y == '0' || *y == '1')) {
            y = *y == '1' ? "on" : "off";
            yl = strlen(y);
        }
        describe(buf, buflen, &used, "stemming", x, xl, y, yl);
    }
    if (strcmp(a.stopwords, b.stopwords) != 0) {
        describe(buf, buflen, &used, "stopwords", a.stopwords, a.stopwords_len, b.stopwords,
                 b.stopwords_len);
        const char *sa = strstr(a.stopwords, ":sha="), *sb = strstr(b.stopwords, ":sha=");
        if (strncmp(a.stopwords, "file:", 5) == 0 && sa && sb &&
            sa - a.stopwords == sb - b.stopwords &&
            memcmp(a.stopwords, b.stopwords, (size_t)(sa - a.stopwords)) == 0)
            append(buf, buflen, &used, " (the file's contents changed)");
    }
    if (used == 0) /* equal fields but different text: cannot happen with split() */
        describe(buf, buflen, &used, "settings", index_text, strlen(index_text), config_text,
                 strlen(config_text));
    return true;
}
