/*
 * search_settings.c - the settings a plugin host passes on: the keys the
 * key table marks as search settings, as "section.key=value" (see config.h).
 */
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>

/* A list being built. */
typedef struct settings_list {
    char **items;
    size_t n;
    bool failed;
} settings_list_t;

/* fg_config_foreach() callback: keeps a search key as "section.key=value";
 * the list stays NULL-terminated. */
static void keep_search_key(void *ctx, const char *section, const char *key, const char *value,
                            const char *origin) {
    settings_list_t *l = ctx;
    (void)origin;
    const fg_config_key_t *k = fg_config_key_find(section, key);
    if (!k || !k->search || l->failed)
        return;
    char **grown = realloc(l->items, (l->n + 2) * sizeof *grown);
    if (!grown) {
        l->failed = true;
        return;
    }
    l->items = grown;
    l->items[l->n + 1] = NULL;
    if (asprintf(&l->items[l->n], "%s.%s=%s", section, key, value) < 0) {
        l->items[l->n] = NULL;
        l->failed = true;
        return;
    }
    l->n++;
}

/* The search settings of a configuration (see config.h). */
char **fg_config_search_settings(const fg_config_t *c) {
    settings_list_t l = {0};
    fg_config_foreach(c, keep_search_key, &l);
    if (l.failed || !l.items) {
        fg_config_search_settings_free(l.items);
        return NULL;
    }
    return l.items;
}

/* Frees a settings list (see config.h). */
void fg_config_search_settings_free(char **list) {
    for (size_t i = 0; list && list[i]; i++)
        free(list[i]);
    free(list);
}
