/*
 * test_web.c - `fundgrube serve` end to end: the real server on a free
 * loopback port over an index of a few German files, every endpoint, every
 * error code, the Host check, traversal attempts (../, %2e%2e, a symbolic
 * link out of the watched folder, a file outside it, a deleted document),
 * the escaping of a document holding <script>, SIGHUP and SIGTERM, and the
 * access token off loopback.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "webtest.h"

static char *dir, *docs, *conf, *exe;
static wt_server_t srv;

/* Writes the configuration with max_query bytes of query at most. */
static void write_conf(unsigned max_query) {
    char text[2048];
    snprintf(text, sizeof text,
             "[index]\npath = %s/index\n[watch]\nfolder = %s\n[web]\nthreads = 2\n"
             "max_query = %u\n",
             dir, docs, max_query);
    free(tu_write_str(dir, "fg.conf", text));
}

/* Runs `fundgrube index --config CONF` over the folders a and b (b may be
 * NULL); asserts success. */
static void index_folders(const char *a, const char *b) {
    const char *argv[] = {exe, "index", "--config", conf, a, b, NULL};
    char *home = NULL;
    cr_assert(asprintf(&home, "HOME=%s", dir) > 0);
    const char *env[] = {home, "FUNDGRUBE_CONFIG=", "XDG_DATA_HOME=", "XDG_CONFIG_HOME=", NULL};
    tu_run_t r;
    cr_assert(tu_run(argv, env, &r));
    cr_assert_eq(r.status, 0, "index: %s", r.err);
    tu_run_free(&r);
    free(home);
}

/* The watched folder docs/ with German texts, one with a <script>, and
 * outside/ (indexed, not watched); the server on a free port. */
static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
    exe = tu_build_path("cli/fundgrube");
    cr_assert(asprintf(&docs, "%s/docs", dir) > 0);
    cr_assert(asprintf(&conf, "%s/fg.conf", dir) > 0);
    free(tu_write_str(docs, "partner.txt",
                      "Strategische Partnerschaften\n\nDie Gemeinden schließen eine strategische "
                      "Partnerschaft. Der Wanderweg führt am See entlang.\n"));
    free(tu_write_str(docs, "script.txt",
                      "Vorsicht Skript\n\n<script>alert('x')</script> Espresso & Milchschaum "
                      "\"mit\" Zucker\n"));
    free(tu_write_str(docs, "bericht.md",
                      "date 2023-05-17\n\n# Jahresbericht\n\nDie Partnerschaft wuchs.\n"));
    free(tu_write_str(docs, "swap.txt", "Tauschdatei Zitronenfalter\n"));
    free(tu_write_str(docs, "gone.txt", "Vergänglich Schmetterling\n"));
    free(tu_write_str(dir, "outside/secret.txt", "Geheimnis Tresor\n"));
    write_conf(200);
    char *outside = NULL;
    cr_assert(asprintf(&outside, "%s/outside", dir) > 0);
    index_folders(docs, outside);
    free(outside);
    const char *args[] = {"--config", conf, "--listen", "127.0.0.1:0", NULL};
    wt_start(&srv, dir, args);
}

/* Stops the server (it must exit 0 on SIGTERM) and removes the folder. */
static void teardown(void) {
    int rc = wt_stop(&srv, SIGTERM);
    tu_rmtree(dir);
    free(dir);
    free(docs);
    free(conf);
    free(exe);
    cr_assert_eq(rc, 0, "SIGTERM: exit status %d", rc);
}

TestSuite(web, .init = setup, .fini = teardown, .timeout = 60);

/* GETs path, asserts the status and that the body is JSON; returns it. */
static json_t *get_json(const char *path, int status) {
    wt_reply_t r = wt_get(&srv, path);
    cr_assert_eq(r.status, status, "GET %s: %d %s", path, r.status, r.body ? r.body : "");
    json_t *j = wt_json(&r);
    wt_reply_free(&r);
    return j;
}

/* Asserts that GET path answers status with {"error": {"code": code, ...}}
 * whose message contains want (NULL: anything). */
static void expect_error(const char *method, const char *path, int status, const char *code,
                         const char *want) {
    wt_reply_t r = wt_request(&srv, method, path, NULL, NULL);
    cr_expect_eq(r.status, status, "%s %s: %d %s", method, path, r.status, r.body);
    json_t *j = wt_json(&r);
    const char *c = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
    const char *m = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
    cr_expect(c && strcmp(c, code) == 0, "%s: code %s, expected %s", path, c, code);
    cr_expect(m && m[0], "%s: no message", path);
    if (want)
        cr_expect(m && strstr(m, want), "%s: message '%s' lacks '%s'", path, m, want);
    json_decref(j);
    wt_reply_free(&r);
}

