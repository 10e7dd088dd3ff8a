#!/usr/bin/env bash
# Proves a set-up change: runs the README's two commands (scripts/demo.sh, then scripts/test.sh)
# in a minimal Debian 12 root made with debootstrap, holding a clean clone of this repository's
# HEAD and nothing else (no ../shared, no untracked files, no package someone installed by hand).
# A used machine hides missing packages; this does not. Takes long (packages, a full build, every
# test); it is not part of CI. Needs root (debootstrap, mount, chroot) on a Debian host.
#
# usage: scripts/fresh-debian.sh [--demo-only] [--keep ROOT]
#   --demo-only  run scripts/demo.sh only
#   --keep ROOT  build the root in ROOT (or reuse it when it is already there) and keep it
#                afterwards; the clone in it is brought to HEAD, its build/ kept. Without --keep a
#                new root is made under /var/tmp and removed at the end.
#
# The root gets the host's apt sources (debootstrap uses the same mirror), certificate authorities,
# DNS configuration and proxy settings: what it needs to reach the Debian and npm registries.
# Each command's time and result is printed at the end; the exit code is the first failure's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

demo_only=false keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --demo-only) demo_only=true ;;
    --keep)
      [ $# -ge 2 ] || { echo "usage: fresh-debian.sh [--demo-only] [--keep ROOT]" >&2; exit 2; }
      keep=$2
      shift
      ;;
    *) echo "usage: fresh-debian.sh [--demo-only] [--keep ROOT]" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[fresh-debian] %s\n' "$*" >&2; }
[ "$(id -u)" -eq 0 ] || { log "needs root (debootstrap, mount, chroot)"; exit 2; }
command -v dpkg-query >/dev/null || { log "needs a Debian host"; exit 2; }

# The host's Debian mirror: the first URI serving bookworm itself (not -security/-updates), from
# the deb822 sources or the one-line format. No registry name is written into the repository.
mirror_uri() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      /^[ \t]*$/ { if (uri != "" && suite) { print uri; exit } uri = ""; suite = 0; next }
      /^URIs:/   { uri = $2 }
      /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite = 1 }
      END        { if (uri != "" && suite) print uri }' "$f"
  done | head -n1 | grep . && return
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $(i + 1) == "bookworm") { print $i; exit } }' |
    head -n1 | grep .
}
mirror=$(mirror_uri) || { log "found no bookworm mirror in /etc/apt/sources.list{,.d}"; exit 2; }

if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  fresh=$(cd "$keep" && pwd)
else
  fresh=$(mktemp -d /var/tmp/facetag-fresh-debian.XXXXXX)
fi
# It becomes "/" of the root: 0755 like every /, or nothing in it is reachable for other users
# (mktemp makes 0700; the read-only catalog tests run commands as "nobody").
chmod 755 "$fresh"

# Cleanup runs on every exit, failure included: processes still running in the root (a server a
# test left behind) are ended by their id, then the mounts go, innermost first, then the root.
mounted=()
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
  local pid
  for pid in /proc/[0-9]*; do
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$fresh" ] && kill -KILL "${pid#/proc/}" 2>/dev/null
  done
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || log "could not unmount ${mounted[i]}"
  done
  mounted=()
  if [ -z "$keep" ] && ! grep -q " $fresh/" /proc/mounts; then
    rm -rf --one-file-system "$fresh"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x "$fresh/usr/bin/apt-get" ]; then
  # minbase: the packages of priority required and apt, less than any Debian installation has,
  # so that whatever the scripts use must come from setup.sh.
  log "debootstrap bookworm (minbase) from $mirror into $fresh"
  start=$SECONDS
  debootstrap --variant=minbase bookworm "$fresh" "$mirror" > "$fresh.debootstrap.log" 2>&1 ||
    { tail -n 30 "$fresh.debootstrap.log" >&2; log "debootstrap failed (log: $fresh.debootstrap.log)"; exit 1; }
  rm -f "$fresh.debootstrap.log"
  log "debootstrap took $((SECONDS - start)) s"
