/*
 * server.c - the HTTP server of `fundgrube serve` (see web.h): libmicrohttpd
 * with a pool of worker threads, each with its own plugin handle (Xapian
 * objects never cross threads) opened on its first request, the
 * configuration re-read on SIGHUP, a graceful stop on SIGTERM, and the
 * routing of a request to its endpoint.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "web/web-private.h"

#define STOP_GRACE_MS 5000 /* longest wait for requests in flight at stop */
#define MEMORY_LIMIT 32768 /* bytes per connection: longer request lines get 414 */
#define URL_MAX (FG_PATH_MAX + 64)

/* A running server (opaque in web.h). */
struct fg_web_server {
    const fg_plugin_api_t *api;
    char *config_path, *index_path; /* the options, copied */
    pthread_mutex_t lock;           /* guards conf, refs, next_generation, threads */
    web_conf_t *conf;
    unsigned next_generation;
    web_thread_t *threads;
    struct MHD_Daemon *daemon;
    int listen_fd;
    char listen[FG_PATH_MAX]; /* as configured */
    bool listen_given;        /* by the options (--listen), not the configuration */
    char url[URL_MAX];
    char unix_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    unsigned port;
    bool loopback;   /* a loopback address or a unix socket */
    web_auth_t auth; /* the access token (auth.c) */
    char login_url[URL_MAX + 80];
    atomic_int in_flight; /* requests between their first call and completion */
    sigset_t signals;     /* blocked for the workers, taken by fg_web_wait() */
};

/* The worker thread's state (the pool threads are libmicrohttpd's). */
static _Thread_local web_thread_t *this_thread;

