/*
 * test_hash.c - fg_fnv1a64() gives the published FNV-1a 64 values.
 */
#include <criterion/criterion.h>

#include "common/hash.h"

Test(hash, fnv1a64_reference_values) {
    /* from the FNV reference (isthe.com/chongo/tech/comp/fnv) */
    cr_assert_eq(fg_fnv1a64(FG_FNV64_OFFSET, "", 0), 0xcbf29ce484222325ULL);
    cr_assert_eq(fg_fnv1a64(FG_FNV64_OFFSET, "a", 1), 0xaf63dc4c8601ec8cULL);
    cr_assert_eq(fg_fnv1a64(FG_FNV64_OFFSET, "foobar", 6), 0x85944171f73967e8ULL);
    /* continuing equals hashing the concatenation */
    cr_assert_eq(fg_fnv1a64(fg_fnv1a64(FG_FNV64_OFFSET, "foo", 3), "bar", 3),
                 fg_fnv1a64(FG_FNV64_OFFSET, "foobar", 6));
}
