/*
 * auth.c - the access token of `fundgrube serve` (see web-private.h).
 *
 * On loopback the server needs no token (the Host check keeps browsers of
 * other sites out); listening on any other address, or with [web] token_file
 * set, every request but /login needs the token from the token file: as
 * "Authorization: Bearer TOKEN", or as the HttpOnly, SameSite=Strict cookie
 * that /login sets.  The file is made (0600, 32 random bytes as hex) when it
 * is missing; one that others may read is refused, as ssh refuses such a
 * key.  Each start also makes a one-time login code for the link it prints:
 * /login?code=CODE works once, /login?token=TOKEN always.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "web/web-private.h"

#define TOKEN_BYTES 32   /* random bytes of a new token (64 hex digits) */
#define CODE_BYTES 16    /* of a login code */
#define TOKEN_MIN_LEN 16 /* shortest token a file may hold */

/* Fills hex (2 n + 1 bytes) with n random bytes as hex; false on failure. */
static bool random_hex(char *hex, size_t n) {
    unsigned char raw[TOKEN_BYTES];
    if (n > sizeof raw || getrandom(raw, n, 0) != (ssize_t)n)
        return false;
    for (size_t i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", raw[i]);
    return true;
}

/* True when a and b are equal strings, in time that depends on b's length
 * only (b is the secret). */
static bool same_secret(const char *a, size_t alen, const char *b) {
    size_t blen = strlen(b);
    unsigned char diff = alen != blen;
    for (size_t i = 0; i < blen; i++)
        diff |= (unsigned char)((i < alen ? a[i] : 0) ^ b[i]);
    return diff == 0 && blen > 0;
}

/* Makes the folder of path (one level, 0700) when it is missing. */
static void make_parent(const char *path) {
    char dir[FG_PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
        *slash = '\0';
        mkdir(dir, 0700);
    }
}

/* Reads the token of an existing file fd (path for messages) into a. */
static fg_status_t read_token(web_auth_t *a, int fd, const char *path, char *err, size_t errlen) {
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        snprintf(err, errlen, "token file %s: not a regular file", path);
        return FG_INVALID;
    }
    if (sb.st_uid != geteuid() || (sb.st_mode & 077)) {
        snprintf(err, errlen,
                 "token file %s: others may read it (mode %03o): chmod 600 it, or remove it "
                 "for a new one",
                 path, (unsigned)(sb.st_mode & 0777));
        return FG_INVALID;
    }
    char buf[sizeof a->token + 2];
    ssize_t got = read(fd, buf, sizeof buf - 1);
    if (got < 0) {
        snprintf(err, errlen, "token file %s: %s", path, strerror(errno));
        return FG_IO;
    }
    buf[got] = '\0';
    size_t len = strcspn(buf, "\r\n");
    buf[len] = '\0';
    bool ok = len >= TOKEN_MIN_LEN && len < sizeof a->token;
    for (size_t i = 0; ok && i < len; i++)
        ok = buf[i] > ' ' && buf[i] < 0x7f;
    if (!ok) {
        snprintf(err, errlen,
                 "token file %s, line 1: expected a token of %d to %zu printable ASCII "
                 "characters",
                 path, TOKEN_MIN_LEN, sizeof a->token - 1);
        return FG_INVALID;
    }
    memcpy(a->token, buf, len + 1);
    return FG_OK;
}

/* Loads the token file (making it when missing) and a login code (see
 * web-private.h). */
