/*
 * api_document.c - GET /api/document/{docid} (a document's metadata and its
 * extracted text, HTML-escaped, with the query's matches in <mark>) and GET
 * /api/document/{docid}/raw (the original file as a download); also under
 * /api/doc/.  A document is named by its docid, never by a path from the
 * client, and the raw file is served only from below a watched folder,
 * opened with openat2(RESOLVE_BENEATH) from that folder, so neither "..",
 * nor a symbolic link leading out, nor a path the index holds for a folder
 * no longer watched, reaches another file (see web-private.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/path.h"
#include "web/web-private.h"

/* Asks the plugin for document docid (text marked for q when text); NULL
 * after replying 404 / 503 / 500. */
static fg_document_t *get_document(web_req_t *r, uint32_t docid, const char *q) {
    fg_handle_t *h = web_handle(r);
    if (!h)
        return NULL;
    fg_search_options_t so = {.struct_size = sizeof so,
                              .hl_start = "<mark>",
                              .hl_end = "</mark>",
                              .flags = FG_SEARCH_HTML,
                              .max_wildcard = r->conf->cfg.max_wildcard};
    fg_document_t *d = NULL;
    int st = r->api->document(h, docid, q, &so, &d);
    if (st == FG_NOT_FOUND)
        web_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "no document %u", docid);
    else if (st == FG_QUERY || st == FG_INVALID)
        web_reply_error(r, MHD_HTTP_BAD_REQUEST, "bad_query", "%s", r->api->last_error(h));
    else if (st != FG_OK)
        web_reply_error(r, MHD_HTTP_INTERNAL_SERVER_ERROR, "document_failed", "%s",
                        r->api->last_error(h));
    return st == FG_OK ? d : NULL;
}

/* GET /api/document/{docid}?q=: {"docid", "path", "title", "type", "author",
 * "date", "mtime", "size", "text", "matches", "truncated", "raw"}. */
enum MHD_Result web_api_document(web_req_t *r, uint32_t docid) {
    bool ok;
    const char *q = web_param_text(r, "q", &ok);
    if (!ok)
        return MHD_YES;
    fg_document_t *d = get_document(r, docid, q);
    if (!d)
        return MHD_YES;
    char raw[64];
    snprintf(raw, sizeof raw, "/api/document/%u/raw", docid);
    json_t *j = json_object();
    json_object_set_new(j, "docid", json_integer(d->docid));
    json_object_set_new(j, "path", web_json_str(d->path));
    json_object_set_new(j, "title", web_json_str(d->title));
    json_object_set_new(j, "type", web_json_str(d->type));
    json_object_set_new(j, "author", web_json_str(d->author));
    json_object_set_new(j, "date", web_json_str(d->date));
    json_object_set_new(j, "mtime", json_integer(d->mtime));
    json_object_set_new(j, "size", json_integer((json_int_t)d->size));
    json_object_set_new(j, "text", web_json_str(d->text));
    json_object_set_new(j, "matches", json_integer(d->matches));
    json_object_set_new(j, "truncated", json_boolean(d->truncated));
    json_object_set_new(j, "raw", json_string(raw));
    r->api->document_free(d);
    return web_reply_json(r, MHD_HTTP_OK, j);
}

