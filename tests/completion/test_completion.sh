#!/bin/sh
# test_completion.sh COMPLETION_FILE FUNDGRUBE FUNDGRUBED - bash completion
# offers the commands, every option each command's --help names, every key
# `fundgrube config` prints, the query's field names and their values.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
file=$1 fg=$2 fgd=$3
tmp=$(mktemp -d /tmp/fg-compl.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
[ -r /usr/share/bash-completion/bash_completion ] || fail "package bash-completion is missing"
export HOME="$tmp"
# offers LINE: the replies for LINE, one a line
offers() {
  bash "$here/complete.bash" "$file" "$1" 2>/dev/null | sed '/^--$/d'
}
# has LINE WORD...: each WORD is offered for LINE
has() {
  line=$1
  shift
  offers "$line" >"$tmp/got"
  for w in "$@"; do
    grep -qxF -- "$w" "$tmp/got" || fail "'$line<Tab>' does not offer '$w' (got: $(tr '\n' ' ' <"$tmp/got"))"
  done
}
# only LINE WORD...: exactly these WORDs are offered
only() {
  line=$1
  shift
  offers "$line" | sort >"$tmp/got"
  printf '%s\n' "$@" | sort >"$tmp/want"
  cmp -s "$tmp/got" "$tmp/want" || fail "'$line<Tab>' offers $(tr '\n' ' ' <"$tmp/got"), not $*"
}

has "$fg " index search analyze config status serve
only "$fg sea" search
only "$fg search --no" --no-snippets
only "$fg search ti" title: titel:
only "$fg search ext:p" pdf pptx
only "$fg search --sort=d" date
mkdir -p "$tmp/Dokumente/Steuer" "$tmp/Dokumente/Sonstiges"
only "$fg search dir:$tmp/Dokumente/St" "$tmp/Dokumente/Steuer"
only "$fgd --w" --watch

# every option of every command's --help (minus -h/--help's twin --version of the program)
for cmd in index search analyze config status serve; do
  "$fg" "$cmd" --help >"$tmp/help"
  offers "$fg $cmd --" | sed 's/=$//' >"$tmp/offered"
  for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
    grep -qxF -- "$opt" "$tmp/offered" || fail "'fundgrube $cmd --<Tab>' lacks $opt"
  done
done
"$fgd" --help >"$tmp/help"
offers "$fgd --" >"$tmp/offered"
for opt in $(grep -o -- '--[a-z][a-z-]*' "$tmp/help" | sort -u); do
  grep -qxF -- "$opt" "$tmp/offered" || fail "'fundgrubed --<Tab>' lacks $opt"
done

# every configuration key, as SECTION.KEY
"$fg" config | awk '/^\[/ { s = substr($0, 2, length($0) - 2); next }
  /^[a-z_0-9]+ = / { print s "." $1 }' | sort -u >"$tmp/keys"
[ "$(wc -l <"$tmp/keys")" -gt 30 ] || fail "fundgrube config lists only $(wc -l <"$tmp/keys") keys"
offers "$fg config " | sort -u >"$tmp/offered"
cmp -s "$tmp/keys" "$tmp/offered" || fail "config keys differ: $(diff "$tmp/keys" "$tmp/offered" | head -5)"
only "$fg config web.l" web.listen
echo "ok: bash completion"
