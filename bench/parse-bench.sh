#!/bin/sh
# Times parsing a generated ~10,000-line Dockerfile. Not a test.
# Usage: bench/parse-bench.sh [lines] [iterations]
set -eu
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile
exec java -cp target/test-classes:target/classes dev.slipway.dockerfile.ParserBenchmark "${1:-10000}" "${2:-20}"
