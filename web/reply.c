/*
 * reply.c - the answers of `fundgrube serve`: JSON values, JSON errors
 * ({"error": {"code", "message"}}, never an empty body), texts, and the GET
 * parameters of a request (see web-private.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "web/web-private.h"

/* Queues response with the security headers and destroys it (see
 * web-private.h). */
enum MHD_Result web_reply(web_req_t *r, unsigned status, struct MHD_Response *response) {
    if (!response)
        return MHD_NO;
    web_security_headers(response);
    enum MHD_Result res = MHD_queue_response(r->conn, status, response);
    MHD_destroy_response(response);
    return res;
}

/* Replies with a copy of body as type (see web-private.h). */
enum MHD_Result web_reply_text(web_req_t *r, unsigned status, const char *type, const char *body,
                               size_t len) {
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    return web_reply(r, status, resp);
}

/* Replies with a JSON value (see web-private.h). */
enum MHD_Result web_reply_json(web_req_t *r, unsigned status, json_t *j) {
    char *text = j ? json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(j);
    if (!text)
        return MHD_NO;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(text);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    if (status == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Bearer realm=\"fundgrube\"");
    return web_reply(r, status, resp);
}

/* Replies with a JSON error (see web-private.h). */
enum MHD_Result web_reply_error(web_req_t *r, unsigned status, const char *code, const char *fmt,
                                ...) {
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (status >= 500)
        fprintf(stderr, "fundgrube serve: %s: %u %s\n", r->url, status, msg);
    /* a message from the plugin may hold bytes that are no UTF-8: json_string() refuses them */
    json_t *m = json_string(msg);
    if (!m)
        m = json_string("(message not in UTF-8)");
    return web_reply_json(r, status,
                          json_pack("{s:{s:s, s:i, s:o}}", "error", "code", code, "status",
                                    (int)status, "message", m));
}

/* The GET parameter name, or NULL (see web-private.h). */
const char *web_param(web_req_t *r, const char *name) {
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

/* A whole-number parameter (see web-private.h). */
bool web_param_uint(web_req_t *r, const char *name, uint32_t def, uint32_t lo, uint32_t hi,
                    uint32_t *out) {
    const char *v = web_param(r, name);
    if (!v || !*v) {
        *out = def;
        return true;
    }
    unsigned long long n = 0;
    const char *p = v;
    while (*p >= '0' && *p <= '9' && n <= UINT32_MAX)
        n = n * 10 + (unsigned long long)(*p++ - '0');
    if (*p || n < lo || n > hi) {
        web_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter",
                        "%s: expected a whole number from %u to %u", name, lo, hi);
        return false;
    }
    *out = (uint32_t)n;
    return true;
}

/* A flag parameter (see web-private.h). */
bool web_param_flag(web_req_t *r, const char *name, bool *ok) {
    const char *v = web_param(r, name);
    *ok = true;
    if (!v || !*v || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
        return false;
    if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
        return true;
    *ok = false;
    web_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_parameter", "%s: expected 0 or 1", name);
    return false;
}

/* A JSON string of s, "" when it is NULL, bytes that are no UTF-8 as U+FFFD
 * (see web-private.h). */
json_t *web_json_str(const char *s) {
    json_t *j = json_string(s ? s : "");
    if (j)
        return j;
    size_t len;
    char *fixed = fg_utf8_repair(s, &len); /* a file name in Latin-1, say */
    j = fixed ? json_stringn(fixed, len) : NULL;
    free(fixed);
    return j;
}
