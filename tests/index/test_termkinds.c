/*
 * test_termkinds.c - the table of the kinds of weighted terms
 * (index/termkinds.h): its rules hold together.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "index/termkinds.h"
#include "stemmers/analysis.h"

/* Each row is at its id, and the prefixes are distinct. */
Test(termkinds, rows_and_prefixes) {
    for (size_t k = 0; k < FG_TK_COUNT; k++) {
        cr_assert_eq(fg_termkinds[k].id, (fg_termkind_id_t)k);
        cr_assert(fg_termkinds[k].name && fg_termkinds[k].prefix);
        for (size_t j = 0; j < k; j++)
            cr_assert_str_neq(fg_termkinds[j].prefix, fg_termkinds[k].prefix);
    }
}

/* Positions are only on body kinds, whose occurrence adds 1 to the wdf as a
 * posting does; every kind adds 1. */
Test(termkinds, positions_and_wdf) {
    for (size_t k = 0; k < FG_TK_COUNT; k++) {
        const fg_termkind_t *tk = &fg_termkinds[k];
        cr_assert_eq(tk->wdf, 1, "%s", tk->name);
        if (tk->positions != FG_FORM_NONE)
            cr_assert_eq(tk->fields, FG_FIELD_BODY, "%s", tk->name);
    }
    cr_assert_eq(fg_termkind_positional(true)->id, FG_TK_STEM);
    cr_assert_eq(fg_termkind_positional(false)->id, FG_TK_EXACT);
}

/* The query side looks only for kinds the index side writes, and a query
 * word finds the same word: its folded form and its stem are kinds the index
 * writes for a body word. */
Test(termkinds, query_kinds_are_indexed) {
    for (size_t k = 0; k < FG_TK_COUNT; k++) {
        const fg_termkind_t *tk = &fg_termkinds[k];
        bool queried = false, indexed = false;
        for (int c = 0; c < FG_TC_COUNT; c++) {
            queried |= tk->query_form[c] != FG_FORM_NONE;
            indexed |= tk->index_form[c] != FG_FORM_NONE;
        }
        cr_assert(!queried || indexed, "%s is looked for but never indexed", tk->name);
        cr_assert_neq(tk->weight, FG_WAY_NONE, "%s", tk->name);
    }
    for (int has_stem = 0; has_stem < 2; has_stem++)
        for (size_t k = 0; k < FG_TK_COUNT; k++) {
            const fg_termkind_t *tk = &fg_termkinds[k];
            if (tk->fields != FG_FIELD_BODY)
                continue;
            fg_term_source_t i = fg_termkind_index_source(tk, FG_TC_WORD, FG_FIELD_BODY, has_stem);
            if (i != FG_SRC_NONE)
                cr_assert_eq(fg_termkind_query_source(tk, FG_TC_WORD, has_stem), i, "%s", tk->name);
        }
}

/* The forms and what they give. */
Test(termkinds, forms) {
    cr_assert_eq(fg_term_form_source(FG_FORM_NONE, true), FG_SRC_NONE);
    cr_assert_eq(fg_term_form_source(FG_FORM_FOLDED, true), FG_SRC_FOLDED);
    cr_assert_eq(fg_term_form_source(FG_FORM_STEM, true), FG_SRC_STEM);
    cr_assert_eq(fg_term_form_source(FG_FORM_STEM, false), FG_SRC_NONE);
    cr_assert_eq(fg_term_form_source(FG_FORM_STEM_OR_FOLDED, false), FG_SRC_FOLDED);
    cr_assert_eq(fg_term_form_source(FG_FORM_FOLDED_IF_NO_STEM, true), FG_SRC_NONE);
    cr_assert_eq(fg_term_form_source(FG_FORM_FOLDED_IF_NO_STEM, false), FG_SRC_FOLDED);
    /* the lead copy is for lead words only, title kinds for the title */
    const fg_termkind_t *lead = &fg_termkinds[FG_TK_LEAD];
    cr_assert_eq(fg_termkind_index_source(lead, FG_TC_WORD, FG_FIELD_BODY, true), FG_SRC_NONE);
    cr_assert_eq(fg_termkind_index_source(lead, FG_TC_WORD, FG_FIELD_BODY | FG_FIELD_LEAD, true),
                 FG_SRC_STEM);
    const fg_termkind_t *title = &fg_termkinds[FG_TK_TITLE];
    cr_assert_eq(fg_termkind_index_source(title, FG_TC_WORD, FG_FIELD_BODY, true), FG_SRC_NONE);
    cr_assert_eq(fg_termkind_index_source(title, FG_TC_WORD, FG_FIELD_TITLE, true), FG_SRC_FOLDED);
}

/* Token classes and the class weights. */
Test(termkinds, classes) {
    cr_assert_eq(fg_term_class_of(0), FG_TC_WORD);
    cr_assert_eq(fg_term_class_of(FG_TOKEN_VARIANT), FG_TC_WORD);
    cr_assert_eq(fg_term_class_of(FG_TOKEN_VARIANT | FG_TOKEN_WEAK), FG_TC_WEAK);
    cr_assert_eq(fg_term_class_of(FG_TOKEN_COMPOUND_PART | FG_TOKEN_VARIANT), FG_TC_PART);
    cr_assert_eq(fg_term_class_weight(FG_TC_WORD), FG_WAY_NONE);
    cr_assert_eq(fg_term_class_weight(FG_TC_PART), FG_WAY_QPART);
    cr_assert_eq(fg_term_class_weight(FG_TC_WEAK), FG_WAY_WEAK);
}

/* A term's kind by its prefix; boolean terms have none. */
Test(termkinds, kind_of_term) {
    cr_assert_eq(fg_termkind_of_term("haus")->id, FG_TK_EXACT);
    cr_assert_eq(fg_termkind_of_term("Zhaus")->id, FG_TK_STEM);
    cr_assert_eq(fg_termkind_of_term("ZShaus")->id, FG_TK_TITLE_STEM);
    cr_assert_eq(fg_termkind_of_term("Shaus")->id, FG_TK_TITLE);
    cr_assert_eq(fg_termkind_of_term("XChaus")->id, FG_TK_PART);
    cr_assert_eq(fg_termkind_of_term("XVhaus")->id, FG_TK_WEAK);
    cr_assert_eq(fg_termkind_of_term("XLhaus")->id, FG_TK_LEAD);
    cr_assert_null(fg_termkind_of_term("Q/home/a.txt"));
    cr_assert_null(fg_termkind_of_term("XH0123456789abcdef"));
    cr_assert_null(fg_termkind_of_term("Etxt"));
}

/* The author term is one function for the builder and the query: the
 * prefix and the folded word; a word too long for a term makes none. */
Test(termkinds, author_term) {
    char term[300];
    size_t n = fg_author_term("müller", strlen("müller"), term, sizeof term);
    cr_assert_eq(n, strlen(FG_PREFIX_AUTHOR "müller"));
    cr_assert_str_eq(term, FG_PREFIX_AUTHOR "müller");
    char longword[260];
    memset(longword, 'a', sizeof longword);
    cr_assert_eq(fg_author_term(longword, sizeof longword, term, sizeof term), 0);
    cr_assert_eq(fg_author_term("abc", 3, term, 3), 0, "no room for the terminator");
}
