package dev.slipway.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BuildKit's shell-word lexer ({@code frontend/dockerfile/shell/lex.go}): quote removal, escapes and
 * {@code $} expansion of one Dockerfile word, and splitting into words after expansion.
 *
 * <p>It reproduces BuildKit rather than POSIX sh where the two differ: an escape character at the
 * end of a word is dropped, inside double quotes the escape only escapes {@code "}, {@code $} and
 * itself, patterns know {@code *} and {@code ?} but no bracket classes, positional and special
 * parameters are always unset, and {@code ${V//p/r}} expands {@code $} in the replacement the way
 * Go's {@code Regexp.ReplaceAllString} does.
 *
 * <p>Instances are immutable and may be shared between threads.
 */
public final class ShellLexer {

    private static final int EOF = -1;

    private final int escape;
    private final boolean rawQuotes;
    private final boolean rawEscapes;
    private final boolean skipUnsetEnv;

    /** A lexer with the given escape character ({@code \} or {@code `}, from the escape directive). */
    public ShellLexer(char escape) {
        this(escape, false, false, false);
    }

    /**
     * A lexer with BuildKit's internal options, used where the text must survive for a later pass
     * (heredoc detection, progress names).
     *
     * @param rawQuotes    keep quote characters in the output
     * @param rawEscapes   keep escape characters in the output
     * @param skipUnsetEnv leave references to unset variables as they were written
     */
    public ShellLexer(char escape, boolean rawQuotes, boolean rawEscapes, boolean skipUnsetEnv) {
        if (escape != '\\' && escape != '`') {
            throw new IllegalArgumentException("escape must be \\ or `, not " + escape);
        }
        this.escape = escape;
        this.rawQuotes = rawQuotes;
        this.rawEscapes = rawEscapes;
        this.skipUnsetEnv = skipUnsetEnv;
    }

    /**
     * Expands one word.
     *
     * @param lookup a variable's value, or null when it is unset
     * @throws ShellExpansionException on bad syntax or a {@code ?} modifier that fails
     */
    public Expansion expand(String word, Function<String, String> lookup) {
        Scan scan = new Scan(word, lookup);
        Processed p = scan.process();
        return new Expansion(p.text, scan.unset);
    }

    /**
     * Expands the text and splits it into words: whitespace outside quotes, including whitespace
     * that an unquoted variable expanded to, separates words.
     */
    public List<String> expandWords(String text, Function<String, String> lookup) {
        return List.copyOf(new Scan(text, lookup).process().words);
    }

    private record Processed(String text, List<String> words) {
    }

    /** The state of expanding one input; the lexer itself stays immutable. */
    private final class Scan {
        private final String source;
        private final int[] cps;
        private final Function<String, String> lookup;
        private final Set<String> unset = new LinkedHashSet<>();
        private int pos;
        private boolean rawEsc = rawEscapes;

        Scan(String source, Function<String, String> lookup) {
            this.source = source;
            this.cps = source.codePoints().toArray();
            this.lookup = lookup;
        }

        private int peek() {
            return pos < cps.length ? cps[pos] : EOF;
        }

        private int next() {
            return pos < cps.length ? cps[pos++] : EOF;
        }

        Processed process() {
            try {
                return processStopOn(EOF, rawEscapes);
            } catch (ShellExpansionException e) {
                throw new ShellExpansionException("failed to process " + goQuote(source) + ": " + e.getMessage());
            }
        }

        private Processed processStopOn(int stop, boolean raw) {
            boolean saved = rawEsc;
            rawEsc = raw;
            try {
                StringBuilder result = new StringBuilder();
                Words words = new Words();
                while (peek() != EOF) {
                    int ch = peek();
                    if (stop != EOF && ch == stop) {
                        next();
                        return new Processed(result.toString(), words.get());
                    }
                    if (ch == '$') {
                        String value = processDollar();
                        result.append(value);
                        words.addString(value);
                    } else if (ch == '\'') {
                        String value = processSingleQuote();
                        result.append(value);
                        words.addRawString(value);
                    } else if (ch == '"') {
                        String value = processDoubleQuote();
                        result.append(value);
                        words.addRawString(value);
                    } else {
                        ch = next();
                        if (ch == escape) {
                            if (rawEsc) {
                                words.addRawChar(ch);
                                result.appendCodePoint(ch);
                            }
                            ch = next();
                            if (ch == EOF) {
                                break;
                            }
                            words.addRawChar(ch);
                        } else {
                            words.addChar(ch);
                        }
                        result.appendCodePoint(ch);
                    }
                }
                if (stop != EOF) {
                    throw new ShellExpansionException(
                            "unexpected end of statement while looking for matching " + Character.toString(stop));
                }
                return new Processed(result.toString(), words.get());
            } finally {
                rawEsc = saved;
            }
        }

        private String processSingleQuote() {
            StringBuilder result = new StringBuilder();
            int ch = next();
            if (rawQuotes) {
                result.appendCodePoint(ch);
            }
            while (true) {
                ch = next();
                if (ch == EOF) {
                    throw new ShellExpansionException("unexpected end of statement while looking for matching single-quote");
                }
                if (ch == '\'') {
                    if (rawQuotes) {
                        result.appendCodePoint(ch);
                    }
                    return result.toString();
                }
                result.appendCodePoint(ch);
            }
        }

        private String processDoubleQuote() {
            StringBuilder result = new StringBuilder();
            int ch = next();
            if (rawQuotes) {
                result.appendCodePoint(ch);
            }
            while (true) {
                int p = peek();
                if (p == EOF) {
                    throw new ShellExpansionException("unexpected end of statement while looking for matching double-quote");
                }
                if (p == '"') {
                    ch = next();
                    if (rawQuotes) {
                        result.appendCodePoint(ch);
                    }
                    return result.toString();
                }
                if (p == '$') {
                    result.append(processDollar());
                    continue;
                }
                ch = next();
                if (ch == escape) {
                    if (rawEsc) {
                        result.appendCodePoint(ch);
                    }
                    int after = peek();
                    if (after == EOF) {
                        continue;
                    }
                    if (after == '"' || after == '$' || after == escape) {
                        ch = next();
                    }
                }
                result.appendCodePoint(ch);
            }
        }

        private String processDollar() {
            next();
            if (peek() != '{') {
                String name = processName();
                if (name.isEmpty()) {
                    return "$";
                }
                String value = getEnv(name);
                if (value == null) {
                    return skipUnsetEnv ? "$" + name : "";
                }
                return value;
            }
            next();
            int first = peek();
            if (first == EOF) {
                throw new ShellExpansionException("syntax error: missing '}'");
            }
            if (first == '{' || first == '}' || first == ':') {
                throw new ShellExpansionException("syntax error: bad substitution");
            }
            String name = processName();
            int ch = next();
            if (ch == EOF) {
                throw new ShellExpansionException("syntax error: missing '}'");
            }
            String chs = Character.toString(ch);
            boolean nullIsUnset = false;
            switch (ch) {
                case '}': {
                    String value = getEnv(name);
                    if (value == null) {
                        return skipUnsetEnv ? "${" + name + "}" : "";
                    }
                    return value;
                }
                case ':':
                    nullIsUnset = true;
                    ch = next();
                    chs += ch == EOF ? "" : Character.toString(ch);
                    return modifier(name, ch, chs, nullIsUnset);
                case '+':
                case '-':
                case '?':
                case '#':
                case '%':
                    return modifier(name, ch, chs, nullIsUnset);
                case '/':
                    return substitute(name);
                default:
                    throw new ShellExpansionException("unsupported modifier (" + chs + ") in substitution");
            }
        }

        private String modifier(String name, int ch, String chs, boolean nullIsUnset) {
            String word;
            try {
                word = processStopOn('}', ch == '#' || ch == '%').text;
            } catch (ShellExpansionException e) {
                if (peek() == EOF) {
                    throw new ShellExpansionException("syntax error: missing '}'");
                }
                throw e;
            }
            String value = getEnv(name);
            boolean set = value != null;
            if (skipUnsetEnv && !set) {
                return "${" + name + chs + word + "}";
            }
            boolean empty = !set || value.isEmpty();
            switch (ch) {
                case '-':
                    return !set || (nullIsUnset && empty) ? word : value;
                case '+':
                    return !set || (nullIsUnset && empty) ? "" : word;
                case '?':
                    if (!set) {
                        throw new ShellExpansionException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                    }
                    if (nullIsUnset && empty) {
                        throw new ShellExpansionException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                    }
                    return value;
                case '%':
                case '#': {
                    boolean greedy = !word.isEmpty() && word.codePointAt(0) == ch;
                    String pattern = greedy ? word.substring(1) : word;
                    String subject = set ? value : "";
                    return ch == '%' ? trimSuffix(pattern, subject, greedy) : trimPrefix(pattern, subject, greedy);
                }
                default:
                    throw new ShellExpansionException("unsupported modifier (" + chs + ") in substitution");
            }
        }

        private String substitute(String name) {
            boolean replaceAll = peek() == '/';
            if (replaceAll) {
                next();
            }
            String pattern;
            try {
                pattern = processStopOn('/', true).text;
            } catch (ShellExpansionException e) {
                if (peek() == EOF) {
                    throw new ShellExpansionException("syntax error: missing '/' in ${}");
                }
                throw e;
            }
            String replacement;
            try {
                replacement = processStopOn('}', true).text;
            } catch (ShellExpansionException e) {
                if (peek() == EOF) {
                    throw new ShellExpansionException("syntax error: missing '}'");
                }
                throw e;
            }
            String value = getEnv(name);
            if (skipUnsetEnv && value == null) {
                return "${" + name + "/" + pattern + "/" + replacement + "}";
            }
            String subject = value == null ? "" : value;
            Pattern re = shellPatternToRegex(pattern, true, false);
            if (replaceAll) {
                return goReplaceAll(re, subject, replacement);
            }
            Matcher m = re.matcher(subject);
            if (m.find()) {
                return subject.substring(0, m.start()) + replacement + subject.substring(m.end());
            }
            return subject;
        }

        /** A name is letters, digits and {@code _}; a leading digit starts a positional parameter. */
        private String processName() {
            StringBuilder name = new StringBuilder();
            while (peek() != EOF) {
                int ch = peek();
                if (name.length() == 0 && Character.isDigit(ch)) {
                    while (peek() != EOF && Character.isDigit(peek())) {
                        name.appendCodePoint(next());
                    }
                    return name.toString();
                }
                if (name.length() == 0 && isSpecialParam(ch)) {
                    return Character.toString(next());
                }
                if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                    break;
                }
                name.appendCodePoint(next());
            }
            return name.toString();
        }

        private String getEnv(String name) {
            String value = lookup.apply(name);
            if (value == null) {
                unset.add(name);
            }
            return value;
        }
    }

    private static boolean isSpecialParam(int ch) {
        return ch == '@' || ch == '*' || ch == '#' || ch == '?' || ch == '-' || ch == '$' || ch == '!' || ch == '0';
    }

    /** Go's {@code unicode.IsSpace}, which word splitting uses (it differs from Java's isWhitespace). */
    static boolean isGoSpace(int ch) {
        if (ch < 0x100) {
            return ch == ' ' || (ch >= '\t' && ch <= '\r') || ch == 0x85 || ch == 0xA0;
        }
        int type = Character.getType(ch);
        return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** Words being collected; expansions are split on whitespace, quoted text is kept together. */
    private static final class Words {
        private final List<String> words = new ArrayList<>();
        private StringBuilder word = new StringBuilder();
        private boolean inWord;

        void addChar(int ch) {
            if (isGoSpace(ch)) {
                if (inWord && word.length() != 0) {
                    words.add(word.toString());
                    word = new StringBuilder();
                    inWord = false;
                }
            } else {
                addRawChar(ch);
            }
        }

        void addRawChar(int ch) {
            word.appendCodePoint(ch);
            inWord = true;
        }

        void addString(String s) {
            s.codePoints().forEach(this::addChar);
        }

        void addRawString(String s) {
            word.append(s);
            inWord = true;
        }

        List<String> get() {
            if (word.length() > 0) {
                words.add(word.toString());
                word = new StringBuilder();
                inWord = false;
            }
            return words;
        }
    }

    /**
     * Converts a shell pattern ({@code *}, {@code ?}, and the escapes {@code \*}, {@code \?},
     * {@code \\}) to a regex. Everything else is literal, brackets included. {@code \/} and
     * {@code \}} lose their backslash: they only protect the separators of {@code ${}}.
     */
    static Pattern shellPatternToRegex(String pattern, boolean greedy, boolean anchored) {
        int[] cps = pattern.codePoints().toArray();
        StringBuilder out = new StringBuilder();
        if (anchored) {
            out.append('^');
        }
        for (int i = 0; i < cps.length; i++) {
            int tok = cps[i];
            if (tok == '*') {
                out.append(greedy ? ".*" : ".*?");
            } else if (tok == '?') {
                out.append('.');
            } else if (tok == '\\') {
                int after = i + 1 < cps.length ? cps[i + 1] : EOF;
                if (after == '}' || after == '/') {
                    continue;
                }
                if (after != '*' && after != '?' && after != '\\') {
                    throw new ShellExpansionException("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                            + (after == EOF ? "" : Character.toString(after)) + "'");
                }
                out.append('\\').appendCodePoint(after);
                i++;
            } else {
                appendLiteral(out, tok);
            }
        }
        // UNIX_LINES: like Go's regexp, '.' stops only at '\n'.
        return Pattern.compile(out.toString(), Pattern.UNIX_LINES);
    }

    private static void appendLiteral(StringBuilder out, int ch) {
        if (ch < 0x80 && !Character.isLetterOrDigit(ch)) {
            out.append('\\');
        }
        out.appendCodePoint(ch);
    }

    private static String trimPrefix(String pattern, String value, boolean greedy) {
        Matcher m = shellPatternToRegex(pattern, greedy, true).matcher(value);
        return m.find() ? value.substring(m.end()) : value;
    }

    /** Regexes cannot find the shortest rightmost match, so reverse both and trim a prefix. */
    private static String trimSuffix(String pattern, String value, boolean greedy) {
        String reversed = trimPrefix(reversePattern(pattern), reverse(value), greedy);
        return reverse(reversed);
    }

    /** Reverses a pattern but keeps each escape before the character it escapes: {@code a\*c} → {@code c\*a}. */
    static String reversePattern(String pattern) {
        int[] in = pattern.codePoints().toArray();
        int[] out = new int[in.length];
        int last = in.length - 1;
        for (int i = 0; i <= last; ) {
            int outIdx = last - i;
            if (in[i] == '\\' && i != last) {
                out[outIdx - 1] = in[i];
                out[outIdx] = in[i + 1];
                i += 2;
            } else {
                out[outIdx] = in[i];
                i++;
            }
        }
        return new String(out, 0, out.length);
    }

    static String reverse(String s) {
        return new StringBuilder(s).reverse().toString();
    }

    /**
     * Go's {@code Regexp.ReplaceAllString}: an empty match right after a match is not replaced,
     * and {@code $0}, {@code $name}, {@code ${name}} and {@code $$} in the replacement are expanded.
     */
    static String goReplaceAll(Pattern re, String src, String template) {
        StringBuilder out = new StringBuilder();
        Matcher m = re.matcher(src);
        int lastMatchEnd = 0;
        int searchPos = 0;
        while (searchPos <= src.length() && m.find(searchPos)) {
            int start = m.start();
            int end = m.end();
            out.append(src, lastMatchEnd, start);
            if (end > lastMatchEnd || start == 0) {
                expandTemplate(out, template, src.substring(start, end));
            }
            lastMatchEnd = end;
            int width = searchPos < src.length() ? Character.charCount(src.codePointAt(searchPos)) : 1;
            if (searchPos + width > end) {
                searchPos += width;
            } else if (searchPos + 1 > end) {
                searchPos++;
            } else {
                searchPos = end;
            }
        }
        out.append(src, lastMatchEnd, src.length());
        return out.toString();
    }

    /** Go's {@code Regexp.Expand} for a regex whose only group is the whole match. */
    private static void expandTemplate(StringBuilder out, String template, String match) {
        int i = 0;
        while (i < template.length()) {
            int dollar = template.indexOf('$', i);
            if (dollar < 0) {
                break;
            }
            out.append(template, i, dollar);
            i = dollar + 1;
            if (i < template.length() && template.charAt(i) == '$') {
                out.append('$');
                i++;
                continue;
            }
            boolean brace = i < template.length() && template.charAt(i) == '{';
            int nameStart = brace ? i + 1 : i;
            int j = nameStart;
            while (j < template.length()) {
                int cp = template.codePointAt(j);
                if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
                    break;
                }
                j += Character.charCount(cp);
            }
            if (j == nameStart || (brace && (j >= template.length() || template.charAt(j) != '}'))) {
                out.append('$');
                continue;
            }
            String name = template.substring(nameStart, j);
            i = brace ? j + 1 : j;
            if (name.equals("0")) {
                out.append(match);
            }
        }
        out.append(template, i, template.length());
    }

    /** Go's {@code %q}, which BuildKit uses to show the word in error messages. */
    static String goQuote(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (cp < 0x20 || cp == 0x7f) {
                        b.append(String.format("\\x%02x", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        });
        return b.append('"').toString();
    }
}
