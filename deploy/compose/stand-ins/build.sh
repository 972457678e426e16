#!/usr/bin/env bash
# Makes every base image in images.tsv available to the local Docker engine under its official name:
# - already there as the official image: used as it is;
# - pullable: pulled;
# - otherwise: a local stand-in is built under that name from a debootstrapped Debian bookworm plus this machine's
#   .NET, Node.js and CA certificates (see the Dockerfiles beside this script), and the difference is printed.
# Stand-ins carry the label org.chat.stand-in=<key>; one whose inputs did not change is reused, so only the first run
# on a machine pays for debootstrap (about a minute) and the copies.
# Needs root (debootstrap), docker, and for stand-ins: dotnet, node, npm. Prints "stand-ins: <images>" or
# "stand-ins: none" as its last line.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
label=org.chat.stand-in
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
base_packages=ca-certificates,wget,libicu72,libssl3,tzdata,redis-server,prometheus
ca_bundle="${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}"
pull_timeout="${PULL_TIMEOUT_SECONDS:-120}"

log() { echo "stand-ins: $*" >&2; }

sha() { sha256sum | cut -c1-16; }

image_label() { docker image inspect -f "{{index .Config.Labels \"$label\"}}" "$1" 2>/dev/null; }

dotnet_root() { dirname "$(readlink -f "$(command -v dotnet)")"; }

base_key() { echo "bookworm $base_packages" | sha; }

# Everything a stand-in is made of: this folder, the base, and the versions of what it copies from this machine.
stand_in_key() {
  {
    cat "$here"/*.Dockerfile "$here"/*.sh "$here/images.tsv"
    base_key
    dotnet --list-sdks
    dotnet --list-runtimes
    node --version
    npm --version
    sha256sum <"$ca_bundle"
  } | sha
}

ensure_base() {
  local tag="chat-stand-in/bookworm:$(base_key)" rootfs
  if docker image inspect "$tag" >/dev/null 2>&1; then
    echo "$tag"
    return
  fi
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  rootfs="$(mktemp -d /tmp/chat-stand-in-rootfs.XXXXXX)"
  log "debootstrap bookworm ($base_packages) from $mirror"
  if ! debootstrap --variant=minbase --include="$base_packages" bookworm "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
    tail -n 20 "$rootfs.log" >&2
    rm -rf "$rootfs" "$rootfs.log"
    return 1
  fi
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs.log"
  tar -C "$rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL $label.base=$(base_key)" - "$tag" >/dev/null
  rm -rf "$rootfs"
  echo "$tag"
}

# Hard links where the file system allows (the SDK is 600 MB), copies otherwise.
copy() { cp -al "$@" 2>/dev/null || cp -a "$@"; }

# The build context of one stand-in: its Dockerfile's files, this machine's CAs and what the kind of context copies.
stage_context() {
  local context="$1" dir="$2" root
  cp "$here"/*.sh "$dir/"
  cp "$ca_bundle" "$dir/ca-certificates.crt"
  case "$context" in
    sdk)
      copy "$(dotnet_root)" "$dir/dotnet"
      ;;
    aspnet | runtime)
      root="$(dotnet_root)"
      mkdir -p "$dir/dotnet/shared"
      copy "$root/dotnet" "$root/host" "$dir/dotnet/"
      copy "$root/shared/Microsoft.NETCore.App" "$dir/dotnet/shared/"
      if [ "$context" = aspnet ]; then copy "$root/shared/Microsoft.AspNetCore.App" "$dir/dotnet/shared/"; fi
      ;;
    node)
      cp "$(readlink -f "$(command -v node)")" "$dir/node"
      copy "$(npm root -g)/npm" "$dir/npm"
      ;;
    plain) ;;
    *)
      log "unknown context $context"
      return 1
      ;;
  esac
}

build_stand_in() {
  local image="$1" dockerfile="$2" context="$3" key="$4" base="$5" dir
  dir="$(mktemp -d /tmp/chat-stand-in-context.XXXXXX)"
  stage_context "$context" "$dir"
  cp "$here/$dockerfile" "$dir/Dockerfile"
  # The legacy builder: BuildKit is not needed for these, and not every engine has it.
  if ! DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$base" --label "$label=$key" -t "$image" "$dir" >"$dir.log" 2>&1; then
    cat "$dir.log" >&2
    rm -rf "$dir" "$dir.log"
    return 1
  fi
  rm -rf "$dir" "$dir.log"
}

main() {
  local key used=() image dockerfile context differs present base=""
  key="$(stand_in_key)"
  while IFS=$'\t' read -r image dockerfile context differs; do
    case "$image" in '#'* | '') continue ;; esac
    present="$(image_label "$image" || echo missing)"
    if [ "$present" = "" ]; then
      log "$image: official image (already here)"
      continue
    fi
    if timeout "$pull_timeout" docker pull -q "$image" >/dev/null 2>&1; then
      log "$image: official image (pulled)"
      continue
    fi
    if [ "$present" = "$key" ]; then
      log "$image: STAND-IN (reused; $differs)"
    else
      [ -n "$base" ] || base="$(ensure_base)"
      log "$image: building a STAND-IN ($differs)"
      build_stand_in "$image" "$dockerfile" "$context" "$key" "$base"
    fi
    used+=("$image")
  done <"$here/images.tsv"
  if [ ${#used[@]} -gt 0 ]; then
    log "the official images could not be pulled; the project's Dockerfiles and compose file run unchanged on local stand-ins."
    echo "stand-ins: ${used[*]}"
  else
    echo "stand-ins: none"
  fi
}

main "$@"