/* Prints "fundgrube serve: " and the message to stderr. */
static void log_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fputs("fundgrube serve: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ------------------------------------------------------------ configuration */

/* Frees a configuration that no request holds any more. */
static void conf_free(web_conf_t *c) {
    if (!c)
        return;
    fg_config_search_settings_free(c->settings);
    fg_config_free(&c->cfg);
    free(c);
}

/* Loads the configuration file with the options over it; NULL with err
 * set on failure. */
static web_conf_t *conf_load(fg_web_server_t *srv, char *err, size_t errlen) {
    web_conf_t *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (fg_config_load(&c->cfg, srv->config_path, err, errlen) != FG_OK) {
        free(c);
        return NULL;
    }
    char why[1024];
    if (srv->index_path && fg_config_set(&c->cfg, "index", "path", srv->index_path,
                                         FG_CFG_COMMAND_LINE, why, sizeof why) != FG_OK) {
        snprintf(err, errlen, "--index: %s", why);
        conf_free(c);
        return NULL;
    }
    c->settings = fg_config_search_settings(&c->cfg);
    if (!c->settings) {
        snprintf(err, errlen, "out of memory");
        conf_free(c);
        return NULL;
    }
    c->refs = 1;
    return c;
}

/* A reference to the current configuration (release with conf_put()). */
static web_conf_t *conf_get(fg_web_server_t *srv) {
    pthread_mutex_lock(&srv->lock);
    web_conf_t *c = srv->conf;
    c->refs++;
    pthread_mutex_unlock(&srv->lock);
    return c;
}

/* Releases a reference; the last frees the configuration. */
static void conf_put(fg_web_server_t *srv, web_conf_t *c) {
    if (!c)
        return;
    pthread_mutex_lock(&srv->lock);
    bool last = --c->refs == 0;
    pthread_mutex_unlock(&srv->lock);
    if (last)
        conf_free(c);
}

/* Re-reads the configuration (SIGHUP); a bad file keeps the old one. */
static void conf_reload(fg_web_server_t *srv) {
    char err[1024];
    web_conf_t *c = conf_load(srv, err, sizeof err);
    if (!c) {
        log_error("SIGHUP: %s (keeping the configuration in use)", err);
        return;
    }
    if (!srv->listen_given && strcmp(c->cfg.web_listen, srv->listen) != 0)
        log_error("SIGHUP: [web] listen changed to %s: restart to listen there", c->cfg.web_listen);
    pthread_mutex_lock(&srv->lock);
    web_conf_t *old = srv->conf;
    c->generation = ++srv->next_generation;
    srv->conf = c;
    pthread_mutex_unlock(&srv->lock);
    conf_put(srv, old);
}

/* ------------------------------------------------------------ per thread */

/* The state of the calling worker thread, made on its first request. */
static web_thread_t *thread_state(fg_web_server_t *srv) {
    if (this_thread)
        return this_thread;
    web_thread_t *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    pthread_mutex_lock(&srv->lock);
    t->next = srv->threads;
    srv->threads = t;
    pthread_mutex_unlock(&srv->lock);
    this_thread = t;
    return t;
}

/* The thread's plugin handle for the request's configuration (see
 * web-private.h). */
fg_handle_t *web_handle(web_req_t *r) {
    web_thread_t *t = r->thread;
    if (t->h && t->h_generation != r->conf->generation) {
        r->api->close(t->h);
        t->h = NULL;
    }
    if (!t->h) {
        char err[1024] = "";
        if (r->api->open_with(r->conf->cfg.index_path, (const char *const *)r->conf->settings,
                              &t->h, err, sizeof err) != FG_OK) {
            t->h = NULL;
            web_reply_error(r, MHD_HTTP_SERVICE_UNAVAILABLE, "index_unavailable",
                            "the index cannot be opened: %s", err);
            return NULL;
        }
        t->h_generation = r->conf->generation;
    }
    return t->h;
}

/* The thread's analyzer for the request's configuration (see
 * web-private.h). */
fg_analyzer_t *web_analyzer(web_req_t *r) {
    web_thread_t *t = r->thread;
    if (t->analyzer && t->a_generation != r->conf->generation) {
        fg_analyzer_free(t->analyzer);
        t->analyzer = NULL;
    }
    if (!t->analyzer) {
        char err[1024] = "";
        if (fg_analyzer_new(&r->conf->cfg.analysis, &t->analyzer, err, sizeof err) != FG_OK) {
            t->analyzer = NULL;
            web_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "analysis",
                            "the [analysis] settings cannot be used: %s", err);
            return NULL;
        }
        t->a_generation = r->conf->generation;
    }
    return t->analyzer;
}

/* The listen address as configured (see web-private.h). */
const char *web_listen_host(const fg_web_server_t *srv) {
    return srv->listen;
}

/* ------------------------------------------------------------ routing */

/* The docid of text ("123" up to the end or a '/'), *rest after it; 0 when
 * text is no docid. */
static uint32_t parse_docid(const char *text, const char **rest) {
    uint64_t v = 0;
    const char *p = text;
    while (*p >= '0' && *p <= '9' && v <= UINT32_MAX)
        v = v * 10 + (uint64_t)(*p++ - '0');
    *rest = p;
    if (p == text || v == 0 || v > UINT32_MAX || (*p && *p != '/'))
        return 0;
    return (uint32_t)v;
}

/* Answers a request for /api/document/{docid}[/raw] (also /api/doc/...) and
 * /api/similar/{docid}. */
static enum MHD_Result route_docid(web_req_t *r, const char *tail, bool similar) {
    const char *rest;
    uint32_t docid = parse_docid(tail, &rest);
    if (!docid)
        return web_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "no document '%s'", tail);
    if (similar && !*rest)
        return web_api_similar(r, docid);
    if (!similar && !*rest)
        return web_api_document(r, docid);
    if (!similar && strcmp(rest, "/raw") == 0)
        return web_api_raw(r, docid);
    return web_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "no such resource");
}

