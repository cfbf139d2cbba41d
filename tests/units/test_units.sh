#!/bin/sh
# test_units.sh FUNDGRUBED_UNIT SERVE_UNIT FUNDGRUBED FUNDGRUBE SHARD_UNIT - the systemd
# user units as the build installs them: systemd-analyze --user verify has
# nothing to say (ExecStart pointed at the built programs), and they carry
# the confinement README's Installing promises.
set -eu
fgd_unit=$1 serve_unit=$2 fgd=$3 fg=$4 shard_unit=$5
tmp=$(mktemp -d /tmp/fg-units.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
command -v systemd-analyze >/dev/null || fail "systemd-analyze is missing (package systemd)"
# verify needs a runtime folder of a user manager, even offline
export XDG_RUNTIME_DIR="$tmp/runtime"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
sed "s|^ExecStart=[^ ]*fundgrubed|ExecStart=$fgd|" "$fgd_unit" >"$tmp/fundgrubed.service"
sed "s|^ExecStart=[^ ]*fundgrube |ExecStart=$fg |" "$serve_unit" >"$tmp/fundgrube-serve.service"
grep -qx "ExecStart=$fgd --foreground" "$tmp/fundgrubed.service" || fail "fundgrubed: ExecStart"
grep -qx "ExecStart=$fg serve" "$tmp/fundgrube-serve.service" || fail "fundgrube-serve: ExecStart"
for u in fundgrubed fundgrube-serve; do
  (cd "$tmp" && systemd-analyze --user verify "$u.service") >"$tmp/out" 2>&1 ||
    fail "systemd-analyze --user verify $u: $(cat "$tmp/out")"
  [ ! -s "$tmp/out" ] || fail "systemd-analyze --user verify $u: $(cat "$tmp/out")"
done
# has UNIT KEY=VALUE...: each line is in the unit
has() {
  u=$1
  shift
  for kv in "$@"; do
    grep -qxF "$kv" "$tmp/$u.service" || fail "$u.service lacks $kv"
  done
}
has fundgrubed Nice=19 IOSchedulingClass=idle NoNewPrivileges=yes ProtectSystem=strict \
  ReadWritePaths=%h/.local/share/fundgrube PrivateNetwork=yes MemoryHigh=2G
has fundgrube-serve NoNewPrivileges=yes ProtectSystem=strict MemoryHigh=1G
if grep -q '^PrivateNetwork=' "$tmp/fundgrube-serve.service"; then
  fail "fundgrube-serve.service must listen: no PrivateNetwork"
fi
# the default index lies inside the writable path
HOME="$tmp/home" "$fg" config index.path | grep -qx "$tmp/home/.local/share/fundgrube/index" ||
  fail "the default index is not below ~/.local/share/fundgrube"
# the shard template: verified as an instance, read-only, xapian-tcpsrv
# without --writable on the port and folder of the instance's env file
cp "$shard_unit" "$tmp/fundgrube-shard@.service"
(cd "$tmp" && systemd-analyze --user verify "fundgrube-shard@test.service") >"$tmp/out" 2>&1 ||
  fail "systemd-analyze --user verify fundgrube-shard@test: $(cat "$tmp/out")"
[ ! -s "$tmp/out" ] || fail "systemd-analyze --user verify fundgrube-shard@test: $(cat "$tmp/out")"
has fundgrube-shard@ NoNewPrivileges=yes ProtectSystem=strict ProtectHome=read-only \
  "EnvironmentFile=%h/.config/fundgrube/shard-%i.env" "Environment=FG_SHARD_INTERFACE=127.0.0.1"
grep -q '^ExecStart=/usr/bin/xapian-tcpsrv .*--port ${FG_SHARD_PORT} .*${FG_SHARD_FOLDER}$' \
  "$tmp/fundgrube-shard@.service" || fail "fundgrube-shard@: ExecStart"
if grep -q '^ExecStart=.*--writable\|^ReadWritePaths=\|^PrivateNetwork=' "$tmp/fundgrube-shard@.service"; then
  fail "fundgrube-shard@.service must serve read-only and listen"
fi
# ... and what it starts serves: the ExecStart line run on a built index
if command -v xapian-tcpsrv >/dev/null; then
  mkdir -p "$tmp/home" "$tmp/docs" && echo "Kaffeebohnen frisch gemahlen" >"$tmp/docs/k.txt"
  HOME="$tmp/home" FUNDGRUBE_CONFIG= "$fg" index --index="$tmp/ix" "$tmp/docs" >/dev/null 2>&1 ||
    fail "indexing for the shard"
  port=$((20000 + $$ % 20000))
  cmd=$(sed -n 's/^ExecStart=//p' "$tmp/fundgrube-shard@.service" |
    sed "s|\${FG_SHARD_INTERFACE}|127.0.0.1|; s|\${FG_SHARD_PORT}|$port|; s|\${FG_SHARD_FOLDER}|$tmp/ix|")
  setsid $cmd >/dev/null 2>&1 &
  srv=$!
  printf 'remote 127.0.0.1:%s\n' "$port" >"$tmp/list"
  ok=
  for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    if HOME="$tmp/home" FUNDGRUBE_CONFIG= "$fg" search --index="$tmp/list" --json Kaffeebohnen \
      2>/dev/null | grep -q '"path"'; then
      ok=1
      break
    fi
    sleep 0.2
  done
  kill "$srv" 2>/dev/null || true
  wait "$srv" 2>/dev/null || true
  [ -n "$ok" ] || fail "fundgrube-shard@'s ExecStart does not serve the index"
fi
echo "ok: units verified"
