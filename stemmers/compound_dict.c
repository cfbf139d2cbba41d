/*
 * compound_dict.c - the compiled German compound dictionary (see
 * compound.h): compiling a word list, the word classes and lemma lookup the
 * splitter (compound.c) builds on, writing, opening and the built-in copy.
 *
 * Dictionary.  Every word of a list such as /usr/share/dict/ngerman (which
 * holds inflected forms, so "ministerien", "inhalte", "tabellen" are there as
 * they are) is case-folded like fg's tokenizer (ß -> ss) and stored once with
 * flags (seen capitalised, seen in lower case, noun: capitalised itself or in
 * one of its inflected forms) and two productivity counts computed from the
 * list itself: how many capitalised words (nouns: verb and adjective forms
 * end in anything) of the list start with it as a compound modifier (Fugen
 * and elided -e allowed) and how many end with it as a compound head,
 * counting only splits whose both sides are words of the list.  The counts
 * of the words that share a Snowball stem are added up ("amt", "amts",
 * "ämter" ...), as ngerman lists every inflected form separately.  These
 * counts stand in for the corpus frequencies of Koehn & Knight (2003): "amt"
 * heads hundreds of nouns, "samt" a handful; "arbeit" starts hundreds,
 * "urin" a few.  (ngerman keeps only the lower-case spelling of a word that
 * is also a verb or adjective form - "zeit", "liste" - so noun-ness is also
 * inferred from capitalised inflected forms, and used as a soft signal.)
 *
 * Compiled format (native byte order, one blob, mmap'ed as it is):
 *   header   magic "FGCDICT1", u32 version, u32 nslots (power of two),
 *            u32 nwords, u32 pool_len, 8 reserved bytes
 *   slots    u32[nslots]: 0 = empty, else 1 + the entry's offset in the pool;
 *            open addressing, FNV-1a 64 of the folded word, linear probing
 *   pool     entries: u8 length, u8 flags, u16 modifier count, u16 head
 *            count, the folded bytes (no NUL)
 * ngerman (356,000 words) compiles into about 11 MB; opening it is an mmap.
 *
 * Word classes.  What may be a compound modifier or head at all (no verb
 * prefixes as modifiers, no bound suffixes as heads), and the lemma of a
 * modifier span with its Fuge or elided -e: used both to count productivity
 * here and by the splitter (compound.c, whose top comment describes them).
 */
#include <fcntl.h>
#include <limits.h>
#include <libstemmer.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/message.h"
#include "common/relocate.h"
#include "stemmers/compound.h"
#include "stemmers/compound_internal.h"
#include "stemmers/internal.h"

#define MAGIC "FGCDICT1"
#define VERSION 1u
#define HEADER_BYTES 32u

#define COUNT_MIN_PART 3u /* shortest part when counting productivity */
#define SYSTEM_WORDLIST "/usr/share/dict/ngerman"

/* ------------------------------------------------------------ lookups */

/* True when the folded word is in the dictionary. */
bool fg_compound_dict_has(const fg_compound_dict_t *d, const char *w, size_t len) {
    return d && fg_cdict_find(d, w, len) != NULL;
}

/* Number of words in the dictionary. */
size_t fg_compound_dict_size(const fg_compound_dict_t *d) {
    return d ? d->nwords : 0;
}

/* Bytes the dictionary occupies. */
size_t fg_compound_dict_bytes(const fg_compound_dict_t *d) {
    return d ? (d->map ? d->map_len : d->mem_len) : 0;
}

/* ------------------------------------------------------------ word classes */

/* A word of a fixed list, with its length. */
typedef struct word {
    size_t len;
    const char *s;
} word_t;
#define W(lit)                                                                                     \
    { sizeof(lit) - 1, lit }

