package dev.slipway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FixerTest {

    private static Fixer.Result fix(String text) {
        return Fixer.fix(text, "Dockerfile", LintConfig.defaults());
    }

    private static boolean has(String text, String rule) {
        return Linter.lint(text, "Dockerfile", LintConfig.defaults(), null).findings().stream()
                .anyMatch(f -> f.rule().equals(rule));
    }

    @Test
    void aptGetsNoInstallRecommendsAndListsCleanup() {
        String text = "FROM debian:12\nRUN apt-get update \\\n    && apt-get install -y curl\nUSER app\n";
        Fixer.Result r = fix(text);
        assertThat(r.text()).isEqualTo("FROM debian:12\nRUN apt-get update \\\n"
                + "    && apt-get install --no-install-recommends -y curl \\\n    && rm -rf /var/lib/apt/lists/*\nUSER app\n");
        assertThat(r.fixed()).isEqualTo(2);
        assertThat(r.diff()).startsWith("--- a/Dockerfile\n+++ b/Dockerfile\n@@ -1,").contains("-    && apt-get install -y curl\n")
                .contains("+    && rm -rf /var/lib/apt/lists/*\n");
        assertThat(has(r.text(), "NoAptListsCleanup")).isFalse();
        assertThat(has(r.text(), "AptNoInstallRecommends")).isFalse();
    }

    @Test
    void apkAndPipGetTheirNoCacheFlags() {
        Fixer.Result r = fix("FROM python:3.12-alpine\nRUN apk add curl && pip install -r requirements.txt\nUSER app\n");
        assertThat(r.text()).contains("RUN apk add --no-cache curl && pip install --no-cache-dir -r requirements.txt\n");
        assertThat(has(r.text(), "ApkNoCache")).isFalse();
        assertThat(has(r.text(), "PipNoCacheDir")).isFalse();
    }

    @Test
    void manifestsAreCopiedBeforeTheInstall() {
        String text = "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\n# deps\nRUN npm ci\nRUN npm run build\n"
                + "FROM node:20-slim\nCOPY --from=build /app/dist /app/dist\nUSER node\n";
        Fixer.Result r = fix(text);
        assertThat(r.text()).isEqualTo("FROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\n"
                + "COPY . .\n# deps\nRUN npm run build\nFROM node:20-slim\nCOPY --from=build /app/dist /app/dist\n"
                + "USER node\n");
        assertThat(has(r.text(), "CopyBeforeInstall")).isFalse();
    }

    @Test
    void installMixedWithOtherCommandsIsNotMoved() {
        String text = "FROM node:20\nCOPY . .\nRUN npm ci && npm run build\n";
        Fixer.Result r = fix(text);
        assertThat(r.text()).isEqualTo(text);
        assertThat(r.diff()).isEmpty();
        assertThat(r.fixed()).isZero();
    }

    @Test
    void unfixableAndIgnoredFindingsAreLeftAlone() {
        String text = "FROM debian:12\n# hadolint ignore=DL3015\nRUN apt-get install -y curl\nRUN <<EOF\napt-get update\nEOF\n";
        assertThat(fix(text).text()).isEqualTo(text);
        assertThat(fix("FROM alpine\nCOPY\n").fixed()).isZero();
    }
}
