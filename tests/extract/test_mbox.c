/*
 * test_mbox.c - the mbox stream of extract/mbox.h: the messages of an mbox
 * made by Python's mailbox (tests/extract/fixtures/mail/mbox-3), appended
 * messages found from the mark, a rewritten mbox told apart, keys that stay,
 * a 256 MB message walked in bounded memory.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "extract/mbox.h"
#include "testutil.h"

#define MAIL FG_SOURCE_DIR "/tests/extract/fixtures/mail/"

static char *dir;

static void setup(void) {
    dir = tu_tmpdir();
    cr_assert(dir);
}

static void teardown(void) {
    tu_rmtree(dir);
    free(dir);
}

TestSuite(mbox, .init = setup, .fini = teardown, .timeout = 120);

/* The messages a walk gave. */
typedef struct seen {
    fg_mbox_msg_t msgs[16];
    size_t n;
} seen_t;

/* fg_mbox_walk() callback: keeps the message. */
static fg_status_t keep(void *ctx, const fg_mbox_msg_t *m) {
    seen_t *s = ctx;
    cr_assert_lt(s->n, 16);
    s->msgs[s->n++] = *m;
    return FG_OK;
}

/* Walks path from from; asserts success. */
static void walk(const char *path, uint64_t from, seen_t *s, fg_mbox_mark_t *mark) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(fd, 0, "%s", path);
    memset(s, 0, sizeof *s);
    char err[256] = "";
    fg_status_t st = fg_mbox_walk(fd, from, keep, s, mark, err, sizeof err);
    close(fd);
    cr_assert_eq(st, FG_OK, "%s: %s", fg_status_str(st), err);
}

/* Compares path with mark. */
static fg_mbox_change_t compare(const char *path, const fg_mbox_mark_t *mark) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    cr_assert_geq(fd, 0);
    fg_mbox_change_t c = fg_mbox_compare(fd, mark);
    close(fd);
    return c;
}

/* Appends text to path. */
static void append(const char *path, const char *text) {
    FILE *f = fopen(path, "a");
    cr_assert(f);
    cr_assert_eq(fputs(text, f) >= 0, 1);
    fclose(f);
}

Test(mbox, three_messages_of_python_mailbox) {
    size_t len;
    char *data = tu_read(MAIL "mbox-3", &len);
    cr_assert(data);
    seen_t s;
    fg_mbox_mark_t mark;
    walk(MAIL "mbox-3", 0, &s, &mark);
    cr_assert_eq(s.n, 3);
    uint64_t sum = 0;
    for (size_t i = 0; i < 3; i++) {
        cr_assert(strncmp(data + s.msgs[i].offset, "From ", 5) == 0);
        cr_assert_eq(s.msgs[i].key[0], 'm', "Python's messages have a Message-ID");
        cr_assert_eq(strlen(s.msgs[i].key), 17);
        sum += s.msgs[i].length;
    }
    cr_assert_eq(s.msgs[0].offset, 0);
    cr_assert_eq(sum, len, "the messages cover the file");
    cr_assert_str_neq(s.msgs[0].key, s.msgs[1].key);
    cr_assert_str_neq(s.msgs[1].key, s.msgs[2].key);
    /* Python wrote the body's "From the start" as ">From the start": no split */
    cr_assert(strstr(data, "\n>From the start"), "the fixture escapes it");
    cr_assert_eq(mark.offset, len);
    cr_assert_eq(compare(MAIL "mbox-3", &mark), FG_MBOX_SAME);
    free(data);
}

Test(mbox, appended_messages_are_found_from_the_mark) {
    size_t len;
    char *data = tu_read(MAIL "mbox-3", &len);
    char *p = tu_write(dir, "Posteingang", data, len);
    free(data);
    seen_t before, added, after;
    fg_mbox_mark_t mark, mark2, mark3;
    walk(p, 0, &before, &mark);
    /* what Thunderbird does on arrival: a blank line, then the message */
    append(p, "\nFrom - Mon Jul 15 10:00:00 2024\nFrom: a@example.de\nSubject: Vierte\n"
              "Message-ID: <vier@example.de>\n\nDie vierte Nachricht.\n");
    cr_assert_eq(compare(p, &mark), FG_MBOX_APPENDED);
    walk(p, mark.offset, &added, &mark2);
    cr_assert_eq(added.n, 1, "only the new message");
    cr_assert_eq(added.msgs[0].offset, mark.offset + 1, "after the blank line");
    walk(p, 0, &after, &mark3);
    cr_assert_eq(after.n, 4);
    for (size_t i = 0; i < 3; i++)
        cr_assert_str_eq(after.msgs[i].key, before.msgs[i].key, "keys stay");
    cr_assert_str_eq(after.msgs[3].key, added.msgs[0].key);
    cr_assert_eq(mark3.offset, mark2.offset);
    cr_assert_eq(mark3.tail_hash, mark2.tail_hash);
    free(p);
}

