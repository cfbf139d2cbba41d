/*
 * plugin_host.h - what the plugin suites share: a fresh home and index with
 * documents fed in, and the built libfundgrube.so loaded as a host loads it.
 */
#ifndef FG_TESTS_PLUGIN_HOST_H
#define FG_TESTS_PLUGIN_HOST_H

#include "fundgrube/fundgrube.h"

/*
 * Makes HOME the folder home (XDG_* and FUNDGRUBE_CONFIG unset), feeds every
 * folder of the NULL-terminated list folders into a new index at ixdir with the
 * default configuration, and asserts that each step succeeds.
 */
void plugin_host_index(const char *home, const char *ixdir, const char *const *folders);

/*
 * dlopens the built plugin, checks its entry point and ABI major, and opens the
 * index at ixdir through it; asserts each step.  *so, *api and *h receive the
 * handle, the table and the open index.
 */
void plugin_host_open(const char *ixdir, void **so, const fg_plugin_api_t **api, fg_handle_t **h);

#endif