/* The Content-Type of a download of a document of type. */
static const char *content_type(const char *type) {
    static const char *const types[][2] = {
        {"pdf", "application/pdf"},
        {"txt", "text/plain; charset=utf-8"},
        {"md", "text/markdown; charset=utf-8"},
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"xhtml", "application/xhtml+xml"},
        {"odt", "application/vnd.oasis.opendocument.text"},
        {"ods", "application/vnd.oasis.opendocument.spreadsheet"},
        {"odp", "application/vnd.oasis.opendocument.presentation"},
        {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
        {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
        {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
        {"epub", "application/epub+zip"},
        {"rtf", "application/rtf"},
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(type, types[i][0]) == 0)
            return types[i][1];
    return "application/octet-stream";
}

/* Opens rel below the folder dirfd without leaving it (RESOLVE_BENEATH:
 * no "..", no absolute symbolic link, no link out).  Without openat2 (old
 * kernels) the resolved path must lie below the resolved folder root.
 * Returns the descriptor or -1 with errno (EXDEV: it leads out). */
static int open_beneath(int dirfd, const char *root, const char *rel) {
    struct open_how how = {.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY,
                           .resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS};
    long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
    if (fd >= 0 || errno != ENOSYS)
        return (int)fd;
    char rroot[PATH_MAX], rfile[PATH_MAX], *full = NULL;
    if (asprintf(&full, "%s/%s", root, rel) < 0)
        return -1;
    bool resolved = realpath(root, rroot) && realpath(full, rfile);
    free(full);
    if (!resolved)
        return -1;
    if (!fg_path_at_or_below(rfile, rroot)) {
        errno = EXDEV;
        return -1;
    }
    return open(rfile, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
}

/* Opens the file at path if it lies below one of the watched folders of
 * the configuration (see the file comment); -1 with errno otherwise
 * (EACCES: below none). */
static int open_watched(const web_conf_t *c, const char *path) {
    const fg_strlist_t *roots = &c->cfg.watch_folders;
    for (size_t i = 0; i < roots->count; i++) {
        const char *root = roots->items[i];
        if (!fg_path_at_or_below(path, root))
            continue;
        size_t n = strlen(root);
        while (n > 1 && root[n - 1] == '/')
            n--;
        const char *rel = path + n;
        while (*rel == '/')
            rel++;
        if (!*rel)
            continue; /* the folder itself is no file */
        int dirfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
            return -1;
        int fd = open_beneath(dirfd, root, rel);
        int saved = errno;
        close(dirfd);
        errno = saved;
        return fd;
    }
    errno = EACCES;
    return -1;
}

/* Writes the Content-Disposition of a download of path into buf:
 * attachment with an ASCII filename and the UTF-8 one (RFC 6266). */
static void disposition(const char *path, char *buf, size_t len) {
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    char ascii[256], utf8[768];
    size_t a = 0, u = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (a + 1 < sizeof ascii)
            ascii[a++] = (*p >= 0x20 && *p < 0x7F && *p != '"' && *p != '\\') ? (char)*p : '_';
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_';
        if (plain && u + 1 < sizeof utf8)
            utf8[u++] = (char)*p;
        else if (!plain && u + 3 < sizeof utf8)
            u += (size_t)snprintf(utf8 + u, sizeof utf8 - u, "%%%02X", *p);
    }
    ascii[a] = utf8[u] = '\0';
    snprintf(buf, len, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, utf8);
}

/* GET /api/document/{docid}/raw: the file as it is now, when it lies below
 * a watched folder (403 otherwise, 404 when it is gone). */
enum MHD_Result web_api_raw(web_req_t *r, uint32_t docid) {
    fg_document_t *d = get_document(r, docid, NULL);
    if (!d)
        return MHD_YES;
    int fd = open_watched(r->conf, d->path);
    struct stat sb;
    enum MHD_Result res;
    if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
        res = web_reply_error(r, MHD_HTTP_NOT_FOUND, "not_found", "the file of document %u is gone",
                              docid);
    } else if (fd < 0) {
        res = web_reply_error(r, MHD_HTTP_FORBIDDEN, "outside_watched",
                              "the file of document %u is not below a watched folder", docid);
    } else if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        res = web_reply_error(r, MHD_HTTP_FORBIDDEN, "not_a_file",
                              "the file of document %u is no regular file", docid);
    } else {
        struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)sb.st_size, fd);
        if (!resp) {
            close(fd);
            r->api->document_free(d);
            return MHD_NO;
        }
        char disp[1200];
        disposition(d->path, disp, sizeof disp);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type(d->type));
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disp);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_SECURITY_POLICY, "sandbox");
        res = web_reply(r, MHD_HTTP_OK, resp);
    }
    r->api->document_free(d);
    return res;
}
