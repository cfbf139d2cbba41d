/*
 * web-private.h - what the files of web/ share: the server, its reloadable
 * configuration, one request, and the replies.  One concept per file:
 *
 *   server.c        libmicrohttpd, the worker threads and their plugin
 *                   handles, signals, routing
 *   reply.c         JSON replies and errors, parameters
 *   security.c      the Host check, the security headers, the limits
 *   auth.c          the access token off loopback, the login link
 *   api_search.c    /api/search, /api/similar/{docid}
 *   api_suggest.c   /api/suggest, /opensearch.xml
 *   api_analyze.c   /api/analyze
 *   api_status.c    /api/status, /healthz
 *   api_document.c  /api/document/{docid}, /api/document/{docid}/raw
 *   static.c        the page and its assets, embedded at build time
 */
#ifndef FG_WEB_WEB_PRIVATE_H
#define FG_WEB_WEB_PRIVATE_H

#include <jansson.h>
#include <microhttpd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "fundgrube/fundgrube.h"
#include "stemmers/analysis.h"
#include "web/web.h"

#define FG_WEB_MAX_LIMIT 100     /* hits per page at most */
#define FG_WEB_MAX_OFFSET 100000 /* first hit at most */

/* The configuration as the requests see it: replaced whole on SIGHUP,
 * reference-counted so a request in flight keeps the one it started with. */
typedef struct web_conf {
    int refs;            /* guarded by the server's lock */
    unsigned generation; /* 1, 2, ... one per load */
    fg_config_t cfg;
    char **settings; /* "section.key=value" for the plugin's open_with() */
} web_conf_t;

/* The access token (auth.c): required off loopback or with [web]
 * token_file set. */
typedef struct web_auth {
    bool required;
    bool created;           /* the file was made at this start */
    char file[FG_PATH_MAX]; /* the token file */
    char token[128];        /* its token */
    char code[64];          /* the one-time login code of this start */
    atomic_bool code_used;
} web_auth_t;

/* What one worker thread keeps between requests (opened lazily). */
typedef struct web_thread {
    fg_handle_t *h;          /* the plugin's handle on the index */
    unsigned h_generation;   /* of the configuration it was opened with */
    fg_analyzer_t *analyzer; /* for /api/analyze */
    unsigned a_generation;
    struct web_thread *next; /* all of them, for fg_web_stop() */
} web_thread_t;

/* One request being answered. */
typedef struct web_req {
    fg_web_server_t *srv;
    struct MHD_Connection *conn;
    const char *url; /* path, decoded by libmicrohttpd */
    const fg_plugin_api_t *api;
    web_conf_t *conf; /* a reference for the request's lifetime */
    web_thread_t *thread;
    bool head; /* a HEAD request: headers only */
} web_req_t;

/* ---- server.c */

/* The plugin handle of the request's thread, opened (or reopened after a
 * SIGHUP) with the request's configuration.  NULL after replying 503. */
fg_handle_t *web_handle(web_req_t *r);

/* The analyzer of the request's thread ([analysis] of the configuration).
 * NULL after replying 500. */
fg_analyzer_t *web_analyzer(web_req_t *r);

/* The server's listen address as configured ("127.0.0.1:8080", "unix:..."). */
const char *web_listen_host(const fg_web_server_t *srv);

/* ---- reply.c */

/* Replies with status and the JSON value j (taken over); MHD_YES/MHD_NO. */
enum MHD_Result web_reply_json(web_req_t *r, unsigned status, json_t *j);

/* Replies {"error": {"code": code, "message": ...}} with status. */
enum MHD_Result web_reply_error(web_req_t *r, unsigned status, const char *code, const char *fmt,
                                ...) __attribute__((format(printf, 4, 5)));

/* Replies with a copy of body[0..len) as type. */
enum MHD_Result web_reply_text(web_req_t *r, unsigned status, const char *type, const char *body,
                               size_t len);

/* Queues response with the security headers; destroys it. */
enum MHD_Result web_reply(web_req_t *r, unsigned status, struct MHD_Response *response);

/* The GET parameter name, or NULL. */
const char *web_param(web_req_t *r, const char *name);

/*
 * A whole-number parameter: def when absent, else *out in [lo, hi].  On a
 * bad value replies 400 naming the parameter and returns false.
 */
bool web_param_uint(web_req_t *r, const char *name, uint32_t def, uint32_t lo, uint32_t hi,
                    uint32_t *out);

/* A flag parameter: absent, "0", "false" or "" false; "1", "true" true;
 * anything else replies 400 and returns false with *ok false. */
bool web_param_flag(web_req_t *r, const char *name, bool *ok);

/* Milliseconds of a monotonic clock. */
double web_now_ms(void);

/* ---- security.c */

/* True when the Host header names the listen address or localhost (on the
 * port bound); a unix socket takes any Host. */
bool web_host_allowed(const fg_web_server_t *srv, const char *host);

/* Adds Content-Security-Policy, X-Content-Type-Options, Referrer-Policy and
 * X-Frame-Options to response. */
void web_security_headers(struct MHD_Response *response);

/* A text parameter of at most [web] max_query bytes: NULL when absent
 * (*ok true) or after replying 413 (*ok false). */
const char *web_param_text(web_req_t *r, const char *name, bool *ok);

/* ---- auth.c */

/*
 * Fills a: with required (a non-loopback listen address) or token_file set,
 * reads the token of token_file (empty: "web-token" beside the folder
 * index_path), making the file (0600, random) when it is missing, and makes
 * a one-time login code.  A file others may read, or one without a token,
 * is an error naming the file.
 */
fg_status_t web_auth_init(web_auth_t *a, bool required, const char *token_file,
                          const char *index_path, char *err, size_t errlen);

/* True when no token is required or the request carries it (Bearer header
 * or the cookie of port). */
bool web_auth_ok(const web_auth_t *a, struct MHD_Connection *conn, unsigned port);

/* GET /login?code=CODE (once) or ?token=TOKEN: sets the HttpOnly,
 * SameSite=Strict cookie and redirects to "/"; else 401. */
enum MHD_Result web_auth_login(web_req_t *r, web_auth_t *a, unsigned port);

/* Replies 401 (JSON for the API, a German page otherwise). */
enum MHD_Result web_auth_refuse(web_req_t *r);

/* ---- the endpoints: each replies and returns MHD_YES / MHD_NO */

enum MHD_Result web_api_search(web_req_t *r);
enum MHD_Result web_api_similar(web_req_t *r, uint32_t docid);
enum MHD_Result web_api_suggest(web_req_t *r);
enum MHD_Result web_opensearch(web_req_t *r);
enum MHD_Result web_api_analyze(web_req_t *r);
enum MHD_Result web_api_status(web_req_t *r);
enum MHD_Result web_api_document(web_req_t *r, uint32_t docid);
enum MHD_Result web_api_raw(web_req_t *r, uint32_t docid);

/* static.c: the asset at url, or false when there is none (no reply). */
bool web_static(web_req_t *r, enum MHD_Result *result);

/* api_search.c: the JSON of one hit (also for documents, see api_document.c). */
json_t *web_hit_json(const fg_results_t *res, const fg_hit_t *hit);

/* A JSON string of s ("" when s is NULL), each byte that is no UTF-8 as
 * U+FFFD, as the CLI's JSON has it (never NULL but when memory ran out). */
json_t *web_json_str(const char *s);

#endif