/* The docid of the first hit of q (0 when none). */
static uint32_t docid_of(const char *q) {
    char *e = wt_escape(q), *path = NULL;
    cr_assert(asprintf(&path, "/api/search?q=%s", e) > 0);
    json_t *j = get_json(path, 200);
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    uint32_t id = hit ? (uint32_t)json_integer_value(json_object_get(hit, "docid")) : 0;
    json_decref(j);
    free(path);
    free(e);
    return id;
}

Test(web, search_gives_every_field) {
    json_t *j = get_json("/api/search?q=Partnerschaften&facets=1", 200);
    cr_assert(json_is_number(json_object_get(j, "took_ms")));
    cr_assert_geq(json_integer_value(json_object_get(j, "total")), 2);
    cr_assert(json_is_array(json_object_get(j, "warnings")));
    cr_assert(json_is_null(json_object_get(j, "suggestion")));
    cr_assert(json_is_false(json_object_get(j, "timed_out")), "within [web] time_limit");
    json_t *hits = json_object_get(j, "hits");
    cr_assert_geq(json_array_size(hits), 2);
    json_t *h0 = json_array_get(hits, 0);
    static const char *const fields[] = {"docid",   "path",   "title",     "type",
                                         "date",    "author", "score",     "percent",
                                         "snippet", "page",   "duplicates"};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        cr_expect(json_object_get(h0, fields[i]), "hit lacks %s", fields[i]);
    cr_expect(strstr(json_string_value(json_object_get(h0, "path")), "/docs/partner.txt"),
              "the best hit is partner.txt");
    cr_expect(strstr(json_string_value(json_object_get(h0, "snippet")), "<mark>Partnerschaft"),
              "snippet: %s", json_string_value(json_object_get(h0, "snippet")));
    json_t *facets = json_object_get(j, "facets");
    static const char *const names[] = {"type", "year", "folder", "author"};
    for (size_t i = 0; i < 4; i++)
        cr_expect(json_is_array(json_object_get(facets, names[i])), "facet %s", names[i]);
    bool has2023 = false;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(facets, "year"), i, v) {
        has2023 |= strcmp(json_string_value(json_object_get(v, "value")), "2023") == 0;
    }
    cr_expect(has2023, "year facet has 2023 (bericht.md)");
    json_decref(j);

    /* a facet value works as a filter in the query */
    j = get_json("/api/search?q=Partnerschaft%20date%3A2023", 200);
    cr_expect_eq(json_array_size(json_object_get(j, "hits")), 1);
    json_decref(j);
    j = get_json("/api/search?q=Partnerschaft&sort=date&limit=1", 200);
    cr_expect(strstr(json_string_value(
                         json_object_get(json_array_get(json_object_get(j, "hits"), 0), "path")),
                     "partner.txt"),
              "newest first: partner.txt (today) before bericht.md (2023)");
    json_decref(j);
}

Test(web, security_headers_on_every_reply) {
    static const char *const paths[] = {"/", "/api/search?q=Espresso", "/nothing",
                                        "/api/search?limit=x"};
    for (size_t i = 0; i < 4; i++) {
        wt_reply_t r = wt_get(&srv, paths[i]);
        char *csp = wt_header(&r, "Content-Security-Policy");
        char *nosniff = wt_header(&r, "X-Content-Type-Options");
        char *ref = wt_header(&r, "Referrer-Policy");
        cr_expect(csp && strstr(csp, "default-src 'self'"), "%s: CSP %s", paths[i], csp);
        cr_expect(nosniff && strcmp(nosniff, "nosniff") == 0, "%s", paths[i]);
        cr_expect(ref && strcmp(ref, "no-referrer") == 0, "%s", paths[i]);
        free(csp);
        free(nosniff);
        free(ref);
        wt_reply_free(&r);
    }
}

Test(web, script_in_a_document_is_escaped) {
    json_t *j = get_json("/api/search?q=Espresso", 200);
    const char *snip = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "hits"), 0), "snippet"));
    cr_assert(snip);
    cr_expect(strstr(snip, "&lt;script&gt;"), "snippet: %s", snip);
    cr_expect(!strstr(snip, "<script"), "raw <script> in the snippet: %s", snip);
    cr_expect(strstr(snip, "<mark>Espresso</mark> &amp; Milchschaum"), "snippet: %s", snip);
    json_decref(j);
    char path[128];
    snprintf(path, sizeof path, "/api/document/%u?q=Espresso", docid_of("Espresso"));
    j = get_json(path, 200);
    const char *text = json_string_value(json_object_get(j, "text"));
    cr_expect(text && strstr(text, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), "text: %s",
              text);
    cr_expect(text && !strstr(text, "<script"), "raw <script> in the text: %s", text);
    cr_expect(text && strstr(text, "&quot;mit&quot;"), "text: %s", text);
    json_decref(j);
}

