/*
 * test_path.c - fg_path_at_or_below(): whole components, the root, slashes;
 * fg_path_expand_home(): "~" and "~/" only, trailing slashes of home.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

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

/* Checks that fg_path_expand_home(path, home) gives want (NULL: fails). */
static void expect_expanded(const char *path, const char *home, const char *want) {
    char *got = fg_path_expand_home(path, home);
    if (!want)
        cr_expect_null(got, "'%s' with home '%s' gave '%s'", path, home ? home : "(null)", got);
    else
        cr_expect_str_eq(got ? got : "(null)", want, "'%s' with home '%s'", path,
                         home ? home : "(null)");
    free(got);
}

Test(path, expand_home) {
    expect_expanded("~/Dokumente", "/home/anna", "/home/anna/Dokumente");
    expect_expanded("~", "/home/anna", "/home/anna");
    expect_expanded("~", "/home/anna/", "/home/anna/"); /* a lone "~" is home itself */
    expect_expanded("~/x", "/home/anna/", "/home/anna/x");
    expect_expanded("~/x", "/", "/x");
    expect_expanded("~/", "/home/anna", "/home/anna/");
    expect_expanded("/abs/pfad", "/home/anna", "/abs/pfad");
    expect_expanded("relativ/~/x", "/home/anna", "relativ/~/x");
    expect_expanded("~anna/x", "/home/anna", "~anna/x");
    expect_expanded("", "/home/anna", "");
    expect_expanded("/abs", NULL, "/abs"); /* no home needed */
    expect_expanded("~/x", NULL, NULL);
    expect_expanded("~", "", NULL);
    expect_expanded(NULL, "/home/anna", NULL);
    cr_expect(fg_path_needs_home("~"));
    cr_expect(fg_path_needs_home("~/a"));
    cr_expect_not(fg_path_needs_home("~a"));
    cr_expect_not(fg_path_needs_home("/~"));
    cr_expect_not(fg_path_needs_home(NULL));
}
