package dev.slipway.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates varied, realistic Dockerfiles (seeded, so reproducible): single- and multi-stage builds for
 * Node, Python, Go, Java, Rust and plain distributions, with package installs, cache mounts, heredocs,
 * ONBUILD, ARGs in FROM, pragmas, odd casing and some deliberately broken lines. Used by the robustness
 * test and by {@code bench/lint-bench.sh} ({@code main(dir, count)}).
 */
final class DockerfileCorpus {
    private static final String[] BASES = {"node:20", "node:20-alpine", "node:20-slim", "python:3.12", "python:3.12-slim",
        "golang:1.22", "golang:1.22-alpine", "maven:3.9-eclipse-temurin-21", "eclipse-temurin:21-jre", "rust:1.80",
        "debian:bookworm-slim", "ubuntu:24.04", "alpine:3.20", "alpine", "alpine:latest", "centos:7", "fedora:40",
        "opensuse/leap:15.6", "gcr.io/distroless/static-debian12", "scratch", "${BASE_IMAGE}", "$REGISTRY/app:${TAG}",
        "mcr.microsoft.com/dotnet/sdk:8.0", "registry.example.com:5000/team/base@sha256:"
            + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"};
    private static final String[] RUNS = {
        "RUN apt-get update && apt-get install -y curl ca-certificates",
        "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends git \\\n    && rm -rf /var/lib/apt/lists/*",
        "RUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y gcc",
        "RUN apk add --no-cache tini", "RUN apk update && apk add build-base",
        "RUN pip install -r requirements.txt", "RUN pip install --no-cache-dir -r requirements-dev.txt",
        "RUN --mount=type=cache,target=/root/.cache/pip pip install .", "RUN npm ci", "RUN npm ci --omit=dev && npm cache clean --force",
        "RUN npm install", "RUN yarn install --frozen-lockfile", "RUN go mod download", "RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app",
        "RUN go build -o /out/app .", "RUN mvn -B dependency:go-offline", "RUN mvn -B package -DskipTests",
        "RUN cargo build --release", "RUN yum install -y httpd && yum clean all", "RUN dnf install -y nginx",
        "RUN zypper --non-interactive install curl", "RUN curl -fsSL https://get.example.com/install.sh | sh",
        "RUN wget -O /tmp/tool.tgz https://example.com/tool.tgz && tar xzf /tmp/tool.tgz -C /opt",
        "RUN rm -rf /tmp/*", "RUN useradd -r -u 10001 app", "RUN adduser -D app", "RUN mkdir -p /app/data",
        "RUN set -eux; \\\n    echo \"$PATH\"; \\\n    ls -la", "RUN [\"/bin/sh\", \"-c\", \"echo exec form\"]",
        "RUN <<EOF\nset -e\napt-get update\napt-get install -y jq\nEOF", "RUN echo 'unterminated \\\n\n    continued'",
        "run echo lower", "RUN cd /src && make && make install", "RUN sudo apt install -y vim"};
    private static final String[] OTHERS = {"WORKDIR /app", "WORKDIR app", "COPY . .", "COPY package*.json ./",
        "COPY requirements.txt .", "COPY go.mod go.sum ./", "COPY --chown=app:app . /app", "ADD app.jar /app/",
        "ADD https://example.com/file.txt /opt/", "ADD rootfs.tar.xz /", "ENV NODE_ENV=production",
        "ENV PORT 8080", "ENV API_TOKEN=changeme", "ARG VERSION=1.0", "ARG NPM_TOKEN", "LABEL org.opencontainers.image.title=x",
        "LABEL maintainer someone", "EXPOSE 8080", "EXPOSE 80/TCP 443", "EXPOSE 127.0.0.1:80:80", "USER app", "USER root",
        "USER 1000:1000", "VOLUME /data", "VOLUME [\"/a\", \"/b\"]", "HEALTHCHECK CMD curl -f http://localhost/ || exit 1",
        "HEALTHCHECK NONE", "STOPSIGNAL SIGTERM", "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
        "MAINTAINER me@example.com", "ONBUILD COPY . /app", "ONBUILD RUN npm ci", "COPY $APP_DIR/conf /etc/app/",
        "COPY <<EOF /etc/app.conf\nkey=value\nEOF", "# hadolint ignore=DL3008,DL3015", "# slipway ignore=RootUser",
        "# a comment", "", "CMD node server.js", "CMD [\"node\", \"server.js\"]", "ENTRYPOINT [\"/tini\", \"--\"]",
        "ENTRYPOINT ./run.sh"};

    private DockerfileCorpus() {
    }

    static List<String> generate(long seed, int count) {
        Random random = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            out.add(one(random));
        }
        return out;
    }