Test(web, bad_parameters) {
    expect_error("GET", "/api/search", 400, "bad_parameter", "q");
    expect_error("GET", "/api/search?q=a&limit=0", 400, "bad_parameter", "limit");
    expect_error("GET", "/api/search?q=a&limit=101", 400, "bad_parameter", "limit");
    expect_error("GET", "/api/search?q=a&limit=zehn", 400, "bad_parameter", "limit");
    expect_error("GET", "/api/search?q=a&offset=-1", 400, "bad_parameter", "offset");
    expect_error("GET", "/api/search?q=a&sort=alphabet", 400, "bad_parameter", "sort");
    expect_error("GET", "/api/search?q=a&facets=2", 400, "bad_parameter", "facets");
    expect_error("GET", "/api/analyze", 400, "bad_parameter", "text");
    expect_error("GET", "/api/suggest", 400, "bad_parameter", "q");
    char path[512] = "/api/search?q=";
    memset(path + strlen(path), 'a', 300); /* [web] max_query = 200 */
    expect_error("GET", path, 413, "too_long", "max_query");
    expect_error("POST", "/api/search?q=a", 405, "method_not_allowed", "POST");
    expect_error("DELETE", "/api/document/1", 405, "method_not_allowed", NULL);
    expect_error("GET", "/api/nothing", 404, "not_found", NULL);
    expect_error("GET", "/api/document/abc", 404, "not_found", NULL);
    expect_error("GET", "/api/document/4294967296", 404, "not_found", NULL);
    expect_error("GET", "/api/document/0", 404, "not_found", NULL);
    expect_error("GET", "/api/similar/99999", 404, "not_found", NULL);
    wt_reply_t r = wt_request(&srv, "POST", "/api/search?q=a", NULL, NULL);
    char *allow = wt_header(&r, "Allow");
    cr_expect(allow && strstr(allow, "GET"), "Allow: %s", allow);
    free(allow);
    wt_reply_free(&r);
    /* a request line longer than the server takes */
    char *big = malloc(70000);
    strcpy(big, "/api/search?q=");
    memset(big + strlen(big), 'b', 65000);
    big[65014] = '\0';
    r = wt_get(&srv, big);
    cr_expect(r.status == 414 || r.status == 413, "a 65 KB URL: %d", r.status);
    wt_reply_free(&r);
    free(big);
}

Test(web, meinten_sie_suggestion) {
    json_t *j = get_json("/api/search?q=Wanderwek", 200);
    cr_expect_str_eq(json_string_value(json_object_get(j, "suggestion")), "Wanderweg");
    json_decref(j);
}

Test(web, suggest_completes_the_last_word) {
    json_t *j = get_json("/api/suggest?q=strategische%20Partnersch", 200);
    cr_expect_str_eq(json_string_value(json_object_get(j, "query")), "strategische Partnersch");
    json_t *s = json_object_get(j, "suggestions");
    cr_assert_geq(json_array_size(s), 1);
    bool found = false;
    size_t i;
    json_t *v;
    json_array_foreach(s, i, v) {
        const char *t = json_string_value(json_object_get(v, "text"));
        found |= strncmp(t, "strategische Partnerschaft", 26) == 0;
        cr_expect(json_integer_value(json_object_get(v, "count")) >= 1);
    }
    cr_expect(found, "a completion keeps the query and capitalises: %s", json_dumps(s, 0));
    json_decref(j);

    wt_reply_t r = wt_request(&srv, "GET", "/api/suggest?q=Partnersch", NULL,
                              "Accept: application/x-suggestions+json\r\n");
    cr_assert_eq(r.status, 200);
    char *type = wt_header(&r, "Content-Type");
    cr_expect_str_eq(type, "application/x-suggestions+json");
    free(type);
    j = wt_json(&r);
    cr_expect(json_is_array(j) && json_array_size(j) == 2);
    cr_expect_str_eq(json_string_value(json_array_get(j, 0)), "Partnersch");
    cr_expect(json_array_size(json_array_get(j, 1)) >= 1);
    json_decref(j);
    wt_reply_free(&r);

    r = wt_get(&srv, "/opensearch.xml");
    cr_expect_eq(r.status, 200);
    cr_expect(strstr(r.body, "?q={searchTerms}") && strstr(r.body, srv.url), "%s", r.body);
    wt_reply_free(&r);
}