/* Modifiers that are never split off: verb prefixes, particles, function words. */
static const word_t bad_modifiers[] = {
    W("ab"),       W("aber"),     W("als"),    W("am"),       W("an"),     W("auch"),
    W("auf"),      W("aus"),      W("bei"),    W("be"),       W("bin"),    W("bis"),
    W("da"),       W("dar"),      W("das"),    W("dass"),     W("dein"),   W("dem"),
    W("den"),      W("denn"),     W("der"),    W("des"),      W("dessen"), W("dich"),
    W("die"),      W("dir"),      W("doch"),   W("dort"),     W("durch"),  W("ein"),
    W("eine"),     W("einem"),    W("einen"),  W("einer"),    W("eines"),  W("emp"),
    W("ent"),      W("er"),       W("es"),     W("euch"),     W("für"),    W("fort"),
    W("ge"),       W("gegen"),    W("her"),    W("herab"),    W("heran"),  W("herauf"),
    W("heraus"),   W("herein"),   W("herum"),  W("herunter"), W("hervor"), W("hin"),
    W("hinab"),    W("hinauf"),   W("hinaus"), W("hinein"),   W("hinter"), W("hinunter"),
    W("hinweg"),   W("ich"),      W("ihm"),    W("ihn"),      W("ihr"),    W("im"),
    W("in"),       W("ins"),      W("ist"),    W("los"),      W("man"),    W("mich"),
    W("mir"),      W("miss"),     W("mit"),    W("nach"),     W("neben"),  W("nicht"),
    W("nieder"),   W("noch"),     W("nun"),    W("nur"),      W("ob"),     W("oder"),
    W("ohne"),     W("sein"),     W("seit"),   W("sich"),     W("sie"),    W("sind"),
    W("so"),       W("um"),       W("un"),     W("und"),      W("uns"),    W("unter"),
    W("ur"),       W("ver"),      W("vom"),    W("von"),      W("vor"),    W("voran"),
    W("voraus"),   W("vorbei"),   W("vorher"), W("war"),      W("was"),    W("weg"),
    W("weil"),     W("wenn"),     W("wer"),    W("wider"),    W("wieder"), W("wir"),
    W("wird"),     W("zer"),      W("zu"),     W("zum"),      W("zur"),    W("zurück"),
    W("zusammen"), W("zwischen"), W("über"),   W("überein"),
};

/* Heads that are never split off: bound derivational suffixes and their
 * inflected forms (some are words too: Schaft, Bar, Los, Haft, Ion). */
static const word_t bad_heads[] = {
    W("bar"),      W("bare"),   W("barem"),  W("baren"),  W("barer"),  W("bares"),  W("barkeit"),
    W("chen"),     W("ein"),    W("eine"),   W("einem"),  W("einen"),  W("einer"),  W("eines"),
    W("erei"),     W("ereien"), W("haft"),   W("hafte"),  W("haftem"), W("haften"), W("hafter"),
    W("haftes"),   W("heit"),   W("heiten"), W("innen"),  W("ion"),    W("ionen"),  W("isch"),
    W("ische"),    W("ischem"), W("ischen"), W("ischer"), W("isches"), W("ismus"),  W("ist"),
    W("isten"),    W("ität"),   W("itäten"), W("keit"),   W("keiten"), W("lein"),   W("lich"),
    W("liche"),    W("lichem"), W("lichen"), W("licher"), W("liches"), W("ling"),   W("linge"),
    W("lingen"),   W("lings"),  W("los"),    W("lose"),   W("losem"),  W("losen"),  W("loser"),
    W("loses"),    W("nis"),    W("nisse"),  W("nissen"), W("nisses"), W("rin"),    W("rinnen"),
    W("sam"),      W("same"),   W("samem"),  W("samen"),  W("samer"),  W("sames"),  W("schaft"),
    W("schaften"), W("sein"),   W("tum"),    W("tums"),   W("tümer"),  W("tümern"), W("ung"),
    W("ungen"),
};

/* Bound suffixes that block a part anywhere (also as a modifier). */
static const word_t bound_everywhere[] = {
    W("heit"), W("ion"), W("isch"),   W("keit"), W("lich"),
    W("ling"), W("nis"), W("schaft"), W("tum"),  W("ung"),
};

/* True when w[0..len) is in the list of n words. */
static bool in_list(const word_t *list, size_t n, const char *w, size_t len) {
    if (len > 9) /* the longest word of the lists */
        return false;
    for (size_t i = 0; i < n; i++)
        if (list[i].len == len && memcmp(list[i].s, w, len) == 0)
            return true;
    return false;
}

