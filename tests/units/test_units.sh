#!/bin/sh
# test_units.sh FUNDGRUBED_UNIT SERVE_UNIT FUNDGRUBED FUNDGRUBE - the systemd
# user units as the build installs them: systemd-analyze --user verify has
# nothing to say (ExecStart pointed at the built programs), and they carry
# the confinement README's Installing promises.
set -eu
fgd_unit=$1 serve_unit=$2 fgd=$3 fg=$4
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
echo "ok: units verified"