Test(mbox, rewritten_mbox_is_told_and_keys_reconcile) {
    size_t len;
    char *data = tu_read(MAIL "mbox-3", &len);
    char *p = tu_write(dir, "Posteingang", data, len);
    seen_t before, after;
    fg_mbox_mark_t mark, mark2;
    walk(p, 0, &before, &mark);
    /* compacted: the second message deleted */
    size_t a = (size_t)before.msgs[1].offset, b = (size_t)before.msgs[2].offset;
    memmove(data + a, data + b, len - b);
    free(p);
    p = tu_write(dir, "Posteingang", data, len - (b - a));
    free(data);
    cr_assert_eq(compare(p, &mark), FG_MBOX_REWRITTEN);
    walk(p, 0, &after, &mark2);
    cr_assert_eq(after.n, 2);
    cr_assert_str_eq(after.msgs[0].key, before.msgs[0].key);
    cr_assert_str_eq(after.msgs[1].key, before.msgs[2].key, "kept, though it moved");
    /* edited in place at the same size: also rewritten */
    int fd = open(p, O_WRONLY | O_CLOEXEC);
    cr_assert_eq(pwrite(fd, "X", 1, (off_t)mark2.offset - 3), 1);
    close(fd);
    cr_assert_eq(compare(p, &mark2), FG_MBOX_REWRITTEN);
    free(p);
}

Test(mbox, from_lines_keys_and_bad_input) {
    /* "From " after a line that is not empty is body text; no Message-ID:
     * the key is the header's */
    static const char box[] = "From a Mon Jul 15 10:00:00 2024\nSubject: Eins\n\nText\n"
                              "From hier an ist es noch Text\n\n"
                              "From b Mon Jul 15 11:00:00 2024\nSubject: Zwei\n"
                              "Message-ID:\n <zwei@example.de>\n\nText\n";
    char *p = tu_write_str(dir, "box", box);
    seen_t s;
    walk(p, 0, &s, NULL);
    cr_assert_eq(s.n, 2);
    cr_assert_eq(s.msgs[0].key[0], 'h');
    cr_assert_eq(s.msgs[1].key[0], 'm', "a folded Message-ID");
    free(p);
    p = tu_write_str(dir, "moved", "Subject: Zwei\nMessage-ID: <zwei@example.de>\n\nText\n");
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    char err[256];
    cr_assert_eq(fg_mbox_walk(fd, 0, keep, &s, NULL, err, sizeof err), FG_CORRUPT);
    cr_assert_str_eq(err, "byte 0: no \"From \" line: not an mbox");
    close(fd);
    free(p);
}

Test(mbox, message_of_256_mb_is_walked_in_bounded_memory) {
    char *p = tu_write_str(dir, "gross", "From a Mon Jul 15 10:00:00 2024\nSubject: Gross\n\n");
    int fd = open(p, O_RDWR | O_CLOEXEC);
    cr_assert_geq(fd, 0);
    cr_assert_eq(ftruncate(fd, (off_t)256 << 20), 0); /* a sparse body of NUL bytes */
    close(fd);
    append(p, "\n\nFrom b Mon Jul 15 11:00:00 2024\nSubject: Klein\n\nText\n");
    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    seen_t s;
    walk(p, 0, &s, NULL);
    getrusage(RUSAGE_SELF, &ru1);
    cr_assert_eq(s.n, 2);
    cr_assert_gt(s.msgs[0].length, (uint64_t)256 << 20 >> 1);
    cr_assert_lt(ru1.ru_maxrss - ru0.ru_maxrss, 32 * 1024, "grew by %ld KiB",
                 ru1.ru_maxrss - ru0.ru_maxrss);
    free(p);
}
