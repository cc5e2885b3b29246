package dev.slipway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.dockerfile.DockerIgnore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** For every rule: Dockerfiles that make it fire and Dockerfiles that keep it quiet. */
class RuleCasesTest {

    record Case(String rule, boolean fires, String dockerfile, LintConfig config, String dockerignore) {
        @Override
        public String toString() {
            return (fires ? "fires " : "quiet ") + rule + ": " + dockerfile.replace("\n", " | ");
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void fires(String rule, String dockerfile) {
        CASES.add(new Case(rule, true, dockerfile, LintConfig.defaults(), null));
    }

    private static void quiet(String rule, String dockerfile) {
        CASES.add(new Case(rule, false, dockerfile, LintConfig.defaults(), null));
    }

    static {
        fires("ParseError", "FROM alpine:3.20\nCOPY\n");
        fires("ParseError", "RUN echo no stage\n");
        quiet("ParseError", "FROM alpine:3.20\nCOPY a /a\n");

        fires("StageNameCasing", "FROM alpine:3.20 AS Build\n");
        quiet("StageNameCasing", "FROM alpine:3.20 AS build\n");
        fires("FromAsCasing", "FROM alpine:3.20 as build\n");
        fires("FromAsCasing", "from alpine:3.20 AS build\n");
        quiet("FromAsCasing", "FROM alpine:3.20 AS build\n");
        quiet("FromAsCasing", "From alpine:3.20 as build\n");
        fires("NoEmptyContinuation", "FROM alpine:3.20\nRUN echo a \\\n\n    b\n");
        quiet("NoEmptyContinuation", "FROM alpine:3.20\nRUN echo a \\\n    b\n");
        fires("ConsistentInstructionCasing", "FROM alpine:3.20\nRUN true\nrun false\n");
        fires("ConsistentInstructionCasing", "from alpine:3.20\nrun true\nRUN false\n");
        fires("ConsistentInstructionCasing", "FROM alpine:3.20\nRun true\n");
        quiet("ConsistentInstructionCasing", "from alpine:3.20\nrun true\n");
        fires("DuplicateStageName", "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS a\n");
        fires("DuplicateStageName", "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS A\n");
        quiet("DuplicateStageName", "FROM alpine:3.20 AS a\nFROM alpine:3.20 AS b\n");
        fires("ReservedStageName", "FROM alpine:3.20 AS scratch\n");
        fires("ReservedStageName", "FROM alpine:3.20 AS context\n");
        quiet("ReservedStageName", "FROM alpine:3.20 AS base\n");
        fires("JSONArgsRecommended", "FROM alpine:3.20\nCMD node server.js\n");
        fires("JSONArgsRecommended", "FROM alpine:3.20\nENTRYPOINT ./run\n");
        quiet("JSONArgsRecommended", "FROM alpine:3.20\nCMD [\"node\", \"server.js\"]\n");
        quiet("JSONArgsRecommended", "FROM alpine:3.20\nSHELL [\"/bin/bash\", \"-c\"]\nCMD node server.js\n");
        fires("MaintainerDeprecated", "FROM alpine:3.20\nMAINTAINER me\n");
        quiet("MaintainerDeprecated", "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=me\n");
        fires("UndefinedArgInFrom", "FROM node:${NODE_VERSION}\n");
        fires("UndefinedArgInFrom", "ARG VERSION=1\nFROM --platform=$PLATFORM alpine:$VERSION\n");
        quiet("UndefinedArgInFrom", "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}\n");
        quiet("UndefinedArgInFrom", "FROM --platform=$BUILDPLATFORM alpine:3.20\n");
        fires("WorkdirRelativePath", "FROM alpine:3.20\nWORKDIR app\n");
        quiet("WorkdirRelativePath", "FROM alpine:3.20\nWORKDIR /app\nWORKDIR sub\n");
        quiet("WorkdirRelativePath", "FROM alpine:3.20 AS a\nWORKDIR /app\nFROM a\nWORKDIR sub\n");
        fires("UndefinedVar", "FROM alpine:3.20\nCOPY app $APP_HOME/\n");
        fires("UndefinedVar", "ARG DIR=/x\nFROM alpine:3.20\nWORKDIR $DIR\n");
        fires("UndefinedVar", "FROM alpine:3.20\nENV A=1 B=$A\n");
        quiet("UndefinedVar", "FROM alpine:3.20\nENV APP_HOME=/opt\nCOPY app $APP_HOME/\n");
        quiet("UndefinedVar", "ARG DIR=/x\nFROM alpine:3.20\nARG DIR\nWORKDIR $DIR\n");
        quiet("UndefinedVar", "FROM alpine:3.20\nENV PATH=$PATH:/opt/bin\n");
        quiet("UndefinedVar", "FROM alpine:3.20\nRUN echo $UNDEFINED_IN_SHELL\n");
        fires("MultipleInstructionsDisallowed", "FROM alpine:3.20\nCMD [\"a\"]\nCMD [\"b\"]\n");
        fires("MultipleInstructionsDisallowed", "FROM alpine:3.20\nHEALTHCHECK NONE\nHEALTHCHECK CMD true\n");
        quiet("MultipleInstructionsDisallowed", "FROM alpine:3.20 AS a\nCMD [\"a\"]\nFROM a\nCMD [\"b\"]\n");
        fires("LegacyKeyValueFormat", "FROM alpine:3.20\nENV PORT 8080\n");
        fires("LegacyKeyValueFormat", "FROM alpine:3.20\nLABEL maintainer me\n");
        quiet("LegacyKeyValueFormat", "FROM alpine:3.20\nENV PORT=8080\nLABEL a=b\n");
        fires("RedundantTargetPlatform", "FROM --platform=$TARGETPLATFORM alpine:3.20\n");
        fires("RedundantTargetPlatform", "FROM --platform=${TARGETPLATFORM} alpine:3.20\n");
        quiet("RedundantTargetPlatform", "FROM --platform=$BUILDPLATFORM alpine:3.20\n");
        fires("SecretsUsedInArgOrEnv", "FROM alpine:3.20\nARG NPM_TOKEN\n");
        fires("SecretsUsedInArgOrEnv", "ARG DB_PASSWORD=x\nFROM alpine:3.20\n");
        fires("SecretsUsedInArgOrEnv", "FROM alpine:3.20\nENV AWS_SECRET_ACCESS_KEY=x\n");
        quiet("SecretsUsedInArgOrEnv", "FROM alpine:3.20\nARG PUBLIC_KEY\nENV TOKEN_FILE=/run/t NODE_VERSION=1\n");
        quiet("SecretsUsedInArgOrEnv", "FROM alpine:3.20\nENV KEYBOARD=us\n");
        fires("InvalidDefaultArgInFrom", "ARG VERSION\nFROM node:$VERSION\n");
        fires("InvalidDefaultArgInFrom", "ARG IMAGE\nFROM $IMAGE\n");
        quiet("InvalidDefaultArgInFrom", "ARG VERSION=20\nFROM node:$VERSION\n");
        quiet("InvalidDefaultArgInFrom", "ARG VERSION\nFROM node:${VERSION:-20}\n");
        fires("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 alpine:3.20 AS build\n");
        quiet("FromPlatformFlagConstDisallowed", "FROM --platform=linux/amd64 alpine:3.20 AS build-amd64\n");
        quiet("FromPlatformFlagConstDisallowed", "FROM --platform=$BUILDPLATFORM alpine:3.20 AS build\n");
        CASES.add(new Case("CopyIgnoredFile", true, "FROM alpine:3.20\nCOPY README.md /app/\n",
                LintConfig.defaults(), "*.md\n"));
        CASES.add(new Case("CopyIgnoredFile", true, "FROM alpine:3.20\nADD secret/key.pem /app/\n",
                LintConfig.defaults(), "secret\n"));
        CASES.add(new Case("CopyIgnoredFile", false, "FROM alpine:3.20\nCOPY README.md /app/\n",
                LintConfig.defaults(), "*.md\n!README.md\n"));
        CASES.add(new Case("CopyIgnoredFile", false, "FROM alpine:3.20\nCOPY . /app/\n",
                LintConfig.defaults(), "node_modules\n"));
        CASES.add(new Case("CopyIgnoredFile", false, "FROM alpine:3.20 AS a\nFROM alpine:3.20\nCOPY --from=a README.md /\n",
                LintConfig.defaults(), "*.md\n"));
        fires("InvalidDefinitionDescription",
                "# check=experimental=InvalidDefinitionDescription\n\n# the version\nARG VERSION=1\nFROM alpine:3.20\n");
        fires("InvalidDefinitionDescription",
                "# check=experimental=InvalidDefinitionDescription\n\n# compiles things\nFROM alpine:3.20 AS build\n");
        quiet("InvalidDefinitionDescription",
                "# check=experimental=InvalidDefinitionDescription\n\n# VERSION the version\nARG VERSION=1\nFROM alpine:3.20\n");
        quiet("InvalidDefinitionDescription", "# the version\nARG VERSION=1\nFROM alpine:3.20\n");
        fires("ExposeProtoCasing", "FROM alpine:3.20\nEXPOSE 80/TCP\n");
        quiet("ExposeProtoCasing", "FROM alpine:3.20\nEXPOSE 80/tcp 53/udp 80\n");
        fires("ExposeInvalidFormat", "FROM alpine:3.20\nEXPOSE 8080:80\n");
        fires("ExposeInvalidFormat", "FROM alpine:3.20\nEXPOSE 127.0.0.1:8080:80/tcp\n");
        quiet("ExposeInvalidFormat", "FROM alpine:3.20\nEXPOSE 80 8000-8010/tcp\n");

        fires("ToolchainFinalImage", "FROM golang:1.22\nCOPY . .\nRUN go build -o /app\n");
        fires("ToolchainFinalImage", "FROM maven:3.9-eclipse-temurin-17\nCOPY target/app.jar /app.jar\n");
        fires("ToolchainFinalImage", "FROM node:20 AS base\nFROM base\nCMD [\"node\"]\n");
        fires("ToolchainFinalImage", "FROM debian:12-slim\nRUN apt-get install -y --no-install-recommends build-essential\n");
        fires("ToolchainFinalImage", "FROM eclipse-temurin:21-jdk\nCOPY app.jar /\n");
        quiet("ToolchainFinalImage", "FROM golang:1.22 AS build\nRUN go build -o /app\nFROM alpine:3.20\nCOPY --from=build /app /app\n");
        quiet("ToolchainFinalImage", "FROM node:20-alpine\nCMD [\"node\"]\n");
        quiet("ToolchainFinalImage", "FROM python:3.12-slim\nCMD [\"python\"]\n");
        quiet("ToolchainFinalImage", "FROM eclipse-temurin:21-jre\nCOPY app.jar /\n");
        quiet("ToolchainFinalImage", "FROM debian:12 AS b\nRUN apt-get install -y gcc\nFROM debian:12-slim\n");
        fires("DevDependenciesInFinalStage", "FROM node:20-slim\nRUN npm ci\n");
        fires("DevDependenciesInFinalStage", "FROM node:20-slim\nRUN yarn install --frozen-lockfile\n");
        fires("DevDependenciesInFinalStage", "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements-dev.txt\n");
        fires("DevDependenciesInFinalStage", "FROM python:3.12-slim\nRUN poetry install\n");
        quiet("DevDependenciesInFinalStage", "FROM node:20-slim\nRUN npm ci --omit=dev\n");
        quiet("DevDependenciesInFinalStage", "FROM node:20-slim\nRUN npm ci --only=production\n");
        quiet("DevDependenciesInFinalStage", "FROM node:20-slim\nENV NODE_ENV=production\nRUN npm ci\n");
        quiet("DevDependenciesInFinalStage", "FROM node:20-slim\nRUN npm install -g pm2\n");
        quiet("DevDependenciesInFinalStage", "FROM node:20 AS build\nRUN npm ci\nFROM node:20-slim\nRUN npm ci --omit=dev\n");
        quiet("DevDependenciesInFinalStage", "FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\n");
        fires("CopyBeforeInstall", "FROM node:20\nCOPY . .\nRUN npm ci\n");
        fires("CopyBeforeInstall", "FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n");
        fires("CopyBeforeInstall", "FROM golang:1.22\nCOPY . .\nRUN go mod download\n");
        fires("CopyBeforeInstall", "FROM maven:3.9\nCOPY . .\nRUN mvn -B dependency:go-offline\n");
        quiet("CopyBeforeInstall", "FROM node:20\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n");
        quiet("CopyBeforeInstall", "FROM golang:1.22\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\n");
        quiet("CopyBeforeInstall", "FROM node:20\nCOPY . .\nRUN npm run build\n");
        fires("SourceInFinalImage", "FROM node:20\nCOPY . .\nRUN npm run build\n");
        fires("SourceInFinalImage", "FROM golang:1.22\nCOPY . .\nRUN go build -o /app\n");
        quiet("SourceInFinalImage", "FROM node:20 AS b\nCOPY . .\nRUN npm run build\nFROM node:20-slim\nCOPY --from=b /dist /dist\n");
        quiet("SourceInFinalImage", "FROM nginx:1.27\nCOPY . /usr/share/nginx/html\n");
        fires("BroadCopyFrom", "FROM node:20 AS builder\nWORKDIR /app\nRUN npm ci\nFROM node:20-slim\nCOPY --from=builder /app /app\n");
        fires("BroadCopyFrom", "FROM alpine:3.20 AS b\nFROM scratch\nCOPY --from=b / /\n");
        quiet("BroadCopyFrom", "FROM node:20 AS builder\nWORKDIR /app\nFROM node:20-slim\nCOPY --from=builder /app/dist /app/dist\n");
        quiet("BroadCopyFrom", "FROM alpine:3.20 AS b\nFROM scratch AS c\nCOPY --from=b / /\nFROM alpine:3.20\n");
        fires("LibcMismatch", "FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=b /app /app\n");
        fires("LibcMismatch", "FROM golang:1.22-alpine AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n");
        fires("LibcMismatch", "FROM rust:1.80 AS b\nRUN cargo build --release\nFROM alpine:3.20\nCOPY --from=b /t/app /app\n");
        quiet("LibcMismatch", "FROM golang:1.22 AS b\nRUN CGO_ENABLED=0 go build -o /app .\nFROM alpine:3.20\nCOPY --from=b /app /app\n");
        quiet("LibcMismatch", "FROM golang:1.22 AS b\nENV CGO_ENABLED=0\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n");
        quiet("LibcMismatch", "FROM golang:1.22-alpine AS b\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=b /app /app\n");
        quiet("LibcMismatch", "FROM node:20 AS b\nRUN npm run build\nFROM node:20-alpine\nCOPY --from=b /dist /dist\n");
        fires("ScratchWithoutCaCertificates", "FROM golang:1.22 AS b\nFROM scratch\nCOPY --from=b /app /app\n");
        quiet("ScratchWithoutCaCertificates", "FROM golang:1.22 AS b\nFROM scratch\n"
                + "COPY --from=b /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/\nCOPY --from=b /app /app\n");
        quiet("ScratchWithoutCaCertificates", "FROM alpine:3.20\nCOPY app /app\n");
        fires("NoAptListsCleanup", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n");
        fires("NoAptListsCleanup", "FROM debian:12 AS base\nRUN apt-get update\nFROM base\n");
        quiet("NoAptListsCleanup", "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl"
                + " && rm -rf /var/lib/apt/lists/*\n");
        quiet("NoAptListsCleanup", "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update\n");
        quiet("NoAptListsCleanup", "FROM debian:12\nRUN --mount=type=tmpfs,target=/var/lib/apt apt-get update\n");
        quiet("NoAptListsCleanup", "FROM debian:12 AS build\nRUN apt-get update\nFROM debian:12\n");
        fires("AptNoInstallRecommends", "FROM debian:12\nRUN apt-get install -y curl\n");
        fires("AptNoInstallRecommends", "FROM debian:12\nRUN apt install curl\n");
        quiet("AptNoInstallRecommends", "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl\n");
        quiet("AptNoInstallRecommends", "FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install curl\n");
        fires("ApkNoCache", "FROM alpine:3.20\nRUN apk add curl\n");
        fires("ApkNoCache", "FROM alpine:3.20\nRUN apk update && apk add --virtual .b gcc\n");
        quiet("ApkNoCache", "FROM alpine:3.20\nRUN apk add --no-cache curl\n");
        quiet("ApkNoCache", "FROM alpine:3.20\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n");
        quiet("ApkNoCache", "FROM alpine:3.20 AS b\nRUN apk add curl\nFROM alpine:3.20\n");
        fires("PipNoCacheDir", "FROM python:3.12-slim\nRUN pip install flask==3.0\n");
        fires("PipNoCacheDir", "FROM python:3.12-slim\nRUN python -m pip install -r requirements.txt\n");
        quiet("PipNoCacheDir", "FROM python:3.12-slim\nRUN pip install --no-cache-dir flask==3.0\n");
        quiet("PipNoCacheDir", "FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0\n");
        quiet("PipNoCacheDir", "FROM python:3.12-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install flask\n");
        fires("NpmCacheNotCleaned", "FROM node:20-slim\nRUN npm ci --omit=dev\n");
        quiet("NpmCacheNotCleaned", "FROM node:20-slim\nRUN npm ci --omit=dev && npm cache clean --force\n");
        quiet("NpmCacheNotCleaned", "FROM node:20-slim\nRUN --mount=type=cache,target=/root/.npm npm ci --omit=dev\n");
        fires("YarnCacheNotCleaned", "FROM node:20-slim\nRUN yarn install --production\n");
        fires("YarnCacheNotCleaned", "FROM node:20-slim\nRUN yarn cache clean && yarn install --production\n");
        quiet("YarnCacheNotCleaned", "FROM node:20-slim\nRUN yarn install --production && yarn cache clean\n");
        quiet("YarnCacheNotCleaned",
                "FROM node:20-slim\nRUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install --production\n");
        fires("YumCacheNotCleaned", "FROM centos:7\nRUN yum install -y httpd\n");
        quiet("YumCacheNotCleaned", "FROM centos:7\nRUN yum install -y httpd && yum clean all\n");
        quiet("YumCacheNotCleaned", "FROM centos:7\nRUN yum install -y httpd && rm -rf /var/cache/yum\n");
        fires("DnfCacheNotCleaned", "FROM fedora:40\nRUN dnf install -y httpd\n");
        fires("DnfCacheNotCleaned", "FROM ubi9/ubi-minimal:9.4\nRUN microdnf install -y httpd\n");
        quiet("DnfCacheNotCleaned", "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n");
        quiet("DnfCacheNotCleaned", "FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd\n");
        fires("ZypperCacheNotCleaned", "FROM opensuse/leap:15.6\nRUN zypper install -y curl\n");
        quiet("ZypperCacheNotCleaned", "FROM opensuse/leap:15.6\nRUN zypper install -y curl && zypper clean -a\n");
        fires("DeletedInLaterLayer", "FROM alpine:3.20\nCOPY app.tar.gz /tmp/\nRUN tar xzf /tmp/app.tar.gz\nRUN rm /tmp/app.tar.gz\n");
        fires("DeletedInLaterLayer", "FROM alpine:3.20\nRUN wget -O /tmp/x.zip https://e.x/x.zip\nRUN rm -rf /tmp/*\n");
        fires("DeletedInLaterLayer", "FROM alpine:3.20\nWORKDIR /src\nCOPY . .\nRUN rm -rf /src\n");
        quiet("DeletedInLaterLayer", "FROM alpine:3.20\nRUN wget -O /tmp/x.zip https://e.x/x.zip && rm /tmp/x.zip\n");
        quiet("DeletedInLaterLayer", "FROM alpine:3.20 AS b\nCOPY a /a\nRUN rm /a\nFROM alpine:3.20\n");
        quiet("DeletedInLaterLayer", "FROM alpine:3.20\nCOPY app.tar.gz /tmp/\nRUN rm /tmp/other\n");
        fires("RootUser", "FROM alpine:3.20\nCMD [\"sh\"]\n");
        fires("RootUser", "FROM alpine:3.20\nUSER app\nUSER root\n");
        fires("RootUser", "FROM alpine:3.20\nUSER 0:0\n");
        quiet("RootUser", "FROM alpine:3.20\nUSER root\nRUN true\nUSER app\n");
        quiet("RootUser", "FROM alpine:3.20 AS base\nUSER 1000\nFROM base\n");
        fires("ImageUntagged", "FROM alpine\n");
        fires("ImageUntagged", "FROM registry.example.com:5000/team/app\n");
        quiet("ImageUntagged", "FROM alpine:3.20\n");
        quiet("ImageUntagged", "FROM alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
        quiet("ImageUntagged", "FROM alpine:3.20 AS base\nFROM base\n");
        quiet("ImageUntagged", "FROM scratch\n");
        quiet("ImageUntagged", "ARG IMAGE=alpine\nFROM $IMAGE\n");
        fires("ImageLatestTag", "FROM alpine:latest\n");
        quiet("ImageLatestTag", "FROM alpine:3.20\n");
        quiet("ImageLatestTag", "FROM alpine:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
        fires("AddInsteadOfCopy", "FROM alpine:3.20\nADD app.jar /app/\n");
        fires("AddInsteadOfCopy", "FROM alpine:3.20\nADD . /app\n");
        quiet("AddInsteadOfCopy", "FROM alpine:3.20\nADD rootfs.tar.gz /\n");
        quiet("AddInsteadOfCopy", "FROM alpine:3.20\nADD https://example.com/a.txt /a.txt\n");
        quiet("AddInsteadOfCopy", "FROM alpine:3.20\nADD --checksum=sha256:abc https://e.x/a /a\n");
        fires("CurlPipeShell", "FROM alpine:3.20\nRUN curl -fsSL https://get.example.com | sh\n");
        fires("CurlPipeShell", "FROM alpine:3.20\nRUN wget -qO- https://get.example.com | sudo bash -s --\n");
        quiet("CurlPipeShell", "FROM alpine:3.20\nRUN curl -fsSLo /tmp/i.sh https://get.example.com && sh /tmp/i.sh\n");
        quiet("CurlPipeShell", "FROM alpine:3.20\nRUN curl -fsSL https://e.x/key | gpg --dearmor -o /k.gpg\n");
        fires("ConsecutiveRuns", "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN mkdir /app\n# c\nRUN adduser -D app\n");
        quiet("ConsecutiveRuns", "FROM alpine:3.20\nRUN apk add --no-cache curl\nRUN mkdir /app\n");
        quiet("ConsecutiveRuns", "FROM alpine:3.20\nRUN a && b && c\nRUN d\nRUN e\n");
        quiet("ConsecutiveRuns", "FROM alpine:3.20 AS b\nRUN a\nRUN b\nRUN c\nFROM alpine:3.20\n");
        quiet("ConsecutiveRuns", "FROM alpine:3.20\nRUN a\nRUN --mount=type=cache,target=/c b\nRUN c\n");
        LintConfig trusted = LintConfig.defaults();
        trusted = new LintConfig(Set.of(), java.util.Map.of(), Severity.WARNING, List.of("registry.example.com",
                "*.corp.example"), Set.of(), null);
        CASES.add(new Case("UntrustedRegistry", true, "FROM alpine:3.20\n", trusted, null));
        CASES.add(new Case("UntrustedRegistry", true, "FROM registry.example.com/a:1 AS a\nFROM a\n"
                + "COPY --from=ghcr.io/x/y:1 /b /b\n", trusted, null));
        CASES.add(new Case("UntrustedRegistry", false, "FROM registry.example.com/alpine:3.20\n", trusted, null));
        CASES.add(new Case("UntrustedRegistry", false, "FROM eu.corp.example/alpine:3.20 AS a\nFROM a\nCOPY --from=a /x /x\n",
                trusted, null));
        CASES.add(new Case("UntrustedRegistry", false, "FROM alpine:3.20\n", LintConfig.defaults(), null));
    }

    static Stream<Case> cases() {
        return CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void ruleFiresOrStaysQuiet(Case c) {
        DockerIgnore ignore = c.dockerignore() == null ? null : DockerIgnore.parse(c.dockerignore());
        LintResult result = Linter.lint(c.dockerfile(), "Dockerfile", c.config(), ignore);
        List<Finding> hits = result.findings().stream().filter(f -> f.rule().equals(c.rule())).toList();
        if (c.fires()) {
            assertThat(hits).as(result.findings().toString()).isNotEmpty();
            assertThat(hits).allSatisfy(f -> {
                assertThat(f.line()).isPositive();
                assertThat(f.message()).isNotBlank();
            });
        } else {
            assertThat(hits).as(result.findings().toString()).isEmpty();
        }
    }

    @Test
    void everyRuleHasFiringAndQuietCases() {
        Set<String> firing = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        CASES.forEach(c -> (c.fires() ? firing : quiet).add(c.rule()));
        for (Rule rule : Rules.all()) {
            assertThat(firing).as("firing case for " + rule.id()).contains(rule.id());
            assertThat(quiet).as("quiet case for " + rule.id()).contains(rule.id());
        }
    }

    @Test
    void everyRuleExplainsItselfWithExamples() {
        for (Rule rule : Rules.all()) {
            assertThat(rule.id()).matches("[A-Z][A-Za-z]+");
            assertThat(rule.summary()).doesNotContain("\n");
            assertThat(rule.explain()).contains(rule.id()).contains("Bad:").contains("Good:");
            assertThat(rule.severity()).isNotEqualTo(Severity.IGNORE);
        }
    }
}