Test(web, analyze_shows_tokens_parts_and_variants) {
    char *e = wt_escape("Die Bürger*innen Partnerschaftsformat"), *path = NULL;
    cr_assert(asprintf(&path, "/api/analyze?text=%s", e) > 0);
    json_t *j = get_json(path, 200);
    json_t *tokens = json_object_get(j, "tokens"), *words = json_object_get(j, "words");
    cr_assert_geq(json_array_size(tokens), 4);
    json_t *t0 = json_array_get(tokens, 0);
    cr_expect_str_eq(json_string_value(json_object_get(t0, "token")), "Die");
    cr_expect_str_eq(json_string_value(json_object_get(t0, "folded")), "die");
    cr_expect(json_is_true(json_object_get(t0, "stop")), "die is a stop word");
    cr_expect_eq(json_integer_value(json_object_get(t0, "start_offset")), 0);
    cr_expect_eq(json_integer_value(json_object_get(t0, "end_offset")), 3);
    cr_expect_eq(json_integer_value(json_object_get(t0, "position")), 1);
    cr_assert_eq(json_array_size(words), 3, "three words: %s", json_dumps(words, 0));
    json_t *w1 = json_array_get(words, 1), *w2 = json_array_get(words, 2);
    cr_expect_str_eq(json_string_value(json_object_get(w1, "folded")), "bürgerinnen");
    bool buerger = false, format = false;
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(w1, "variants"), i, v) {
        buerger |= strcmp(json_string_value(json_object_get(v, "folded")), "bürger") == 0;
    }
    json_array_foreach(json_object_get(w2, "parts"), i, v) {
        format |= strcmp(json_string_value(json_object_get(v, "folded")), "format") == 0;
    }
    cr_expect(buerger, "Bürger*innen has the variant bürger: %s", json_dumps(w1, 0));
    cr_expect(format, "Partnerschaftsformat has the part format: %s", json_dumps(w2, 0));
    cr_expect(json_is_string(json_object_get(w2, "stem")));
    json_decref(j);
    free(path);
    free(e);
}

Test(web, status_and_health) {
    json_t *j = get_json("/api/status", 200);
    json_t *index = json_object_get(j, "index");
    cr_expect(json_is_true(json_object_get(index, "available")));
    cr_expect_eq(json_integer_value(json_object_get(index, "documents")), 6);
    cr_expect(json_is_false(json_object_get(json_object_get(j, "daemon"), "running")));
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "server"), "url")),
                     srv.url);
    json_decref(j);
    wt_reply_t r = wt_get(&srv, "/healthz");
    cr_expect_eq(r.status, 200);
    cr_expect_str_eq(r.body, "ok\n");
    wt_reply_free(&r);
}

Test(web, document_and_raw_download) {
    uint32_t id = docid_of("Wanderweg");
    cr_assert(id > 0);
    char path[128];
    snprintf(path, sizeof path, "/api/document/%u?q=Partnerschaft", id);
    json_t *j = get_json(path, 200);
    const char *text = json_string_value(json_object_get(j, "text"));
    cr_expect(text && strstr(text, "strategische <mark>Partnerschaft</mark>."), "text: %s", text);
    cr_expect(text && strstr(text, "\n\nDie Gemeinden"), "line breaks kept: %s", text);
    cr_expect_geq(json_integer_value(json_object_get(j, "matches")), 2);
    cr_expect(strstr(json_string_value(json_object_get(j, "path")), "/docs/partner.txt"));
    json_decref(j);
    snprintf(path, sizeof path, "/api/doc/%u", id); /* the short form */
    json_decref(get_json(path, 200));

    snprintf(path, sizeof path, "/api/document/%u/raw", id);
    wt_reply_t r = wt_get(&srv, path);
    cr_assert_eq(r.status, 200, "%s", r.body);
    char *want = NULL, *file = NULL;
    cr_assert(asprintf(&file, "%s/partner.txt", docs) > 0);
    want = tu_read(file, NULL);
    cr_expect_str_eq(r.body, want);
    char *disp = wt_header(&r, "Content-Disposition"), *type = wt_header(&r, "Content-Type");
    cr_expect(disp && strstr(disp, "attachment; filename=\"partner.txt\""), "%s", disp);
    cr_expect(type && strncmp(type, "text/plain", 10) == 0, "%s", type);
    free(disp);
    free(type);
    free(want);
    free(file);
    wt_reply_free(&r);

    snprintf(path, sizeof path, "/api/similar/%u", id);
    j = get_json(path, 200);
    cr_expect(json_is_array(json_object_get(j, "hits")));
    json_decref(j);
}

