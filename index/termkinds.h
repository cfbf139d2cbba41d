/*
 * termkinds.h - which terms a token gives: one table for the index side and
 * the query side.
 *
 * index/schema.h names the prefixes; this table says, for each kind of
 * weighted term (exact form, stem, title copies, lead copy, compound part,
 * weak variant), which tokens of which field the document builder
 * (feed/docbuild.c) turns into it, from which form of the token (folded or
 * stem), whether the occurrence carries a position and its wdf, and which
 * terms the query builder (plugin/query_expand.c) looks for for a query token
 * and at which weight.  Both builders loop over this table, so what a
 * document holds and what a query looks for cannot drift apart.
 *
 * A token is one of three classes (fg_term_class_of()): a word (also a part
 * of a hyphenated word, its joined form and a non-weak variant such as the
 * gender base form "bürger" of "bürgerinnen"), a part of a compound
 * (FG_TOKEN_COMPOUND_PART) or a weak variant (FG_TOKEN_VARIANT with
 * FG_TOKEN_WEAK, umlauts dropped).  A token "has a stem" when the analyzer
 * gave one and it is not a stop word.
 *
 * Usage (the index side):
 *
 *     for (size_t k = 0; k < FG_TK_COUNT; k++) {
 *         const fg_termkind_t *tk = &fg_termkinds[k];
 *         fg_term_source_t src = fg_termkind_index_source(tk, cls, fields, has_stem);
 *         if (src != FG_SRC_NONE)
 *             add tk->prefix + (src == FG_SRC_STEM ? stem : folded) ...
 *     }
 */
#ifndef FG_INDEX_TERMKINDS_H
#define FG_INDEX_TERMKINDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "index/schema.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The kinds of weighted terms, in the order both builders generate them. */
typedef enum fg_termkind_id {
    FG_TK_EXACT,      /* FG_PREFIX_EXACT: a body word, folded */
    FG_TK_WEAK,       /* FG_PREFIX_WEAK: a weak variant, folded */
    FG_TK_STEM,       /* FG_PREFIX_STEM: the stem of a body word */
    FG_TK_TITLE,      /* FG_PREFIX_TITLE: a title word, folded */
    FG_TK_TITLE_STEM, /* FG_PREFIX_TITLE_STEM: the stem of a title word */
    FG_TK_LEAD,       /* FG_PREFIX_LEAD: the stem of a word of the lead */
    FG_TK_PART,       /* FG_PREFIX_PART: the stem of a part of a compound */
    FG_TK_COUNT
} fg_termkind_id_t;

/* The classes of tokens (see above). */
typedef enum fg_term_class {
    FG_TC_WORD, /* a word */
    FG_TC_PART, /* a part of the compound delivered before it */
    FG_TC_WEAK, /* a weak variant of the word delivered before it */
    FG_TC_COUNT
} fg_term_class_t;

/* Which form of a token a term is made of. */
typedef enum fg_term_form {
    FG_FORM_NONE = 0,         /* no term */
    FG_FORM_FOLDED,           /* the folded form */
    FG_FORM_STEM,             /* the stem; no term when the token has none */
    FG_FORM_STEM_OR_FOLDED,   /* the stem, else the folded form */
    FG_FORM_FOLDED_IF_NO_STEM /* the folded form, only when the token has no stem */
} fg_term_form_t;

/* What a form gives for one token. */
typedef enum fg_term_source {
    FG_SRC_NONE = 0, /* no term */
    FG_SRC_FOLDED,   /* prefix + folded form */
    FG_SRC_STEM      /* prefix + stem */
} fg_term_source_t;

/* The fields of a document a token can come from (a bit set). */
#define FG_FIELD_BODY 0x1u  /* the body (and a title that is not part of it, as its first words) */
#define FG_FIELD_TITLE 0x2u /* the title */
#define FG_FIELD_LEAD 0x4u  /* a body word among the first FG_LEAD_WORDS positions */

/* The [ranking] weights (fg_rank_weights_t of config/config.h) by name, so
 * that index/ need not know config/. */
typedef enum fg_rank_way {
    FG_WAY_NONE = 0, /* the kind's own weight applies (word class) */
    FG_WAY_EXACT,
    FG_WAY_STEM,
    FG_WAY_TITLE,
    FG_WAY_LEAD,
    FG_WAY_PART,
    FG_WAY_QPART,
    FG_WAY_WEAK
} fg_rank_way_t;

/* One kind of term. */
typedef struct fg_termkind {
    fg_termkind_id_t id;
    const char *name;   /* "exact", "stem", ... (tests, debugging) */
    const char *prefix; /* FG_PREFIX_* */
    /* index side */
    unsigned fields;                        /* FG_FIELD_* whose tokens give this kind */
    fg_term_form_t index_form[FG_TC_COUNT]; /* the form, per token class */
    fg_term_form_t positions;               /* the occurrences that carry a position */
    uint32_t wdf;                           /* wdf added per occurrence (a position adds 1) */
    /* query side */
    fg_term_form_t query_form[FG_TC_COUNT]; /* the term looked for, per query token class */
    fg_rank_way_t weight;                   /* the weight of a word's term of this kind */
} fg_termkind_t;

/* The table, indexed by fg_termkind_id_t. */
extern const fg_termkind_t fg_termkinds[FG_TK_COUNT];

/* The class of a token with flags FG_TOKEN_* (as the document builder reads
 * them: a compound part first, then a weak variant, else a word). */
fg_term_class_t fg_term_class_of(unsigned flags);

/* What form gives for a token with or without a stem. */
fg_term_source_t fg_term_form_source(fg_term_form_t form, bool has_stem);

/* Index side: the term of kind tk for a token of class cls from the fields
 * (FG_FIELD_* set), or FG_SRC_NONE when the document gets none. */
fg_term_source_t fg_termkind_index_source(const fg_termkind_t *tk, fg_term_class_t cls,
                                          unsigned fields, bool has_stem);

/* Index side: true when the occurrence of kind tk carries a position. */
bool fg_termkind_index_positional(const fg_termkind_t *tk, bool has_stem);

/* Query side: the term of kind tk looked for for a query token of class cls,
 * or FG_SRC_NONE. */
fg_term_source_t fg_termkind_query_source(const fg_termkind_t *tk, fg_term_class_t cls,
                                          bool has_stem);

/* Query side: the weight that scales the terms of a query token of class cls
 * together (FG_WAY_NONE for words: each term has its kind's weight). */
fg_rank_way_t fg_term_class_weight(fg_term_class_t cls);

/* The kind that carries the positions of a body word (phrases and NEAR match
 * it): its stem, else its folded form. */
const fg_termkind_t *fg_termkind_positional(bool has_stem);

/* The kind of a weighted term by its prefix, or NULL for a boolean term (an
 * upper-case prefix the table does not know). */
const fg_termkind_t *fg_termkind_of_term(const char *term);

/* The author term (FG_PREFIX_AUTHOR) of one folded author word (from
 * fg_fold_words()) into out (size outlen), for the document builder and for
 * author:/autor: in queries alike.  Returns its length, or 0 when it does
 * not fit (such a word makes no term on either side). */
size_t fg_author_term(const char *word, size_t len, char *out, size_t outlen);

/* The same for any word field's prefix: FG_PREFIX_AUTHOR, FG_PREFIX_FROM,
 * FG_PREFIX_TO (the document builder and the from:/to: filters). */
size_t fg_field_term(const char *prefix, const char *word, size_t len, char *out, size_t outlen);

#ifdef __cplusplus
}
#endif
#endif
