/*
 * termkinds.c - the table of the kinds of weighted terms (see termkinds.h).
 */
#include "index/termkinds.h"

#include <stddef.h>
#include <string.h>

#include "index/index.h"       /* FG_TERM_MAX */
#include "stemmers/analysis.h" /* the FG_TOKEN_* flags only */

/*
 * The table.  Index side: a body word gives its folded form (positions on it
 * when it has no stem), its stem (with positions) and, in the lead, its stem
 * again; a title word its folded form and its stem, without positions; a
 * compound part its stem (else its folded form) as a part; a weak variant its
 * folded form as a weak term.  Every occurrence adds 1 to the wdf.
 *
 * Query side, for a query word: its folded form as a body word and as a weak
 * variant (a query "muller" finds "Müller"); its stem as a body, title and
 * lead stem and as a part of document compounds ("Format" finds
 * "Partnerschaftsformat"); without a stem its folded form as a title word and
 * a part.  A part of a query compound: as a body word (stem, else folded) or
 * as a part.  A weak variant of a query word: as a body word or a weak term.
 */
const fg_termkind_t fg_termkinds[FG_TK_COUNT] = {
    [FG_TK_EXACT] =
        {
            .id = FG_TK_EXACT,
            .name = "exact",
            .prefix = FG_PREFIX_EXACT,
            .fields = FG_FIELD_BODY,
            .index_form = {[FG_TC_WORD] = FG_FORM_FOLDED},
            .positions = FG_FORM_FOLDED_IF_NO_STEM,
            .wdf = 1,
            .query_form = {[FG_TC_WORD] = FG_FORM_FOLDED,
                           [FG_TC_PART] = FG_FORM_FOLDED_IF_NO_STEM,
                           [FG_TC_WEAK] = FG_FORM_FOLDED},
            .weight = FG_WAY_EXACT,
        },
    [FG_TK_WEAK] =
        {
            .id = FG_TK_WEAK,
            .name = "weak",
            .prefix = FG_PREFIX_WEAK,
            .fields = FG_FIELD_BODY,
            .index_form = {[FG_TC_WEAK] = FG_FORM_FOLDED},
            .positions = FG_FORM_NONE,
            .wdf = 1,
            .query_form = {[FG_TC_WORD] = FG_FORM_FOLDED, [FG_TC_WEAK] = FG_FORM_FOLDED},
            .weight = FG_WAY_WEAK,
        },
    [FG_TK_STEM] =
        {
            .id = FG_TK_STEM,
            .name = "stem",
            .prefix = FG_PREFIX_STEM,
            .fields = FG_FIELD_BODY,
            .index_form = {[FG_TC_WORD] = FG_FORM_STEM},
            .positions = FG_FORM_STEM,
            .wdf = 1,
            .query_form = {[FG_TC_WORD] = FG_FORM_STEM, [FG_TC_PART] = FG_FORM_STEM},
            .weight = FG_WAY_STEM,
        },
    [FG_TK_TITLE] =
        {
            .id = FG_TK_TITLE,
            .name = "title",
            .prefix = FG_PREFIX_TITLE,
            .fields = FG_FIELD_TITLE,
            .index_form = {[FG_TC_WORD] = FG_FORM_FOLDED},
            .positions = FG_FORM_NONE,
            .wdf = 1,
            .query_form = {[FG_TC_WORD] = FG_FORM_FOLDED_IF_NO_STEM},
            .weight = FG_WAY_TITLE,
        },
    [FG_TK_TITLE_STEM] =
        {
            .id = FG_TK_TITLE_STEM,
            .name = "title_stem",
            .prefix = FG_PREFIX_TITLE_STEM,
            .fields = FG_FIELD_TITLE,
            .index_form = {[FG_TC_WORD] = FG_FORM_STEM},
            .positions = FG_FORM_NONE,
            .wdf = 1,
            .query_form = {[FG_TC_WORD] = FG_FORM_STEM},
            .weight = FG_WAY_TITLE,
        },
    [FG_TK_LEAD] =
        {
            .id = FG_TK_LEAD,
            .name = "lead",
            .prefix = FG_PREFIX_LEAD,
            .fields = FG_FIELD_LEAD,
            .index_form = {[FG_TC_WORD] = FG_FORM_STEM},
            .positions = FG_FORM_NONE,
            .wdf = 1,
            .query_form = {[FG_TC_WORD] = FG_FORM_STEM},
            .weight = FG_WAY_LEAD,
        },
    [FG_TK_PART] =
        {
            .id = FG_TK_PART,
            .name = "part",
            .prefix = FG_PREFIX_PART,
            .fields = FG_FIELD_BODY,
            .index_form = {[FG_TC_PART] = FG_FORM_STEM_OR_FOLDED},
            .positions = FG_FORM_NONE,
            .wdf = 1,
            .query_form =
                {[FG_TC_WORD] = FG_FORM_STEM_OR_FOLDED, [FG_TC_PART] = FG_FORM_STEM_OR_FOLDED},
            .weight = FG_WAY_PART,
        },
};