/* True when w may be a compound modifier at all. */
static bool modifier_ok(const char *w, size_t len) {
    return !in_list(bad_modifiers, NELEM(bad_modifiers), w, len) &&
           !in_list(bound_everywhere, NELEM(bound_everywhere), w, len);
}

/* True when w may be a compound head at all. */
bool fg_cdict_head_ok(const char *w, size_t len) {
    return !in_list(bad_heads, NELEM(bad_heads), w, len) &&
           !in_list(bad_modifiers, NELEM(bad_modifiers), w, len);
}

/* Fugen that are stripped before the span itself is tried (genitive-like). */
static const char *const fugen_strip[] = {"ens", "es", "s"};
/* Fugen tried only when the span itself is no word (plural-like). */
static const char *const fugen_plural[] = {"en", "er", "n", "e"};

/* The lemma of s[0..len) minus the first of the n Fugen in fugen that it
 * ends in and that leave a word of at least min_chars characters which may
 * be a modifier; empty (e NULL) when none does. */
static fg_cdict_lemma_t strip_fuge(const fg_compound_dict_t *d, const char *s, size_t len,
                                   const char *const *fugen, size_t n, size_t min_chars) {
    for (size_t k = 0; k < n; k++) {
        size_t fl = strlen(fugen[k]);
        if (len > fl && memcmp(s + len - fl, fugen[k], fl) == 0 &&
            fg_cdict_nchars(s, len - fl) >= min_chars) {
            const unsigned char *e = fg_cdict_find(d, s, len - fl);
            if (e && modifier_ok(s, len - fl))
                return (fg_cdict_lemma_t){.e = e, .used = len - fl, .fuge = true};
        }
    }
    return (fg_cdict_lemma_t){0};
}

/*
 * Finds the lemma of a modifier span s[0..len) (see the splitting
 * paragraph of compound.c).  Candidates: the span minus a genitive-like
 * Fuge (-ens, -es, -s), the span itself, else the span minus a plural-like Fuge (-en, -er, -n, -e),
 * else the span plus an elided -e.  With by_count (splitting), a stripped form and the span itself
 * compete by modifier productivity, the stripped form winning ties ("bundes"/"bund" share a stem
 * and so their counts; "haus" beats "hau"); without (compiling, before counts exist), the span
 * itself wins when it is a noun.  Lemmas shorter than min_chars characters, and lemmas or spans
 * that may not be modifiers, do not count.
 */
fg_cdict_lemma_t fg_cdict_modifier_lemma(const fg_compound_dict_t *d, const char *s, size_t len,
                                         size_t min_chars, bool by_count) {
    fg_cdict_lemma_t r = {0};
    fg_cdict_lemma_t strip = strip_fuge(d, s, len, fugen_strip, NELEM(fugen_strip), min_chars);
    if (fg_cdict_nchars(s, len) < min_chars)
        return strip;
    const unsigned char *self = fg_cdict_find(d, s, len);
    if (self && !modifier_ok(s, len))
        return r; /* "ver", "aus": and no Fuge or elision makes them modifiers */
    if (self) {
        r.e = self;
        r.used = len;
        if (!strip.e)
            return r;
        if (by_count ? fg_cdict_get16(strip.e + 2) >= fg_cdict_get16(self + 2)
                     : !(self[1] & F_NOUN))
            return strip;
        return r;
    }
    if (strip.e)
        return strip;
    r = strip_fuge(d, s, len, fugen_plural, NELEM(fugen_plural), min_chars);
    if (r.e)
        return r;
    if (s[len - 1] != 'e') {
        const unsigned char *e = fg_cdict_find_plus(d, s, len, "e");
        if (e && modifier_ok(s, len) && modifier_ok((const char *)e + ENTRY_HEAD, e[0])) {
            r.e = e;
            r.used = len;
            r.add_e = true;
        }
    }
    return r;
}

/* ------------------------------------------------------------ compiling */

/* The dictionary being compiled: slots and a growing pool. */
typedef struct builder {
    uint32_t *slots;
    uint32_t mask;
    uint32_t nwords;
    fg_buf_t pool;
} builder_t;

/* Inserts a folded word with flags, or ORs the flags into its entry.
 * Returns FG_OK or FG_NOMEM. */
