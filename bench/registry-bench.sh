#!/usr/bin/env bash
# Push and pull of a ~500 MB, 5-layer image to local docker-registry instances, Slipway side by side
# with skopeo in the same run. Not a test. Every push goes to a fresh, empty registry (so neither tool
# can skip or mount blobs) and every pull into an empty store/layout.
# Usage: bench/registry-bench.sh [runs] [MB per layer]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
layer_mb="${2:-100}"
work="$(mktemp -d /var/tmp/slipway-registry-bench.XXXXXX)"
cleanup() {
    # Every registry this script started wrote its pid into its directory.
    for f in "$work"/registry.*/pid; do [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true; done
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts a registry with empty storage on a free 127.0.0.1 port; prints host:port.
start_registry() {
    local dir port
    dir="$(mktemp -d "$work/registry.XXXX")"
    port="$(free_port)"
    cat >"$dir/config.yml" <<CFG
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/data
http:
  addr: 127.0.0.1:$port
CFG
    docker-registry serve "$dir/config.yml" >"$dir/log" 2>&1 &
    echo $! >"$dir/pid"
    for _ in $(seq 1 100); do
        curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break
        sleep 0.1
    done
    echo "127.0.0.1:$port"
}

# Runs a command; appends "wall cpu" seconds (cpu = user + sys of the command and its children) to $1.
timed() {
    local into="$1"; shift
    /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >/dev/null
    read -r wall user sys <"$work/time"
    python3 -c "print(f'{$wall:.2f} {$user + $sys:.2f}')" >>"$work/$into"
}
last() { tail -n 1 "$work/$1"; }

echo "building Slipway and a ${runs}-run benchmark image (5 layers x ${layer_mb} MB of random data)..." >&2
./slipway --version >/dev/null
# A copy of the jar, run by the launcher (its JVM options, its class-data-sharing archive, trained
# now for the copy): editing sources during the run cannot trigger a rebuild.
cp target/slipway.jar "$work/slipway.jar"
slipway=(env SLIPWAY_JAR="$work/slipway.jar" ./slipway)
"${slipway[@]}" --version >/dev/null
layout="$work/image"
umoci init --layout "$layout" >/dev/null
umoci new --image "$layout:bench" >/dev/null
for i in 1 2 3 4 5; do
    mkdir -p "$work/content$i"
    head -c "$((layer_mb * 1024 * 1024))" /dev/urandom >"$work/content$i/data$i.bin"
    umoci insert --image "$layout:bench" "$work/content$i" "/layer$i" >/dev/null
    rm -rf "$work/content$i"
done
size="$(du -sm "$layout/blobs" | cut -f1)"
echo "image: $size MB of blobs" >&2

for run in $(seq 1 "$runs"); do
    # skopeo push: OCI layout -> empty registry A.
    a="$(start_registry)"
    timed sk_push skopeo copy -q --dest-tls-verify=false "oci:$layout:bench" "docker://$a/bench:1"

    # Slipway pull from A into an empty store.
    root="$work/root$run"
    timed sl_pull "${slipway[@]}" --root "$root" pull "$a/bench:1"

    # skopeo pull from A into an empty OCI layout.
    timed sk_pull skopeo copy -q --src-tls-verify=false "docker://$a/bench:1" "oci:$work/pulled$run:bench"

    # Slipway push of the pulled image -> empty registry B (another registry: nothing to mount from).
    b="$(start_registry)"
    timed sl_push "${slipway[@]}" --root "$root" push "$a/bench:1" "$b/bench:1"

    # The pushed image must be the same image.
    da="$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$a/bench:1")"
    db="$(skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$b/bench:1")"
    [ "$da" = "$db" ] || { echo "digest mismatch after push: $da vs $db" >&2; exit 1; }
    rm -rf "$root" "$work/pulled$run"
    echo "run $run (wall cpu): push skopeo $(last sk_push) slipway $(last sl_push) | pull skopeo $(last sk_pull) slipway $(last sl_pull) | load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

# Median wall and cpu seconds of one series.
median() { python3 -c "
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open('$work/$1')]
print(statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows))"; }
report() {
    local name="$1"
    read -r skw skc <<<"$(median "sk_$name")"
    read -r slw slc <<<"$(median "sl_$name")"
    python3 -c "print(f'{\"$name\":<5} wall: skopeo {$skw:6.2f}s slipway {$slw:6.2f}s ratio {$skw/$slw:4.2f}x ({$size/$slw:4.0f} MB/s) | cpu: skopeo {$skc:6.2f}s slipway {$slc:6.2f}s')"
}
echo "median of $runs runs, $size MB in 5 layers, registries on 127.0.0.1, times include process start;"
echo "ratio = skopeo time / slipway time (above 1: Slipway faster); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
report push
report pull
