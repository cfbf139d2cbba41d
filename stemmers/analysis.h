/*
 * analysis.h - the analysis pipeline: bytes -> UTF-8 NFC -> tokens -> terms.
 *
 * One piece of code analyses documents at index time and queries at search
 * time.  The pipeline:
 *
 *   fg_text_decode()   input bytes -> valid UTF-8 in NFC.  A UTF-8 BOM is
 *                      dropped, a UTF-16 BOM is honoured, text that is not
 *                      valid UTF-8 is decoded as Windows-1252 (a superset of
 *                      ISO-8859-1 for printable text).
 *   fg_analyze()       UTF-8 NFC text -> tokens, each with its byte offset in
 *                      that text, its position, its case-folded form, its
 *                      Snowball stem and its stop-word flag.
 *
 * Tokens are runs of letters and digits (Unicode categories L*, N*, and the
 * combining marks M* inside them).  Numbers, dates and decimals stay one token
 * ("3,5", "24.12.2024", "1.000"); an apostrophe between letters stays inside
 * the word ("geht's"); a hyphenated word ("E-Mail", "Zentralasien-Deutschland")
 * yields each part (consecutive positions, FG_TOKEN_PART) and the parts joined
 * without hyphens ("email", FG_TOKEN_JOINED, at the position of the first
 * part).  Case folding is Unicode full case folding (so "Straße" -> "strasse",
 * matching Snowball, which replaces ß by ss itself); a capitalised word is
 * therefore stemmed exactly like its lower-case form.
 *
 * Ownership: the analyzer owns every string a token points to; they are valid
 * only during the callback.  An analyzer is not thread-safe: use one per thread.
 */
#ifndef FG_STEMMERS_ANALYSIS_H
#define FG_STEMMERS_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fundgrube/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- settings */

/* Stop-word modes of fg_analysis_settings_t.stopwords. */
typedef enum fg_stopword_mode {
    FG_STOPWORDS_OFF = 0, /* no word is flagged */
    FG_STOPWORDS_DEFAULT, /* the built-in Snowball list of the language */
    FG_STOPWORDS_FILE     /* one word per line from stopword_file; '|' starts a comment */
} fg_stopword_mode_t;

#define FG_LANGUAGE_MAX 32
#define FG_PATH_MAX 4096

/* What a user can tune about analysis; recorded in every index it builds. */
typedef struct fg_analysis_settings {
    char language[FG_LANGUAGE_MAX]; /* Snowball algorithm name, e.g. "german" */
    bool stemming;                  /* false: no stems are produced */
    fg_stopword_mode_t stopwords;
    char stopword_file[FG_PATH_MAX]; /* used when stopwords == FG_STOPWORDS_FILE */

    /* German features (each ignored for languages other than german/german2) */
    bool decompound;                  /* split compounds, keeping the whole word */
    char dictionary[FG_PATH_MAX];     /* word list for splitting; "" = the built-in one */
    unsigned min_part;                /* shortest compound part, in characters */
    bool umlauts;                     /* ae/oe/ue read as ä/ö/ü where the lexicon says so,
                                         and "weak" variants without umlauts (Muller) */
    bool gender;                      /* Bürger*innen, Bürger:innen, BürgerInnen ... */
    bool protected_words;             /* stems of the protected-words list win over Snowball's
                                         over-stemming (Sicherheit, Bürger, schön ...) */
    char protected_file[FG_PATH_MAX]; /* extra protected words, one per line; "" = none */
    bool latin_plurals;               /* Ministerium/Ministerien, Museum/Museen ... one stem */
} fg_analysis_settings_t;

/* Fills *s with the defaults: german, stemming on, default stop words, every German
 * feature on (decompound with the built-in dictionary, min_part 3). */
void fg_analysis_settings_default(fg_analysis_settings_t *s);

