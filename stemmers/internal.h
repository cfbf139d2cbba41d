/*
 * internal.h - helpers shared by the files of stemmers/ (not a public API).
 *
 * The pieces: growable byte buffers, FNV-1a hashing, UTF-8 decoding and
 * character classes, Unicode full case folding (fold.c), a set of words
 * (wordset.c), the stop-word lists (stopwords.c), the stem cache
 * (stemcache.c), language names (settings.c) and the analyzer itself
 * (analysis.c, tokenize.c).
 */
#ifndef FG_STEMMERS_INTERNAL_H
#define FG_STEMMERS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/hash.h"
#include "stemmers/analysis.h"

struct sb_stemmer;

/* ------------------------------------------------------------ buffers */

/* A growable byte buffer; p is NULL until the first reservation. */
typedef struct fg_buf {
    char *p;
    size_t len;
    size_t cap;
} fg_buf_t;

/*
 * Makes room for extra more bytes after b->len (growing geometrically).
 * Returns FG_OK or FG_NOMEM (b is then unchanged).
 */
fg_status_t fg_buf_grow(fg_buf_t *b, size_t extra);

/* Makes room for extra more bytes; inline fast path of fg_buf_grow(). */
static inline fg_status_t fg_buf_reserve(fg_buf_t *b, size_t extra) {
    if (b->cap - b->len >= extra)
        return FG_OK;
    return fg_buf_grow(b, extra);
}

/* Frees the buffer's memory and empties it. */
void fg_buf_free(fg_buf_t *b);

/* ------------------------------------------------------------ hashing */

/* ------------------------------------------------------------ UTF-8 and classes */

/* Character classes used by the tokenizer. */
enum fg_char_class {
    FG_CC_OTHER = 0, /* separator: space, punctuation, symbols, controls, invalid */
    FG_CC_LETTER,    /* L*, and the non-decimal numbers Nl and No (Ⅻ, ², ½) */
    FG_CC_DIGIT,     /* Nd: decimal digits, the only ones that make numbers */
    FG_CC_MARK       /* M*: combining marks, kept inside a word */
};

/* Class of each ASCII byte (FG_CC_LETTER, FG_CC_DIGIT or FG_CC_OTHER). */
extern const unsigned char fg_ascii_class[128];

/* ASCII lower-case of c; other bytes are returned unchanged. */
static inline char fg_ascii_tolower(char c) {
    return (c >= 'A' && c <= 'Z') ? (char)(c + ('a' - 'A')) : c;
}

/*
 * Decodes the code point starting at s[0] (n > 0 bytes available) into *cp.
 * Returns the number of bytes it takes (1-4).  An invalid or truncated
 * sequence, an overlong form or a surrogate yields *cp = -1 and 1.
 */
static inline size_t fg_utf8_next(const unsigned char *s, size_t n, int32_t *cp) {
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        if (n >= 2 && (s[1] & 0xC0) == 0x80) {
            *cp = (int32_t)(((c & 0x1Fu) << 6) | (s[1] & 0x3Fu));
            return 2;
        }
    } else if (c >= 0xE0 && c <= 0xEF) {
        if (n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
            uint32_t v = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
            if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
                *cp = (int32_t)v;
                return 3;
            }
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        if (n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
            uint32_t v = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
                         (s[3] & 0x3Fu);
            if (v >= 0x10000 && v <= 0x10FFFF) {
                *cp = (int32_t)v;
                return 4;
            }
        }
    }
    *cp = -1;
    return 1;
}

/*
 * Encodes code point cp (0..0x10FFFF, not a surrogate) as UTF-8 into out.
 * Returns the number of bytes written (1-4).
 */
