package dev.slipway.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cases from Go's path/filepath match_test.go. */
class GoGlobTest {

    @ParameterizedTest
    @CsvSource(delimiterString = "::", quoteCharacter = '~', value = {
        "abc::abc::true",
        "*::abc::true",
        "*c::abc::true",
        "a*::a::true",
        "a*::abc::true",
        "a*::ab/c::false",
        "a*/b::abc/b::true",
        "a*/b::a/c/b::false",
        "a*b*c*d*e*/f::axbxcxdxe/f::true",
        "a*b*c*d*e*/f::axbxcxdxexxx/f::true",
        "a*b*c*d*e*/f::axbxcxdxe/xxx/f::false",
        "a*b*c*d*e*/f::axbxcxdxexxx/fff::false",
        "a*b?c*x::abxbbxdbxebxczzx::true",
        "a*b?c*x::abxbbxdbxebxczzy::false",
        "ab[c]::abc::true",
        "ab[b-d]::abc::true",
        "ab[e-g]::abc::false",
        "ab[^c]::abc::false",
        "ab[^b-d]::abc::false",
        "ab[^e-g]::abc::true",
        "a\\*b::a*b::true",
        "a\\*b::ab::false",
        "a?b::a☺b::true",
        "a[^a]b::a☺b::true",
        "a???b::a☺b::false",
        "a[^a][^a][^a]b::a☺b::false",
        "[a-ζ]*::α::true",
        "*[a-ζ]::A::false",
        "a?b::a/b::false",
        "a*b::a/b::false",
        "[\\]a]::]::true",
        "[\\-]::-::true",
        "[x\\-]::x::true",
        "[x\\-]::-::true",
        "[x\\-]::z::false",
        "[\\-x]::x::true",
        "[\\-x]::-::true",
        "[\\-x]::a::false",
        "*x::xxx::true",
        "*.txt::notes.txt::true",
        "*.txt::.txt::true",
        "file?.go::file1.go::true",
    })
    void matches(String pattern, String name, boolean expected) {
        assertThat(GoGlob.match(pattern, name)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "::", quoteCharacter = '~', value = {
        "[]a]::]", "[-]::-", "[x-]::x", "[x-]::z", "[-x]::a", "\\::a", "[a-b-c]::a",
        "[::a", "[^::a", "[^bc::a", "a[::a", "a[::ab", "a[::x", "a/b[::x",
    })
    void malformedPatternsFailEvenWithoutAMatch(String pattern, String name) {
        assertThatThrownBy(() -> GoGlob.match(pattern, name))
                .isInstanceOf(SlipwayException.class).hasMessage("syntax error in pattern");
    }

    @Test
    void wildcardDetectionSkipsEscapedCharacters() {
        assertThat(GoGlob.containsWildcards("src/*.java")).isTrue();
        assertThat(GoGlob.containsWildcards("file[1]")).isTrue();
        assertThat(GoGlob.containsWildcards("what\\?")).isFalse();
        assertThat(GoGlob.containsWildcards("plain/path")).isFalse();
    }
}
