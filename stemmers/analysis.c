/*
 * analysis.c - the analyzer object: creation from settings, single words,
 * stop-word lookups.  The tokenizer itself, fg_analyze(), is in tokenize.c.
 */
#include <libstemmer.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/message.h"
#include "stemmers/compound.h"
#include "stemmers/internal.h"

/* Writes "unknown Snowball language 'X' (known: a, b, ...)" into err. */
static void unknown_language(const char *language, char *err, size_t errlen) {
    if (!err || errlen == 0)
        return;
    size_t used = 0;
    int n = snprintf(err, errlen, "unknown Snowball language '%s' (known:", language);
    used = n > 0 ? (size_t)n : 0;
    for (const char **l = sb_stemmer_list(); *l && used + 1 < errlen; l++) {
        n = snprintf(err + used, errlen - used, " %s", *l);
        used += n > 0 ? (size_t)n : 0;
    }
    if (used + 1 < errlen)
        snprintf(err + used, errlen - used, ")");
}

/* Fills the analyzer's stop set from the built-in list of its language.
 * Returns FG_OK or FG_NOMEM. */
static fg_status_t load_builtin(fg_analyzer_t *a) {
    const char *const *words;
    size_t n = fg_stopwords_builtin(a->settings.language, &words);
    fg_buf_t folded = {0};
    fg_status_t st = FG_OK;
    for (size_t i = 0; i < n && st == FG_OK; i++) {
        st = fg_fold_string(&folded, words[i], strlen(words[i]));
        if (st == FG_OK)
            st = fg_wordset_add(&a->stop, folded.p, folded.len);
    }
    fg_buf_free(&folded);
    return st;
}

/* Fills the analyzer's stop set from its stop-word file.  Returns FG_OK,
 * FG_NOMEM, or FG_IO with err naming the file. */
static fg_status_t load_file(fg_analyzer_t *a, char *err, size_t errlen) {
    char *data;
    size_t len;
    fg_status_t st = fg_read_file(a->settings.stopword_file, &data, &len, err, errlen);
    if (st != FG_OK)
        return st;
    st = fg_stopwords_parse(&a->stop, data, len);
    free(data);
    return st;
}

/* The compound dictionary as the lexicon of the umlaut handling (umlaut.c). */
static bool dict_lexicon(const void *ctx, const char *folded, size_t len) {
    return fg_compound_dict_has(ctx, folded, len);
}

/*
 * Loads the compound dictionary of a German analyzer (compound_dict.c): the file
 * settings.dictionary (a compiled dictionary or a plain word list), else the
 * built-in one.  An explicit dictionary that cannot be read is an error
 * (FG_IO, err names it); a missing built-in one only turns splitting off.
 * The dictionary also serves as the umlaut handling's lexicon.  Returns
 * FG_OK, FG_NOMEM or FG_IO.
 */
static fg_status_t load_compound(fg_analyzer_t *a, char *err, size_t errlen) {
    a->settings.dictionary[FG_PATH_MAX - 1] = '\0';
    if (a->settings.dictionary[0]) {
        fg_status_t st = fg_compound_dict_open(a->settings.dictionary, &a->compound, err, errlen);
        if (st == FG_CORRUPT)
            st = FG_IO; /* err names the file */
        if (st != FG_OK)
            return st;
    } else if (fg_compound_dict_builtin(&a->compound, NULL, 0) != FG_OK) {
        a->compound = NULL;
        return FG_OK;
    }
    a->lexicon_has = dict_lexicon;
    a->lexicon_ctx = a->compound;
    if (!a->settings.decompound)
        return FG_OK;
    a->decompound = true;
    return fg_stemcache_init(&a->split_cache, FG_STEMCACHE_ENTRIES);
}

/*
 * Creates an analyzer for the settings (see analysis.h).  The language name
 * is canonicalised first ("German", "de" -> "german").  Returns FG_OK,
 * FG_NOMEM, FG_INVALID for a NULL argument or an unknown language (err lists
 * the known ones), or FG_IO for an unreadable stop-word file (err names it).
 * On failure *out is NULL.
 */