/*
 * Serialises the settings into a canonical one-line text, e.g.
 *   "language=german;stemming=1;stopwords=default"
 * (with "stopwords=file:PATH:sha=HEX" for a file, so a changed file counts as a
 * change).  *out is malloc'ed; the caller frees it.  Two settings that analyse
 * alike serialise alike.  Returns FG_OK, FG_NOMEM, or FG_IO when the stop-word
 * file cannot be read (err then names the file).
 */
fg_status_t fg_analysis_settings_serialize(const fg_analysis_settings_t *s, char **out, char *err,
                                           size_t errlen);

/*
 * Parses text produced by fg_analysis_settings_serialize() into *out.
 * Returns FG_OK or FG_INVALID (err says which field).
 */
fg_status_t fg_analysis_settings_parse(const char *text, fg_analysis_settings_t *out, char *err,
                                       size_t errlen);

/*
 * Describes how two serialised settings differ, e.g.
 * "stopwords: index has 'default', configuration has 'off'", into buf.
 * Returns true when they differ.
 */
bool fg_analysis_settings_diff(const char *index_text, const char *config_text, char *buf,
                               size_t buflen);

/* ---------------------------------------------------------------- decoding */

/* Which encoding fg_text_decode() found. */
typedef enum fg_encoding {
    FG_ENC_UTF8 = 0,
    FG_ENC_UTF8_BOM,
    FG_ENC_UTF16LE,
    FG_ENC_UTF16BE,
    FG_ENC_CP1252
} fg_encoding_t;

/* Returns a static name for an encoding ("UTF-8", "Windows-1252", ...). */
const char *fg_encoding_name(fg_encoding_t enc);

/*
 * Decodes len bytes into NUL-terminated UTF-8 in Unicode NFC.  *out is
 * malloc'ed (the caller frees it), *outlen excludes the NUL.  enc (may be
 * NULL) receives the encoding found.  NUL bytes in the input are replaced by
 * spaces.  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_text_decode(const char *bytes, size_t len, char **out, size_t *outlen,
                           fg_encoding_t *enc);

/* ---------------------------------------------------------------- analysis */

/* Token flags. */
#define FG_TOKEN_STOP 0x1u   /* the folded form is a stop word */
#define FG_TOKEN_NUMBER 0x2u /* digits (with . , separators), not stemmed */
#define FG_TOKEN_PART 0x4u   /* one part of a hyphenated word */
#define FG_TOKEN_JOINED 0x8u /* the parts of a hyphenated word joined */
#define FG_TOKEN_COMPOUND_PART                                                                     \
    0x10u /* a part of the compound delivered just before it, at the                               \
             same position; offset/length: the part's bytes in the                                 \
             text where they can be told, else the whole word's */
#define FG_TOKEN_VARIANT                                                                           \
    0x20u /* another spelling of the word delivered just before it, at the                         \
             same position (gender base form "bürger" of "bürgerinnen") */
#define FG_TOKEN_WEAK                                                                              \
    0x40u /* with FG_TOKEN_VARIANT: a looser spelling that should count                            \
             less (umlauts dropped: "muller" of "müller") */

#define FG_TOKEN_CUT                                                                               \
    0x80u /* a piece of a run of word characters longer than                                       \
             FG_TOKEN_MAX_BYTES (or a hyphenated word joined beyond it):                           \
             only its folded form, no stem, variants or compound parts */

/* The longest token in folded bytes (as Lucene's maxTokenLength).  Longer
 * runs of letters or digits are cut into pieces of at most this many bytes
 * (at character boundaries), each indexed as it is (FG_TOKEN_CUT): no real
 * word is this long (the longest German compounds in use have about 70
 * letters), and the work on a token (Snowball, compounds, umlaut spellings)
 * grows faster than its length, so the cap keeps analysis linear in the text
 * whatever it holds.  At most FG_WORD_MAX_PARTS hyphenated parts make one
 * word; further ones start the next. */
#define FG_TOKEN_MAX_BYTES 128
#define FG_WORD_MAX_PARTS 32

