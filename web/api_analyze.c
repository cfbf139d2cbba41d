/*
 * api_analyze.c - GET /api/analyze?text=: what the analysis pipeline makes
 * of a text, token by token, like Elasticsearch's _analyze and `fundgrube
 * analyze` (the same pipeline of stemmers/, with the [analysis] settings of
 * the configuration); see web-private.h.
 */
#include <stdlib.h>
#include <string.h>

#include "web/web-private.h"

/* What the token callback builds. */
typedef struct analyze_ctx {
    const char *text;
    json_t *tokens; /* every token, as the pipeline gives them */
    json_t *words;  /* the words: each with its compound parts and variants */
} analyze_ctx_t;

/* The kind of a token: what it is to the word it belongs to. */
static const char *token_kind(unsigned flags) {
    if (flags & FG_TOKEN_COMPOUND_PART)
        return "compound_part";
    if (flags & FG_TOKEN_WEAK)
        return "weak_variant";
    if (flags & FG_TOKEN_VARIANT)
        return "variant";
    if (flags & FG_TOKEN_JOINED)
        return "joined";
    if (flags & FG_TOKEN_PART)
        return "part";
    return "word";
}

/* A JSON string of s[0..n), "" when it is no UTF-8. */
static json_t *strn(const char *s, size_t n) {
    json_t *j = json_stringn(s, n);
    return j ? j : json_string("");
}

/* fg_analyze() callback: adds one token, and to the words. */
static int on_token(void *ctx, const fg_token_t *tok) {
    analyze_ctx_t *c = ctx;
    const char *kind = token_kind(tok->flags);
    json_t *t = json_object();
    json_object_set_new(t, "token", strn(c->text + tok->offset, tok->length));
    json_object_set_new(t, "start_offset", json_integer((json_int_t)tok->offset));
    json_object_set_new(t, "end_offset", json_integer((json_int_t)(tok->offset + tok->length)));
    json_object_set_new(t, "position", json_integer(tok->position));
    json_object_set_new(t, "folded", strn(tok->term, tok->term_len));
    json_object_set_new(t, "stem", tok->stem ? strn(tok->stem, tok->stem_len) : json_null());
    json_object_set_new(t, "stop", json_boolean(tok->flags & FG_TOKEN_STOP));
    json_object_set_new(t, "number", json_boolean(tok->flags & FG_TOKEN_NUMBER));
    json_object_set_new(t, "kind", json_string(kind));
    json_array_append(c->tokens, t);
    size_t n = json_array_size(c->words);
    json_t *last = n ? json_array_get(c->words, n - 1) : NULL;
    if (last && (strcmp(kind, "compound_part") == 0 || strcmp(kind, "variant") == 0 ||
                 strcmp(kind, "weak_variant") == 0)) {
        const char *list = strcmp(kind, "compound_part") == 0 ? "parts" : "variants";
        json_array_append_new(json_object_get(last, list),
                              json_pack("{s:O, s:O, s:s}", "folded", json_object_get(t, "folded"),
                                        "stem", json_object_get(t, "stem"), "kind", kind));
    } else {
        json_t *w = json_deep_copy(t);
        json_object_set_new(w, "parts", json_array());
        json_object_set_new(w, "variants", json_array());
        json_array_append_new(c->words, w);
    }
    json_decref(t);
    return 0;
}

/* GET /api/analyze?text=: {"text", "settings", "tokens": [...], "words": [...]}. */
enum MHD_Result web_api_analyze(web_req_t *r) {
    bool ok;
    const char *raw = web_param_text(r, "text", &ok);
    if (!ok)
        return MHD_YES;
    if (!raw)
        return web_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "text: missing");
    fg_analyzer_t *a = web_analyzer(r);
    if (!a)
        return MHD_YES;
    char *text = NULL;
    size_t len = 0;
    if (fg_text_decode(raw, strlen(raw), &text, &len, NULL) != FG_OK)
        return MHD_NO;
    analyze_ctx_t c = {.text = text, .tokens = json_array(), .words = json_array()};
    int rc = fg_analyze(a, text, len, 1, on_token, &c, NULL);
    const fg_analysis_settings_t *s = &r->conf->cfg.analysis;
    json_t *settings = json_pack("{s:s, s:b, s:b, s:b, s:b, s:b, s:b}", "language", s->language,
                                 "stemming", s->stemming, "decompound", s->decompound, "umlauts",
                                 s->umlauts, "gender", s->gender, "protected_words",
                                 s->protected_words, "latin_plurals", s->latin_plurals);
    json_t *j = json_pack("{s:s%, s:o, s:o, s:o}", "text", text, len, "settings", settings,
                          "tokens", c.tokens, "words", c.words);
    free(text);
    if (rc == FG_ANALYZE_NOMEM) {
        json_decref(j);
        return web_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "analysis", "out of memory");
    }
    return web_reply_json(r, MHD_HTTP_OK, j);
}
