/*
 * static.c - the search page and its assets, embedded in the binary (see
 * assets.h): "/", "/analyze" and "/status" are the one page (its script
 * shows the view the path names), "/static/NAME" the files of web/page/.
 * Nothing outside the table is ever served (see web-private.h).
 */
#include <string.h>

#include "web/assets.h"
#include "web/web-private.h"

/* The Content-Type of an asset by its name's extension. */
static const char *asset_type(const char *name) {
    const char *dot = strrchr(name, '.');
    if (!dot)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    return "application/octet-stream";
}

/* The asset named name, or NULL. */
static const web_asset_t *find_asset(const char *name) {
    for (const web_asset_t *a = web_assets; a->name; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

/* Serves the asset of the request's path (see web-private.h). */
bool web_static(web_req_t *r, enum MHD_Result *result) {
    const char *name = NULL;
    if (strcmp(r->url, "/") == 0 || strcmp(r->url, "/analyze") == 0 ||
        strcmp(r->url, "/status") == 0)
        name = "index.html";
    else if (strncmp(r->url, "/static/", 8) == 0)
        name = r->url + 8;
    else if (strcmp(r->url, "/favicon.ico") == 0)
        name = "favicon.svg";
    const web_asset_t *a = name ? find_asset(name) : NULL;
    if (!a)
        return false;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        *result = MHD_NO;
        return true;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, asset_type(a->name));
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    *result = web_reply(r, MHD_HTTP_OK, resp);
    return true;
}
