/*
 * web.h - `fundgrube serve`: the search page and the JSON API over HTTP, a
 * host of the search plugin like the CLI (no Xapian here: every search, every
 * document and every completion goes through the plugin's function table).
 *
 * Life of a server:
 *
 *     fg_web_options_t o = {.api = api, .config_path = NULL, .index_path = NULL};
 *     fg_web_server_t *srv;
 *     if (fg_web_start(&o, &srv, err, sizeof err) != FG_OK) { ... err says why ... }
 *     printf("%s\n", fg_web_url(srv));
 *     fg_web_wait(srv);   // until SIGTERM or SIGINT; SIGHUP re-reads the configuration
 *     fg_web_stop(srv);   // finishes the requests in flight, frees everything
 *
 * fg_web_start() blocks SIGTERM, SIGINT and SIGHUP in the calling thread
 * before it starts the worker threads (they inherit the mask), so the
 * signals reach fg_web_wait() only.  The library never prints to stdout and
 * never exits; it logs failed requests to stderr.
 */
#ifndef FG_WEB_WEB_H
#define FG_WEB_WEB_H

#include <stddef.h>

#include "fundgrube/fundgrube.h"
#include "fundgrube/status.h"

/* What a server needs.  Zero-initialise, then set. */
typedef struct fg_web_options {
    const fg_plugin_api_t *api; /* the loaded plugin (ABI 1.4 or later); borrowed */
    const char *config_path;    /* --config FILE, or NULL for the default search */
    const char *index_path;     /* --index DIR over [index] path, or NULL */
    const char *listen;         /* --listen over [web] listen, or NULL */
} fg_web_options_t;

typedef struct fg_web_server fg_web_server_t;

/*
 * Loads the configuration, binds the listen address ([web] listen or
 * o->listen: "HOST:PORT", port 0 for a free one, or "unix:PATH"), reads
 * or makes the access token when one is required (see auth.c in
 * web-private.h) and starts the worker threads.  The index need not exist
 * yet: requests get 503 until it can be opened.  On failure *out is NULL
 * and err says why; returns FG_OK, FG_CONFIG, FG_INVALID (a bad listen
 * address or token file), FG_IO or FG_NOMEM.
 */
fg_status_t fg_web_start(const fg_web_options_t *o, fg_web_server_t **out, char *err,
                         size_t errlen);

/* The address the server answers at: "http://127.0.0.1:8080/" (the port
 * bound, also for port 0) or "unix:/path". */
const char *fg_web_url(const fg_web_server_t *srv);

/* When the access token is required (a non-loopback listen address, or
 * [web] token_file set): the one-time login link of this start
 * ("http://host:port/login?code=..."); else "". */
const char *fg_web_login_url(const fg_web_server_t *srv);

/* The token file in use, or "" when no token is required. */
const char *fg_web_token_file(const fg_web_server_t *srv);

/* The TCP port bound (0 for a unix socket). */
unsigned fg_web_port(const fg_web_server_t *srv);

/*
 * Waits for SIGTERM or SIGINT (returns then), re-reading the configuration
 * on each SIGHUP (a bad file keeps the old one, with a message on stderr;
 * a changed listen address needs a restart).
 */
void fg_web_wait(fg_web_server_t *srv);

/* Stops accepting, lets the requests in flight finish (at most a few
 * seconds), stops the threads and frees everything; NULL is allowed. */
void fg_web_stop(fg_web_server_t *srv);

#endif
