/*
 * variants.c - glue of the spelling-variant features to the analyzer: the
 * stem of a token after Snowball (protected words, Latin plurals) and the
 * lexicon the umlaut handling asks.  The features themselves are in
 * umlaut.c, gender.c, latin.c and protected.c; tokenize.c delivers the
 * variant tokens.
 */
#include <string.h>

#include "stemmers/internal.h"

/* Sets the lexicon of the umlaut handling and empties the stem cache (see
 * internal.h). */
void fg_analyzer_set_lexicon(fg_analyzer_t *a, fg_lexicon_fn fn, const void *ctx) {
    a->lexicon_has = fn;
    a->lexicon_ctx = fn ? ctx : NULL;
    if (fg_analyzer_set_stem_cache(a, a->stemmer ? FG_STEMCACHE_ENTRIES : 0) != FG_OK)
        fg_analyzer_set_stem_cache(a, 0); /* a disabled cache cannot fail */
}

/*
 * The stem of a token: Snowball's stem sb[0..sblen) of the folded term, then
 * (German with the settings on) the protected words and, when no protected
 * word decided the stem, the Latin plural rules.  Writes the result into out
 * (NUL-terminated).  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_stem_finish(const fg_analyzer_t *a, const char *term, size_t len, const char *sb,
                           size_t sblen, fg_buf_t *out) {
    out->len = 0;
    if (fg_buf_reserve(out, sblen + 1) != FG_OK)
        return FG_NOMEM;
    memmove(out->p, sb, sblen);
    out->p[sblen] = '\0';
    out->len = sblen;
    if (!a->german)
        return FG_OK;
    if (a->protect) {
        bool decided = false;
        fg_status_t st = fg_protected_apply(a->protect, term, len, out, &decided);
        if (st != FG_OK || decided)
            return st;
    }
    if (a->settings.latin_plurals)
        out->len = fg_latin_plural_stem(out->p, out->len);
    return FG_OK;
}
