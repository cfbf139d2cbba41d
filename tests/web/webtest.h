/*
 * webtest.h - what the suites of tests/web share: a small index of German
 * files, the real `fundgrube serve` started on a free loopback port, and a
 * tiny HTTP/1.1 client over plain sockets.
 */
#ifndef FG_TESTS_WEBTEST_H
#define FG_TESTS_WEBTEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A running server. */
typedef struct wt_server {
    pid_t pid;
    int out_fd;      /* its stdout */
    char url[512];   /* "http://HOST:PORT/" or "unix:PATH" (connected to on 127.0.0.1) */
    unsigned port;   /* 0 for a unix socket */
    char sock[108];  /* the unix socket's path, "" for TCP */
    char more[1024]; /* what it printed after the URL line with it ("" mostly) */
} wt_server_t;

/* One answer. */
typedef struct wt_reply {
    int status;    /* HTTP status, 0 when the request failed */
    char *headers; /* the header lines, "\r\n" between them */
    char *body;    /* NUL-terminated */
    size_t body_len;
} wt_reply_t;

/*
 * Starts `fundgrube serve` with the arguments args (NULL-terminated, after
 * "serve"), HOME home and no other configuration, and waits (10 s at most)
 * for the URL line on its stdout.  Asserts it comes.
 */
void wt_start(wt_server_t *s, const char *home, const char *const *args);

/* Sends sig to the server and waits for it to exit; returns the exit
 * status (128 + signal when a signal killed it). */
int wt_stop(wt_server_t *s, int sig);

/* Sends "METHOD path" with Host host (NULL: "127.0.0.1:PORT") and extra
 * header lines extra (NULL or "Name: value\r\n..."); reads the whole reply.
 * The path is sent as given (no encoding). */
wt_reply_t wt_request(const wt_server_t *s, const char *method, const char *path, const char *host,
                      const char *extra);

/* GET path with the right Host. */
wt_reply_t wt_get(const wt_server_t *s, const char *path);

/* The value of header name in r (case ignored; malloc'ed) or NULL. */
char *wt_header(const wt_reply_t *r, const char *name);

/* The body parsed as JSON; asserts it is JSON. */
json_t *wt_json(const wt_reply_t *r);

/* Frees a reply. */
void wt_reply_free(wt_reply_t *r);

/* Percent-encodes s for a query string (malloc'ed). */
char *wt_escape(const char *s);

#endif
