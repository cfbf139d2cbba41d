/*
 * test_path.c - fg_path_at_or_below(): whole components, the root, slashes.
 */
#include <criterion/criterion.h>

#include "common/path.h"

Test(path, whole_components) {
    cr_assert(fg_path_at_or_below("/a/b", "/a"));
    cr_assert(fg_path_at_or_below("/a", "/a"));
    cr_assert(fg_path_at_or_below("/a/b/c.txt", "/a/b"));
    cr_assert_not(fg_path_at_or_below("/ab", "/a"));
    cr_assert_not(fg_path_at_or_below("/a", "/a/b"));
    cr_assert_not(fg_path_at_or_below("/b/a", "/a"));
}

Test(path, the_root_holds_everything) {
    cr_assert(fg_path_at_or_below("/x", "/"));
    cr_assert(fg_path_at_or_below("/", "/"));
    cr_assert(fg_path_at_or_below("/home/a/b.txt", "//"));
    cr_assert_not(fg_path_at_or_below("relative", "/"));
}

Test(path, trailing_slashes_and_lengths) {
    cr_assert(fg_path_at_or_below("/a/b", "/a/"));
    cr_assert_not(fg_path_at_or_below("/ab", "/a/"));
    cr_assert(fg_path_at_or_below_n("/a/b", "/a/zzz", 2));
    cr_assert_not(fg_path_at_or_below_n("/ab", "/a/zzz", 2));
}
