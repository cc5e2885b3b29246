#!/usr/bin/env bash
# Slipway in one command, on a fresh Debian machine (as root): make a Debian base image with
# debootstrap, build the article's Go application single-stage and multi-stage (a static binary on
# `scratch`), run the result, and compare the two sizes. Only Debian's package mirror is reached
# from the network.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
slipway="${SLIPWAY:-$here/../slipway}"
export SLIPWAY="$slipway"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

[ "$(id -u)" = 0 ] || { echo "quickstart: run as root (debootstrap, runc and overlay mounts need it)" >&2; exit 1; }

step examples/base-images.sh
"$here/base-images.sh"

step slipway build -t hello-go:single-stage -f examples/go/Dockerfile.single-stage examples/go
"$slipway" build -t hello-go:single-stage -f "$here/go/Dockerfile.single-stage" "$here/go"

step slipway build -t hello-go:scratch examples/go
"$slipway" build -t hello-go:scratch "$here/go"

step slipway run --rm hello-go:scratch
"$slipway" run --rm hello-go:scratch

if "$slipway" --help | grep -w compare >/dev/null; then
    step slipway compare hello-go:single-stage hello-go:scratch
    "$slipway" compare hello-go:single-stage hello-go:scratch
else
    step slipway images hello-go
    "$slipway" images hello-go
fi