    private static String one(Random r) {
        StringBuilder df = new StringBuilder();
        if (r.nextInt(8) == 0) {
            df.append(r.nextBoolean() ? "# syntax=docker/dockerfile:1\n" : "# check=skip=JSONArgsRecommended;error="
                    + r.nextBoolean() + "\n");
        }
        if (r.nextInt(10) == 0) {
            df.append("# escape=`\n");
        }
        if (r.nextInt(3) == 0) {
            df.append("ARG BASE_IMAGE=alpine:3.20\nARG TAG\n");
        }
        int stages = 1 + r.nextInt(4);
        List<String> names = new ArrayList<>();
        for (int s = 0; s < stages; s++) {
            String base = !names.isEmpty() && r.nextInt(4) == 0 ? names.get(r.nextInt(names.size()))
                    : BASES[r.nextInt(BASES.length)];
            String name = s < stages - 1 || r.nextBoolean() ? pick(r, "builder", "build", "deps", "Base", "test", "runtime")
                    + (r.nextInt(3) == 0 ? "" : String.valueOf(s)) : null;
            df.append(r.nextInt(15) == 0 ? "from " : "FROM ");
            if (r.nextInt(8) == 0) {
                df.append(pick(r, "--platform=$BUILDPLATFORM ", "--platform=linux/amd64 ", "--platform=$TARGETPLATFORM "));
            }
            df.append(base);
            if (name != null) {
                df.append(r.nextInt(10) == 0 ? " as " : " AS ").append(name);
                names.add(name.toLowerCase(java.util.Locale.ROOT));
            }
            df.append('\n');
            int body = 2 + r.nextInt(12);
            for (int k = 0; k < body; k++) {
                int kind = r.nextInt(10);
                if (kind < 4) {
                    df.append(RUNS[r.nextInt(RUNS.length)]);
                } else if (kind == 4 && !names.isEmpty()) {
                    String from = r.nextInt(5) == 0 ? "ghcr.io/example/tool:1" : names.get(r.nextInt(names.size()));
                    df.append("COPY --from=").append(from).append(' ')
                            .append(pick(r, "/app", "/", "/out/app", "/app/dist", "/etc/ssl/certs/ca-certificates.crt"))
                            .append(' ').append(pick(r, "/app", "/", "/usr/local/bin/", "./dist"));
                } else {
                    df.append(OTHERS[r.nextInt(OTHERS.length)]);
                }
                df.append('\n');
            }
        }
        if (r.nextInt(25) == 0) {
            df.append(pick(r, "COPY\n", "HEALTHCHECK --interval=bogus CMD true\n", "RUN --mount=type=nope true\n",
                    "BOGUS instruction\n", "FROM\n"));
        }
        return df.toString();
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    /** Writes {@code count} Dockerfiles to {@code dir}: {@code java ... DockerfileCorpus DIR COUNT}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Files.createDirectories(dir);
        List<String> files = generate(42, count);
        for (int i = 0; i < files.size(); i++) {
            Files.writeString(dir.resolve(String.format("Dockerfile.%04d", i)), files.get(i));
        }
    }
}