static fg_status_t builder_add(builder_t *b, const char *w, size_t len, unsigned flags) {
    uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, w, len);
    uint32_t i = (uint32_t)h & b->mask;
    for (; b->slots[i]; i = (i + 1) & b->mask) {
        unsigned char *e = (unsigned char *)b->pool.p + (b->slots[i] - 1);
        if (e[0] == len && memcmp(e + ENTRY_HEAD, w, len) == 0) {
            e[1] |= (unsigned char)flags;
            return FG_OK;
        }
    }
    if (b->pool.len + ENTRY_HEAD + len >= UINT32_MAX - 1)
        return FG_NOMEM;
    if (fg_buf_reserve(&b->pool, ENTRY_HEAD + len) != FG_OK)
        return FG_NOMEM;
    unsigned char *e = (unsigned char *)b->pool.p + b->pool.len;
    memset(e, 0, ENTRY_HEAD);
    e[0] = (unsigned char)len;
    e[1] = (unsigned char)flags;
    memcpy(e + ENTRY_HEAD, w, len);
    b->slots[i] = (uint32_t)b->pool.len + 1;
    b->pool.len += ENTRY_HEAD + len;
    b->nwords++;
    return FG_OK;
}

/* True when the UTF-8 word starts with an upper-case letter (A-Z, Ä, Ö, Ü). */
static bool capitalised(const char *w, size_t len) {
    const unsigned char *s = (const unsigned char *)w;
    if (len >= 1 && s[0] >= 'A' && s[0] <= 'Z')
        return true;
    return len >= 2 && s[0] == 0xC3 && (s[1] == 0x84 || s[1] == 0x96 || s[1] == 0x9C);
}

/* True when every character of the UTF-8 word is a letter. */
static bool all_letters(const char *w, size_t len) {
    const unsigned char *s = (const unsigned char *)w;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        size_t n = fg_utf8_next(s + i, len - i, &cp);
        if (fg_char_class(cp) != FG_CC_LETTER)
            return false;
        i += n;
    }
    return len > 0;
}

/* Adds 1 to an entry's u16 counter at byte k, saturating. */
static void bump(unsigned char *e, size_t k) {
    uint16_t v;
    memcpy(&v, e + k, 2);
    if (v < UINT16_MAX)
        v++;
    memcpy(e + k, &v, 2);
}

/* Marks as nouns the words of which a capitalised inflected form is listed. */
static void infer_nouns(fg_compound_dict_t *d, unsigned char *pool) {
    static const char *const endings[] = {"s", "es", "n", "en", "e", "er", "ern", "se", "sen"};
    for (size_t off = 0; off < d->pool_len;) {
        unsigned char *e = pool + off;
        if (!(e[1] & F_NOUN)) {
            for (size_t k = 0; k < NELEM(endings); k++) {
                const unsigned char *x =
                    fg_cdict_find_plus(d, (const char *)e + ENTRY_HEAD, e[0], endings[k]);
                if (x && (x[1] & F_CAP)) {
                    e[1] |= F_NOUN;
                    break;
                }
            }
        }
        off += ENTRY_HEAD + e[0];
    }
}

/* Counts, for every word, how often it is a modifier and a head in the
 * two-part splits of the other words (see the top of the file). */
static void count_productivity(fg_compound_dict_t *d, unsigned char *pool) {
    size_t bounds[256];
    for (size_t off = 0; off < d->pool_len;) {
        unsigned char *e = pool + off;
        size_t len = e[0];
        const char *w = (const char *)e + ENTRY_HEAD;
        off += ENTRY_HEAD + len;
        size_t n = 0;
        for (size_t i = 0; i < len; i++)
            if (((unsigned char)w[i] & 0xC0) != 0x80)
                bounds[n++] = i;
        if (n < 2 * COUNT_MIN_PART || !(e[1] & F_CAP))
            continue; /* nouns only: verb and adjective forms end in anything */
        for (size_t k = COUNT_MIN_PART; k + COUNT_MIN_PART <= n; k++) {
            size_t b = bounds[k];
            if (!fg_cdict_head_ok(w + b, len - b))
                continue;
            unsigned char *h = (unsigned char *)fg_cdict_find(d, w + b, len - b);
            if (!h)
                continue;
            fg_cdict_lemma_t m = fg_cdict_modifier_lemma(d, w, b, COUNT_MIN_PART, false);
            if (!m.e)
                continue;
            bump((unsigned char *)m.e, 2);
            bump(h, 4);
        }
    }
}

