package dev.slipway.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Known orderings from each tool's documentation and test suites: "a OP b". */
class VersionComparatorTest {
    private static void check(VersionScheme scheme, String a, String op, String b) {
        int expected = switch (op) {
            case "<" -> -1;
            case "=" -> 0;
            case ">" -> 1;
            default -> throw new IllegalArgumentException(op);
        };
        assertThat(Integer.signum(scheme.compare(a, b))).as("%s %s %s %s", scheme, a, op, b).isEqualTo(expected);
        assertThat(Integer.signum(scheme.compare(b, a))).as("%s %s reversed %s", scheme, b, a).isEqualTo(-expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "1.0~rc1 < 1.0",
        "1.0~~ < 1.0~",
        "1.0~~a < 1.0~",
        "1.0 = 1.0-0",
        "1.0 < 1.0+b1",
        "1.0a > 1.0",
        "1.0.1 > 1.0a",
        "1:0.9 > 2.0",
        "0:2.0 = 2.0",
        "2.7.4-1 < 2.7.4-1+deb12u1",
        "3.0.11-1~deb12u2 < 3.0.11-1",
        "1.01 = 1.1",
        "1.2.3-1 < 1.2.3-1.1",
        "2.36-9+deb12u4 < 2.36-9+deb12u7",
        "1:2.38.1-5+deb12u3 > 2.40.1-1",
        "1.0-1 < 1.0-1a",
        "1.0+dfsg-1 > 1.0-1",
        "123456789012345678901234567890 < 123456789012345678901234567891",
        "9 < 10",
        "1.0-a < 1.0-b",
        "1.0-+ > 1.0-z",
    })
    void dpkg(String a, String op, String b) {
        check(VersionScheme.DPKG, a, op, b);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "1.0 < 1.0.1",
        "1.0-r1 < 1.0-r2",
        "1.0_alpha < 1.0_beta",
        "1.0_beta < 1.0_pre",
        "1.0_pre < 1.0_rc",
        "1.0_p1 > 1.0",
        "1.0a > 1.0",
        "1.0a < 1.0.1",
        "1.10 > 1.9",
        "3.0.11-r0 < 3.0.11_git20231010-r0",
        "2.4.7-r3 < 2.4.7_p1-r0",
        "2.0_rc1-r0 < 2.0-r0",
        "1.0_rc1 < 1.0.0",
        "1.2.3_rc1-r0 < 1.2.3-r0",
        "1.0_rc1 > 1.0",
        "1.01 < 1.1",
        "1.001 < 1.01",
        "3.3.1-r0 = 3.3.1-r0",
        "1.36.1-r29 < 1.36.1-r30",
        "1.0 < 1.0-r1",
    })
    void apk(String a, String op, String b) {
        check(VersionScheme.APK, a, op, b);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "1.0 = 1.0",
        "1.0 < 2.0",
        "2.0.1 > 2.0",
        "2.0a < 2.0.1",
        "1.0~rc1 < 1.0",
        "1.0^git1 > 1.0",
        "1.0^git1 < 1.0.1",
        "1.0~rc1^git1 < 1.0~rc1^git2",
        "5.5p1 < 5.5p2",
        "5.5p10 > 5.5p2",
        "10xyz < 10.1xyz",
        "xyz10 < xyz10.1",
        "1.0010 = 1.10",
        "1:1.0-1 > 2.0-1",
        "1.0-1.el9 < 1.0-2.el9",
        "3.0.7-24.el9 < 3.0.7-25.el9",
        "1.0 = 1.0-5",
        "a < 1",
    })
    void rpm(String a, String op, String b) {
        check(VersionScheme.RPM, a, op, b);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "1.0.0-alpha < 1.0.0-alpha.1",
        "1.0.0-alpha.1 < 1.0.0-alpha.beta",
        "1.0.0-alpha.beta < 1.0.0-beta",
        "1.0.0-beta < 1.0.0-beta.2",
        "1.0.0-beta.2 < 1.0.0-beta.11",
        "1.0.0-beta.11 < 1.0.0-rc.1",
        "1.0.0-rc.1 < 1.0.0",
        "1.0.0+build.1 = 1.0.0",
        "v1.2.3 = 1.2.3",
        "1.10.0 > 1.9.0",
        "0.0.0-20210101000000-abcdef012345 < 0.0.1",
        "4.17.21 > 4.17.4",
    })
    void semver(String a, String op, String b) {
        check(VersionScheme.SEMVER, a, op, b);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "1.0.dev456 < 1.0a1",
        "1.0a1 < 1.0a2.dev456",
        "1.0a2.dev456 < 1.0a12.dev456",
        "1.0a12.dev456 < 1.0a12",
        "1.0a12 < 1.0b1.dev456",
        "1.0b1.dev456 < 1.0b2",
        "1.0b2 < 1.0b2.post345.dev456",
        "1.0b2.post345.dev456 < 1.0b2.post345",
        "1.0b2.post345 < 1.0rc1.dev456",
        "1.0rc1.dev456 < 1.0rc1",
        "1.0rc1 < 1.0",
        "1.0 < 1.0+abc.5",
        "1.0+abc.5 < 1.0+abc.7",
        "1.0+abc.7 < 1.0+5",
        "1.0+5 < 1.0.post456.dev34",
        "1.0.post456.dev34 < 1.0.post456",
        "1.0.post456 < 1.0.15",
        "1.0.15 < 1.1.dev1",
        "1.0 = 1.0.0",
        "1.0-1 = 1.0.post1",
        "1.0alpha1 = 1.0a1",
        "1.0c1 = 1.0rc1",
        "1.0-r4 = 1.0.post4",
        "1!0.5 > 2.0",
        "V2.0 = 2.0",
        "2.31.0 > 2.4.0",
    })
    void pep440(String a, String op, String b) {
        check(VersionScheme.PEP440, a, op, b);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
        "1-alpha < 1-beta",
        "1-beta < 1-milestone",
        "1-milestone < 1-rc",
        "1-rc = 1-cr",
        "1-rc < 1-SNAPSHOT",
        "1-SNAPSHOT < 1",
        "1 = 1.0",
        "1 = 1-ga",
        "1 = 1.0.0-final",
        "1 = 1-RELEASE",
        "1 < 1-sp",
        "1-sp < 1-abc",
        "1-abc < 1-1",
        "1-1 < 1.1",
        "1.0-alpha1 = 1.0-a1",
        "1.0-alpha1 < 1.0-alpha2",
        "1.0-alpha2 < 1.0-alpha10",
        "2.12.7.1 > 2.12.7",
        "2.13.0 > 2.12.7.1",
        "1.0.0.RELEASE = 1.0.0",
        "5.3.18 < 5.3.20",
        "2.0.0-M1 < 2.0.0-RC1",
        "1.9 < 1.10",
    })
    void maven(String a, String op, String b) {
        check(VersionScheme.MAVEN, a, op, b);
    }

    /** Each scheme gives a total order on its examples: sorting any shuffle gives the same list. */
    @Test
    void sortingIsStable() {
        List<String> debian = List.of("1.0~~", "1.0~~a", "1.0~", "1.0", "1.0-1", "1.0a", "1.0+b1", "1.0.1", "1:0.1");
        List<String> shuffled = new ArrayList<>(debian);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.sort(VersionScheme.DPKG::compare);
        assertThat(shuffled).containsExactlyElementsOf(debian);
    }
}