Test(web, raw_only_below_a_watched_folder) {
    /* indexed, but its folder is not watched */
    uint32_t secret = docid_of("Tresor");
    cr_assert(secret > 0);
    char path[128];
    snprintf(path, sizeof path, "/api/document/%u/raw", secret);
    expect_error("GET", path, 403, "outside_watched", NULL);

    /* a file of the watched folder replaced by a symbolic link leading out */
    uint32_t swap = docid_of("Zitronenfalter");
    cr_assert(swap > 0);
    char *file = NULL, *target = NULL;
    cr_assert(asprintf(&file, "%s/swap.txt", docs) > 0);
    cr_assert(asprintf(&target, "%s/outside/secret.txt", dir) > 0);
    cr_assert_eq(unlink(file), 0);
    cr_assert_eq(symlink(target, file), 0);
    snprintf(path, sizeof path, "/api/document/%u/raw", swap);
    wt_reply_t r = wt_get(&srv, path);
    cr_expect_eq(r.status, 403, "a link out: %d %s", r.status, r.body);
    cr_expect(!strstr(r.body, "Geheimnis"), "the secret leaked: %s", r.body);
    wt_reply_free(&r);
    /* a relative link climbing out with .. */
    unlink(file);
    cr_assert_eq(symlink("../outside/secret.txt", file), 0);
    r = wt_get(&srv, path);
    cr_expect_eq(r.status, 403, "a ../ link: %d %s", r.status, r.body);
    cr_expect(!strstr(r.body, "Geheimnis"), "the secret leaked: %s", r.body);
    wt_reply_free(&r);
    free(file);
    free(target);
}

Test(web, traversal_in_the_url_reaches_nothing) {
    static const char *const paths[] = {
        "/api/document/../../../../etc/passwd",    "/static/../../../../etc/passwd",
        "/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2f..%2fetc%2fpasswd",
        "/api/document/1/..%2f..%2fraw",           "/api/document/%2e%2e/raw",
        "/api/document/1/raw/../../etc/passwd",    "/%2e%2e/%2e%2e/etc/passwd",
    };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        wt_reply_t r = wt_get(&srv, paths[i]);
        cr_expect(r.status == 404 || r.status == 400, "%s: %d", paths[i], r.status);
        cr_expect(r.body && !strstr(r.body, "root:"), "%s leaked /etc/passwd", paths[i]);
        wt_reply_free(&r);
    }
}

Test(web, follows_the_index_and_forgets_deleted_documents) {
    uint32_t id = docid_of("Schmetterling");
    cr_assert(id > 0);
    char *file = NULL;
    cr_assert(asprintf(&file, "%s/gone.txt", docs) > 0);
    cr_assert_eq(unlink(file), 0);
    free(file);
    free(tu_write_str(docs, "neu.txt", "Ein neuer Eisvogel\n"));
    index_folders(docs, NULL); /* the server keeps running */
    cr_expect_eq(docid_of("Schmetterling"), 0, "the deleted file is no hit");
    cr_expect_neq(docid_of("Eisvogel"), 0, "the new file is found without a restart");
    char path[128];
    snprintf(path, sizeof path, "/api/document/%u", id);
    expect_error("GET", path, 404, "not_found", NULL);
    snprintf(path, sizeof path, "/api/document/%u/raw", id);
    expect_error("GET", path, 404, "not_found", NULL);
}

Test(web, host_check) {
    char host[64];
    wt_reply_t r = wt_request(&srv, "GET", "/api/status", "evil.example", NULL);
    cr_expect_eq(r.status, 403);
    json_t *j = wt_json(&r);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                     "bad_host");
    json_decref(j);
    wt_reply_free(&r);
    snprintf(host, sizeof host, "evil.example:%u", srv.port);
    r = wt_request(&srv, "GET", "/", host, NULL);
    cr_expect_eq(r.status, 403, "a rebinding name on the right port");
    wt_reply_free(&r);
    snprintf(host, sizeof host, "127.0.0.1:%u", srv.port + 1);
    r = wt_request(&srv, "GET", "/", host, NULL);
    cr_expect_eq(r.status, 403, "another port");
    wt_reply_free(&r);
    static const char *const fine[] = {"localhost", "localhost:%u", "127.0.0.1:%u", "LOCALHOST:%u"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(host, sizeof host, fine[i], srv.port);
        r = wt_request(&srv, "GET", "/healthz", host, NULL);
        cr_expect_eq(r.status, 200, "Host %s: %d", host, r.status);
        wt_reply_free(&r);
    }
}

Test(web, the_page_and_its_assets) {
    static const char *const pages[] = {"/", "/?q=Partnerschaft", "/analyze", "/status"};
    for (size_t i = 0; i < 4; i++) {
        wt_reply_t r = wt_get(&srv, pages[i]);
        cr_expect_eq(r.status, 200, "%s", pages[i]);
        char *type = wt_header(&r, "Content-Type");
        cr_expect(type && strncmp(type, "text/html", 9) == 0, "%s: %s", pages[i], type);
        cr_expect(r.body && strstr(r.body, "Fundgrube") && !strstr(r.body, "<script>"),
                  "%s: the page has no inline script", pages[i]);
        free(type);
        wt_reply_free(&r);
    }
    wt_reply_t r = wt_get(&srv, "/static/app.js");
    cr_expect_eq(r.status, 200);
    char *type = wt_header(&r, "Content-Type");
    cr_expect(type && strstr(type, "javascript"), "%s", type);
    free(type);
    wt_reply_free(&r);
    r = wt_get(&srv, "/static/style.css");
    cr_expect_eq(r.status, 200);
    wt_reply_free(&r);
    r = wt_get(&srv, "/static/nothing.js");
    cr_expect_eq(r.status, 404);
    wt_reply_free(&r);
}