/*
 * Adds up the productivity counts of the words that share a Snowball stem
 * ("amt", "amts", "amtes", "ämter" all head compounds of "Amt") and gives
 * each word its stem's sums.  Returns FG_OK or FG_NOMEM.
 */
static fg_status_t aggregate_by_stem(fg_compound_dict_t *d, unsigned char *pool) {
    struct sb_stemmer *sb = sb_stemmer_new("german", "UTF_8");
    if (!sb)
        return FG_NOMEM;
    size_t nslots = (size_t)d->mask + 1;
    /* stem table: hash -> (mod sum, head sum), keyed by stem text in a pool */
    uint32_t *slots = calloc(nslots, sizeof *slots);
    uint32_t *sums = NULL;
    fg_buf_t stems = {0};
    uint32_t *entry_stem = calloc(d->nwords ? d->nwords : 1, sizeof *entry_stem);
    size_t nstems = 0;
    fg_status_t st = (slots && entry_stem) ? FG_OK : FG_NOMEM;
    if (st == FG_OK) {
        sums = calloc(2 * (size_t)d->nwords + 2, sizeof *sums);
        if (!sums)
            st = FG_NOMEM;
    }
    size_t idx = 0;
    for (size_t off = 0; off < d->pool_len && st == FG_OK; idx++) {
        unsigned char *e = pool + off;
        off += ENTRY_HEAD + e[0];
        const sb_symbol *r = sb_stemmer_stem(sb, e + ENTRY_HEAD, e[0]);
        if (!r) {
            st = FG_NOMEM;
            break;
        }
        size_t rl = (size_t)sb_stemmer_length(sb);
        if (rl > 255)
            rl = 255;
        uint64_t h = fg_fnv1a64(FG_FNV64_OFFSET, r, rl);
        uint32_t i = (uint32_t)h & d->mask;
        for (; slots[i]; i = (i + 1) & d->mask) {
            const unsigned char *x = (const unsigned char *)stems.p + (slots[i] - 1) + 4;
            if (x[0] == rl && memcmp(x + 1, r, rl) == 0)
                break;
        }
        if (!slots[i]) {
            if (fg_buf_reserve(&stems, 5 + rl) != FG_OK) {
                st = FG_NOMEM;
                break;
            }
            uint32_t id = (uint32_t)nstems++;
            memcpy(stems.p + stems.len, &id, 4);
            stems.p[stems.len + 4] = (char)rl;
            memcpy(stems.p + stems.len + 5, r, rl);
            slots[i] = (uint32_t)stems.len + 1;
            stems.len += 5 + rl;
        }
        uint32_t id;
        memcpy(&id, stems.p + (slots[i] - 1), 4);
        entry_stem[idx] = id;
        sums[2 * id] += fg_cdict_get16(e + 2);
        sums[2 * id + 1] += fg_cdict_get16(e + 4);
    }
    idx = 0;
    for (size_t off = 0; off < d->pool_len && st == FG_OK; idx++) {
        unsigned char *e = pool + off;
        off += ENTRY_HEAD + e[0];
        uint32_t id = entry_stem[idx];
        uint16_t m = sums[2 * id] > UINT16_MAX ? UINT16_MAX : (uint16_t)sums[2 * id];
        uint16_t h = sums[2 * id + 1] > UINT16_MAX ? UINT16_MAX : (uint16_t)sums[2 * id + 1];
        memcpy(e + 2, &m, 2);
        memcpy(e + 4, &h, 2);
    }
    sb_stemmer_delete(sb);
    free(slots);
    free(sums);
    free(entry_stem);
    fg_buf_free(&stems);
    return st;
}

/* Makes d describe the blob (header, slots, pool).  Returns false when the
 * blob is not a valid compiled dictionary. */
