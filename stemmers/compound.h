/*
 * compound.h - German compound splitting (decompounding), internal API.
 *
 * A compound dictionary is a set of case-folded German words (from a word
 * list such as wngerman's /usr/share/dict/ngerman) with, per word, whether it
 * is a noun and how productive it is as a compound modifier and as a compound
 * head (how many other words of the list it starts or ends; see compound_dict.c).
 * It is compiled once (fg-dictc at build time, or in memory at first use)
 * into one flat blob that is mmap'ed at start-up.
 *
 * The splitter takes one folded word and returns its parts: byte spans in
 * that word plus the form each part is looked up as ("partnerschafts" ->
 * "partnerschaft", "schul" -> "schule").
 */
#ifndef FG_STEMMERS_COMPOUND_H
#define FG_STEMMERS_COMPOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fundgrube/status.h"

typedef struct fg_compound_dict fg_compound_dict_t;

#define FG_COMPOUND_MAX_PARTS 8 /* a split has at most this many parts */
#define FG_COMPOUND_MAX_WORD 64 /* longer words (in bytes) are never split */

/* One part of a split word, as byte offsets in the folded word. */
typedef struct fg_compound_part {
    uint8_t off;   /* first byte of the part */
    uint8_t used;  /* bytes of the part that belong to its lemma (without a Fuge) */
    uint8_t end;   /* end of the part including its Fuge (next part's off) */
    uint8_t add_e; /* 1 when the lemma is the part plus an elided "e" (schul -> schule) */
} fg_compound_part_t;

/*
 * Compiles a word list (UTF-8, one word a line; words with characters other
 * than letters are skipped) into a dictionary held in memory.  Returns FG_OK
 * or FG_NOMEM.
 */
fg_status_t fg_compound_dict_compile(const char *text, size_t len, fg_compound_dict_t **out);

/*
 * Opens a dictionary file: a compiled one (mmap'ed) or, when the file does
 * not start with the compiled format's magic, a plain word list, which is
 * then compiled in memory.  Returns FG_OK, FG_NOMEM, or FG_IO/FG_CORRUPT
 * with err naming the file.
 */
fg_status_t fg_compound_dict_open(const char *path, fg_compound_dict_t **out, char *err,
                                  size_t errlen);

/*
 * Opens the built-in dictionary: $FUNDGRUBE_DICTIONARY if set, else the
 * installed <datadir>/fundgrube/german.dict relative to the running program
 * or to the library holding this code (common/relocate.h), else the build
 * tree's share/fundgrube/german.dict when the program lies in a build tree,
 * else the one of the configured prefix; when none of these
 * exists but /usr/share/dict/ngerman does, that list is compiled in memory
 * once per process (shared by all callers, slower).  Returns FG_OK, FG_NOMEM
 * or FG_IO (err says what was tried).
 */
fg_status_t fg_compound_dict_builtin(fg_compound_dict_t **out, char *err, size_t errlen);

/* Writes a dictionary in the compiled format to path.  Returns FG_OK or FG_IO. */
fg_status_t fg_compound_dict_write(const fg_compound_dict_t *d, const char *path, char *err,
                                   size_t errlen);

/* Number of words in the dictionary. */
size_t fg_compound_dict_size(const fg_compound_dict_t *d);

/* Bytes the dictionary occupies (mapped or allocated). */
size_t fg_compound_dict_bytes(const fg_compound_dict_t *d);

/* True when the folded word is in the dictionary. */
bool fg_compound_dict_has(const fg_compound_dict_t *d, const char *w, size_t len);

/* Releases a dictionary; NULL and the shared built-in copy are allowed. */
void fg_compound_dict_free(fg_compound_dict_t *d);

/*
 * Splits the folded word w[0..len) into parts of at least min_part
 * characters.  Fills parts[] (room for FG_COMPOUND_MAX_PARTS) and returns
 * their number: 0 when the word is better left whole, else 2 or more.
 */
size_t fg_compound_split(const fg_compound_dict_t *d, const char *w, size_t len, unsigned min_part,
                         fg_compound_part_t *parts);

#endif