Test(web, sighup_rereads_the_configuration) {
    const char *path = "/api/search?q=Partnerschaft%20Wanderweg"; /* 24 bytes */
    wt_reply_t r = wt_get(&srv, path);
    cr_assert_eq(r.status, 200);
    wt_reply_free(&r);
    write_conf(16);
    kill(srv.pid, SIGHUP);
    int status = 0;
    for (int i = 0; i < 100 && status != 413; i++) { /* 5 s */
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
        r = wt_get(&srv, path);
        status = r.status;
        wt_reply_free(&r);
    }
    cr_expect_eq(status, 413, "[web] max_query = 16 after SIGHUP");
    /* a broken file keeps the configuration in use */
    free(tu_write_str(dir, "fg.conf", "[web]\nmax_query = many\n"));
    kill(srv.pid, SIGHUP);
    struct timespec ts = {0, 200 * 1000 * 1000};
    nanosleep(&ts, NULL);
    r = wt_get(&srv, "/api/search?q=Espresso");
    cr_expect_eq(r.status, 200, "still serving after a bad SIGHUP: %d", r.status);
    wt_reply_free(&r);
}

Test(web, unix_socket) {
    char *sock = NULL, *listen = NULL;
    cr_assert(asprintf(&sock, "%s/serve.sock", dir) > 0);
    cr_assert(asprintf(&listen, "unix:%s", sock) > 0);
    const char *args[] = {"--config", conf, "--listen", listen, NULL};
    wt_server_t u;
    wt_start(&u, dir, args);
    cr_expect_str_eq(u.url, listen);
    struct stat sb;
    cr_assert_eq(stat(sock, &sb), 0);
    cr_expect_eq(sb.st_mode & 077, 0, "the socket is for its owner only: %o", sb.st_mode);
    wt_reply_t r = wt_request(&u, "GET", "/api/search?q=Espresso", "localhost", NULL);
    cr_expect_eq(r.status, 200);
    wt_reply_free(&r);
    cr_expect_eq(wt_stop(&u, SIGINT), 0);
    cr_expect_neq(stat(sock, &sb), 0, "the socket is removed at exit");
    free(sock);
    free(listen);
}

Test(web, index_that_cannot_be_opened) {
    char *none = NULL;
    cr_assert(asprintf(&none, "%s/no-index", dir) > 0);
    const char *args[] = {"--config", conf, "--index", none, "--listen", "127.0.0.1:0", NULL};
    wt_server_t bad;
    wt_start(&bad, dir, args);
    wt_reply_t r = wt_get(&bad, "/api/search?q=Espresso");
    cr_expect_eq(r.status, 503, "%s", r.body);
    json_t *j = wt_json(&r);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                     "index_unavailable");
    json_decref(j);
    wt_reply_free(&r);
    r = wt_get(&bad, "/healthz");
    cr_expect_eq(r.status, 503);
    wt_reply_free(&r);
    r = wt_get(&bad, "/api/status");
    cr_expect_eq(r.status, 200);
    j = wt_json(&r);
    cr_expect(json_is_false(json_object_get(json_object_get(j, "index"), "available")));
    json_decref(j);
    wt_reply_free(&r);
    cr_expect_eq(wt_stop(&bad, SIGTERM), 0);
    free(none);
}

/* The value of "Name: value" in text (up to the line's end; malloc'ed) or NULL. */
static char *line_value(const char *text, const char *name) {
    const char *p = strstr(text, name);
    if (!p)
        return NULL;
    p += strlen(name);
    return strndup(p, strcspn(p, "\r\n"));
}

