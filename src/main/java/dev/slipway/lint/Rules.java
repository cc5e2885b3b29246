package dev.slipway.lint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalogue of every rule, in the order {@code --list} prints them. */
public final class Rules {
    private static final Map<String, Rule> BY_ID = new LinkedHashMap<>();

    private Rules() {
    }

    /** All rules. */
    public static List<Rule> all() {
        return List.copyOf(BY_ID.values());
    }

    public static Optional<Rule> find(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    public static Rule get(String id) {
        Rule rule = BY_ID.get(id);
        if (rule == null) {
            throw new IllegalArgumentException("no rule " + id);
        }
        return rule;
    }

    /** Our rules that cover the mistake a hadolint id names. */
    public static List<String> forHadolint(String code) {
        List<String> out = new ArrayList<>();
        BY_ID.values().forEach(r -> {
            if (r.hadolint().contains(code)) {
                out.add(r.id());
            }
        });
        return Collections.unmodifiableList(out);
    }

    private static void bk(String id, Severity severity, String summary, String explanation, String bad, String good,
                           String... hadolint) {
        add(new Rule(id, severity, "buildkit", summary, explanation, bad, good, List.of(hadolint), false, false));
    }

    private static void ours(String id, Severity severity, boolean fixable, String summary, String explanation,
                             String bad, String good, String... hadolint) {
        add(new Rule(id, severity, "slipway", summary, explanation, bad, good, List.of(hadolint), false, fixable));
    }

    private static void add(Rule rule) {
        BY_ID.put(rule.id(), rule);
    }

    static {
        add(new Rule("ParseError", Severity.ERROR, "slipway", "The Dockerfile cannot be parsed",
                "The file is not a valid Dockerfile, so no build can start and no other rule ran. The message "
                        + "is the parser's error, with the line it stopped at.",
                "FROM alpine\nCOPY\n", "FROM alpine\nCOPY app /app\n", List.of("DL1000"), false, false));

        bk("StageNameCasing", Severity.WARNING, "Stage names should be lowercase",
                "BuildKit lower-cases stage names when it resolves them, so 'Build' and 'build' are the same "
                        + "stage. Writing them in lower case avoids confusion in FROM and COPY --from.",
                "FROM alpine AS BuildBase\n", "FROM alpine AS build-base\n");
        bk("FromAsCasing", Severity.WARNING, "The 'as' keyword should match the case of the 'from' keyword",
                "A FROM written in one case with an AS in the other reads as a mistake. Reported only when "
                        + "FROM itself is all upper- or all lower-case.",
                "FROM alpine as build\n", "FROM alpine AS build\n");
        bk("NoEmptyContinuation", Severity.WARNING, "Empty continuation lines will become errors in a future release",
                "An empty line inside a backslash continuation is skipped today, but BuildKit warns that it will "
                        + "become an error; it usually means a continuation was left behind by an edit.",
                "RUN apk add \\\n\n    curl\n", "RUN apk add \\\n    curl\n");
        bk("ConsistentInstructionCasing", Severity.WARNING,
                "All commands within the Dockerfile should use the same casing (either upper or lower)",
                "Instruction keywords are case-insensitive, but mixing cases (or writing one in mixed case) makes "
                        + "the file harder to read. The majority case of the file wins.",
                "FROM alpine\nrun echo hi\n", "FROM alpine\nRUN echo hi\n");
        bk("DuplicateStageName", Severity.ERROR, "Stage names should be unique",
                "Two stages with the same name make FROM and COPY --from ambiguous; BuildKit refuses to build.",
                "FROM alpine AS build\nFROM debian AS build\n", "FROM alpine AS build\nFROM debian AS build-debian\n",
                "DL3024");
        bk("ReservedStageName", Severity.WARNING, "Reserved words should not be used as stage names",
                "'scratch' and 'context' have a meaning of their own in FROM and COPY --from; a stage with that "
                        + "name cannot be referred to reliably.",
                "FROM alpine AS scratch\n", "FROM alpine AS base\n", "DL3063");
        bk("JSONArgsRecommended", Severity.WARNING,
                "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
                "In shell form, CMD and ENTRYPOINT run under /bin/sh -c, which becomes PID 1 and does not pass "
                        + "SIGTERM on to your program: `docker stop` then waits and kills it.",
                "CMD node server.js\n", "CMD [\"node\", \"server.js\"]\n", "DL3025");
        bk("MaintainerDeprecated", Severity.WARNING,
                "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
                "MAINTAINER is deprecated; the OCI annotation label org.opencontainers.image.authors says the same.",
                "MAINTAINER me@example.com\n", "LABEL org.opencontainers.image.authors=\"me@example.com\"\n", "DL4000");
        bk("UndefinedArgInFrom", Severity.WARNING, "FROM command must use declared ARGs",
                "A variable in a FROM line can only come from an ARG declared before the first FROM (or a "
                        + "predefined platform ARG). Anything else expands to an empty string.",
                "FROM node:${NODE_VERSION}\n", "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}\n");
        bk("WorkdirRelativePath", Severity.WARNING,
                "Relative workdir without an absolute workdir declared within the build can have unexpected "
                        + "results if the base image changes",
                "A relative WORKDIR is resolved against the base image's working directory, which this file does "
                        + "not control.",
                "FROM alpine\nWORKDIR app\n", "FROM alpine\nWORKDIR /app\n", "DL3000");
        bk("UndefinedVar", Severity.WARNING, "Variables should be defined before their use",
                "The builder expands $VAR in COPY, ADD, ENV, LABEL, WORKDIR, USER, EXPOSE, VOLUME and STOPSIGNAL. "
                        + "A variable that no ARG or ENV defines expands to an empty string. Variables that common "
                        + "base images define (PATH, HOME, JAVA_HOME, GOPATH, ...) are assumed to be set, since "
                        + "the linter does not pull the base image.",
                "FROM alpine\nCOPY app $APP_HOME/\n", "FROM alpine\nENV APP_HOME=/opt/app\nCOPY app $APP_HOME/\n");
        bk("MultipleInstructionsDisallowed", Severity.WARNING,
                "Multiple instructions of the same type should not be used in the same stage",
                "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect; the earlier one is dead "
                        + "code. Reported at the ignored instruction.",
                "FROM alpine\nCMD [\"a\"]\nCMD [\"b\"]\n", "FROM alpine\nCMD [\"b\"]\n", "DL4003", "DL4004", "DL3012");
        bk("LegacyKeyValueFormat", Severity.WARNING,
                "Legacy key/value format with whitespace separator should not be used",
                "`ENV key value` sets one variable to everything after the first space; the `key=value` form is "
                        + "unambiguous and can set several at once.",
                "ENV PORT 8080\n", "ENV PORT=8080\n");
        bk("RedundantTargetPlatform", Severity.WARNING,
                "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
                "FROM already pulls the target platform's image.",
                "FROM --platform=$TARGETPLATFORM alpine\n", "FROM alpine\n", "DL3065");
        bk("SecretsUsedInArgOrEnv", Severity.WARNING, "Sensitive data should not be used in the ARG or ENV commands",
                "ARG and ENV values are stored in the image: ENV in its config, ARG in the history of every RUN "
                        + "that uses it. Anyone who can pull the image can read them. Use RUN --mount=type=secret.",
                "ARG NPM_TOKEN\nRUN npm ci\n", "RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n",
                "DL3064");
        bk("InvalidDefaultArgInFrom", Severity.WARNING,
                "Default value for global ARG results in an empty or invalid base image name",
                "With the ARG defaults alone the FROM line does not name a valid image, so a build without "
                        + "--build-arg fails.",
                "ARG VERSION\nFROM node:$VERSION\n", "ARG VERSION=20\nFROM node:$VERSION\n");
        bk("FromPlatformFlagConstDisallowed", Severity.WARNING, "FROM --platform flag should not use a constant value",
                "A constant --platform forces one architecture whatever the build asks for. Use $BUILDPLATFORM for "
                        + "build stages, or name the stage after the platform if it is deliberate.",
                "FROM --platform=linux/amd64 alpine AS build\n", "FROM --platform=$BUILDPLATFORM alpine AS build\n",
                "DL3029");
        bk("CopyIgnoredFile", Severity.WARNING, "Attempting to Copy file that is excluded by .dockerignore",
                "The file is excluded from the build context by .dockerignore, so COPY/ADD cannot find it.",
                ".dockerignore: *.md\nCOPY README.md /app/\n", ".dockerignore: *.md\n!README.md\nCOPY README.md /app/\n");
        add(new Rule("InvalidDefinitionDescription", Severity.WARNING, "buildkit",
                "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`",
                "Experimental: enable it with `# check=experimental=InvalidDefinitionDescription`. A comment "
                        + "directly above an ARG or a named FROM documents it only when it starts with its name.",
                "# the version to use\nARG VERSION=1\n", "# VERSION the version to use\nARG VERSION=1\n",
                List.of(), true, false));
        bk("ExposeProtoCasing", Severity.WARNING, "Protocol in EXPOSE instruction should be lowercase",
                "EXPOSE takes tcp, udp or sctp in lower case.", "EXPOSE 80/TCP\n", "EXPOSE 80/tcp\n");
        bk("ExposeInvalidFormat", Severity.WARNING,
                "IP address and host-port mapping should not be used in EXPOSE instruction. This will become an "
                        + "error in a future release",
                "EXPOSE documents a container port; host addresses and host ports are chosen at `docker run -p`.",
                "EXPOSE 127.0.0.1:8080:80\n", "EXPOSE 80\n", "DL3011");

        ours("ToolchainFinalImage", Severity.WARNING, false,
                "The final image is built on a full toolchain image",
                "Compilers, package managers and SDKs (golang, maven, gradle, rust, gcc, a JDK, node or python "
                        + "without -slim/-alpine, build-essential) make the final image hundreds of megabytes "
                        + "bigger and widen its attack surface. Build in one stage and copy the result into a "
                        + "runtime stage (a -slim, -alpine, JRE or distroless image).",
                "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app\nCMD [\"/app\"]\n",
                "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app\n"
                        + "FROM gcr.io/distroless/static-debian12\nCOPY --from=build /app /app\nCMD [\"/app\"]\n");
        ours("DevDependenciesInFinalStage", Severity.WARNING, false,
                "Development dependencies are installed in a stage that reaches the final image",
                "`npm install`/`npm ci` without --omit=dev (or NODE_ENV=production), `yarn install` without "
                        + "--production, `pip install -r requirements-dev.txt` or `poetry install` with dev groups put "
                        + "test and build tools into the shipped image. Install them in a build stage instead.",
                "FROM node:20-slim\nCOPY package*.json ./\nRUN npm ci\n",
                "FROM node:20-slim\nCOPY package*.json ./\nRUN npm ci --omit=dev\n");
        ours("CopyBeforeInstall", Severity.WARNING, true,
                "The whole build context is copied before dependencies are installed",
                "After `COPY . .`, any source change invalidates the layer cache, so the dependency install "
                        + "after it runs again on every build. Copy only the manifests (package.json and its lock "
                        + "file, requirements.txt, go.mod/go.sum, pom.xml), install, then copy the rest. --fix does "
                        + "this when the install directly follows the COPY.",
                "COPY . .\nRUN npm ci\n", "COPY package*.json ./\nRUN npm ci\nCOPY . .\n");
        ours("SourceInFinalImage", Severity.INFO, false,
                "The final image is built from the whole build context in the same stage",
                "A single stage that copies the whole context and builds it ships the source, the build tools and "
                        + "everything the build left behind. Build in a separate stage and copy only the output.",
                "FROM node:20\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/index.js\"]\n",
                "FROM node:20 AS build\nCOPY . .\nRUN npm run build\nFROM node:20-slim\n"
                        + "COPY --from=build /app/dist ./dist\nCMD [\"node\", \"dist/index.js\"]\n");
        ours("BroadCopyFrom", Severity.WARNING, false,
                "COPY --from copies a whole filesystem or the whole build directory of another stage",
                "Copying `/` or the build stage's working directory carries sources, dependency caches and build "
                        + "tools into the final image and defeats the point of a multi-stage build. Copy the build "
                        + "output and the files the program needs at run time.",
                "COPY --from=builder /app /app\n",
                "COPY --from=builder /app/dist /app/dist\nCOPY --from=builder /app/package.json /app/\n", "DL3067");
        ours("LibcMismatch", Severity.WARNING, false,
                "A natively built program is copied into a stage with a different C library",
                "A program compiled on a glibc image (debian, ubuntu, golang, rust...) usually fails on Alpine "
                        + "(musl) with 'not found' errors, and a Go build with cgo enabled needs a libc that scratch "
                        + "and static distroless images do not have. Build on the same libc, or build statically "
                        + "(CGO_ENABLED=0 for Go, a musl target for Rust).",
                "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
                "FROM golang:1.22 AS build\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.20\n"
                        + "COPY --from=build /app /app\n");
        ours("ScratchWithoutCaCertificates", Severity.INFO, false,
                "A scratch image has no CA certificates",
                "scratch has no /etc/ssl/certs, so a program that makes HTTPS calls fails to verify any server. "
                        + "Copy the certificates from the build stage if the program needs them.",
                "FROM scratch\nCOPY --from=build /app /app\n",
                "FROM scratch\nCOPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\n"
                        + "COPY --from=build /app /app\n");
        ours("NoAptListsCleanup", Severity.WARNING, true,
                "apt lists are not removed in the same RUN as apt-get update",
                "The package lists in /var/lib/apt/lists (tens of MB) stay in the layer unless the same RUN "
                        + "deletes them; a later RUN cannot take them out. A cache or tmpfs mount on "
                        + "/var/lib/apt/lists (or /var/lib/apt) keeps them out of the image too. Reported only for "
                        + "stages that reach the final image.",
                "RUN apt-get update && apt-get install -y --no-install-recommends curl\n",
                "RUN apt-get update && apt-get install -y --no-install-recommends curl \\\n"
                        + "    && rm -rf /var/lib/apt/lists/*\n", "DL3009");
        ours("AptNoInstallRecommends", Severity.INFO, true,
                "apt-get install without --no-install-recommends",
                "Recommended packages are rarely needed in a container and often double the installed size.",
                "RUN apt-get install -y curl\n", "RUN apt-get install -y --no-install-recommends curl\n", "DL3015");
        ours("ApkNoCache", Severity.INFO, true, "apk add without --no-cache",
                "Without --no-cache apk keeps its index in /var/cache/apk inside the layer. A cache mount on "
                        + "/var/cache/apk silences this.",
                "RUN apk add curl\n", "RUN apk add --no-cache curl\n", "DL3019");
        ours("PipNoCacheDir", Severity.WARNING, true, "pip install without --no-cache-dir",
                "pip keeps every downloaded wheel in ~/.cache/pip inside the layer. Use --no-cache-dir, "
                        + "ENV PIP_NO_CACHE_DIR=1, or a cache mount on /root/.cache/pip.",
                "RUN pip install -r requirements.txt\n", "RUN pip install --no-cache-dir -r requirements.txt\n",
                "DL3042");
        ours("NpmCacheNotCleaned", Severity.INFO, false, "npm install without cleaning the npm cache",
                "npm keeps every downloaded tarball in ~/.npm. Add `&& npm cache clean --force` to the same RUN "
                        + "or use a cache mount on /root/.npm.",
                "RUN npm ci --omit=dev\n", "RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n");
        ours("YarnCacheNotCleaned", Severity.INFO, false, "yarn install without yarn cache clean",
                "yarn keeps its package cache in the layer. Run `yarn cache clean` after the install in the same "
                        + "RUN, or use a cache mount on /usr/local/share/.cache/yarn.",
                "RUN yarn install --production\n", "RUN yarn install --production && yarn cache clean\n", "DL3060");
        ours("YumCacheNotCleaned", Severity.WARNING, false, "yum install without yum clean all",
                "yum keeps metadata and packages in /var/cache/yum. Clean in the same RUN, after the install.",
                "RUN yum install -y httpd\n", "RUN yum install -y httpd && yum clean all\n", "DL3032");
        ours("DnfCacheNotCleaned", Severity.WARNING, false, "dnf install without dnf clean all",
                "dnf and microdnf keep metadata in /var/cache/dnf (libdnf5 in /var/cache/libdnf5). Clean in the "
                        + "same RUN, or use a cache mount.",
                "RUN dnf install -y httpd\n", "RUN dnf install -y httpd && dnf clean all\n", "DL3040");
        ours("ZypperCacheNotCleaned", Severity.WARNING, false, "zypper install without zypper clean",
                "zypper keeps packages and metadata in /var/cache/zypp. Clean in the same RUN.",
                "RUN zypper install -y curl\n", "RUN zypper install -y curl && zypper clean -a\n", "DL3036");
        ours("DeletedInLaterLayer", Severity.WARNING, false,
                "A file added in one layer is deleted in a later RUN; its bytes stay in the image",
                "Layers only add: deleting a file in a later RUN hides it but the earlier layer still carries it. "
                        + "Download, use and delete in one RUN, or use a build stage or a bind mount.",
                "COPY app.tar.gz /tmp/\nRUN tar xzf /tmp/app.tar.gz -C /opt\nRUN rm /tmp/app.tar.gz\n",
                "RUN --mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz tar xzf /tmp/app.tar.gz -C /opt\n");
        ours("RootUser", Severity.WARNING, false, "The final stage runs as root",
                "Without a USER instruction (or with USER root/0 last) the container's process runs as root, so a "
                        + "compromise of it has root inside the container. Create an unprivileged user and switch "
                        + "to it at the end.",
                "FROM node:20-slim\nCMD [\"node\", \"server.js\"]\n",
                "FROM node:20-slim\nUSER node\nCMD [\"node\", \"server.js\"]\n", "DL3002");
        ours("ImageUntagged", Severity.WARNING, false, "FROM an image without a tag",
                "An untagged image means :latest, which changes under you: builds stop being reproducible.",
                "FROM alpine\n", "FROM alpine:3.20\n", "DL3006");
        ours("ImageLatestTag", Severity.WARNING, false, "FROM an image with the :latest tag",
                ":latest moves with every release, so the same Dockerfile builds different images. Pin a version "
                        + "(and a digest for full reproducibility).",
                "FROM alpine:latest\n", "FROM alpine:3.20\n", "DL3007");
        ours("AddInsteadOfCopy", Severity.WARNING, false, "ADD used where COPY would do",
                "ADD also fetches URLs and unpacks local archives; for plain files COPY says what it does and "
                        + "cannot surprise you.",
                "ADD app.jar /app/\n", "COPY app.jar /app/\n", "DL3020");
        ours("CurlPipeShell", Severity.WARNING, false, "A downloaded script is piped straight into a shell",
                "`curl ... | sh` runs whatever the server returns, unverified, and a failed download may run half "
                        + "a script (the pipe hides curl's exit status). Download to a file, check its checksum, "
                        + "then run it.",
                "RUN curl -fsSL https://example.com/install.sh | sh\n",
                "RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \\\n"
                        + "    && echo \"<sha256>  /tmp/install.sh\" | sha256sum -c - && sh /tmp/install.sh\n",
                "DL4006");
        ours("ConsecutiveRuns", Severity.INFO, false, "Many consecutive RUN instructions that could be one",
                "Three or more consecutive short RUNs (two commands or fewer each, same mounts) in a stage that "
                        + "reaches the final image each add a layer and its metadata. Join them with &&. Build "
                        + "stages are not reported, since separate RUNs there often help caching.",
                "RUN apk add --no-cache curl\nRUN mkdir /app\nRUN adduser -D app\n",
                "RUN apk add --no-cache curl && mkdir /app && adduser -D app\n", "DL3059");
        ours("UntrustedRegistry", Severity.ERROR, false, "Base image from a registry that is not trusted",
                "Active when the configuration lists trusted registries: every image in FROM, COPY --from and "
                        + "RUN --mount from= must come from one of them ('*.example.com' patterns allowed; "
                        + "'docker.io' for Docker Hub).",
                "# trusted: [registry.example.com]\nFROM alpine:3.20\n",
                "# trusted: [registry.example.com]\nFROM registry.example.com/alpine:3.20\n", "DL3026");
    }
}
