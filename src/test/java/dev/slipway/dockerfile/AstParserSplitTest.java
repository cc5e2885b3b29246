package dev.slipway.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class AstParserSplitTest {
    /** What the parser split with before: the regex's split with a limit of two. */
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\u000B\\f\\r ]+");

    @Property(tries = 3000)
    void splitsAsTheRegexDoes(@ForAll @StringLength(max = 12)
            @Chars({'a', '-', '=', ' ', '\t', '\u000B', '\f', '\r', '\n', '\u00A0'}) String s) {
        assertThat(AstParser.splitFirst(s)).containsExactly(WHITESPACE.split(s, 2));
    }

    @Test
    void keepsTheEmptyPartsTheRegexKeeps() {
        assertThat(AstParser.splitFirst("")).containsExactly("");
        assertThat(AstParser.splitFirst(" RUN")).containsExactly("", "RUN");
        assertThat(AstParser.splitFirst("RUN \t")).containsExactly("RUN", "");
        assertThat(AstParser.splitFirst("RUN \t echo  a b")).containsExactly("RUN", "echo  a b");
        assertThat(AstParser.splitFirst("RUN\necho")).containsExactly("RUN\necho");
    }
}
