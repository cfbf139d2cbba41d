/*
 * webtest.c - the real server and a tiny HTTP client for tests/web (see
 * webtest.h).
 */
#include "webtest.h"

#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

/* Starts the server (see webtest.h). */
void wt_start(wt_server_t *s, const char *home, const char *const *args) {
    *s = (wt_server_t){0};
    char *exe = tu_build_path("cli/fundgrube");
    const char *argv[32] = {exe, "serve"};
    size_t n = 2;
    for (size_t i = 0; args && args[i] && n < 31; i++)
        argv[n++] = args[i];
    argv[n] = NULL;
    int pipefd[2];
    cr_assert_eq(pipe(pipefd), 0);
    pid_t pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        setenv("HOME", home, 1);
        unsetenv("FUNDGRUBE_CONFIG");
        unsetenv("XDG_CONFIG_HOME");
        unsetenv("XDG_DATA_HOME");
        execv(exe, (char *const *)argv);
        _exit(127);
    }
    free(exe);
    close(pipefd[1]);
    s->pid = pid;
    s->out_fd = pipefd[0];
    char line[512];
    size_t len = 0;
    while (len < sizeof line - 1 && !memchr(line, '\n', len)) {
        struct pollfd p = {.fd = s->out_fd, .events = POLLIN};
        cr_assert(poll(&p, 1, 10000) == 1, "fundgrube serve printed no URL in 10 s");
        ssize_t got = read(s->out_fd, line + len, sizeof line - 1 - len);
        cr_assert(got > 0, "fundgrube serve exited before printing its URL");
        len += (size_t)got;
    }
    line[len] = '\0';
    char *nl = strchr(line, '\n');
    *nl = '\0';
    snprintf(s->more, sizeof s->more, "%s", nl + 1); /* the login lines, if any */
    cr_assert(strncmp(line, "Fundgrube: ", 11) == 0, "first line: %s", line);
    snprintf(s->url, sizeof s->url, "%.500s", line + 11);
    if (strncmp(s->url, "unix:", 5) == 0)
        snprintf(s->sock, sizeof s->sock, "%.100s", s->url + 5);
    else
        cr_assert(strncmp(s->url, "http://", 7) == 0 && strrchr(s->url, ':') &&
                      sscanf(strrchr(s->url, ':'), ":%u/", &s->port) == 1,
                  "URL %s", s->url);
}

/* Stops the server (see webtest.h). */
int wt_stop(wt_server_t *s, int sig) {
    if (s->pid <= 0)
        return -1;
    kill(s->pid, sig);
    int status = 0;
    for (int i = 0; i < 1000; i++) { /* 10 s */
        if (waitpid(s->pid, &status, WNOHANG) == s->pid)
            break;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
        if (i == 999) {
            kill(s->pid, SIGKILL);
            waitpid(s->pid, &status, 0);
        }
    }
    close(s->out_fd);
    s->pid = 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Connects to the server; -1 on failure. */
static int connect_to(const wt_server_t *s) {
    int fd;
    if (s->sock[0]) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf(sa.sun_path, sizeof sa.sun_path, "%.100s", s->sock);
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return fd;
    } else {
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)s->port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        fd = socket(AF_INET, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return fd;
    }
    if (fd >= 0)
        close(fd);
    return -1;
}

/* Sends a request and reads the reply (see webtest.h). */
wt_reply_t wt_request(const wt_server_t *s, const char *method, const char *path, const char *host,
                      const char *extra) {
    wt_reply_t r = {0};
    char hostbuf[64];
    if (!host) {
        snprintf(hostbuf, sizeof hostbuf, "127.0.0.1:%u", s->port);
        host = hostbuf;
    }
    char *req = NULL;
    int n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n%s\r\n", method,
                     path, host, extra ? extra : "");
    cr_assert(n > 0);
    int fd = connect_to(s);
    cr_assert(fd >= 0, "cannot connect to %s: %s", s->url, strerror(errno));
    for (int off = 0; off < n;) {
        ssize_t w = write(fd, req + off, (size_t)(n - off));
        cr_assert(w > 0);
        off += (int)w;
    }
    free(req);
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 > cap)
            buf = realloc(buf, cap *= 2);
        struct pollfd p = {.fd = fd, .events = POLLIN};
        if (poll(&p, 1, 15000) != 1)
            break;
        ssize_t got = read(fd, buf + len, cap - len - 1);
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    close(fd);
    buf[len] = '\0';
    char *end = strstr(buf, "\r\n\r\n");
    if (!end || sscanf(buf, "HTTP/1.%*d %d", &r.status) != 1) {
        free(buf);
        r.status = 0;
        return r;
    }
    r.headers = strndup(buf, (size_t)(end - buf));
    r.body_len = len - (size_t)(end + 4 - buf);
    r.body = malloc(r.body_len + 1);
    memcpy(r.body, end + 4, r.body_len);
    r.body[r.body_len] = '\0';
    free(buf);
    return r;
}

/* GET with the right Host (see webtest.h). */
wt_reply_t wt_get(const wt_server_t *s, const char *path) {
    return wt_request(s, "GET", path, NULL, NULL);
}

/* A header's value (see webtest.h). */
char *wt_header(const wt_reply_t *r, const char *name) {
    size_t n = strlen(name);
    for (const char *line = r->headers; line;) {
        const char *next = strstr(line, "\r\n");
        if (strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ')
                v++;
            return strndup(v, next ? (size_t)(next - v) : strlen(v));
        }
        line = next ? next + 2 : NULL;
    }
    return NULL;
}

/* The body as JSON (see webtest.h). */
json_t *wt_json(const wt_reply_t *r) {
    json_error_t err;
    json_t *j = r->body ? json_loads(r->body, 0, &err) : NULL;
    cr_assert(j, "not JSON (%d): %s", r->status, r->body ? r->body : "(no body)");
    return j;
}

/* Frees a reply (see webtest.h). */
void wt_reply_free(wt_reply_t *r) {
    free(r->headers);
    free(r->body);
    *r = (wt_reply_t){0};
}

/* Percent-encodes s (see webtest.h). */
char *wt_escape(const char *s) {
    char *out = malloc(3 * strlen(s) + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.')
            *o++ = (char)*p;
        else
            o += sprintf(o, "%%%02X", *p);
    }
    *o = '\0';
    return out;
}
