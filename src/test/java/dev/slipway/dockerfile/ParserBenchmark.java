package dev.slipway.dockerfile;

import java.util.Arrays;

/**
 * Not a test: times parsing a generated Dockerfile of about 10,000 lines (run by bench/parse-bench.sh).
 * Arguments: [lines] [iterations].
 */
public final class ParserBenchmark {
    private ParserBenchmark() {
    }

    public static void main(String[] args) {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String text = generate(lines);
        int physical = text.split("\n", -1).length - 1;
        long coldStart = System.nanoTime();
        DockerfileParser.parse(text, "Dockerfile");
        long cold = System.nanoTime() - coldStart;
        for (int i = 0; i < 5; i++) { // warm-up for the JIT
            DockerfileParser.parse(text, "Dockerfile");
        }
        long[] nanos = new long[iterations];
        int instructions = 0;
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            Dockerfile df = DockerfileParser.parse(text, "Dockerfile");
            nanos[i] = System.nanoTime() - start;
            instructions = df.stages().stream().mapToInt(s -> s.instructions().size() + 1).sum();
        }
        Arrays.sort(nanos);
        System.out.printf("lines=%d bytes=%d instructions=%d%n", physical, text.length(), instructions);
        System.out.printf("first parse (cold JVM): %.1f ms%n", cold / 1e6);
        System.out.printf("warm parse over %d runs: median %.2f ms, min %.2f ms, max %.2f ms%n",
                iterations, nanos[iterations / 2] / 1e6, nanos[0] / 1e6, nanos[iterations - 1] / 1e6);
    }

    /** A Dockerfile mixing every construct: stages, continuations, comments, heredocs, JSON, mounts. */
    static String generate(int targetLines) {
        StringBuilder out = new StringBuilder("# syntax=docker/dockerfile:1\nARG BASE=debian:12\n");
        int stage = 0;
        long lines = 2;
        while (lines < targetLines) {
            int before = out.length();
            out.append("FROM --platform=$BUILDPLATFORM ${BASE} AS stage").append(stage).append('\n');
            out.append("# build step ").append(stage).append('\n');
            out.append("ENV A=1 B=\"two words\" PATH=/opt/bin:$PATH\n");
            out.append("LABEL org.example.stage=\"").append(stage).append("\" maintainer=me\n");
            out.append("RUN --mount=type=cache,target=/var/cache/apt,sharing=locked \\\n")
                    .append("    apt-get update \\\n")
                    .append("    # a comment inside\n")
                    .append("    && apt-get install -y curl git \\\n")
                    .append("    && rm -rf /var/lib/apt/lists/*\n");
            out.append("COPY --from=stage").append(Math.max(0, stage - 1)).append(" --chmod=0755 /out/ /in/\n");
            out.append("COPY <<EOF /etc/conf.d/app.conf\nkey=value\nother=$A\nEOF\n");
            out.append("WORKDIR /src\nUSER 1000:1000\nEXPOSE 8080/tcp 9090\n");
            out.append("HEALTHCHECK --interval=30s --timeout=3s CMD curl -f http://localhost/ || exit 1\n");
            out.append("ENTRYPOINT [\"/usr/bin/app\", \"--flag\"]\nCMD [\"serve\"]\n");
            lines += out.substring(before).chars().filter(c -> c == '\n').count();
            stage++;
        }
        return out.toString();
    }
}
