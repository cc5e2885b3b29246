package dev.slipway.dockerfile;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * A {@code .dockerignore} file as BuildKit reads it ({@code moby/patternmatcher/ignorefile} and
 * {@code patternmatcher}): one pattern per line, {@code #} comments in the first column, {@code !}
 * exceptions, {@code **} for any number of directories, the last matching line wins, and a pattern
 * that matches a directory excludes everything under it.
 */
public final class DockerIgnore {

    /** One cleaned pattern line. */
    public record Rule(String pattern, boolean exception) {
    }

    private static final DockerIgnore EMPTY = new DockerIgnore(List.of());

    private final List<Rule> rules;
    private final List<Matcher> matchers;
    private final boolean hasExceptions;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.matchers = rules.stream().map(Matcher::new).toList();
        this.hasExceptions = rules.stream().anyMatch(Rule::exception);
    }

    public static DockerIgnore empty() {
        return EMPTY;
    }

    /**
     * Parses the text of an ignore file.
     *
     * @throws SlipwayException for a lone {@code !} or a malformed pattern
     */
    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.startsWith("#")) {
                continue;
            }
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            boolean exception = line.charAt(0) == '!';
            if (exception) {
                line = line.substring(1).strip();
            }
            if (!line.isEmpty()) {
                line = cleanPath(line);
                if (line.length() > 1 && line.charAt(0) == '/') {
                    line = line.substring(1);
                }
            }
            if (exception && line.isEmpty()) {
                throw new SlipwayException("illegal exclusion pattern: \"!\"");
            }
            try {
                GoGlob.validate(line);
            } catch (SlipwayException e) {
                throw new SlipwayException("invalid .dockerignore pattern \"" + line + "\": " + e.getMessage());
            }
            rules.add(new Rule(line, exception));
        }
        return new DockerIgnore(rules);
    }

    /**
     * The ignore file for a build: {@code <Dockerfile>.dockerignore} beside the Dockerfile replaces
     * {@code <context>/.dockerignore}; the two are never merged.
     */
    public static Optional<Path> find(Path context, Path dockerfile) {
        if (dockerfile != null) {
            Path beside = dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore");
            if (Files.isRegularFile(beside)) {
                return Optional.of(beside);
            }
        }
        Path root = context.resolve(".dockerignore");
        return Files.isRegularFile(root) ? Optional.of(root) : Optional.empty();
    }

    /** Reads the ignore file {@link #find} picks, or the empty one when there is none. */
    public static DockerIgnore load(Path context, Path dockerfile) {
        Optional<Path> file = find(context, dockerfile);
        if (file.isEmpty()) {
            return EMPTY;
        }
        try {
            return parse(Files.readString(file.get(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    /** Whether any line is a {@code !} exception (the CopyIgnoredFile lint check only warns without them). */
    public boolean hasExceptions() {
        return hasExceptions;
    }

    /**
     * Whether a context path (slash-separated, relative to the context) is left out of the context.
     * A pattern matching any parent directory matches the path too.
     */
    public boolean excludes(String path) {
        if (matchers.isEmpty()) {
            // Most contexts have no ignore file; COPY asks this for every file it walks.
            return false;
        }
        String file = cleanPath(path);
        if (file.startsWith("/")) {
            file = file.substring(1);
        }
        if (file.equals(".") || file.isEmpty()) {
            return false;
        }
        List<String> parents = new ArrayList<>();
        for (int slash = file.indexOf('/'); slash >= 0; slash = file.indexOf('/', slash + 1)) {
            parents.add(file.substring(0, slash));
        }
        boolean matched = false;
        for (Matcher m : matchers) {
            if (m.rule.exception != matched) {
                continue;
            }
            boolean match = m.matches(file);
            for (int i = 0; !match && i < parents.size(); i++) {
                match = m.matches(parents.get(i));
            }
            if (match) {
                matched = !m.rule.exception;
            }
        }
        return matched;
    }

    /**
     * Whether a walk must still descend into an excluded directory because an exception could
     * re-include something under it; otherwise the whole directory is pruned.
     */
    public boolean mayIncludeUnder(String dir) {
        String prefix = cleanPath(dir) + "/";
        for (Rule r : rules) {
            // Like BuildKit's walker: a wildcard exception could match anywhere, so nothing is pruned.
            if (r.exception && (GoGlob.containsWildcards(r.pattern) || r.pattern.indexOf('\\') >= 0
                    || (r.pattern + "/").startsWith(prefix))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The context's entries that are not excluded, as sorted slash paths. Directories that are
     * excluded are pruned unless an exception may re-include something inside; such a directory
     * is listed only when something under it is.
     */
    public List<String> walk(Path context) {
        List<String> out = new ArrayList<>();
        walk(context, "", out);
        return out;
    }

    private void walk(Path dir, String rel, List<String> out) {
        List<Path> children;
        try (Stream<Path> s = Files.list(dir)) {
            children = s.sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path child : children) {
            String path = rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName();
            boolean isDir = Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
            if (excludes(path)) {
                if (isDir && mayIncludeUnder(path)) {
                    int mark = out.size();
                    walk(child, path, out);
                    if (out.size() > mark) {
                        out.add(mark, path);
                    }
                }
                continue;
            }
            out.add(path);
            if (isDir) {
                walk(child, path, out);
            }
        }
    }

    /** Go's {@code filepath.Clean} on slash paths. */
    static String cleanPath(String path) {
        if (path.isEmpty()) {
            return ".";
        }
        boolean rooted = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
                    parts.remove(parts.size() - 1);
                } else if (!rooted) {
                    parts.add(part);
                }
                continue;
            }
            parts.add(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** One pattern compiled the way patternmatcher compiles it: exact, prefix, suffix or regex. */
    private static final class Matcher {
        private enum Kind { EXACT, PREFIX, SUFFIX, REGEX }

        private final Rule rule;
        private final Kind kind;
        private final Pattern regex;

        Matcher(Rule rule) {
            this.rule = rule;
            String pattern = rule.pattern;
            int[] cps = pattern.codePoints().toArray();
            StringBuilder re = new StringBuilder("^");
            Kind kind = Kind.EXACT;
            boolean inClass = false;
            for (int i = 0; i < cps.length; i++) {
                int ch = cps[i];
                if (ch == '*') {
                    if (i + 1 < cps.length && cps[i + 1] == '*') {
                        int start = i;
                        i++;
                        if (i + 1 < cps.length && cps[i + 1] == '/') {
                            i++;
                        }
                        if (i + 1 >= cps.length) {
                            if (kind == Kind.EXACT) {
                                kind = Kind.PREFIX;
                            } else {
                                re.append(".*");
                                kind = Kind.REGEX;
                            }
                        } else {
                            re.append("(.*/)?");
                            kind = Kind.REGEX;
                        }
                        if (start == 0) {
                            kind = Kind.SUFFIX;
                        }
                    } else {
                        re.append("[^/]*");
                        kind = Kind.REGEX;
                    }
                } else if (ch == '?') {
                    re.append("[^/]");
                    kind = Kind.REGEX;
                } else if (".+()|{}$".indexOf(ch) >= 0) {
                    re.append('\\').appendCodePoint(ch);
                } else if (ch == '\\') {
                    if (i + 1 < cps.length) {
                        re.append('\\').appendCodePoint(cps[++i]);
                        kind = Kind.REGEX;
                    } else {
                        re.append("\\\\");
                    }
                } else if (ch == '[') {
                    // Java would read '[' inside a class as a nested class; Go's regexp takes it literally.
                    re.append(inClass ? "\\[" : "[");
                    inClass = true;
                    kind = Kind.REGEX;
                } else if (ch == ']') {
                    re.append(']');
                    inClass = false;
                    kind = Kind.REGEX;
                } else if (inClass && ch == '&') {
                    re.append("\\&");
                } else {
                    re.appendCodePoint(ch);
                }
            }
            this.kind = kind;
            if (kind == Kind.REGEX) {
                re.append('$');
                Pattern compiled;
                try {
                    compiled = Pattern.compile(re.toString(), Pattern.UNIX_LINES);
                } catch (PatternSyntaxException e) {
                    compiled = null;
                }
                this.regex = compiled;
            } else {
                this.regex = null;
            }
        }

        boolean matches(String path) {
            String pattern = rule.pattern;
            switch (kind) {
                case EXACT:
                    return path.equals(pattern);
                case PREFIX:
                    return path.startsWith(pattern.substring(0, pattern.length() - 2));
                case SUFFIX: {
                    String suffix = pattern.substring(2);
                    if (path.endsWith(suffix)) {
                        return true;
                    }
                    return suffix.startsWith("/") && path.equals(suffix.substring(1));
                }
                default:
                    if (regex == null) {
                        throw new SlipwayException("invalid .dockerignore pattern \"" + pattern + "\": " + GoGlob.BAD_PATTERN);
                    }
                    return regex.matcher(path).matches();
            }
        }
    }
}