static inline size_t fg_utf8_encode(int32_t cp, char *out) {
    uint32_t c = (uint32_t)cp;
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Returns the tokenizer class (enum fg_char_class) of a non-ASCII code point. */
int fg_char_class_unicode(int32_t cp);

/* Returns the tokenizer class of any code point; -1 (invalid) is FG_CC_OTHER. */
static inline int fg_char_class(int32_t cp) {
    if (cp < 0)
        return FG_CC_OTHER;
    if (cp < 0x80)
        return fg_ascii_class[cp];
    return fg_char_class_unicode(cp);
}

/*
 * Appends the Unicode full case folding of code point cp (ASCII or not) to b,
 * UTF-8 encoded.  U+2019 (right single quotation mark) is appended as an ASCII
 * apostrophe, so "geht’s" and "geht's" fold alike.  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_fold_append(fg_buf_t *b, int32_t cp);

/*
 * Case-folds a whole string (every code point, no tokenizing; invalid bytes
 * and soft hyphens are dropped) into b, replacing its contents and adding a
 * NUL that b->len does not count.  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_fold_string(fg_buf_t *b, const char *s, size_t len);

/* ------------------------------------------------------------ decoding */

/*
 * True when valid UTF-8 text[0..n) is certainly in Unicode NFC (a quick
 * check, conservative: false means "maybe not", and fg_text_decode() then
 * runs the full normalisation).
 */
bool fg_nfc_quick_check(const char *text, size_t n);

/* ------------------------------------------------------------ word sets */

/* An open-addressing hash set of byte strings. */
typedef struct fg_wordset {
    uint32_t *slots; /* 0 = empty, else 1 + offset of the entry in pool */
    size_t mask;     /* slot count - 1 (a power of two), 0 while empty */
    size_t count;
    fg_buf_t pool; /* entries: uint32 length, the bytes, NUL */
} fg_wordset_t;

/* Adds a word (no-op when present).  Returns FG_OK or FG_NOMEM. */
fg_status_t fg_wordset_add(fg_wordset_t *set, const char *w, size_t len);

/* True when the word is in the set; hash is fg_fnv1a64(FG_FNV64_OFFSET, w, len). */
bool fg_wordset_has(const fg_wordset_t *set, const char *w, size_t len, uint64_t hash);

/* Frees the set's memory and empties it. */
void fg_wordset_free(fg_wordset_t *set);

/* ------------------------------------------------------------ stop words */

/*
 * Finds the built-in Snowball stop-word list of a canonical language name
 * (german, english; porter shares english's list).  Returns the word count
 * and sets *words, or returns 0 (and *words = NULL) when there is none.
 */
size_t fg_stopwords_builtin(const char *language, const char *const **words);

/* The built-in lists (stopwords_german.c, stopwords_english.c). */
extern const char *const fg_stopwords_german[];
extern const size_t fg_stopwords_german_count;
extern const char *const fg_stopwords_english[];
extern const size_t fg_stopwords_english_count;

/*
 * Adds the case-folded words of a stop-word list in Snowball's format to set:
 * '|' starts a comment that runs to the end of the line, words are separated
 * by white space (one a line, as a rule).  The text is first decoded by
 * fg_text_decode(), so a Latin-1 or UTF-16 file works too.  Returns FG_OK or
 * FG_NOMEM.
 */
fg_status_t fg_stopwords_parse(fg_wordset_t *set, const char *text, size_t len);

/*
 * Reads a whole file into *data (malloc'ed, NUL-terminated, the caller frees
 * it) and *len.  Returns FG_OK, FG_NOMEM, or FG_IO with err naming the file
 * and the reason.
 */
fg_status_t fg_read_file(const char *path, char **data, size_t *len, char *err, size_t errlen);

/* ------------------------------------------------------------ stem cache */

#define FG_STEMCACHE_ENTRIES 65536u /* default bound; the cache is emptied when full */
#define FG_STEMCACHE_KEY_MAX 64u    /* longer words are stemmed, not cached */

/* Map folded word -> (stem, stop flag); bounded, emptied when full. */
typedef struct fg_stemcache {
    uint64_t *slots;    /* 0 = empty, else (hash high 32 bits << 32) | (1 + arena offset) */
    size_t mask;        /* slot count - 1 */
    size_t count;       /* entries stored */
    size_t max_entries; /* bound; 0 disables the cache */
    char *arena;        /* entries: u8 key length, u8 stem length, u8 flags, key NUL stem NUL */
    size_t arena_len, arena_cap;
    uint64_t hits, misses, clears;
} fg_stemcache_t;

/*
 * Sets up a cache for up to max_entries words (0: a disabled cache that
 * never stores anything).  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_stemcache_init(fg_stemcache_t *c, size_t max_entries);

/* Frees the cache's memory. */
void fg_stemcache_free(fg_stemcache_t *c);

/*
 * Looks a folded word up.  Returns its stored stem (NUL-terminated, owned by
 * the cache, valid until the next fg_stemcache_put()) with *stem_len and
 * *flags, or NULL when absent.
 */
const char *fg_stemcache_get(fg_stemcache_t *c, const char *key, size_t key_len, uint64_t hash,
                             size_t *stem_len, unsigned *flags);

/*
 * Stores key -> (stem, flags), emptying the cache first when it is full.
 * Returns the cache's copy of the stem (valid until the next put), or NULL
 * when the word is not cacheable (too long, cache disabled).
 */
const char *fg_stemcache_put(fg_stemcache_t *c, const char *key, size_t key_len, uint64_t hash,
                             const char *stem, size_t stem_len, unsigned flags);

/* ------------------------------------------------------------ languages */

/*
 * Writes the canonical Snowball name of a language into out (size
 * FG_LANGUAGE_MAX): lower-cased, ISO 639 codes ("de", "deu", "ger") mapped to
 * the algorithm name ("german").  Returns true when libstemmer knows the
 * result; out is filled either way (with the lower-cased name when unknown).
 */
bool fg_language_canonical(const char *language, char out[FG_LANGUAGE_MAX]);

/* True when the German features apply to a canonical language name (german,
 * german2). */
bool fg_language_is_german(const char *language);

/* ------------------------------------------------------------ the analyzer */

/* One part of a (possibly hyphenated) word while it is being scanned. */
typedef struct fg_part {
    size_t src_off, src_end;   /* bytes in the analysed text */
    size_t fold_off, fold_end; /* bytes in fg_analyzer.fold */
    bool number;               /* decimal digits and separators only */
    bool cut;                  /* a piece of a longer run (FG_TOKEN_CUT) */
    size_t gender_base;        /* a gender form (Bürger*innen, LehrerIn): fold bytes of its
                                  base form (bürger), counted from fold_off; else 0 */
} fg_part_t;

/* A lexicon lookup: true when the folded word is a known word (umlaut.c asks
 * it whether "müller" is a word before reading "mueller" as "müller"). */
typedef bool (*fg_lexicon_fn)(const void *ctx, const char *folded, size_t len);

struct fg_protected; /* protected words (protected.c) */

struct fg_analyzer {
    fg_analysis_settings_t settings; /* language canonical */
    struct sb_stemmer *stemmer;      /* NULL when stemming is off */
    fg_wordset_t stop;               /* empty when no stop words apply */
    fg_stemcache_t cache;
    fg_buf_t fold; /* folded parts of the current word, back to back */
    fg_buf_t term; /* the current part's term, NUL-terminated */
    fg_buf_t stem; /* copy of a stem that is not cached */
    fg_part_t *parts;
    size_t parts_cap;
    bool cut_pending;              /* the last word was cut: the next one continues it */
    fg_buf_t word_fold, word_stem; /* results of fg_analyzer_word() */
    /* spelling variants (variants.c, umlaut.c, gender.c, latin.c, protected.c) */
    bool german;               /* the German features apply */
    fg_lexicon_fn lexicon_has; /* NULL: no lexicon, "ae" is never read as "ä" */
    const void *lexicon_ctx;
    struct fg_protected *protect; /* NULL when protected words are off */
    fg_buf_t canon;               /* a term with umlauts put back ("müller") */
    fg_buf_t variant;             /* the term of a variant token */

    /* decompounding (compound.c; the hook is in tokenize.c) */
    struct fg_compound_dict *compound; /* NULL when not German or no dictionary */
    bool decompound;                   /* settings.decompound, and a dictionary */
    fg_stemcache_t split_cache;        /* folded word -> its split, 4 bytes a part */
    fg_buf_t cterm;                    /* the term of a compound-part token */
};

/*
 * Replaces the analyzer's stem cache by one of max_entries words (0 disables
 * caching).  For benchmarks and tests.  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_analyzer_set_stem_cache(fg_analyzer_t *a, size_t max_entries);

/* ------------------------------------------------------------ spelling variants */

/*
 * Sets the lexicon the umlaut handling asks (fn NULL: none) and empties the
 * stem cache, whose stems may depend on it.  Used by analysis.c with the
 * compound dictionary, and by tests with a small lexicon of their own.
 */
void fg_analyzer_set_lexicon(fg_analyzer_t *a, fg_lexicon_fn fn, const void *ctx);

/*
 * umlaut.c: when the folded word term[0..len) contains "ae", "oe" or "ue",
 * is not itself in the analyzer's lexicon, and its spelling with ä/ö/ü is,
 * writes that spelling (NUL-terminated) into out and returns true ("mueller"
 * -> "müller").  False otherwise (no lexicon, or nothing to change).
 */
bool fg_umlaut_canonical(const fg_analyzer_t *a, const char *term, size_t len, fg_buf_t *out,
                         bool *nomem);

/* umlaut.c: true when the folded term contains ä, ö or ü. */
bool fg_umlaut_has(const char *term, size_t len);

/* umlaut.c: writes term with ä/ö/ü replaced by a/o/u (NUL-terminated) into
 * out.  Returns FG_OK or FG_NOMEM. */
fg_status_t fg_umlaut_weak(const char *term, size_t len, fg_buf_t *out);

/*
 * gender.c: at s[i], just after the letters of the word that starts at
 * s[off], looks for a gender suffix: a joiner ('*', ':', '/', "/-", U+00B7;
 * '_' or '(' with ')' after the suffix only after a capitalised word) then
 * "in" or "innen" (any case) and the end of the word.  Returns the bytes
 * the suffix takes in s (0: none) and sets *suffix to the folded "in" or
 * "innen" to append.
 */
size_t fg_gender_suffix(const unsigned char *s, size_t len, size_t off, size_t i,
                        const char **suffix);

/*
 * gender.c: true when the word s[off..end) ends in a Binnen-I form, "In" or
 * "Innen" after a lower-case letter ("BürgerInnen", "LehrerIn") with at
 * least two letters before; *suffix_bytes receives the byte length of that
 * ending (2 or 5).
 */
bool fg_gender_binnen_i(const unsigned char *s, size_t off, size_t end, size_t *suffix_bytes);

/*
 * latin.c: rewrites a Snowball German stem in place so that Latin-derived
 * singular and plural forms share it ("ministerium" and "ministeri" of
 * Ministerien both become "ministeri").  Returns the new length.
 */
size_t fg_latin_plural_stem(char *stem, size_t len);

/*
 * protected.c: loads the built-in protected words and the file of
 * settings.protected_file (when set) into a->protect, stemming them with
 * a->stemmer.  Returns FG_OK, FG_NOMEM, or FG_IO with err naming the file.
 */
fg_status_t fg_protected_load(fg_analyzer_t *a, char *err, size_t errlen);

/* protected.c: frees the protected words; NULL is allowed. */
void fg_protected_free(struct fg_protected *p);

/*
 * protected.c: when the folded term (or its tail, for a compound ending in a
 * protected word) is protected, replaces the Snowball stem in *stem
 * (NUL-terminated) by the protected one and sets *decided.  Returns FG_OK or
 * FG_NOMEM.
 */
fg_status_t fg_protected_apply(const struct fg_protected *p, const char *term, size_t len,
                               fg_buf_t *stem, bool *decided);

/* The built-in protected words (protected_german.c): "word" or "word stem". */
extern const char *const fg_protected_german[];
extern const size_t fg_protected_german_count;

/*
 * variants.c: the stem of a token: Snowball's stem sb[0..sblen) of the folded
 * term, then the protected words and the Latin plural rules as the settings
 * say.  Writes the result (NUL-terminated) into out.  Returns FG_OK or
 * FG_NOMEM.
 */
fg_status_t fg_stem_finish(const fg_analyzer_t *a, const char *term, size_t len, const char *sb,
                           size_t sblen, fg_buf_t *out);

#endif