Test(web, beyond_loopback_every_request_needs_the_token) {
    char *token_file = NULL;
    cr_assert(asprintf(&token_file, "%s/secret/web-token", dir) > 0);
    char text[2048];
    snprintf(text, sizeof text,
             "[index]\npath = %s/index\n[watch]\nfolder = %s\n[web]\nthreads = 2\n"
             "token_file = %s\n",
             dir, docs, token_file);
    free(tu_write_str(dir, "open.conf", text));
    char *open_conf = NULL;
    cr_assert(asprintf(&open_conf, "%s/open.conf", dir) > 0);
    const char *args[] = {"--config", open_conf, "--listen", "0.0.0.0:0", NULL};
    wt_server_t o;
    wt_start(&o, dir, args);

    /* the token file: made 0600 with a random token; the login link printed */
    struct stat sb;
    cr_assert_eq(stat(token_file, &sb), 0, "%s was not made", token_file);
    cr_expect_eq(sb.st_mode & 0777, 0600, "mode %o", sb.st_mode & 0777);
    char *token = NULL;
    size_t cap = 0;
    FILE *f = fopen(token_file, "r");
    cr_assert(f && getline(&token, &cap, f) > 32);
    fclose(f);
    token[strcspn(token, "\n")] = '\0';
    char *link = line_value(o.more, "Login (the link works once): ");
    cr_assert(link, "no login link in: %s", o.more);
    const char *path = strstr(link, "/login?code=");
    cr_assert(path, "%s", link);

    /* without the token: 401 with WWW-Authenticate, JSON for the API, German HTML for the page */
    wt_reply_t r = wt_request(&o, "GET", "/api/search?q=Partnerschaft", "fundgrube.example", NULL);
    cr_expect_eq(r.status, 401, "%d %s", r.status, r.body);
    char *www = wt_header(&r, "WWW-Authenticate");
    cr_expect(www && strncmp(www, "Bearer", 6) == 0, "%s", www);
    free(www);
    json_t *j = wt_json(&r);
    cr_expect_str_eq(json_string_value(json_object_get(json_object_get(j, "error"), "code")),
                     "unauthorized");
    json_decref(j);
    wt_reply_free(&r);
    r = wt_get(&o, "/");
    cr_expect_eq(r.status, 401);
    cr_expect(r.body && strstr(r.body, "Anmeldung"), "%s", r.body);
    wt_reply_free(&r);
    r = wt_request(&o, "GET", "/api/status", NULL,
                   "Authorization: Bearer falsch-falsch-falsch\r\n");
    cr_expect_eq(r.status, 401, "a wrong token");
    wt_reply_free(&r);

    /* with the token as Bearer: any Host (the name clients use is not known) */
    char *auth = NULL;
    cr_assert(asprintf(&auth, "Authorization: Bearer %s\r\n", token) > 0);
    r = wt_request(&o, "GET", "/api/search?q=Partnerschaft", "fundgrube.example:8080", auth);
    cr_expect_eq(r.status, 200, "%d %s", r.status, r.body);
    j = wt_json(&r);
    cr_expect_geq(json_array_size(json_object_get(j, "hits")), 1);
    json_decref(j);
    wt_reply_free(&r);

    /* the login link: once, it sets an HttpOnly SameSite=Strict cookie and sends to "/" */
    r = wt_get(&o, path);
    cr_expect_eq(r.status, 303, "%d %s", r.status, r.body);
    char *cookie = wt_header(&r, "Set-Cookie"), *where = wt_header(&r, "Location");
    cr_assert(cookie, "no cookie");
    cr_expect(strstr(cookie, "HttpOnly") && strstr(cookie, "SameSite=Strict"), "%s", cookie);
    cr_expect(where && strcmp(where, "/") == 0, "%s", where);
    wt_reply_free(&r);
    char *pair = strndup(cookie, strcspn(cookie, ";")), *hdr = NULL;
    cr_assert(asprintf(&hdr, "Cookie: %s\r\n", pair) > 0);
    r = wt_request(&o, "GET", "/api/search?q=Espresso", NULL, hdr);
    cr_expect_eq(r.status, 200, "the cookie logs in: %d", r.status);
    wt_reply_free(&r);
    r = wt_get(&o, path);
    cr_expect_eq(r.status, 401, "a login code works once");
    wt_reply_free(&r);

    /* a restart keeps the token of the file */
    cr_expect_eq(wt_stop(&o, SIGTERM), 0);
    wt_start(&o, dir, args);
    r = wt_request(&o, "GET", "/api/status", NULL, auth);
    cr_expect_eq(r.status, 200, "the same token after a restart: %d", r.status);
    wt_reply_free(&r);
    cr_expect_eq(wt_stop(&o, SIGTERM), 0);

    /* a token file others may read is refused, naming it */
    chmod(token_file, 0644);
    const char *argv[] = {exe, "serve", "--config", open_conf, "--listen", "0.0.0.0:0", NULL};
    char *home = NULL;
    cr_assert(asprintf(&home, "HOME=%s", dir) > 0);
    const char *env[] = {home, "FUNDGRUBE_CONFIG=", NULL};
    tu_run_t run;
    cr_assert(tu_run(argv, env, &run));
    cr_expect_eq(run.status, 1);
    cr_expect(strstr(run.err, token_file) && strstr(run.err, "chmod 600"), "%s", run.err);
    tu_run_free(&run);
    const char *bad[] = {exe, "serve", "--listen", "example.com:80", NULL};
    cr_assert(tu_run(bad, env, &run));
    cr_expect_eq(run.status, 2, "a bad --listen is a usage error: %s", run.err);
    tu_run_free(&run);
    free(home);
    free(pair);
    free(hdr);
    free(cookie);
    free(where);
    free(auth);
    free(link);
    free(token);
    free(open_conf);
    free(token_file);
}

