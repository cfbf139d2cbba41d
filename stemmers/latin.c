/*
 * latin.c - one stem for the singular and plural of Latin-derived German
 * nouns, which Snowball leaves apart (settings.latin_plurals).
 *
 * Snowball strips the plural ending ("ministerien" -> "ministeri", "museen"
 * -> "muse", "themen" -> "them", "rhythmen" -> "rhythm") but keeps the
 * Latin singular ending ("ministerium", "museum", "thema", "rhythmus").  The
 * rules below rewrite the singular's stem into the plural's, looking only at
 * the end of the stem, so compounds follow ("aussenministerium" ->
 * "aussenministeri").  At most one rule applies (R = what remains of the
 * stem, counted in bytes):
 *
 *   -um   -> drop "um"  when R >= 4 and R does not end in 't' (the German
 *                       suffix -tum: Eigentum, Reichtum, Irrtum; also Datum,
 *                       so Datum/Daten stay apart), 'a' or 'o' (Schaum,
 *                       Baum), nor in a vowel + 'r' (wiederum, Forum)
 *                       Ministerium, Studium, Museum, Zentrum, Individuum
 *   -ata  -> drop "ata" when R >= 4                Schemata, Dogmata, Klimata
 *   -a    -> drop "a"   after a consonant other than "mm" (Komma -> "komm"),
 *                       when R >= 4                Thema, Firma, Villa, Drama
 *   -as   -> drop "as"  after a consonant other than "mm", when R >= 4
 *                       (plural -s: Themas, Kameras; not Kommas -> "komm")
 *   -us   -> drop "us"  after a consonant, when R >= 4
 *                                                  Rhythmus, Zyklus, Globus
 *   -li, -pi -> drop "i" when R >= 5 (plural -ien of a consonant stem:
 *                       Materialien, Fossilien, Prinzipien)
 *
 * Stems ending in "uma", "umas", "umata" are left alone (Trauma, Traumata
 * would meet Traum).  Checked against the stems of /usr/share/dict/ngerman:
 * the rules merge about 390 stems with the stem of another word, nearly all
 * singular/plural pairs; the rest are rare words (Terminus/Termin,
 * Campus/Camp, Extra/extrem).
 *
 * Short words are left alone on purpose: Virus/Viren, Album/Alben,
 * Forum/Foren, Visum/Visa would need R = 3, where the rules start to hit
 * unrelated words (warum -> "war", darum -> "dar").  Konto/Konten and
 * Risiko/Risiken (-o) are not handled: "-o" stems collide too often
 * (Studio/Studien, Motto/Motte).
 */
#include <string.h>

#include "stemmers/internal.h"

/* True when c is an ASCII vowel (y counts). */
static bool vowel(char c) {
    return strchr("aeiouy", c) != NULL && c != '\0';
}

/* True when c is an ASCII consonant letter. */
static bool consonant(char c) {
    return c >= 'a' && c <= 'z' && !vowel(c);
}

/* True when s[0..len) ends with the NUL-terminated suffix. */
static bool ends(const char *s, size_t len, const char *suffix) {
    size_t n = strlen(suffix);
    return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* Rewrites a Snowball stem (see the top of this file).  Returns the new
 * length; the stem stays NUL-terminated when it was. */
size_t fg_latin_plural_stem(char *stem, size_t len) {
    size_t r = len;
    if (ends(stem, len, "uma") || ends(stem, len, "umas") || ends(stem, len, "umata"))
        return len; /* Trauma is no Traum */
    if (ends(stem, len, "um") && len >= 6) {
        char c = stem[len - 3], b = stem[len - 4];
        if (c != 't' && c != 'a' && c != 'o' && !(c == 'r' && vowel(b)))
            r = len - 2;
    } else if (ends(stem, len, "ata") && len >= 7) {
        r = len - 3;
    } else if (ends(stem, len, "as") && len >= 6 && consonant(stem[len - 3]) &&
               !ends(stem, len, "mmas")) {
        r = len - 2;
    } else if (ends(stem, len, "a") && len >= 5 && consonant(stem[len - 2]) &&
               !ends(stem, len, "mma")) {
        r = len - 1;
    } else if (ends(stem, len, "us") && len >= 6 && consonant(stem[len - 3])) {
        r = len - 2;
    } else if ((ends(stem, len, "li") || ends(stem, len, "pi")) && len >= 6) {
        r = len - 1;
    }
    if (r != len)
        stem[r] = '\0';
    return r;
}
