/*
 * test_mail_search.c - mail end to end: `fundgrube index` over the test
 * messages (tests/extract/fixtures/mail) and a Maildir, then `fundgrube
 * search` with the mail filters (from:/von:, to:/an:, date:), the
 * attachment a hit is in, and the notes of skipped parts.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define MAIL FG_SOURCE_DIR "/tests/extract/fixtures/mail/"

static char *dir, *exe, *ixopt, *home_env, *index_err;

/* Copies the fixture name into the test tree as rel. */
static void copy(const char *name, const char *rel) {
    char path[1024];
    snprintf(path, sizeof path, MAIL "%s", name);
    size_t len;
    char *data = tu_read(path, &len);
    cr_assert(data, "%s", path);
    free(tu_write(dir, rel, data, len));
    free(data);
}

/* Puts the messages and a Maildir into docs/ and indexes them. */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    exe = tu_build_path("cli/fundgrube");
    cr_assert(asprintf(&ixopt, "--index=%s/index", dir) > 0);
    cr_assert(asprintf(&home_env, "HOME=%s", dir) > 0);
    copy("qp-german.eml", "docs/qp-german.eml");
    copy("pdf-attachment.eml", "docs/pdf-attachment.eml");
    copy("latin9.eml", "docs/latin9.eml");
    copy("broken-boundary.eml", "docs/broken-boundary.eml");
    copy("html-only.eml", "docs/Mail/cur/1720000000.M1P1.host:2,S");
    copy("cp1252.eml", "docs/Mail/new/1720000001.M2P1.host");
    free(tu_write_str(dir, "docs/Mail/tmp/.keep", ""));
    free(tu_write_str(dir, "docs/Mail/cur/notiz", "kein Mail, nur Text\n"));
    char *docs = NULL;
    cr_assert(asprintf(&docs, "%s/docs", dir) > 0);
    const char *argv[] = {exe, "index", ixopt, docs, NULL};
    const char *env[] = {home_env, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "Indexed 6 files"), "four .eml, two Maildir messages: %s", r.out);
    index_err = strdup(r.err);
    tu_run_free(&r);
    free(docs);
}

/* Removes what setup() made. */
static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
    free(exe);
    free(ixopt);
    free(home_env);
    free(index_err);
}

TestSuite(mail_search, .init = setup, .fini = teardown, .timeout = 120);

/* Runs `fundgrube search --index=... --json query`; returns the hit lines'
 * objects in an array (caller decrefs). */
static json_t *search_json(const char *query) {
    const char *argv[] = {exe, "search", ixopt, "--json", query, NULL};
    const char *env[] = {home_env, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    cr_assert_eq(r.status, 0, "%s: %s", query, r.err);
    json_t *hits = json_array();
    char *save = NULL;
    for (char *l = strtok_r(r.out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_error_t e;
        json_t *j = json_loads(l, 0, &e);
        cr_assert(j, "%s: %s", e.text, l);
        if (json_object_get(j, "path"))
            json_array_append(hits, j);
        json_decref(j);
    }
    tu_run_free(&r);
    return hits;
}

/* The string field key of hit i. */
static const char *field(json_t *hits, size_t i, const char *key) {
    const char *s = json_string_value(json_object_get(json_array_get(hits, i), key));
    return s ? s : "";
}

/* Asserts that query finds exactly the files named (by the end of their
 * paths, in any order), n of them. */
static void finds(const char *query, size_t n, const char *const *names) {
    json_t *hits = search_json(query);
    cr_assert_eq(json_array_size(hits), n, "%s: %zu hits", query, json_array_size(hits));
    for (size_t k = 0; k < n; k++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++) {
            const char *p = field(hits, i, "path");
            size_t pl = strlen(p), nl = strlen(names[k]);
            found = pl >= nl && strcmp(p + pl - nl, names[k]) == 0;
        }
        cr_assert(found, "%s: %s not among the hits", query, names[k]);
    }
    json_decref(hits);
}

Test(mail_search, sender_and_recipient_filters) {
    finds("from:Größmann", 4,
          (const char *[]){"qp-german.eml", "pdf-attachment.eml", "broken-boundary.eml",
                           "cur/1720000000.M1P1.host:2,S"});
    finds("von:juergen@example.de Müllabfuhr", 2,
          (const char *[]){"qp-german.eml", "pdf-attachment.eml"});
    finds("to:Büro", 1, (const char *[]){"qp-german.eml"}); /* Cc */
    finds("an:\"Jürgen Größmann\"", 1, (const char *[]){"latin9.eml"});
    finds("from:verkauf", 1, (const char *[]){"new/1720000001.M2P1.host"});
    finds("from:Größmann date:2024-07-31", 1, (const char *[]){"pdf-attachment.eml"});
    finds("author:Größmann date:2024-07", 4,
          (const char *[]){"qp-german.eml", "pdf-attachment.eml", "broken-boundary.eml",
                           "cur/1720000000.M1P1.host:2,S"});
}

/* A name in From or To, nowhere in the text, is found by a plain search,
 * and only by a word of its own (no phrase runs from the body into it). */
Test(mail_search, sender_and_recipient_names_are_words_of_the_mail) {
    finds("verkauf", 1, (const char *[]){"new/1720000001.M2P1.host"});
    /* Cc only; "Bürgerbüro" in the PDF attachment of another mail ranks below */
    json_t *cc = search_json("buero");
    cr_assert_geq(json_array_size(cc), 1);
    const char *top = field(cc, 0, "path");
    cr_assert(strstr(top, "qp-german.eml"), "buero: first hit %s", top);
    json_decref(cc);
    json_t *plain = search_json("Größmann"),
           *filtered = search_json("from:Größmann OR to:Größmann");
    cr_assert_gt(json_array_size(filtered), 0);
    cr_assert_eq(json_array_size(plain), json_array_size(filtered),
                 "every mail from or to him, found by his name: %zu of %zu", json_array_size(plain),
                 json_array_size(filtered));
    json_decref(plain);
    json_decref(filtered);
}

Test(mail_search, hit_in_an_attachment_names_it) {
    json_t *hits = search_json("Abfallkalender");
    cr_assert_eq(json_array_size(hits), 1);
    cr_assert_str_eq(field(hits, 0, "title"), "Rechnung Juli");
    cr_assert_str_eq(field(hits, 0, "type"), "eml");
    cr_assert_str_eq(field(hits, 0, "attachment"), "rechnung.pdf");
    cr_assert_null(json_object_get(json_array_get(hits, 0), "page"), "a mail has no pages");
    json_decref(hits);
    hits = search_json("Anbei");
    cr_assert_eq(json_array_size(hits), 1);
    cr_assert_null(json_object_get(json_array_get(hits, 0), "attachment"), "in the message");
    json_decref(hits);

    const char *argv[] = {exe, "search", ixopt, "Abfallkalender", NULL};
    const char *env[] = {home_env, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    cr_assert(strstr(r.out, "EML \xC2\xB7 Jürgen Größmann <juergen@example.de> \xC2\xB7 Anhang: "
                            "rechnung.pdf\n"),
              "%s", r.out);
    tu_run_free(&r);
}

Test(mail_search, maildir_messages_and_skipped_parts) {
    finds("Sommerfest", 1, (const char *[]){"cur/1720000000.M1P1.host:2,S"});
    finds("\"kein Mail\"", 0, NULL); /* in cur/, but no message: skipped */
    cr_assert(strstr(index_err, "broken-boundary.eml: ") &&
                  strstr(index_err, "multipart without its boundary"),
              "the skip is reported: %s", index_err);
}
