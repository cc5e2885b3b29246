package dev.slipway.dockerfile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BuildKit's low-level Dockerfile parser ({@code frontend/dockerfile/parser}): physical lines to
 * {@link Node}s. Handles directives, comments, continuations, the escape character, flags, exec versus
 * shell form and heredocs. Nothing is expanded here.
 */
final class AstParser {
    /** bufio.Scanner's limit: a line (without its newline) may not be longer than this many bytes. */
    static final int MAX_LINE_BYTES = 65535;
    /** ONBUILD nests by recursion; BuildKit refuses ONBUILD ONBUILD later anyway. */
    private static final int MAX_ONBUILD_DEPTH = 16;

    // Go's \s is [\t\n\f\r ] and its '.' is anything but '\n'.
    private static final Pattern DIRECTIVE =
            Pattern.compile("^#[\\t\\n\\f\\r ]*([a-zA-Z][a-zA-Z0-9]*)[\\t\\n\\f\\r ]*=[\\t\\n\\f\\r ]*([^\\n]+?)[\\t\\n\\f\\r ]*$");
    private static final Pattern HEREDOC = Pattern.compile("^([0-9]*)<<(-?)[\\t\\n\\f\\r ]*([^<]*)$");
    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\u000B\\f\\r ]+");
    private static final Set<String> DIRECTIVE_KEYS = Set.of("syntax", "escape", "check");
    private static final Set<String> HEREDOC_INSTRUCTIONS = Set.of("run", "copy", "add");
    private static final String NOT_STRINGS = "when using JSON array syntax, arrays must be comprised of strings only";

    private final String fileName;
    private final String text;
    private int offset;
    private int lineNo;
    private int instructionStart;

    private char escape = '\\';
    private boolean directivesDone;
    private final Set<String> seenDirectives = new HashSet<>();
    private final List<Directive> directives = new ArrayList<>();
    private final List<ParseWarning> warnings = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private List<String> comments = new ArrayList<>();

    private AstParser(String text, String fileName) {
        this.text = text;
        this.fileName = fileName;
    }

    static DockerfileAst parse(String text, String fileName) {
        return new AstParser(text, fileName).run();
    }

    private record Flags(List<String> flags, String rest) {
    }

    private record Args(List<String> args, boolean json, Node child) {
        static final Args NONE = new Args(List.of(), false, null);
    }

    private record Continued(String text, boolean endOfLine) {
    }

    private DockerfileAst run() {
        while (hasNextLine()) {
            String raw = nextLine();
            boolean comment = isComment(raw);
            int directivesBefore = directives.size();
            String processed = processLine(raw, true);
            if (comment && directives.size() == directivesBefore) {
                String body = GoText.trimSpace(GoText.trimLeftSpace(trimNewline(raw)).substring(1));
                if (body.isEmpty()) {
                    comments = new ArrayList<>();
                } else {
                    comments.add(body);
                }
            }
            instructionStart = lineNo;
            Continued first = trimContinuation(processed);
            if (first.endOfLine() && first.text().isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder(first.text());
            boolean endOfLine = first.endOfLine();
            boolean emptyContinuation = false;
            while (!endOfLine && hasNextLine()) {
                String next = nextLine();
                String part = processLine(next, false);
                if (isComment(next)) {
                    continue;
                }
                if (GoText.trimLeftSpace(part).isEmpty()) {
                    emptyContinuation = true;
                    continue;
                }
                Continued c = trimContinuation(part);
                line.append(c.text());
                endOfLine = c.endOfLine();
            }
            String joined = line.toString();
            if (emptyContinuation) {
                warnings.add(new ParseWarning("NoEmptyContinuation",
                        "Empty continuation line found in: " + joined, lineNo));
            }
            Node node = nodeFromLine(joined, 0);
            List<Heredoc> docs = List.of();
            if (canContainHeredoc(node) && joined.contains("<<")) {
                docs = readHeredocBodies(heredocsFromLine(joined));
            }
            nodes.add(node.withPosition(docs, instructionStart, lineNo, comments));
            comments = new ArrayList<>();
        }
        if (nodes.isEmpty()) {
            throw new DockerfileParseException(fileName, lineNo, "file with no instructions");
        }
        return new DockerfileAst(nodes, directives, escape, warnings);
    }

    // ---- physical lines

    private boolean hasNextLine() {
        return offset < text.length();
    }

    /** The next physical line with its line ending kept, as bufio.Scanner with scanLines yields it. */
    private String nextLine() {
        int nl = text.indexOf('\n', offset);
        int end = nl < 0 ? text.length() : nl + 1;
        String line = text.substring(offset, end);
        offset = end;
        if (lineNo == 0 && line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        lineNo++;
        int contentLength = trimNewline(line).length();
        if (contentLength > MAX_LINE_BYTES / 3
                && trimNewline(line).getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
            throw new DockerfileParseException(fileName, lineNo,
                    "dockerfile line greater than max allowed size of " + MAX_LINE_BYTES);
        }
        return line;
    }

    private static String trimNewline(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static boolean isComment(String raw) {
        return GoText.trimLeftSpace(trimNewline(raw)).startsWith("#");
    }

    /** Strips the line ending (and leading blanks on an instruction's first line), spots directives, drops comments. */
    private String processLine(String raw, boolean stripLeadingSpace) {
        String token = trimNewline(raw);
        if (stripLeadingSpace) {
            token = GoText.trimLeftSpace(token);
        }
        possibleDirective(token);
        return token.startsWith("#") ? "" : token;
    }

    private void possibleDirective(String line) {
        if (directivesDone) {
            return;
        }
        Matcher m = DIRECTIVE.matcher(line);
        if (!m.matches()) {
            directivesDone = true;
            return;
        }
        String key = m.group(1).toLowerCase(Locale.ROOT);
        if (!DIRECTIVE_KEYS.contains(key)) {
            directivesDone = true;
            return;
        }
        if (!seenDirectives.add(key)) {
            throw new DockerfileParseException(fileName, lineNo, "only one " + key + " parser directive can be used");
        }
        String value = m.group(2);
        if (key.equals("escape")) {
            if (!value.equals("`") && !value.equals("\\")) {
                throw new DockerfileParseException(fileName, lineNo,
                        "invalid escape token '" + value + "' does not match ` or \\");
            }
            escape = value.charAt(0);
        }
        directives.add(new Directive(key, value, lineNo));
    }

    /** The escape character as last non-blank, not itself escaped, continues the line; it and the blanks go. */
    private Continued trimContinuation(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
            end--;
        }
        if (end > 0 && line.charAt(end - 1) == escape) {
            if (end == 1) {
                return new Continued("", false);
            }
            if (line.charAt(end - 2) != escape) {
                return new Continued(line.substring(0, end - 1), false);
            }
        }
        return new Continued(line, true);
    }

    // ---- one logical line to a node

    private Node nodeFromLine(String line, int depth) {
        String[] cmdline = splitFirst(GoText.trimSpace(line));
        String cmd = cmdline[0].toLowerCase(Locale.ROOT);
        List<String> flags = List.of();
        String rest = "";
        if (cmdline.length == 2) {
            Flags f = extractFlags(cmdline[1]);
            flags = f.flags();
            rest = GoText.trimSpace(f.rest());
        }
        Args args = switch (cmd) {
            case "add", "copy", "volume" -> maybeJsonToList(rest);
            case "arg" -> new Args(parseWords(rest), false, null);
            case "cmd", "entrypoint", "run", "shell" -> maybeJson(rest);
            case "env" -> nameValue(rest, "ENV");
            case "label" -> nameValue(rest, "LABEL");
            case "expose", "from" -> whitespaceDelimited(rest);
            case "healthcheck" -> healthConfig(rest);
            case "maintainer", "stopsignal", "user", "workdir" -> rest.isEmpty() ? Args.NONE : new Args(List.of(rest), false, null);
            case "onbuild" -> subCommand(rest, depth);
            default -> new Args(List.of(""), false, null);
        };
        return new Node(cmd, flags, args.args(), args.json(), args.child(), List.of(), line, 0, 0, List.of());
    }

    /**
     * {@code WHITESPACE.split(s, 2)}: {@code s} up to its first run of blanks, and the rest after it.
     * By hand, since {@code Pattern.split} goes on matching every later run of blanks in the line
     * after it has its two parts: with the regex interpreted, most of a Dockerfile's parse.
     */
    static String[] splitFirst(String s) {
        int start = 0;
        while (start < s.length() && !isBlank(s.charAt(start))) {
            start++;
        }
        if (start == s.length()) {
            return new String[] {s};
        }
        int end = start + 1;
        while (end < s.length() && isBlank(s.charAt(end))) {
            end++;
        }
        return new String[] {s.substring(0, start), s.substring(end)};
    }

    /** A character of {@link #WHITESPACE}. */
    private static boolean isBlank(char c) {
        return c == '\t' || c == 0x0B || c == '\f' || c == '\r' || c == ' ';
    }

    /**
     * Leading words starting with {@code --} are flags; quotes are removed and the escape character
     * escapes the next character. A bare {@code --} ends the flags and is dropped.
     */
    private Flags extractFlags(String line) {
        final int inSpaces = 0;
        final int inWord = 1;
        final int inQuote = 2;
        List<String> words = new ArrayList<>();
        int phase = inSpaces;
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean blankOk = false;
        int n = line.length();
        for (int pos = 0; pos <= n; pos++) {
            char ch = pos != n ? line.charAt(pos) : 0;
            if (phase == inSpaces) {
                if (pos == n) {
                    break;
                }
                if (GoText.isSpace(ch)) {
                    continue;
                }
                if (ch != '-' || pos + 1 == n || line.charAt(pos + 1) != '-') {
                    return new Flags(words, line.substring(pos));
                }
                phase = inWord;
            }
            if (pos == n) {
                if (!word.toString().equals("--") && (blankOk || word.length() > 0)) {
                    words.add(word.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (GoText.isSpace(ch)) {
                    phase = inSpaces;
                    if (word.toString().equals("--")) {
                        return new Flags(words, line.substring(pos));
                    }
                    if (blankOk || word.length() > 0) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                    continue;
                }
                if (ch == escape) {
                    if (pos + 1 == n) {
                        continue;
                    }
                    ch = line.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            if (ch == quote) {
                phase = inWord;
                continue;
            }
            if (ch == escape) {
                if (pos + 1 == n) {
                    phase = inWord;
                    continue;
                }
                ch = line.charAt(++pos);
            }
            word.append(ch);
        }
        return new Flags(words, "");
    }

    /**
     * BuildKit's {@code parseWords}: splits on unquoted whitespace, keeping quotes and escape
     * characters in the words (they are removed later, by expansion).
     */
    private List<String> parseWords(String rest) {
        final int inSpaces = 0;
        final int inWord = 1;
        final int inQuote = 2;
        List<String> words = new ArrayList<>();
        int phase = inSpaces;
        StringBuilder word = new StringBuilder();
        int quote = 0;
        boolean blankOk = false;
        int n = rest.length();
        int width;
        for (int pos = 0; pos <= n; pos += width) {
            int ch = 0;
            width = 1;
            if (pos != n) {
                ch = rest.codePointAt(pos);
                width = Character.charCount(ch);
            }
            if (phase == inSpaces) {
                if (pos == n) {
                    break;
                }
                if (GoText.isSpace(ch)) {
                    continue;
                }
                phase = inWord;
            }
            if (pos == n) {
                if (blankOk || word.length() > 0) {
                    words.add(word.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (GoText.isSpace(ch)) {
                    phase = inSpaces;
                    if (blankOk || word.length() > 0) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                }
                if (ch == escape) {
                    if (pos + width == n) {
                        continue;
                    }
                    word.appendCodePoint(ch);
                    pos += width;
                    ch = rest.codePointAt(pos);
                    width = Character.charCount(ch);
                }
                word.appendCodePoint(ch);
                continue;
            }
            if (ch == quote) {
                phase = inWord;
            }
            if (ch == escape && quote != '\'') {
                if (pos + width == n) {
                    phase = inWord;
                    continue;
                }
                word.appendCodePoint(ch);
                pos += width;
                ch = rest.codePointAt(pos);
                width = Character.charCount(ch);
            }
            word.appendCodePoint(ch);
        }
        return words;
    }

    /** ENV and LABEL: {@code k=v ...} (separator "=") or legacy {@code k v} (separator ""), as triples. */
    private Args nameValue(String rest, String instruction) {
        List<String> words = parseWords(rest);
        if (words.isEmpty()) {
            return Args.NONE;
        }
        List<String> triples = new ArrayList<>();
        if (!words.get(0).contains("=")) {
            String[] parts = splitFirst(rest);
            if (parts.length < 2) {
                throw error(instruction + " must have two arguments");
            }
            triples.addAll(List.of(parts[0], parts[1], ""));
            return new Args(triples, false, null);
        }
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw error("Syntax error - can't find = in " + GoText.quote(word) + ". Must be of the form: name=value");
            }
            triples.addAll(List.of(word.substring(0, eq), word.substring(eq + 1), "="));
        }
        return new Args(triples, false, null);
    }

    private static Args whitespaceDelimited(String rest) {
        if (rest.isEmpty()) {
            return Args.NONE;
        }
        return new Args(List.of(WHITESPACE.split(rest, -1)), false, null);
    }

    /** Exec form when the text is a JSON array of strings; null when it is not JSON at all. */
    private Args json(String rest) {
        String trimmed = GoText.trimLeftSpace(rest);
        if (!trimmed.startsWith("[")) {
            return null;
        }
        List<Object> elements = JsonArray.decode(trimmed);
        if (elements == null) {
            return null;
        }
        List<String> strings = new ArrayList<>(elements.size());
        for (Object element : elements) {
            if (!(element instanceof String s)) {
                throw error(NOT_STRINGS);
            }
            strings.add(s);
        }
        return new Args(strings, true, null);
    }

    private Args maybeJson(String rest) {
        if (rest.isEmpty()) {
            return Args.NONE;
        }
        Args json = json(rest);
        return json != null ? json : new Args(List.of(rest), false, null);
    }

    private Args maybeJsonToList(String rest) {
        Args json = json(rest);
        return json != null ? json : whitespaceDelimited(rest);
    }

    /** HEALTHCHECK: a type word (CMD, NONE, ...), then a command in either form. */
    private Args healthConfig(String rest) {
        int sep = 0;
        while (sep < rest.length() && !GoText.isSpace(rest.charAt(sep))) {
            sep++;
        }
        int next = sep;
        while (next < rest.length() && GoText.isSpace(rest.charAt(next))) {
            next++;
        }
        if (sep == 0) {
            return Args.NONE;
        }
        Args cmd = maybeJson(rest.substring(next));
        List<String> args = new ArrayList<>();
        args.add(rest.substring(0, sep));
        args.addAll(cmd.args());
        return new Args(args, cmd.json(), null);
    }

    private Args subCommand(String rest, int depth) {
        if (rest.isEmpty()) {
            return Args.NONE;
        }
        if (depth >= MAX_ONBUILD_DEPTH) {
            throw error("ONBUILD nested too deeply");
        }
        return new Args(List.of(), false, nodeFromLine(rest, depth + 1));
    }

    // ---- heredocs

    private static boolean canContainHeredoc(Node node) {
        Node target = node.instruction().equals("onbuild") && node.child() != null ? node.child() : node;
        return HEREDOC_INSTRUCTIONS.contains(target.instruction()) && !target.json();
    }

    private List<Heredoc> heredocsFromLine(String line) {
        List<String> words = rawWords(line);
        List<Heredoc> docs = new ArrayList<>();
        for (String word : words) {
            Heredoc doc = parseHeredoc(word, fileName, instructionStart);
            if (doc != null) {
                docs.add(doc);
            }
        }
        return docs;
    }

    private List<Heredoc> readHeredocBodies(List<Heredoc> docs) {
        List<Heredoc> read = new ArrayList<>(docs.size());
        for (Heredoc doc : docs) {
            StringBuilder body = new StringBuilder();
            boolean terminated = false;
            while (hasNextLine()) {
                String raw = nextLine();
                String candidate = trimNewline(raw);
                if (doc.chomp()) {
                    candidate = candidate.replaceFirst("^\t+", "");
                }
                if (candidate.equals(doc.name())) {
                    terminated = true;
                    break;
                }
                body.append(raw);
            }
            if (!terminated) {
                throw error("unterminated heredoc");
            }
            read.add(doc.withContent(body.toString()));
        }
        return read;
    }

    /**
     * The heredoc a word such as {@code <<EOF}, {@code <<-'EOF'} or {@code 3<<EOF} introduces, or null
     * when the word is not one. The delimiter is unquoted with BuildKit's rules (escape always
     * backslash); any quoting turns expansion of the body off.
     */
    static Heredoc parseHeredoc(String word, String fileName, int line) {
        Matcher m = HEREDOC.matcher(word);
        if (!m.matches() || m.group(3).isEmpty()) {
            return null;
        }
        int fd;
        try {
            fd = m.group(1).isEmpty() ? 0 : Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            fd = 0;
        }
        String unquoted;
        String raw;
        try {
            unquoted = unquoteDelimiter(m.group(3), false);
            raw = unquoteDelimiter(m.group(3), true);
        } catch (IllegalArgumentException e) {
            throw new DockerfileParseException(fileName, line, e.getMessage());
        }
        if (unquoted == null) {
            return null;
        }
        boolean expand = countQuotes(unquoted) == countQuotes(raw);
        return new Heredoc(unquoted, "", expand, m.group(2).equals("-"), fd);
    }

    private static int countQuotes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\'' || s.charAt(i) == '"') {
                n++;
            }
        }
        return n;
    }

    /**
     * The single word a heredoc delimiter lexes to, quotes removed unless {@code keepQuotes}; null when
     * it is not exactly one word.
     */
    private static String unquoteDelimiter(String s, boolean keepQuotes) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char ch = s.charAt(i);
            if (GoText.isSpace(ch)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            if (ch == '\'' || ch == '"') {
                int close = i + 1;
                if (keepQuotes) {
                    word.append(ch);
                }
                while (true) {
                    if (close >= n) {
                        throw new IllegalArgumentException("unexpected end of statement while looking for matching "
                                + (ch == '\'' ? "single-quote" : "double-quote"));
                    }
                    char c = s.charAt(close);
                    if (c == ch) {
                        break;
                    }
                    if (ch == '"' && c == '\\' && close + 1 < n
                            && (s.charAt(close + 1) == '"' || s.charAt(close + 1) == '$' || s.charAt(close + 1) == '\\')) {
                        c = s.charAt(++close);
                    }
                    if (!(ch == '"' && c == '\\' && close + 1 == n)) {
                        word.append(c);
                    }
                    close++;
                }
                if (keepQuotes) {
                    word.append(ch);
                }
                i = close;
            } else if (ch == '\\') {
                if (i + 1 < n) {
                    word.append(s.charAt(++i));
                }
            } else {
                word.append(ch);
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words.size() == 1 ? words.get(0) : null;
    }

    /**
     * Splits a line into shell words keeping quotes and escapes, as BuildKit's lexer does with raw
     * quotes and raw escapes to find heredoc words. A line that does not lex (unterminated quote) has no
     * heredocs.
     */
    private static List<String> rawWords(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int n = line.length();
        for (int i = 0; i < n; i++) {
            char ch = line.charAt(i);
            if (GoText.isSpace(ch)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            inWord = true;
            word.append(ch);
            if (ch == '\\') {
                if (i + 1 < n) {
                    word.append(line.charAt(++i));
                }
            } else if (ch == '\'' || ch == '"') {
                int j = i + 1;
                while (j < n && line.charAt(j) != ch) {
                    if (ch == '"' && line.charAt(j) == '\\' && j + 1 < n) {
                        word.append(line.charAt(j++));
                    }
                    word.append(line.charAt(j++));
                }
                if (j >= n) {
                    return List.of();
                }
                word.append(ch);
                i = j;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private DockerfileParseException error(String message) {
        return new DockerfileParseException(fileName, instructionStart, message);
    }
}