else
  log "reusing the root in $fresh"
fi

# What the root needs to reach the registries: the host's apt sources (keyrings named in them come
# with debian-archive-keyring), its certificate authorities (local ones, e.g. a proxy's, are also
# put where update-ca-certificates keeps them when setup.sh installs ca-certificates), DNS.
rm -f "$fresh/etc/apt/sources.list" "$fresh"/etc/apt/sources.list.d/*
[ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$fresh/etc/apt/"
for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
  [ -f "$f" ] && cp "$f" "$fresh/etc/apt/sources.list.d/"
done
cp -L /etc/resolv.conf "$fresh/etc/resolv.conf"
[ -f /etc/hosts ] && cp /etc/hosts "$fresh/etc/hosts"
mkdir -p "$fresh/etc/ssl/certs" "$fresh/usr/local/share/ca-certificates"
cp /etc/ssl/certs/ca-certificates.crt "$fresh/etc/ssl/certs/ca-certificates.crt"
if [ -d /usr/local/share/ca-certificates ]; then
  cp -r /usr/local/share/ca-certificates/. "$fresh/usr/local/share/ca-certificates/"
fi

# A clean clone of HEAD: committed files only, no ../shared beside it.
commit=$(git -C "$root" rev-parse HEAD)
clone="$fresh/root/facetag"
if [ -d "$clone/.git" ]; then
  log "bringing the clone in the root to $commit (its build/ kept)"
  git -C "$clone" fetch -q "$root" "$commit"
  git -C "$clone" checkout -q --detach "$commit"
  git -C "$clone" clean -q -ffdx -e /build/
else
  log "cloning $commit into the root"
  rm -rf "$clone"
  git clone -q --no-checkout "$root" "$clone"
  git -C "$clone" checkout -q --detach "$commit"
fi
git -C "$root" diff --quiet HEAD -- || log "note: uncommitted changes in $root are not in the clone"

for m in proc sys dev dev/pts dev/shm; do mkdir -p "$fresh/$m"; done
# Recorded before mounting so that a half-done mount is still undone; set -e stops at a failure.
mounted+=("$fresh/proc") && mount -t proc proc "$fresh/proc"
mounted+=("$fresh/sys") && mount -t sysfs sysfs "$fresh/sys"
mounted+=("$fresh/dev") && mount --bind /dev "$fresh/dev"
mounted+=("$fresh/dev/pts") && mount --bind /dev/pts "$fresh/dev/pts"
mounted+=("$fresh/dev/shm") && mount -t tmpfs -o mode=1777 shm "$fresh/dev/shm"

# A login-like environment; the host's proxy and certificate settings pass through when set.
env_args=(HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 TERM=dumb
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin)
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY \
  SSL_CERT_FILE SSL_CERT_DIR NODE_EXTRA_CA_CERTS; do
  [ -n "${!v:-}" ] && env_args+=("$v=${!v}")
done

results=() status=0
run_in_root() {
  local name=$1
  log "running $name in the root"
  local start=$SECONDS rc=0
  chroot "$fresh" /usr/bin/env -i "${env_args[@]}" /bin/bash -c "cd /root/facetag && $name" || rc=$?
  local took=$((SECONDS - start))
  results+=("$(printf '%-16s %s after %dm%02ds' "$name" "$([ $rc -eq 0 ] && echo passed || echo "FAILED (exit $rc)")" $((took / 60)) $((took % 60)))")
  [ $status -ne 0 ] || status=$rc
  return $rc
}

if run_in_root scripts/demo.sh && ! $demo_only; then
  run_in_root scripts/test.sh || true
fi
log "results (commit ${commit:0:12}, root $fresh):"
printf '  %s\n' "${results[@]}" >&2
exit $status