Test(web, loopback_needs_no_login) {
    wt_reply_t r = wt_get(&srv, "/login?code=whatever");
    cr_expect_eq(r.status, 404, "no login on loopback: %d", r.status);
    wt_reply_free(&r);
    cr_expect_str_eq(srv.more, "", "no login link printed: %s", srv.more);
}

Test(web, sigterm_finishes_the_request_in_flight) {
    /* a download of 2 MB to a client with a small receive buffer that reads
     * nothing until the server was told to stop: it must still get it all */
    size_t size = 2u << 20;
    char *big = malloc(size + 1);
    for (size_t i = 0; i < size; i++)
        big[i] = "Wanderweg am See entlang. "[i % 26];
    big[size] = '\0';
    free(tu_write_str(docs, "gross.txt", big));
    index_folders(docs, NULL);
    uint32_t id = 0;
    for (int i = 0; i < 100 && !id; i++) { /* the server follows the index */
        id = docid_of("title:Wanderweg");
        char *p = NULL;
        json_t *j = NULL;
        cr_assert(asprintf(&p, "/api/document/%u", id) > 0);
        wt_reply_t r = wt_get(&srv, p);
        j = r.status == 200 ? wt_json(&r) : NULL;
        const char *path = j ? json_string_value(json_object_get(j, "path")) : NULL;
        if (!path || !strstr(path, "gross.txt"))
            id = 0;
        json_decref(j);
        wt_reply_free(&r);
        free(p);
        if (!id) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    cr_assert(id, "gross.txt is not searchable");

    /* over a unix socket, whose buffers hold far less than the file (TCP on
     * loopback would take it all at once) */
    char *sock = NULL, *listen = NULL;
    cr_assert(asprintf(&sock, "%s/slow.sock", dir) > 0);
    cr_assert(asprintf(&listen, "unix:%s", sock) > 0);
    const char *args[] = {"--config", conf, "--listen", listen, NULL};
    wt_server_t u;
    wt_start(&u, dir, args);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0), small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
    cr_assert_eq(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    char req[256];
    int n = snprintf(req, sizeof req,
                     "GET /api/document/%u/raw HTTP/1.1\r\nHost: localhost\r\n"
                     "Connection: close\r\n\r\n",
                     id);
    cr_assert_eq(write(fd, req, (size_t)n), n);
    struct timespec ts = {0, 300 * 1000 * 1000};
    nanosleep(&ts, NULL); /* the server has sent what the buffers hold */
    kill(u.pid, SIGTERM);
    nanosleep(&ts, NULL);
    size_t got = 0, cap = size + 65536;
    char *buf = malloc(cap);
    for (ssize_t r; got < cap && (r = read(fd, buf + got, cap - got)) > 0;)
        got += (size_t)r;
    close(fd);
    buf[got < cap ? got : cap - 1] = '\0';
    const char *body = strstr(buf, "\r\n\r\n");
    cr_assert(strncmp(buf, "HTTP/1.1 200", 12) == 0, "%.80s", buf);
    cr_assert(body, "no header end");
    body += 4;
    cr_expect_eq(got - (size_t)(body - buf), size, "the whole file after SIGTERM: %zu of %zu bytes",
                 got - (size_t)(body - buf), size);
    cr_expect(memcmp(body, big, size) == 0, "the file's bytes");
    cr_expect_eq(wt_stop(&u, SIGTERM), 0, "exit 0 after the request");
    free(buf);
    free(big);
    free(sock);
    free(listen);
}

Test(web, a_file_name_in_latin1_becomes_u_fffd) {
    free(tu_write_str(docs, "b\xe4ren.txt", "Bärenhöhle im Gebirge\n"));
    index_folders(docs, NULL);
    json_t *hit = NULL, *j = NULL;
    for (int i = 0; i < 100 && !hit; i++) { /* the server follows the index */
        json_decref(j);
        j = get_json("/api/search?q=B%C3%A4renh%C3%B6hle", 200);
        hit = json_array_get(json_object_get(j, "hits"), 0);
        if (!hit) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    cr_assert(hit, "the file is not found");
    const char *path = json_string_value(json_object_get(hit, "path"));
    cr_expect(path && strstr(path, "/b\xEF\xBF\xBDren.txt"), "path %s", path);
    json_decref(j);
}
