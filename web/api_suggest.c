/*
 * api_suggest.c - GET /api/suggest (search-as-you-type: completions of the
 * query's last word from the index vocabulary, also in the OpenSearch
 * suggestion form) and GET /opensearch.xml (browsers add Fundgrube as a
 * search engine); see web-private.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web-private.h"

#define SUGGESTIONS 8 /* completions by default */

/* Appends to out (size len) the word w, with a capital first letter when
 * the typed word `typed` had one (ASCII letters and ä ö ü). */
static void capitalised(const char *typed, const char *w, char *out, size_t len) {
    unsigned char t0 = (unsigned char)typed[0], t1 = (unsigned char)typed[1];
    unsigned char w0 = (unsigned char)w[0], w1 = (unsigned char)w[1];
    bool upper =
        (t0 >= 'A' && t0 <= 'Z') || (t0 == 0xC3 && (t1 == 0x84 || t1 == 0x96 || t1 == 0x9C));
    if (upper && w0 >= 'a' && w0 <= 'z')
        snprintf(out, len, "%c%s", (char)(w0 - 'a' + 'A'), w + 1);
    else if (upper && w0 == 0xC3 && (w1 == 0xA4 || w1 == 0xB6 || w1 == 0xBC))
        snprintf(out, len, "%c%c%s", (char)0xC3, (char)(w1 - 0x20), w + 2);
    else
        snprintf(out, len, "%s", w);
}

/* True when the client asked for the OpenSearch form (format=opensearch,
 * or an Accept header naming application/x-suggestions+json). */
static bool wants_opensearch(web_req_t *r) {
    const char *f = web_param(r, "format");
    if (f && strcmp(f, "opensearch") == 0)
        return true;
    const char *accept = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Accept");
    return accept && strstr(accept, "application/x-suggestions+json");
}

/* GET /api/suggest?q=Partnersch[&limit=N][&format=opensearch]:
 * {"query", "suggestions": [{"text": the query completed, "word", "count"}]},
 * or ["Partnersch", ["Partnerschaft", ...]] as application/x-suggestions+json. */
enum MHD_Result web_api_suggest(web_req_t *r) {
    bool ok;
    uint32_t limit;
    const char *q = web_param_text(r, "q", &ok);
    if (!ok)
        return MHD_YES;
    if (!q)
        return web_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "q: missing");
    if (!web_param_uint(r, "limit", SUGGESTIONS, 1, 20, &limit))
        return MHD_YES;
    fg_handle_t *h = web_handle(r);
    if (!h)
        return MHD_YES;
    const char *last = strrchr(q, ' ');
    last = last ? last + 1 : q;
    while (*last == '"' || *last == '(' || *last == '+' || *last == '-')
        last++;
    fg_words_t *w = NULL;
    int st = *last && !strchr(last, ':') ? r->api->complete(h, last, limit, &w) : FG_OK;
    if (st != FG_OK)
        return web_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "suggest_failed", "%s",
                               r->api->last_error(h));
    bool open = wants_opensearch(r);
    json_t *list = json_array();
    for (size_t i = 0; w && i < w->count; i++) {
        char word[512], text[2048];
        capitalised(last, w->words[i], word, sizeof word);
        snprintf(text, sizeof text, "%.*s%s", (int)(last - q), q, word);
        json_t *t = json_string(text);
        if (!t)
            continue;
        if (open)
            json_array_append_new(list, t);
        else
            json_array_append_new(list, json_pack("{s:o, s:s, s:I}", "text", t, "word", word,
                                                  "count", (json_int_t)w->doc_counts[i]));
    }
    r->api->words_free(w);
    json_t *query = json_string(q);
    if (!query)
        query = json_string("");
    if (!open)
        return web_reply_json(r, MHD_HTTP_OK,
                              json_pack("{s:o, s:o}", "query", query, "suggestions", list));
    json_t *j = json_pack("[o, o]", query, list);
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    if (!text)
        return MHD_NO;
    enum MHD_Result res =
        web_reply_text(r, MHD_HTTP_OK, "application/x-suggestions+json", text, strlen(text));
    free(text);
    return res;
}

/* GET /opensearch.xml: the OpenSearch description of this server. */
enum MHD_Result web_opensearch(web_req_t *r) {
    const char *url = fg_web_url(r->srv);
    char body[4096];
    int n = snprintf(body, sizeof body,
                     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                     "<OpenSearchDescription xmlns=\"http://a9.com/-/spec/opensearch/1.1/\">\n"
                     "  <ShortName>Fundgrube</ShortName>\n"
                     "  <Description>Volltextsuche in den eigenen Dateien</Description>\n"
                     "  <InputEncoding>UTF-8</InputEncoding>\n"
                     "  <Url type=\"text/html\" template=\"%s?q={searchTerms}\"/>\n"
                     "  <Url type=\"application/x-suggestions+json\" "
                     "template=\"%sapi/suggest?format=opensearch&amp;q={searchTerms}\"/>\n"
                     "</OpenSearchDescription>\n",
                     url, url);
    return web_reply_text(r, MHD_HTTP_OK, "application/opensearchdescription+xml", body,
                          (size_t)n < sizeof body ? (size_t)n : sizeof body - 1);
}
