package dev.slipway.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerIgnoreTest {

    @Test
    void parsingTrimsCleansAndSkipsCommentsAndBlankLines() {
        DockerIgnore di = DockerIgnore.parse("\uFEFF# comment\n\n  /foo/bar/  \n./baz\n! ./keep/../kept \n  # not a comment\nx/../y\r\n");
        assertThat(di.rules()).containsExactly(
                new DockerIgnore.Rule("foo/bar", false),
                new DockerIgnore.Rule("baz", false),
                new DockerIgnore.Rule("kept", true),
                new DockerIgnore.Rule("# not a comment", false),
                new DockerIgnore.Rule("y", false));
        assertThat(di.hasExceptions()).isTrue();
        assertThat(DockerIgnore.parse("a\nb").hasExceptions()).isFalse();
    }

    @Test
    void badPatternsAreRefused() {
        assertThatThrownBy(() -> DockerIgnore.parse("!")).isInstanceOf(SlipwayException.class)
                .hasMessage("illegal exclusion pattern: \"!\"");
        assertThatThrownBy(() -> DockerIgnore.parse("ok\n[")).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("syntax error in pattern");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "::", quoteCharacter = '~', value = {
        "**::file::true",
        "**::dir/file::true",
        "**/::dir/file::true",
        "**/*.go::file.go::true",
        "**/*.go::dir/file.go::true",
        "**/*.go::dir/dir2/file.go::true",
        "**/file.go::file.go::true",
        "**/file.go::a/file.go::true",
        "**/file.go::afile.go::false",
        "dir/**::dir/file::true",
        "dir/**::dir/dir2/file::true",
        "dir/**::dirx/file::false",
        "dir/**/file::dir/file::true",
        "dir/**/file::dir/a/b/file::true",
        "dir/**/*.go::dir/a/x.go::true",
        "*.go::dir/file.go::false",
        "*/*.go::dir/file.go::true",
        "dir::dir/sub/file::true",
        "dir/*::dir/sub/file::true",
        "dir?::dirs/file::true",
        "a[bc]d::acd::true",
        "a[^bc]d::acd::false",
        "a.b::axb::false",
        "a.b::a.b::true",
        "a+b::a+b::true",
        "abc\\*::abc*::true",
        "abc\\*::abcd::false",
        "foo::foobar::false",
        "foo::foo::true",
    })
    void matching(String pattern, String path, boolean excluded) {
        assertThat(DockerIgnore.parse(pattern).excludes(path)).isEqualTo(excluded);
    }

    @Test
    void lastMatchingLineWins() {
        DockerIgnore di = DockerIgnore.parse("*.md\n!README.md\n");
        assertThat(di.excludes("notes.md")).isTrue();
        assertThat(di.excludes("README.md")).isFalse();
        assertThat(DockerIgnore.parse("*.md\n!README.md\nREADME*").excludes("README.md")).isTrue();
        DockerIgnore nested = DockerIgnore.parse("docs\n!docs/keep\ndocs/keep/secret");
        assertThat(nested.excludes("docs/other")).isTrue();
        assertThat(nested.excludes("docs/keep/a")).isFalse();
        assertThat(nested.excludes("docs/keep/secret")).isTrue();
        assertThat(nested.excludes(".")).isFalse();
    }

    @Test
    void findPrefersTheDockerfilesOwnIgnoreFile(@TempDir Path ctx) throws IOException {
        Path dockerfile = Files.createDirectories(ctx.resolve("docker")).resolve("build.Dockerfile");
        Files.writeString(dockerfile, "FROM scratch\n");
        assertThat(DockerIgnore.find(ctx, dockerfile)).isEmpty();
        assertThat(DockerIgnore.load(ctx, dockerfile).rules()).isEmpty();
        Files.writeString(ctx.resolve(".dockerignore"), "root-rule\n");
        assertThat(DockerIgnore.find(ctx, dockerfile)).contains(ctx.resolve(".dockerignore"));
        Path own = ctx.resolve("docker/build.Dockerfile.dockerignore");
        Files.writeString(own, "own-rule\n");
        assertThat(DockerIgnore.find(ctx, dockerfile)).contains(own);
        DockerIgnore loaded = DockerIgnore.load(ctx, dockerfile);
        assertThat(loaded.excludes("own-rule")).isTrue();
        assertThat(loaded.excludes("root-rule")).isFalse();
    }

    @Test
    void walkPrunesExcludedDirectoriesButHonoursExceptions(@TempDir Path ctx) throws IOException {
        for (String f : new String[] {"app/main.go", "app/main_test.go", "node_modules/a/x.js",
                "node_modules/keep.txt", "vendor/v.go", "README.md", "notes.md"}) {
            Path p = ctx.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, f);
        }
        DockerIgnore di = DockerIgnore.parse("node_modules\n!node_modules/keep.txt\nvendor\n*.md\n!README.md\n**/*_test.go");
        assertThat(di.walk(ctx)).containsExactly(
                "README.md", "app", "app/main.go", "node_modules", "node_modules/keep.txt");
        assertThat(di.mayIncludeUnder("vendor")).isFalse();
        assertThat(di.mayIncludeUnder("node_modules")).isTrue();
        assertThat(DockerIgnore.parse("x\n!*/keep").mayIncludeUnder("x")).isTrue();
    }

    @Test
    void cleanPathFollowsGo() {
        assertThat(DockerIgnore.cleanPath("")).isEqualTo(".");
        assertThat(DockerIgnore.cleanPath("a//b/./c/..")).isEqualTo("a/b");
        assertThat(DockerIgnore.cleanPath("../../a")).isEqualTo("../../a");
        assertThat(DockerIgnore.cleanPath("/../a/")).isEqualTo("/a");
        assertThat(DockerIgnore.cleanPath("a/..")).isEqualTo(".");
    }
}
