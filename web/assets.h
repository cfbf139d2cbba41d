/*
 * assets.h - the files of web/page/, embedded in the binary at build time
 * (web/embed.cmake writes the table), served by static.c.
 */
#ifndef FG_WEB_ASSETS_H
#define FG_WEB_ASSETS_H

#include <stddef.h>

/* One embedded file. */
typedef struct web_asset {
    const char *name;          /* its file name in web/page/, "app.js" */
    const unsigned char *data; /* its bytes (NUL-terminated, the NUL not counted) */
    size_t len;
} web_asset_t;

/* Every asset, ended by one with name NULL. */
extern const web_asset_t web_assets[];

#endif
