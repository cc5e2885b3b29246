#!/bin/sh
# Times slipway save/load against docker save/load on the same image, in the same run, and prints
# MB/s. Not a test. Needs the Docker engine of .ci/services (or DOCKER_HOST).
# Usage: bench/save-load-bench.sh [MB of incompressible data] [files]
set -eu
cd "$(dirname "$0")/.."
mb="${1:-1000}"
files="${2:-50000}"
work="${BENCH_DIR:-/var/tmp/slipway-save-load-bench}"
export DOCKER_HOST="${SLIPWAY_TEST_DOCKER_HOST:-unix:///var/tmp/slipway-oracle/docker.sock}"
docker=/usr/bin/docker
rm -rf "$work"
mkdir -p "$work/rootfs/bin" "$work/rootfs/data"
cp /bin/busybox "$work/rootfs/bin/"
head -c "$((mb * 1000000))" /dev/urandom | (cd "$work/rootfs/data" && split -a 5 -b "$((mb * 1000000 / files + 1))" - f)
tar -C "$work/rootfs" -cf "$work/rootfs.tar" .
./slipway --version >/dev/null # builds the jar outside the timings
size=$(stat -c %s "$work/rootfs.tar")

run() { # label command...
    label="$1"
    shift
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    echo "$start $end $size" | awk -v label="$label" '{ t = $2 - $1; printf "%-28s %7.2f s %8.1f MB/s\n", label, t, $3 / t / 1e6 }'
}

./slipway --root "$work/root-a" import "$work/rootfs.tar" bench/img:1 >/dev/null
$docker load -i "$(./slipway --root "$work/root-a" save -o "$work/seed.tar" bench/img:1 && echo "$work/seed.tar")" >/dev/null
echo "image: $((size / 1000000)) MB, $files files; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run "slipway save" ./slipway --root "$work/root-a" save -o "$work/slipway.tar" bench/img:1
run "docker save" $docker save -o "$work/docker.tar" bench/img:1
run "slipway load (its archive)" ./slipway --root "$work/root-b" load -i "$work/slipway.tar"
run "slipway load (docker's)" ./slipway --root "$work/root-c" load -i "$work/docker.tar"
$docker rmi -f bench/img:1 >/dev/null
run "docker load (slipway's)" $docker load -i "$work/slipway.tar"
$docker rmi -f bench/img:1 >/dev/null
rm -rf "$work"