/* Sends the request to its endpoint. */
static enum MHD_Result route(web_req_t *r) {
    static const struct {
        const char *path;
        enum MHD_Result (*fn)(web_req_t *);
    } exact[] = {
        {"/api/search", web_api_search},   {"/api/suggest", web_api_suggest},
        {"/api/analyze", web_api_analyze}, {"/api/status", web_api_status},
        {"/healthz", web_api_status},      {"/opensearch.xml", web_opensearch},
    };
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (strcmp(r->url, exact[i].path) == 0)
            return exact[i].fn(r);
    static const char *const doc_prefixes[] = {"/api/document/", "/api/doc/"};
    for (size_t i = 0; i < 2; i++)
        if (strncmp(r->url, doc_prefixes[i], strlen(doc_prefixes[i])) == 0)
            return route_docid(r, r->url + strlen(doc_prefixes[i]), false);
    if (strncmp(r->url, "/api/similar/", 13) == 0)
        return route_docid(r, r->url + 13, true);
    enum MHD_Result res;
    if (web_static(r, &res))
        return res;
    return web_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "no such resource");
}

/* What libmicrohttpd keeps per request for us. */
typedef struct req_state {
    bool body; /* the request came with a body */
} req_state_t;

/* libmicrohttpd's request callback: checks method, body and Host, then
 * routes (see MHD_AccessHandlerCallback). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
    fg_web_server_t *srv = cls;
    (void)version, (void)upload;
    req_state_t *st = *con_cls;
    if (!st) {
        if (!(st = calloc(1, sizeof *st)))
            return MHD_NO;
        *con_cls = st;
        atomic_fetch_add(&srv->in_flight, 1);
        return MHD_YES;
    }
    if (*upload_size) { /* no endpoint takes a body: drop it, refuse below */
        st->body = true;
        *upload_size = 0;
        return MHD_YES;
    }
    web_thread_t *t = thread_state(srv);
    if (!t)
        return MHD_NO;
    web_req_t r = {.srv = srv,
                   .conn = conn,
                   .url = url,
                   .api = srv->api,
                   .thread = t,
                   .head = strcmp(method, "HEAD") == 0};
    r.conf = conf_get(srv);
    enum MHD_Result res;
    if (strcmp(method, "GET") != 0 && !r.head)
        res = web_reply_error(&r, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
                              "%s is not allowed: only GET and HEAD", method);
    else if (st->body)
        res = web_reply_error(&r, MHD_HTTP_CONTENT_TOO_LARGE, "body_not_allowed",
                              "requests take no body");
    else if (srv->loopback &&
             !web_host_allowed(srv, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host")))
        res =
            web_reply_error(&r, MHD_HTTP_FORBIDDEN, "bad_host",
                            "the Host header must name this server (%s) or localhost", srv->listen);
    else if (strcmp(url, "/login") == 0)
        res = web_auth_login(&r, &srv->auth, srv->port);
    else if (!web_auth_ok(&srv->auth, conn, srv->port))
        res = web_auth_refuse(&r);
    else
        res = route(&r);
    conf_put(srv, r.conf);
    return res;
}

/* libmicrohttpd's completion callback: the request is over. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode why) {
    fg_web_server_t *srv = cls;
    (void)conn, (void)why;
    if (*con_cls) {
        free(*con_cls);
        *con_cls = NULL;
        atomic_fetch_sub(&srv->in_flight, 1);
    }
}

/* libmicrohttpd's error messages, to stderr. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
    (void)cls;
    fputs("fundgrube serve: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ------------------------------------------------------------ listening */

/* Binds and listens on a unix socket at path (a stale socket there is
 * replaced; any other file is an error). */
static fg_status_t listen_unix(fg_web_server_t *srv, const char *path, char *err, size_t errlen) {
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "listen unix:%s: path too long", path);
        return FG_INVALID;
    }
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    struct stat sb;
    if (lstat(path, &sb) == 0) {
        if (!S_ISSOCK(sb.st_mode)) {
            snprintf(err, errlen, "listen unix:%s: exists and is no socket", path);
            return FG_IO;
        }
        unlink(path);
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    mode_t old = umask(077); /* the socket only for its owner */
    int rc = fd < 0 ? -1 : bind(fd, (struct sockaddr *)&sa, sizeof sa);
    umask(old);
    if (rc != 0 || listen(fd, 64) != 0) {
        snprintf(err, errlen, "listen unix:%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return FG_IO;
    }
    srv->listen_fd = fd;
    snprintf(srv->unix_path, sizeof srv->unix_path, "%s", path);
    snprintf(srv->url, sizeof srv->url, "unix:%s", path);
    return FG_OK;
}

/* Binds and listens on HOST:PORT; srv->loopback says whether HOST is a
 * loopback address (else the access token is required, see auth.c). */
static fg_status_t listen_tcp(fg_web_server_t *srv, const char *addr, char *err, size_t errlen) {
    const char *colon = strrchr(addr, ':');
    char host[64];
    if (!colon || (size_t)(colon - addr) >= sizeof host) {
        snprintf(err, errlen, "listen %s: expected HOST:PORT or unix:PATH", addr);
        return FG_INVALID;
    }
    snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
    unsigned long port = strtoul(colon + 1, NULL, 10);
    struct sockaddr_storage ss = {0};
    socklen_t len;
    bool loopback;
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    size_t hl = strlen(host);
    if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
        host[hl - 1] = '\0';
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &in6->sin6_addr) != 1)
            goto bad;
        loopback = IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
        len = sizeof *in6;
    } else {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &in4->sin_addr) != 1)
            goto bad;
        loopback = (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
        len = sizeof *in4;
    }
    srv->loopback = loopback;
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
        snprintf(err, errlen, "listen %s: %s", addr, strerror(errno));
        if (fd >= 0)
            close(fd);
        return FG_IO;
    }
    srv->listen_fd = fd;
    srv->port = ntohs(ss.ss_family == AF_INET6 ? in6->sin6_port : in4->sin_port);
    char name[256] = "";
    bool any = ss.ss_family == AF_INET6 ? IN6_IS_ADDR_UNSPECIFIED(&in6->sin6_addr)
                                        : in4->sin_addr.s_addr == htonl(INADDR_ANY);
    if (any && (gethostname(name, sizeof name - 1) != 0 || !name[0]))
        snprintf(name, sizeof name, "%s", "localhost");
    if (any)
        snprintf(srv->url, sizeof srv->url, "http://%s:%u/", name, srv->port);
    else if (ss.ss_family == AF_INET6)
        snprintf(srv->url, sizeof srv->url, "http://[%s]:%u/", host + 1, srv->port);
    else
        snprintf(srv->url, sizeof srv->url, "http://%s:%u/", host, srv->port);
    return FG_OK;
