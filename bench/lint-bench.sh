#!/usr/bin/env bash
# Lints 1,000 generated, varied Dockerfiles in one `slipway lint` process and prints the wall time.
# Usage: bench/lint-bench.sh [COUNT]   (default 1000; the Dockerfiles come from the seeded test generator)
# The JVM runs with C1 only and the serial GC (BENCH_JAVA_OPTS to change): a short CLI run spends more
# CPU in C2 compilation than it saves. CPU seconds are printed too, since other work on the machine
# inflates wall time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
count="${1:-1000}"
cd "$here"
mvn -q -B -DskipTests package test-compile >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp_deps="$(mvn -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout)"
java -cp "target/test-classes:target/classes:$cp_deps" dev.slipway.lint.DockerfileCorpus "$work/files" "$count"
args=()
for f in "$work"/files/Dockerfile.*; do args+=(-f "$f"); done
start=$(date +%s.%N)
set +e
# shellcheck disable=SC2086
/usr/bin/time -f '%U %S' -o "$work/cpu" java ${BENCH_JAVA_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC} -jar target/slipway.jar lint --format json -t ignore "${args[@]}" \
    >"$work/out.json"
rc=$?
set -e
end=$(date +%s.%N)
read -r user sys <"$work/cpu"
[ "$rc" -eq 0 ] || { echo "lint failed with exit code $rc" >&2; exit 1; }
findings=$(grep -c '"code"' "$work/out.json" || true)
printf 'linted %d Dockerfiles in one process: %.2f s wall, %.2f s CPU (JVM start included), %d findings; load %s\n' \
    "$count" "$(echo "$end - $start" | bc)" "$(echo "$user + $sys" | bc)" "$findings" "$(cut -d' ' -f1 /proc/loadavg)"
