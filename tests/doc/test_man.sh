#!/bin/sh
# test_man.sh MANDIR SCDDIR FUNDGRUBE FUNDGRUBED EXTRACT VERSION
#
# Every manual page renders with man -l and without a warning of groff -ww;
# every long option a program's --help names is in its page, every key of
# `fundgrube config` in fundgrube.conf(5); every program (the server and the
# extractor helper too) answers --help and --version with exit 0 and the
# build's version.
set -eu
man=$1 scd=$2 fg=$3 fgd=$4 fgx=$5 version=$6
tmp=$(mktemp -d /tmp/fg-man.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
export LC_ALL=C.UTF-8 MANWIDTH=80 HOME="$tmp"

for page in fundgrube.1 fundgrubed.1 fundgrube-serve.1 fundgrube.conf.5; do
  [ -s "$man/$page" ] || fail "no page $man/$page"
  groff -k -ww -man -Tutf8 -z "$man/$page" 2>"$tmp/warn" || fail "groff failed on $page"
  [ ! -s "$tmp/warn" ] || fail "groff -ww warns on $page: $(cat "$tmp/warn")"
  man -l "$man/$page" >"$tmp/out" 2>"$tmp/warn" || fail "man -l $page failed"
  [ ! -s "$tmp/warn" ] || fail "man -l warns on $page: $(cat "$tmp/warn")"
  grep -q '^NAME' "$tmp/out" || fail "$page has no NAME section"
  grep -q '^SEE ALSO' "$tmp/out" || fail "$page has no SEE ALSO section"
done

# options_in PAGE HELP...: every --option of the help text is in the page
options_in() {
  page=$1
  shift
  "$@" >"$tmp/help" || fail "$* failed"
  for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
    grep -qF -- "*$opt" "$scd/$page.scd" || fail "$page.scd lacks $opt (from $*)"
  done
}
options_in fundgrube.1 "$fg" --help
for cmd in index search analyze config status; do
  options_in fundgrube.1 "$fg" "$cmd" --help
done
options_in fundgrubed.1 "$fgd" --help
options_in fundgrube-serve.1 "$fg" serve --help

# every configuration key, as "*key* =" under its section
"$fg" config >"$tmp/config" 2>/dev/null || fail "fundgrube config failed"
section=""
while IFS= read -r line; do
  case "$line" in
  \[*\]) section=$line ;;
  [a-z]*=*)
    key=${line%% =*}
    awk -v s="# $section" -v k="*$key* =" '
      $0 == s { on = 1; next } /^# / { on = 0 } on && index($0, k) == 1 { found = 1 }
      END { exit !found }' "$scd/fundgrube.conf.5.scd" ||
      fail "fundgrube.conf.5.scd lacks $key under $section"
    ;;
  esac
done <"$tmp/config"

# --help and --version of every program
for prog in "$fg" "$fgd" "$fg serve" "$fgx"; do
  # shellcheck disable=SC2086
  $prog --help >"$tmp/h" || fail "$prog --help: exit $?"
  grep -qi 'usage' "$tmp/h" || fail "$prog --help prints no usage"
  # shellcheck disable=SC2086
  $prog --version >"$tmp/v" || fail "$prog --version: exit $?"
  grep -qx ".* $version" "$tmp/v" || fail "$prog --version: $(cat "$tmp/v"), not $version"
done
echo "ok: manual pages and --help/--version"
