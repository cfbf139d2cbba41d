#!/bin/sh
# test_po.sh SOURCE_DIR FUNDGRUBE - every message the CLI marks for
# translation (xgettext over cli/*.c now, not the committed template) has a
# German translation in po/de.po that is neither missing nor fuzzy, with the
# same printf directives (msgfmt --check); and the CLI speaks German under
# LANG=de_DE.UTF-8 (a locale compiled here with localedef, LOCPATH), English
# under C, and keeps "." in its JSON numbers either way.
set -eu
src=$1 fg=$2
tmp=$(mktemp -d /tmp/fg-po.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
here=$(cd "$(dirname "$0")" && pwd)
cd "$src"
xgettext --language=C --keyword=_ --keyword=N_ --keyword=ngettext:1,2 --from-code=UTF-8 -o "$tmp/now.pot" cli/*.c
n=$(grep -c '^msgid ' "$tmp/now.pot")
[ "$n" -gt 40 ] || fail "xgettext found only $n messages in cli/*.c"
msgcmp po/de.po "$tmp/now.pot" 2>"$tmp/cmp" || fail "po/de.po lacks translations: $(head -20 "$tmp/cmp")"
msgfmt --check --statistics -o /dev/null po/de.po 2>"$tmp/stat" || fail "msgfmt --check: $(cat "$tmp/stat")"
grep -q 'untranslated\|fuzzy' "$tmp/stat" && fail "po/de.po: $(cat "$tmp/stat")"
# the committed template is the one the sources give (regenerate: scripts/update-po)
msgcmp --use-untranslated po/fundgrube.pot "$tmp/now.pot" 2>/dev/null ||
  fail "po/fundgrube.pot is stale: run scripts/update-po"

# the program in German and in English
mkdir -p "$tmp/locale"
localedef -i de_DE -f UTF-8 "$tmp/locale/de_DE.UTF-8" 2>"$tmp/ld" || fail "localedef: $(cat "$tmp/ld")"
# (LeakSanitizer: glibc keeps what it read of LOCPATH, see lsan.supp)
de() {
  env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LOCPATH="$tmp/locale" LANG=de_DE.UTF-8 HOME="$tmp" \
    LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$here/lsan.supp" "$@"
}
en() { env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=C HOME="$tmp" "$@"; }
de "$fg" search >/dev/null 2>"$tmp/err" && fail "search without a query succeeded"
grep -q 'keine SUCHANFRAGE angegeben' "$tmp/err" || fail "German: $(cat "$tmp/err")"
en "$fg" search >/dev/null 2>"$tmp/err" && fail "search without a query succeeded"
grep -q 'no QUERY given' "$tmp/err" || fail "English: $(cat "$tmp/err")"
mkdir "$tmp/docs"
cp examples/fahrrad-reparatur.txt examples/kaffee-zubereitung.md "$tmp/docs/"
de "$fg" index --index "$tmp/idx" "$tmp/docs" >"$tmp/out" || fail "index"
grep -q '^2 Dateien indexiert' "$tmp/out" || fail "German index summary: $(cat "$tmp/out")"
de "$fg" search --index "$tmp/idx" Reifen >"$tmp/out" || fail "search"
grep -q '^1 Dokument gefunden (angezeigt 1-1)' "$tmp/out" || fail "German hits: $(cat "$tmp/out")"
de "$fg" search --index "$tmp/idx" Zebrastreifenxyz >"$tmp/out" || fail "search"
grep -q '^Keine Dokumente gefunden' "$tmp/out" || fail "German no hits: $(cat "$tmp/out")"
en "$fg" search --index "$tmp/idx" Reifen | grep -q '^1 document found' || fail "English hits"
de "$fg" search --index "$tmp/idx" --json Reifen >"$tmp/json" || fail "search --json"
grep -q '"score":[0-9]*\.[0-9]' "$tmp/json" || fail "JSON numbers under German: $(cat "$tmp/json")"
de "$fg" status --index "$tmp/idx" | grep -q '^Dokumente:  2$' || fail "German status"
# the help texts: German, with every option of the English one
de "$fg" --help | grep -q '^Aufruf: fundgrube BEFEHL' || fail "German --help"
for cmd in "" index search analyze config status serve; do
  # shellcheck disable=SC2086
  en "$fg" $cmd --help >"$tmp/en.help" || fail "fundgrube $cmd --help"
  # shellcheck disable=SC2086
  de "$fg" $cmd --help >"$tmp/de.help" || fail "fundgrube $cmd --help (German)"
  cmp -s "$tmp/en.help" "$tmp/de.help" && fail "fundgrube $cmd --help is not translated"
  for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/en.help" | sort -u); do
    grep -qF -- "$opt" "$tmp/de.help" || fail "German 'fundgrube $cmd --help' lacks $opt"
  done
done
echo "ok: $n messages, all in German"
