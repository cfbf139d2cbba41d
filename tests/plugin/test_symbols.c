/*
 * test_symbols.c - libfundgrube.so exports exactly its entry point.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

Test(symbols, only_the_entry_point_is_exported) {
    char *so = tu_build_path("plugin/libfundgrube.so");
    const char *argv[] = {"/usr/bin/nm", "-D", "--defined-only", so, NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, NULL, &r));
    cr_assert_eq(r.status, 0, "nm: %s", r.err);
    int exported = 0, entry = 0;
    char *save = NULL;
    for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        /* "0000000000001234 T name" ; version nodes show as "A" */
        char addr[64], type[8], name[512];
        if (sscanf(line, "%63s %7s %511s", addr, type, name) != 3)
            continue;
        if (strcmp(type, "A") == 0)
            continue;
        exported++;
        if (strcmp(name, "fundgrube_plugin_entry") == 0)
            entry++;
        else
            cr_log_error("unexpected export: %s", line);
    }
    cr_assert_eq(entry, 1);
    cr_assert_eq(exported, 1, "exactly one exported symbol, got %d", exported);
    tu_run_free(&r);
    free(so);
}