/* One token as handed to the callback of fg_analyze(). */
typedef struct fg_token {
    const char *term; /* case-folded form, NUL-terminated */
    size_t term_len;
    const char *stem; /* Snowball stem of term, NUL-terminated; NULL when
                         stemming is off or the token is a number */
    size_t stem_len;
    size_t offset;     /* byte offset of the token in the analysed text */
    size_t length;     /* byte length of the token in the analysed text */
    uint32_t position; /* word position (parts of a word count one each) */
    unsigned flags;    /* FG_TOKEN_* */
} fg_token_t;

/* Receives each token; returning nonzero stops fg_analyze(), which then
 * returns that value. */
typedef int (*fg_token_fn)(void *ctx, const fg_token_t *tok);

typedef struct fg_analyzer fg_analyzer_t;

/*
 * Creates an analyzer for the settings.  Fails with FG_INVALID for an unknown
 * Snowball language, FG_IO for an unreadable stop-word file (err names the
 * file and line where it applies).  Free with fg_analyzer_free().
 */
fg_status_t fg_analyzer_new(const fg_analysis_settings_t *s, fg_analyzer_t **out, char *err,
                            size_t errlen);

/* Frees an analyzer; NULL is allowed. */
void fg_analyzer_free(fg_analyzer_t *a);

/* What fg_analyze() returns when memory ran out (callbacks that want to tell
 * their own stops apart should return positive values). */
#define FG_ANALYZE_NOMEM (-1)

/*
 * Analyses len bytes of UTF-8 NFC text (as fg_text_decode() returns it).
 * Positions start at first_position; *next_position (may be NULL) receives
 * the position after the last token, so a caller can analyse a title and a
 * body as one stream.  Returns 0 when all tokens were delivered, or the
 * callback's nonzero value, or FG_ANALYZE_NOMEM when memory ran out.
 */
int fg_analyze(fg_analyzer_t *a, const char *text, size_t len, uint32_t first_position,
               fg_token_fn fn, void *ctx, uint32_t *next_position);

/*
 * Case-folds one word and stems it, as fg_analyze() would for a single
 * letter token.  Both results live in the analyzer until its next call.
 * *stem is NULL when stemming is off.  Returns FG_OK or FG_NOMEM.
 */
fg_status_t fg_analyzer_word(fg_analyzer_t *a, const char *word, size_t len, const char **folded,
                             const char **stem);

/* True when the folded word is a stop word under this analyzer's settings. */
bool fg_analyzer_is_stopword(const fg_analyzer_t *a, const char *folded, size_t len);

/* The most bytes fg_fold_char() writes for one character. */
#define FG_FOLD_MAX 16

/*
 * Case-folds the character at s[0] (n > 0 bytes available) exactly as the
 * analyzer folds every character of a word: Unicode full case folding ("Ä" ->
 * "ä", "ß" and "ẞ" -> "ss", "µ" -> "μ"), the typographic apostrophe "’" as
 * "'".  Writes the folded form (UTF-8, not NUL-terminated) into out, its
 * length into *out_len (1..FG_FOLD_MAX), and returns the bytes of s it took
 * (1-4).  A byte that starts no valid UTF-8 sequence is taken alone and
 * written unchanged.  For callers that fold text byte by byte with their own
 * offsets (the plugin's snippet prefilter).
 */
size_t fg_fold_char(const char *s, size_t n, char *out, size_t *out_len);

/* Callback of fg_fold_words(): one folded word (not NUL-terminated). */
typedef fg_status_t (*fg_word_fn)(void *ctx, const char *word, size_t len);

/*
 * Splits s (len bytes of UTF-8) into words, runs of letters, marks and
 * digits, and calls fn with each, case-folded as fg_fold_char() folds
 * ("Jörg Müller-Lüdenscheidt" -> "jörg", "müller", "lüdenscheidt").  Words
 * longer than 256 bytes are left out.  Stops at the first status fn returns
 * other than FG_OK and returns it; else FG_OK.  The one way names (an
 * author) become filter terms, at indexing and in a query.
 */
fg_status_t fg_fold_words(const char *s, size_t len, fg_word_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