bad:
    snprintf(err, errlen, "listen %s: '%s' is no IP address", addr, host);
    return FG_INVALID;
}

/* ------------------------------------------------------------ life */

/* Starts a server (see web.h). */
fg_status_t fg_web_start(const fg_web_options_t *o, fg_web_server_t **out, char *err,
                         size_t errlen) {
    *out = NULL;
    if (!o->api || o->api->struct_size < FG_PLUGIN_API_MIN_SIZE(words_free)) {
        snprintf(err, errlen, "the search plugin is too old for fundgrube serve (needs ABI 1.4)");
        return FG_INVALID;
    }
    fg_web_server_t *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        return FG_NOMEM;
    }
    srv->api = o->api;
    srv->listen_fd = -1;
    pthread_mutex_init(&srv->lock, NULL);
    fg_status_t st = FG_NOMEM;
    if ((o->config_path && !(srv->config_path = strdup(o->config_path))) ||
        (o->index_path && !(srv->index_path = strdup(o->index_path)))) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (!(srv->conf = conf_load(srv, err, errlen))) {
        st = FG_CONFIG;
        goto fail;
    }
    srv->conf->generation = ++srv->next_generation;
    snprintf(srv->listen, sizeof srv->listen, "%s",
             o->listen ? o->listen : srv->conf->cfg.web_listen);
    srv->listen_given = o->listen != NULL;
    srv->loopback = true;
    if (strncmp(srv->listen, "unix:", 5) == 0)
        st = listen_unix(srv, srv->listen + 5, err, errlen);
    else
        st = listen_tcp(srv, srv->listen, err, errlen);
    if (st != FG_OK)
        goto fail;
    st = web_auth_init(&srv->auth, !srv->loopback, srv->conf->cfg.web_token_file,
                       srv->conf->cfg.index_path, err, errlen);
    if (st != FG_OK)
        goto fail;
    if (srv->auth.required && srv->port)
        snprintf(srv->login_url, sizeof srv->login_url, "%slogin?code=%s", srv->url,
                 srv->auth.code);

    sigemptyset(&srv->signals);
    sigaddset(&srv->signals, SIGTERM);
    sigaddset(&srv->signals, SIGINT);
    sigaddset(&srv->signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &srv->signals, NULL);
    const fg_config_t *cfg = &srv->conf->cfg;
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL,
        NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, srv->listen_fd, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)cfg->web_threads, MHD_OPTION_CONNECTION_LIMIT, (unsigned)cfg->web_max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->web_timeout_s,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_LIMIT, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_END);
    if (!srv->daemon) {
        snprintf(err, errlen, "cannot start the HTTP server on %s", srv->listen);
        st = FG_IO;
        goto fail;
    }
    *out = srv;
    return FG_OK;
