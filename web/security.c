/*
 * security.c - what keeps a local service that reads private files local:
 * the Host check against DNS rebinding, the headers that keep document text
 * from ever running as script, and the size limit of query texts (see
 * web-private.h).  The connection limit and the per-connection timeout are
 * libmicrohttpd's ([web] max_connections, timeout; see server.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "web/web-private.h"

/* True when host[0..len) is one of the names this server answers to: the
 * host of its listen address, localhost, 127.0.0.1 or [::1]. */
static bool host_name_ok(const fg_web_server_t *srv, const char *host, size_t len) {
    static const char *const local[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < sizeof local / sizeof *local; i++)
        if (strlen(local[i]) == len && strncasecmp(host, local[i], len) == 0)
            return true;
    const char *listen = web_listen_host(srv), *colon = strrchr(listen, ':');
    return colon && (size_t)(colon - listen) == len && strncasecmp(host, listen, len) == 0;
}

/* The Host check (see web-private.h): "name" or "name:port" with the port
 * bound. */
bool web_host_allowed(const fg_web_server_t *srv, const char *host) {
    if (fg_web_port(srv) == 0)
        return true; /* a unix socket: no browser reaches it through DNS */
    if (!host || !*host)
        return false;
    const char *colon = strrchr(host, ':');
    if (colon && strchr(colon, ']')) /* "[::1]" without a port */
        colon = NULL;
    size_t len = colon ? (size_t)(colon - host) : strlen(host);
    if (!host_name_ok(srv, host, len))
        return false;
    if (!colon)
        return true;
    char port[16];
    snprintf(port, sizeof port, "%u", fg_web_port(srv));
    return strcmp(colon + 1, port) == 0;
}

/* The security headers of every response (see web-private.h). */
void web_security_headers(struct MHD_Response *response) {
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_SECURITY_POLICY,
                            "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                            "base-uri 'none'; frame-ancestors 'none'; form-action 'self'");
    MHD_add_response_header(response, MHD_HTTP_HEADER_X_CONTENT_TYPE_OPTIONS, "nosniff");
    MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(response, "X-Frame-Options", "DENY");
}

/* A text parameter within [web] max_query (see web-private.h). */
const char *web_param_text(web_req_t *r, const char *name, bool *ok) {
    const char *v = web_param(r, name);
    *ok = true;
    if (v && strlen(v) > r->conf->cfg.web_max_query) {
        *ok = false;
        web_reply_error(r, MHD_HTTP_CONTENT_TOO_LARGE, "too_long",
                        "%s: longer than %u bytes ([web] max_query)", name,
                        (unsigned)r->conf->cfg.web_max_query);
        return NULL;
    }
    return v;
}