fg_status_t web_auth_init(web_auth_t *a, bool required, const char *token_file,
                          const char *index_path, char *err, size_t errlen) {
    memset(a, 0, sizeof *a);
    atomic_init(&a->code_used, false);
    a->required = required || token_file[0];
    if (!a->required)
        return FG_OK;
    if (token_file[0]) {
        snprintf(a->file, sizeof a->file, "%s", token_file);
    } else { /* beside the index folder: ~/.local/share/fundgrube/web-token */
        snprintf(a->file, sizeof a->file, "%s", index_path);
        size_t n = strlen(a->file);
        while (n > 1 && a->file[n - 1] == '/')
            a->file[--n] = '\0';
        char *slash = strrchr(a->file, '/');
        if (!slash) {
            snprintf(err, errlen, "no folder for the token file: set [web] token_file");
            return FG_CONFIG;
        }
        snprintf(slash + 1, sizeof a->file - (size_t)(slash + 1 - a->file), "web-token");
    }
    int fd = open(a->file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        fg_status_t st = read_token(a, fd, a->file, err, errlen);
        close(fd);
        if (st != FG_OK)
            return st;
    } else if (errno == ENOENT) {
        make_parent(a->file);
        if (!random_hex(a->token, TOKEN_BYTES)) {
            snprintf(err, errlen, "no random bytes for a token: %s", strerror(errno));
            return FG_IO;
        }
        fd = open(a->file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        char line[sizeof a->token + 1];
        int n = snprintf(line, sizeof line, "%s\n", a->token);
        if (fd < 0 || write(fd, line, (size_t)n) != n || fsync(fd) != 0) {
            snprintf(err, errlen, "token file %s: %s", a->file, strerror(errno));
            if (fd >= 0) {
                close(fd);
                unlink(a->file);
            }
            return FG_IO;
        }
        close(fd);
        a->created = true;
    } else {
        snprintf(err, errlen, "token file %s: %s", a->file, strerror(errno));
        return FG_IO;
    }
    if (!random_hex(a->code, CODE_BYTES)) {
        snprintf(err, errlen, "no random bytes for a login code: %s", strerror(errno));
        return FG_IO;
    }
    return FG_OK;
}

/* True when the request carries the token (see web-private.h). */
bool web_auth_ok(const web_auth_t *a, struct MHD_Connection *conn, unsigned port) {
    if (!a->required)
        return true;
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        const char *t = h + 7;
        while (*t == ' ')
            t++;
        return same_secret(t, strlen(t), a->token);
    }
    char name[32];
    snprintf(name, sizeof name, "fundgrube_%u", port);
    const char *c = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, name);
    return c && same_secret(c, strlen(c), a->token);
}

/* GET /login?code= or ?token=: sets the cookie and sends the browser to the
 * page (see web-private.h). */
enum MHD_Result web_auth_login(web_req_t *r, web_auth_t *a, unsigned port) {
    if (!a->required)
        return web_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found",
                               "this server needs no login (it listens on loopback)");
    const char *code = web_param(r, "code"), *token = web_param(r, "token");
    bool ok = false;
    if (token)
        ok = same_secret(token, strlen(token), a->token);
    else if (code && same_secret(code, strlen(code), a->code))
        ok = !atomic_exchange(&a->code_used, true); /* once */
    if (!ok)
        return web_reply_error(r, MHD_HTTP_UNAUTHORIZED, "bad_login",
                               "this login link is not valid (a code works once): use the "
                               "token from %s",
                               a->file);
    static const char body[] = "<!doctype html><meta charset=utf-8><title>Fundgrube</title>"
                               "<p>Angemeldet. Weiter zur <a href=\"/\">Suche</a>.</p>\n";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    char cookie[sizeof a->token + 96];
    snprintf(cookie, sizeof cookie, "fundgrube_%u=%s; Path=/; HttpOnly; SameSite=Strict", port,
             a->token);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, cookie);
    MHD_add_response_header(resp, MHD_HTTP_HEADER_LOCATION, "/");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    return web_reply(r, MHD_HTTP_SEE_OTHER, resp);
}

/* Replies 401 to a request without the token (see web-private.h). */
enum MHD_Result web_auth_refuse(web_req_t *r) {
    if (strncmp(r->url, "/api/", 5) == 0 || strcmp(r->url, "/healthz") == 0)
        return web_reply_error(r, MHD_HTTP_UNAUTHORIZED, "unauthorized",
                               "this server needs its access token: send \"Authorization: "
                               "Bearer TOKEN\" (the token is in the server's token file)");
    static const char body[] =
        "<!doctype html><html lang=de><meta charset=utf-8><title>Fundgrube: Anmeldung "
        "nötig</title><h1>Anmeldung nötig</h1><p>Diese Fundgrube ist nicht nur auf diesem "
        "Rechner erreichbar. Öffne den Anmeldelink, den <code>fundgrube serve</code> beim Start "
        "ausgegeben hat, oder <code>/login?token=…</code> mit dem Schlüssel aus der "
        "Schlüsseldatei.</p>\n";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof body - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"fundgrube\"");
    return web_reply(r, MHD_HTTP_UNAUTHORIZED, resp);
}
