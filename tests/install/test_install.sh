#!/bin/sh
# test_install.sh BUILD_DIR SOURCE_DIR LIBDIR CC [CFLAGS] - the installed tree works on its own.
#
# Installs the build into a temporary prefix, moves that prefix elsewhere
# (so neither the configured prefix nor the staging path is where the files
# are), and runs index, search, the daemon and the web server from it with
# a clean environment.  strace shows which plugin, dictionary and extractor
# the programs open: those of the moved prefix, never a file of the build
# tree.  No installed file names the build tree.  A host of the plugin
# (examples/host/host.c) builds against the installed header with
# pkg-config (CC and CFLAGS: the build's compiler and sanitizer flags).
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d /tmp/fg-install.XXXXXX)
daemon=""
serve=""
cleanup() {
  [ -z "$daemon" ] || kill "$daemon" 2>/dev/null || true
  [ -z "$serve" ] || kill "$serve" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

cmake --install "$build" --prefix "$tmp/stage" >/dev/null
mv "$tmp/stage" "$tmp/moved"
P=$tmp/moved
libdir=$3 # lib/<multiarch> unless the build chose another
cc=$4
cflags=${5:-}

for f in bin/fundgrube bin/fundgrubed libexec/fundgrube/fundgrube-extract \
         "$libdir/libfundgrube.so.1" "$libdir/libfundgrube.so" \
         include/fundgrube/fundgrube.h include/fundgrube/status.h \
         "$libdir/pkgconfig/fundgrube.pc" \
         share/fundgrube/german.dict lib/systemd/user/fundgrubed.service \
         lib/systemd/user/fundgrube-serve.service share/man/man1/fundgrube.1 \
         share/man/man1/fundgrubed.1 share/man/man1/fundgrube-serve.1 \
         share/man/man5/fundgrube.conf.5 share/doc/fundgrube/examples/fundgrube.conf \
         share/bash-completion/completions/fundgrube \
         share/bash-completion/completions/fundgrubed \
         share/locale/de/LC_MESSAGES/fundgrube.mo; do
  [ -e "$P/$f" ] || fail "not installed: $f"
done

# No installed file names the build tree (debug information aside, which a
# package strips: compare a stripped copy).  A sanitizer build's programs
# carry their source locations for the reports (web/assets.c is generated in
# the build tree): there only the lookups below count.
if [ -z "$cflags" ]; then
  cp -a "$P" "$tmp/stripped"
  find "$tmp/stripped" -type f \( -path '*/bin/*' -o -path '*/lib/*' -o -path '*/libexec/*' \) \
    -exec sh -c 'file -b "$1" | grep -q ELF && strip --strip-debug "$1"' sh {} \;
  if grep -rlF "$build/" "$tmp/stripped" >"$tmp/named"; then
    fail "installed files name the build tree $build: $(cat "$tmp/named")"
  fi
fi

# A clean environment: no FUNDGRUBE_* variables, no build tree on any path.
mkdir -p "$tmp/home" "$tmp/docs" "$tmp/watch"
cp "$src/examples/fahrrad-reparatur.txt" "$src/examples/buergerversammlung.txt" "$tmp/docs/"
cp "$src/tests/extract/fixtures/sample-lo.pdf" "$tmp/docs/muellabfuhr.pdf"
run() {
  env -i HOME="$tmp/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" "$@"
}
# LeakSanitizer cannot run under ptrace: no leak check for the traced runs
traced() {
  out=$1
  shift
  env -i HOME="$tmp/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
    ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
    strace -f -qq -e trace=openat,execve -o "$out" "$@"
}
# expect TRACE WHAT PATH: the trace shows PATH (or PATH.*) opened or executed
expect() {
  grep -F "\"$3" "$1" | grep -qv ENOENT || fail "$2: $3 not opened (trace $1)"
}
no_build() {
  if grep -F "\"$build/" "$1" | grep -v ENOENT >"$tmp/hits"; then
    fail "$2 opened files of the build tree: $(head -3 "$tmp/hits")"
  fi
}

traced "$tmp/t.index" "$P/bin/fundgrube" index --index "$tmp/idx" "$tmp/docs" >"$tmp/index.out" 2>&1 ||
  fail "fundgrube index: $(cat "$tmp/index.out")"
expect "$tmp/t.index" "fundgrube index" "$P/share/fundgrube/german.dict"
expect "$tmp/t.index" "fundgrube index" "$P/libexec/fundgrube/fundgrube-extract"
no_build "$tmp/t.index" "fundgrube index"

traced "$tmp/t.search" "$P/bin/fundgrube" search --index "$tmp/idx" --json 'Müllabfuhr type:pdf' \
  >"$tmp/s1" 2>"$tmp/s1.err" || fail "fundgrube search: $(cat "$tmp/s1.err")"
expect "$tmp/t.search" "fundgrube search" "$P/$libdir/libfundgrube.so.1"
expect "$tmp/t.search" "fundgrube search" "$P/share/fundgrube/german.dict"
no_build "$tmp/t.search" "fundgrube search"
grep -q '"path":"[^"]*muellabfuhr.pdf"' "$tmp/s1" || fail "the PDF not found: $(cat "$tmp/s1")"
# a compound part through the installed dictionary: Reparatur in Fahrradreparatur
run "$P/bin/fundgrube" search --index "$tmp/idx" --json Reparatur >"$tmp/s2" ||
  fail "fundgrube search Reparatur"
grep -q 'fahrrad-reparatur.txt' "$tmp/s2" || fail "Reparatur did not find Fahrradreparatur"

# German messages from the installed catalogue (LANGUAGE works without a
# generated de_DE locale)
run LANGUAGE=de "$P/bin/fundgrube" search --index "$tmp/idx" Zebrastreifenxyz >"$tmp/de.out" ||
  fail "German search failed"
grep -q '^Keine Dokumente gefunden' "$tmp/de.out" || fail "no German from the installed tree: $(cat "$tmp/de.out")"

# the daemon: a file dropped into the watched folder becomes searchable
# (exec: $! is strace, whose child is fundgrubed)
(exec env -i HOME="$tmp/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
  ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
  strace -f -qq -e trace=openat,execve -o "$tmp/t.daemon" \
  "$P/bin/fundgrubed" --index "$tmp/idx2" --watch "$tmp/watch") >"$tmp/daemon.log" 2>&1 &
daemon=$!
i=0
while ! grep -q . "$tmp/idx2/fundgrubed.status" 2>/dev/null; do
  i=$((i + 1))
  [ $i -lt 300 ] || fail "fundgrubed did not start: $(cat "$tmp/daemon.log")"
  sleep 0.1
done
cp "$src/tests/extract/fixtures/sample-lo.pdf" "$tmp/watch/abfall.pdf"
i=0
until run "$P/bin/fundgrube" search --index "$tmp/idx2" --json Müllabfuhr 2>/dev/null |
  grep -q 'abfall.pdf'; do
  i=$((i + 1))
  [ $i -lt 300 ] || fail "the daemon did not index abfall.pdf: $(cat "$tmp/daemon.log")"
  sleep 0.1
done
# SIGTERM to fundgrubed itself (the child of strace): it commits and exits 0
i=0
until pid=$(pgrep -P "$daemon" -x fundgrubed); do
  i=$((i + 1))
  [ $i -lt 50 ] || fail "no fundgrubed below strace $daemon"
  sleep 0.1
done
kill "$pid"
wait "$daemon" || fail "fundgrubed exited with $?: $(cat "$tmp/daemon.log")"
daemon=""
expect "$tmp/t.daemon" "fundgrubed" "$P/share/fundgrube/german.dict"
expect "$tmp/t.daemon" "fundgrubed" "$P/libexec/fundgrube/fundgrube-extract"
no_build "$tmp/t.daemon" "fundgrubed"

# pkg-config: the header's folder, -ldl, the plugin's path; a host built with it
export PKG_CONFIG_PATH="$P/$libdir/pkgconfig"
[ "$(pkg-config --libs fundgrube | xargs)" = "-ldl" ] || fail "pkg-config --libs: $(pkg-config --libs fundgrube)"
[ "$(pkg-config --modversion fundgrube)" = "$(run "$P/bin/fundgrube" --version | sed 's/^fundgrube //')" ] ||
  fail "pkg-config --modversion differs from fundgrube --version"
plugindir=$(realpath "$(pkg-config --variable=plugindir fundgrube)")
[ "$plugindir" = "$P/$libdir" ] || fail "plugindir $plugindir, not $P/$libdir"
plugin=$(pkg-config --variable=plugin fundgrube)
[ -f "$plugin" ] || fail "pkg-config --variable=plugin names no file: $plugin"
# shellcheck disable=SC2086,SC2046
"$cc" -std=c11 -Wall -Wextra -Werror $cflags -o "$tmp/fg-host" "$src/examples/host/host.c" \
  -DFG_PLUGIN_PATH="\"$plugin\"" $(pkg-config --cflags --libs fundgrube) ||
  fail "examples/host/host.c does not build with pkg-config"
run "$tmp/fg-host" "$tmp/idx" 'Müllabfuhr' >"$tmp/host.out" 2>&1 || fail "fg-host failed: $(cat "$tmp/host.out")"
grep -q "muellabfuhr.pdf" "$tmp/host.out" || fail "fg-host: no PDF hit: $(cat "$tmp/host.out")"
# without a path compiled in: the SONAME through the library path
# shellcheck disable=SC2086,SC2046
"$cc" -std=c11 -Wall -Wextra -Werror $cflags -o "$tmp/fg-host2" "$src/examples/host/host.c" \
  $(pkg-config --cflags --libs fundgrube) || fail "host.c without FG_PLUGIN_PATH does not build"
run LD_LIBRARY_PATH="$P/$libdir" "$tmp/fg-host2" "$tmp/idx" 'Reparatur' >"$tmp/host2.out" ||
  fail "fg-host by SONAME failed"
grep -q "fahrrad-reparatur.txt" "$tmp/host2.out" || fail "fg-host2: $(cat "$tmp/host2.out")"

# the web server answers a search through the installed plugin
(exec env -i HOME="$tmp/home" PATH=/usr/bin:/bin LANG=C.UTF-8 \
  ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
  "$P/bin/fundgrube" serve --index "$tmp/idx" --listen "unix:$tmp/web.sock") >"$tmp/serve.log" 2>&1 &
serve=$!
i=0
until [ -S "$tmp/web.sock" ]; do
  i=$((i + 1))
  [ $i -lt 300 ] || fail "fundgrube serve did not start: $(cat "$tmp/serve.log")"
  sleep 0.1
done
curl -sf --unix-socket "$tmp/web.sock" -H 'Host: localhost' \
  'http://localhost/api/search?q=M%C3%BCllabfuhr' >"$tmp/web.json" ||
  fail "GET /api/search failed: $(cat "$tmp/serve.log")"
grep -q 'muellabfuhr.pdf' "$tmp/web.json" || fail "the web search missed the PDF: $(cat "$tmp/web.json")"
kill "$serve"
wait "$serve" || fail "fundgrube serve exited with $?: $(cat "$tmp/serve.log")"
serve=""
echo "ok: installed tree in $P works on its own"