/* The class of a token (see termkinds.h). */
fg_term_class_t fg_term_class_of(unsigned flags) {
    if (flags & FG_TOKEN_COMPOUND_PART)
        return FG_TC_PART;
    if ((flags & (FG_TOKEN_VARIANT | FG_TOKEN_WEAK)) == (FG_TOKEN_VARIANT | FG_TOKEN_WEAK))
        return FG_TC_WEAK;
    return FG_TC_WORD;
}

/* What a form gives for a token (see termkinds.h). */
fg_term_source_t fg_term_form_source(fg_term_form_t form, bool has_stem) {
    switch (form) {
    case FG_FORM_NONE: return FG_SRC_NONE;
    case FG_FORM_FOLDED: return FG_SRC_FOLDED;
    case FG_FORM_STEM: return has_stem ? FG_SRC_STEM : FG_SRC_NONE;
    case FG_FORM_STEM_OR_FOLDED: return has_stem ? FG_SRC_STEM : FG_SRC_FOLDED;
    case FG_FORM_FOLDED_IF_NO_STEM: return has_stem ? FG_SRC_NONE : FG_SRC_FOLDED;
    }
    return FG_SRC_NONE;
}

/* The index-side term of a kind for a token (see termkinds.h). */
fg_term_source_t fg_termkind_index_source(const fg_termkind_t *tk, fg_term_class_t cls,
                                          unsigned fields, bool has_stem) {
    if (!(tk->fields & fields))
        return FG_SRC_NONE;
    return fg_term_form_source(tk->index_form[cls], has_stem);
}

/* True when the occurrence carries a position (see termkinds.h). */
bool fg_termkind_index_positional(const fg_termkind_t *tk, bool has_stem) {
    return fg_term_form_source(tk->positions, has_stem) != FG_SRC_NONE;
}

/* The query-side term of a kind for a query token (see termkinds.h). */
fg_term_source_t fg_termkind_query_source(const fg_termkind_t *tk, fg_term_class_t cls,
                                          bool has_stem) {
    return fg_term_form_source(tk->query_form[cls], has_stem);
}

/* The weight of a class's terms together (see termkinds.h). */
fg_rank_way_t fg_term_class_weight(fg_term_class_t cls) {
    switch (cls) {
    case FG_TC_PART: return FG_WAY_QPART;
    case FG_TC_WEAK: return FG_WAY_WEAK;
    case FG_TC_WORD:
    case FG_TC_COUNT: break;
    }
    return FG_WAY_NONE;
}

/* The kind that carries a body word's positions (see termkinds.h). */
const fg_termkind_t *fg_termkind_positional(bool has_stem) {
    for (size_t k = 0; k < FG_TK_COUNT; k++) {
        const fg_termkind_t *tk = &fg_termkinds[k];
        if (fg_termkind_index_source(tk, FG_TC_WORD, FG_FIELD_BODY, has_stem) != FG_SRC_NONE &&
            fg_termkind_index_positional(tk, has_stem))
            return tk;
    }
    return NULL;
}

/* The kind of a term by its longest known prefix (see termkinds.h). */
const fg_termkind_t *fg_termkind_of_term(const char *term) {
    const fg_termkind_t *best = NULL;
    size_t best_len = 0;
    for (size_t k = 0; k < FG_TK_COUNT; k++) {
        const fg_termkind_t *tk = &fg_termkinds[k];
        size_t n = strlen(tk->prefix);
        if (n > 0 && strncmp(term, tk->prefix, n) == 0 && n > best_len) {
            best = tk;
            best_len = n;
        }
    }
    if (best)
        return best;
    if (term[0] >= 'A' && term[0] <= 'Z')
        return NULL; /* a boolean term (Q, P, E, ...) */
    return &fg_termkinds[FG_TK_EXACT];
}

/* The author term of a folded word (see termkinds.h). */
size_t fg_author_term(const char *word, size_t len, char *out, size_t outlen) {
    return fg_field_term(FG_PREFIX_AUTHOR, word, len, out, outlen);
}

/* The term of a folded word of a word field (see termkinds.h). */
size_t fg_field_term(const char *prefix, const char *word, size_t len, char *out, size_t outlen) {
    size_t plen = strlen(prefix);
    if (plen + len + 1 > outlen || plen + len > FG_TERM_MAX)
        return 0;
    memcpy(out, prefix, plen);
    memcpy(out + plen, word, len);
    out[plen + len] = '\0';
    return plen + len;
}