fail:
    fg_web_stop(srv);
    return st;
}

/* The URL (see web.h). */
const char *fg_web_url(const fg_web_server_t *srv) {
    return srv->url;
}

/* The one-time login link, or "" (see web.h). */
const char *fg_web_login_url(const fg_web_server_t *srv) {
    return srv->login_url;
}

/* The token file, or "" (see web.h). */
const char *fg_web_token_file(const fg_web_server_t *srv) {
    return srv->auth.required ? srv->auth.file : "";
}

/* The port (see web.h). */
unsigned fg_web_port(const fg_web_server_t *srv) {
    return srv->port;
}

/* Waits for SIGTERM/SIGINT, reloading on SIGHUP (see web.h). */
void fg_web_wait(fg_web_server_t *srv) {
    for (;;) {
        int sig = 0;
        if (sigwait(&srv->signals, &sig) != 0)
            continue;
        if (sig == SIGHUP)
            conf_reload(srv);
        else
            return;
    }
}

/* Milliseconds of a monotonic clock (see web-private.h). */
double web_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* Stops the server gracefully and frees it (see web.h). */
void fg_web_stop(fg_web_server_t *srv) {
    if (!srv)
        return;
    if (srv->daemon) {
        MHD_socket fd = MHD_quiesce_daemon(srv->daemon); /* no new connections */
        double until = web_now_ms() + STOP_GRACE_MS;
        while (atomic_load(&srv->in_flight) > 0 && web_now_ms() < until) {
            struct timespec ts = {0, 10 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
        MHD_stop_daemon(srv->daemon); /* closes the listen socket unless quiesced */
        srv->listen_fd = fd != MHD_INVALID_SOCKET ? fd : -1;
    }
    if (srv->listen_fd >= 0)
        close(srv->listen_fd);
    if (srv->unix_path[0])
        unlink(srv->unix_path);
    for (web_thread_t *t = srv->threads, *next; t; t = next) {
        next = t->next;
        if (t->h)
            srv->api->close(t->h);
        fg_analyzer_free(t->analyzer);
        free(t);
    }
    conf_free(srv->conf);
    pthread_mutex_destroy(&srv->lock);
    free(srv->config_path);
    free(srv->index_path);
    free(srv);
}