static bool attach(fg_compound_dict_t *d, const unsigned char *blob, size_t len) {
    if (len < HEADER_BYTES || memcmp(blob, MAGIC, 8) != 0)
        return false;
    uint32_t hdr[4];
    memcpy(hdr, blob + 8, sizeof hdr);
    uint32_t nslots = hdr[1];
    if (hdr[0] != VERSION || nslots == 0 || (nslots & (nslots - 1)) != 0 ||
        (uint64_t)HEADER_BYTES + (uint64_t)nslots * 4 + hdr[3] != len)
        return false;
    d->slots = (const uint32_t *)(const void *)(blob + HEADER_BYTES);
    d->mask = nslots - 1;
    d->nwords = hdr[2];
    d->pool = blob + HEADER_BYTES + (size_t)nslots * 4;
    d->pool_len = hdr[3];
    return true;
}

/* Compiles a word list into a dictionary in memory (see compound.h). */
fg_status_t fg_compound_dict_compile(const char *text, size_t len, fg_compound_dict_t **out) {
    *out = NULL;
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    size_t nslots = 1024;
    while (nslots < 2 * lines && nslots < (1u << 30))
        nslots *= 2;
    builder_t b = {.mask = (uint32_t)nslots - 1};
    b.slots = calloc(nslots, sizeof *b.slots);
    fg_buf_t folded = {0};
    fg_status_t st = b.slots ? FG_OK : FG_NOMEM;
    for (size_t i = 0; i < len && st == FG_OK;) {
        size_t j = i;
        while (j < len && text[j] != '\n')
            j++;
        size_t e = j;
        while (e > i && (text[e - 1] == '\r' || text[e - 1] == ' ' || text[e - 1] == '\t'))
            e--;
        if (e > i && all_letters(text + i, e - i) && 2 * nslots > 3 * (size_t)b.nwords) {
            st = fg_fold_string(&folded, text + i, e - i);
            if (st == FG_OK && folded.len > 0 && folded.len <= 255) {
                bool cap = capitalised(text + i, e - i);
                st = builder_add(&b, folded.p, folded.len, cap ? (F_CAP | F_NOUN) : F_LOWER);
            }
        }
        i = j + 1;
    }
    fg_buf_free(&folded);
    unsigned char *blob = NULL;
    size_t blob_len = HEADER_BYTES + nslots * 4 + b.pool.len;
    if (st == FG_OK) {
        blob = malloc(blob_len);
        if (!blob)
            st = FG_NOMEM;
    }
    fg_compound_dict_t *d = NULL;
    if (st == FG_OK) {
        d = calloc(1, sizeof *d);
        if (!d)
            st = FG_NOMEM;
    }
    if (st != FG_OK) {
        free(blob);
        free(d);
        free(b.slots);
        fg_buf_free(&b.pool);
        return st;
    }
    memset(blob, 0, HEADER_BYTES);
    memcpy(blob, MAGIC, 8);
    uint32_t hdr[4] = {VERSION, (uint32_t)nslots, b.nwords, (uint32_t)b.pool.len};
    memcpy(blob + 8, hdr, sizeof hdr);
    memcpy(blob + HEADER_BYTES, b.slots, nslots * 4);
    if (b.pool.len)
        memcpy(blob + HEADER_BYTES + nslots * 4, b.pool.p, b.pool.len);
    free(b.slots);
    fg_buf_free(&b.pool);
    attach(d, blob, blob_len);
    d->mem = blob;
    d->mem_len = blob_len;
    unsigned char *pool = blob + HEADER_BYTES + nslots * 4;
    infer_nouns(d, pool);
    count_productivity(d, pool);
    st = aggregate_by_stem(d, pool);
    if (st != FG_OK) {
        fg_compound_dict_free(d);
        return st;
    }
    *out = d;
    return FG_OK;
}

/* Writes the compiled blob to path (see compound.h). */
fg_status_t fg_compound_dict_write(const fg_compound_dict_t *d, const char *path, char *err,
                                   size_t errlen) {
    const void *blob = d->map ? d->map : d->mem;
    size_t n = d->map ? d->map_len : d->mem_len;
    FILE *f = fopen(path, "wb");
    if (!f) {
        fg_message(err, errlen, "cannot create '%s'", path);
        return FG_IO;
    }
    bool ok = fwrite(blob, 1, n, f) == n;
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        fg_message(err, errlen, "cannot write '%s'", path);
        return FG_IO;
    }
    return FG_OK;
}

/* ------------------------------------------------------------ opening */

