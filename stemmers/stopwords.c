/*
 * stopwords.c - the stop-word lists: built-in ones and Snowball-format files.
 *
 * Built-in lists exist for german and english (porter, the original English
 * algorithm, shares english's).  Every other language has no built-in list,
 * so FG_STOPWORDS_DEFAULT flags no word there; use a file to get some.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stemmers/internal.h"

/* Returns the built-in list of a canonical language name (see internal.h). */
size_t fg_stopwords_builtin(const char *language, const char *const **words) {
    if (strcmp(language, "german") == 0) {
        *words = fg_stopwords_german;
        return fg_stopwords_german_count;
    }
    if (strcmp(language, "english") == 0 || strcmp(language, "porter") == 0) {
        *words = fg_stopwords_english;
        return fg_stopwords_english_count;
    }
    *words = NULL;
    return 0;
}

/* True for the ASCII white space that separates words in a list file. */
static bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Adds the folded words of a Snowball-format list to set (see internal.h).
 * Returns FG_OK or FG_NOMEM. */
fg_status_t fg_stopwords_parse(fg_wordset_t *set, const char *text, size_t len) {
    char *utf8 = NULL;
    size_t ulen = 0;
    if (fg_text_decode(text, len, &utf8, &ulen, NULL) != FG_OK)
        return FG_NOMEM;
    fg_buf_t folded = {0};
    fg_status_t st = FG_OK;
    size_t i = 0;
    while (i < ulen && st == FG_OK) {
        char c = utf8[i];
        if (c == '|') {
            while (i < ulen && utf8[i] != '\n')
                i++;
            continue;
        }
        if (is_space(c)) {
            i++;
            continue;
        }
        size_t start = i;
        while (i < ulen && !is_space(utf8[i]) && utf8[i] != '|')
            i++;
        st = fg_fold_string(&folded, utf8 + start, i - start);
        if (st == FG_OK && folded.len > 0)
            st = fg_wordset_add(set, folded.p, folded.len);
    }
    fg_buf_free(&folded);
    free(utf8);
    return st;
}

/* Reads the whole file at path (see internal.h).  Returns FG_OK, FG_NOMEM,
 * or FG_IO with err naming the file. */
fg_status_t fg_read_file(const char *path, char **data, size_t *len, char *err, size_t errlen) {
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (err && errlen)
            snprintf(err, errlen, "cannot open stop-word file '%s': %s", path, strerror(errno));
        return FG_IO;
    }
    fg_buf_t b = {0};
    fg_status_t st = FG_OK;
    for (;;) {
        if (fg_buf_reserve(&b, 65536) != FG_OK) {
            st = FG_NOMEM;
            break;
        }
        size_t n = fread(b.p + b.len, 1, b.cap - b.len - 1, f);
        b.len += n;
        if (n == 0)
            break;
    }
    if (st == FG_OK && ferror(f)) {
        if (err && errlen)
            snprintf(err, errlen, "cannot read stop-word file '%s': %s", path, strerror(errno));
        st = FG_IO;
    }
    fclose(f);
    if (st != FG_OK) {
        fg_buf_free(&b);
        return st;
    }
    b.p[b.len] = '\0';
    *data = b.p;
    *len = b.len;
    return FG_OK;
}
