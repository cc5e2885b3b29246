package dev.slipway.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rough reading of a RUN script: simple commands split at {@code && || ; | &} and newlines, with
 * quotes removed. Good enough to recognise package managers and their flags; not a shell.
 */
final class ShellScript {

    /**
     * One simple command.
     *
     * @param words     the words, environment assignments and {@code sudo} removed
     * @param env       the {@code NAME=value} assignments before the command
     * @param pipedFrom the previous command's output is piped into this one
     */
    record Command(List<String> words, List<String> env, boolean pipedFrom) {
        String program() {
            if (words.isEmpty()) {
                return "";
            }
            String w = words.get(0);
            int slash = w.lastIndexOf('/');
            return slash >= 0 ? w.substring(slash + 1) : w;
        }

        String arg(int i) {
            return i < words.size() ? words.get(i) : "";
        }

        boolean has(String word) {
            return words.contains(word);
        }

        boolean hasPrefix(String prefix) {
            return words.stream().anyMatch(w -> w.startsWith(prefix));
        }

        /** Words after the first that do not start with '-'. */
        List<String> operands() {
            List<String> out = new ArrayList<>();
            for (int i = 1; i < words.size(); i++) {
                if (!words.get(i).startsWith("-")) {
                    out.add(words.get(i));
                }
            }
            return out;
        }

        /** Whether the program is {@code name} and its first operand (the sub-command) is one of {@code subs}. */
        boolean is(String name, String... subs) {
            if (!program().equals(name)) {
                return false;
            }
            if (subs.length == 0) {
                return true;
            }
            List<String> ops = operands();
            String sub = ops.isEmpty() ? "" : ops.get(0);
            for (String s : subs) {
                if (s.equals(sub)) {
                    return true;
                }
            }
            return false;
        }

        /** pip, pip3, pip3.12 or python -m pip. */
        boolean isPip() {
            String p = program();
            return PIP.matcher(p).matches() || p.startsWith("python") && has("pip");
        }

        String text() {
            return String.join(" ", words);
        }
    }

    private static final java.util.regex.Pattern ASSIGNMENT = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    private static final java.util.regex.Pattern PIP = java.util.regex.Pattern.compile("pip3?(\\.[0-9]+)?");

    private final List<Command> commands;

    private ShellScript(List<Command> commands) {
        this.commands = List.copyOf(commands);
    }

    List<Command> commands() {
        return commands;
    }

    static ShellScript parse(String script) {
        List<Command> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        boolean piped = false;
        int n = script.length();
        int i = 0;
        while (i < n) {
            char c = script.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char next = script.charAt(i + 1);
                if (next == '\n') {
                    i += 2;
                    continue;
                }
                word = word == null ? new StringBuilder() : word;
                word.append(next);
                i += 2;
            } else if (c == '\'' || c == '"') {
                word = word == null ? new StringBuilder() : word;
                int end = script.indexOf(c, i + 1);
                end = end < 0 ? n : end;
                word.append(script, i + 1, end);
                i = end + 1;
            } else if (c == '#' && word == null) {
                int end = script.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                word = flush(words, word);
                i++;
            } else if (c == '\n' || c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '{' && word == null
                    || c == '}' && word == null) {
                word = flush(words, word);
                boolean pipe = c == '|' && (i + 1 >= n || script.charAt(i + 1) != '|');
                if (c == '&' && i > 0 && script.charAt(i - 1) == '>' || c == '&' && i + 1 < n
                        && script.charAt(i + 1) == '>') {
                    // redirections such as 2>&1 and &>/dev/null belong to the command
                    i++;
                    continue;
                }
                addCommand(out, words, piped);
                words = new ArrayList<>();
                piped = pipe;
                i += (c == '&' || c == '|') && i + 1 < n && script.charAt(i + 1) == c ? 2 : 1;
            } else if (c == '$' && i + 1 < n && script.charAt(i + 1) == '(') {
                // command substitution: read its commands too, so nothing inside hides
                word = flush(words, word);
                addCommand(out, words, piped);
                words = new ArrayList<>();
                piped = false;
                i += 2;
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
                i++;
            }
        }
        flush(words, word);
        addCommand(out, words, piped);
        return new ShellScript(out);
    }

    private static StringBuilder flush(List<String> words, StringBuilder word) {
        if (word != null) {
            words.add(word.toString());
        }
        return null;
    }

    private static void addCommand(List<Command> out, List<String> words, boolean piped) {
        List<String> env = new ArrayList<>();
        int start = 0;
        while (start < words.size()) {
            String w = words.get(start);
            if (ASSIGNMENT.matcher(w).matches()) {
                env.add(w);
                start++;
            } else if (w.equals("sudo") || w.equals("exec") || w.equals("command") || w.equals("then")
                    || w.equals("do") || w.equals("else") || w.equals("!") || w.equals("time")) {
                start++;
            } else if (w.equals("env") && start + 1 < words.size()) {
                start++;
            } else {
                break;
            }
        }
        if (start < words.size() || !env.isEmpty()) {
            out.add(new Command(List.copyOf(words.subList(start, words.size())), env, piped));
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