/* Opens a dictionary file (see compound.h). */
fg_status_t fg_compound_dict_open(const char *path, fg_compound_dict_t **out, char *err,
                                  size_t errlen) {
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fg_message(err, errlen, "cannot open dictionary '%s'", path);
        return FG_IO;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        fg_message(err, errlen, "dictionary '%s' is not a readable file", path);
        return FG_IO;
    }
    size_t len = (size_t)sb.st_size;
    char magic[8] = {0};
    bool compiled =
        len >= HEADER_BYTES && pread(fd, magic, 8, 0) == 8 && memcmp(magic, MAGIC, 8) == 0;
    if (compiled) {
        void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (map == MAP_FAILED) {
            fg_message(err, errlen, "cannot map dictionary '%s'", path);
            return FG_IO;
        }
        fg_compound_dict_t *d = calloc(1, sizeof *d);
        if (!d) {
            munmap(map, len);
            return FG_NOMEM;
        }
        if (!attach(d, map, len)) {
            munmap(map, len);
            free(d);
            fg_message(err, errlen, "dictionary '%s' is damaged or of another version", path);
            return FG_CORRUPT;
        }
        d->map = map;
        d->map_len = len;
        *out = d;
        return FG_OK;
    }
    close(fd);
    char *data;
    fg_status_t st = fg_read_file(path, &data, &len, err, errlen);
    if (st != FG_OK)
        return st;
    st = fg_compound_dict_compile(data, len, out);
    free(data);
    return st;
}

#ifndef FG_DICT_INSTALL_PATH
#define FG_DICT_INSTALL_PATH "/usr/local/share/fundgrube/german.dict"
#endif

static pthread_once_t shared_once = PTHREAD_ONCE_INIT;
static fg_compound_dict_t *shared_dict; /* compiled from SYSTEM_WORDLIST once */

/* Compiles the system word list into the process-wide dictionary (once). */
static void compile_shared(void) {
    fg_compound_dict_t *d = NULL;
    if (fg_compound_dict_open(SYSTEM_WORDLIST, &d, NULL, 0) == FG_OK) {
        d->shared = true;
        shared_dict = d;
    }
}

/* Opens the built-in dictionary (see compound.h for the search order). */
fg_status_t fg_compound_dict_builtin(fg_compound_dict_t **out, char *err, size_t errlen) {
    *out = NULL;
    const char *env = getenv("FUNDGRUBE_DICTIONARY");
    if (env && *env)
        return fg_compound_dict_open(env, out, err, errlen);
    /* relative to the program or library running this (an installed tree
     * under any prefix, or the build tree), then the configured prefix */
    char found[PATH_MAX] = "";
    fg_relocate_find((const void *)fg_compound_dict_builtin,
                     FG_REL_BIN_TO_DATA "/fundgrube/german.dict",
                     FG_REL_LIB_TO_DATA "/fundgrube/german.dict", "share/fundgrube/german.dict",
                     R_OK, found, sizeof found);
    const char *paths[] = {found, FG_DICT_INSTALL_PATH};
    for (size_t i = 0; i < NELEM(paths); i++) {
        if (paths[i][0] && access(paths[i], R_OK) == 0) {
            fg_status_t st = fg_compound_dict_open(paths[i], out, err, errlen);
            if (st != FG_CORRUPT)
                return st;
        }
    }
    if (access(SYSTEM_WORDLIST, R_OK) == 0) {
        pthread_once(&shared_once, compile_shared);
        if (shared_dict) {
            *out = shared_dict;
            return FG_OK;
        }
        fg_message(err, errlen, "cannot compile the word list '%s'", SYSTEM_WORDLIST);
        return FG_NOMEM;
    }
    fg_message(err, errlen,
               "no German dictionary: set FUNDGRUBE_DICTIONARY, or install '%s' or the package "
               "wngerman ('%s')",
               FG_DICT_INSTALL_PATH, SYSTEM_WORDLIST);
    return FG_IO;
}

/* Releases a dictionary (see compound.h). */
void fg_compound_dict_free(fg_compound_dict_t *d) {
    if (!d || d->shared)
        return;
    if (d->map)
        munmap(d->map, d->map_len);
    free(d->mem);
    free(d);
}