fg_status_t fg_analyzer_new(const fg_analysis_settings_t *s, fg_analyzer_t **out, char *err,
                            size_t errlen) {
    if (!out)
        return FG_INVALID;
    *out = NULL;
    if (!s) {
        fg_message(err, errlen, "no analysis settings");
        return FG_INVALID;
    }
    fg_analyzer_t *a = calloc(1, sizeof *a);
    if (!a)
        return FG_NOMEM;
    a->settings = *s;
    a->settings.stopword_file[FG_PATH_MAX - 1] = '\0';
    a->settings.protected_file[FG_PATH_MAX - 1] = '\0';
    fg_status_t st = FG_OK;
    if (!fg_language_canonical(s->language, a->settings.language)) {
        unknown_language(a->settings.language, err, errlen);
        st = FG_INVALID;
    }
    if (st == FG_OK && s->stemming) {
        a->stemmer = sb_stemmer_new(a->settings.language, "UTF_8");
        if (!a->stemmer)
            st = FG_NOMEM; /* the language is known: only memory can fail */
    }
    a->german = st == FG_OK && fg_language_is_german(a->settings.language);
    if (st == FG_OK && a->german && a->stemmer && s->protected_words)
        st = fg_protected_load(a, err, errlen); /* protected.c */
    if (st == FG_OK && s->stopwords == FG_STOPWORDS_DEFAULT)
        st = load_builtin(a);
    else if (st == FG_OK && s->stopwords == FG_STOPWORDS_FILE)
        st = load_file(a, err, errlen);
    if (st == FG_OK && a->german && (s->decompound || s->umlauts))
        st = load_compound(a, err, errlen); /* compound.c */
    if (st == FG_OK)
        st = fg_stemcache_init(&a->cache, a->stemmer ? FG_STEMCACHE_ENTRIES : 0);
    if (st == FG_OK) {
        a->parts_cap = 8;
        a->parts = malloc(a->parts_cap * sizeof *a->parts);
        if (!a->parts || fg_buf_reserve(&a->fold, 256) || fg_buf_reserve(&a->term, 256) ||
            fg_buf_reserve(&a->stem, 256))
            st = FG_NOMEM;
    }
    if (st == FG_NOMEM)
        fg_message(err, errlen, "out of memory");
    if (st != FG_OK) {
        fg_analyzer_free(a);
        return st;
    }
    *out = a;
    return FG_OK;
}

/* Frees the analyzer and everything it owns; NULL is allowed. */
void fg_analyzer_free(fg_analyzer_t *a) {
    if (!a)
        return;
    if (a->stemmer)
        sb_stemmer_delete(a->stemmer);
    fg_wordset_free(&a->stop);
    fg_stemcache_free(&a->cache);
    fg_buf_free(&a->fold);
    fg_buf_free(&a->term);
    fg_buf_free(&a->stem);
    fg_buf_free(&a->word_fold);
    fg_buf_free(&a->word_stem);
    fg_protected_free(a->protect);
    fg_buf_free(&a->canon);
    fg_buf_free(&a->variant);
    fg_compound_dict_free(a->compound);
    fg_stemcache_free(&a->split_cache);
    fg_buf_free(&a->cterm);
    free(a->parts);
    free(a);
}

/* Replaces the stem cache by one of max_entries words, 0 to disable it (see
 * internal.h).  Returns FG_OK or FG_NOMEM (the cache is then disabled). */
fg_status_t fg_analyzer_set_stem_cache(fg_analyzer_t *a, size_t max_entries) {
    fg_stemcache_free(&a->cache);
    return fg_stemcache_init(&a->cache, max_entries);
}

/*
 * Case-folds a word and stems it (see analysis.h).  The whole input is folded,
 * without tokenizing: "E-Mail" gives "e-mail".  The results live in buffers
 * of their own, so this may be called from inside an fg_analyze() callback
 * without disturbing the token at hand.  folded and stem may be NULL.
 * Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_analyzer_word(fg_analyzer_t *a, const char *word, size_t len, const char **folded,
                             const char **stem) {
    if (folded)
        *folded = NULL;
    if (stem)
        *stem = NULL;
    if (fg_fold_string(&a->word_fold, word ? word : "", word ? len : 0) != FG_OK)
        return FG_NOMEM;
    bool nomem = false;
    if (a->german && a->settings.umlauts &&
        fg_umlaut_canonical(a, a->word_fold.p, a->word_fold.len, &a->canon, &nomem)) {
        a->word_fold.len = 0; /* "mueller" -> "müller", as fg_analyze() reads it */
        if (fg_buf_reserve(&a->word_fold, a->canon.len + 1) != FG_OK)
            return FG_NOMEM;
        memcpy(a->word_fold.p, a->canon.p, a->canon.len + 1);
        a->word_fold.len = a->canon.len;
    }
    if (nomem)
        return FG_NOMEM;
    if (folded)
        *folded = a->word_fold.p;
    if (!a->stemmer)
        return FG_OK;
    const sb_symbol *r =
        sb_stemmer_stem(a->stemmer, (const sb_symbol *)a->word_fold.p, (int)a->word_fold.len);
    if (!r)
        return FG_NOMEM;
    size_t rl = (size_t)sb_stemmer_length(a->stemmer);
    /* protected words and Latin plurals, as for a token (variants.c) */
    if (fg_stem_finish(a, a->word_fold.p, a->word_fold.len, (const char *)r, rl, &a->word_stem) !=
        FG_OK)
        return FG_NOMEM;
    if (stem)
        *stem = a->word_stem.p;
    return FG_OK;
}

/* True when the folded word is a stop word under this analyzer's settings. */
bool fg_analyzer_is_stopword(const fg_analyzer_t *a, const char *folded, size_t len) {
    if (!a || !folded || a->stop.count == 0)
        return false;
    return fg_wordset_has(&a->stop, folded, len, fg_fnv1a64(FG_FNV64_OFFSET, folded, len));
}
