package dev.slipway.lint;

import dev.slipway.dockerfile.Dockerfile;
import dev.slipway.dockerfile.DockerfileParseException;
import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.Stage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code slipway lint --fix}: rewrites the findings whose fix cannot change what the build does beyond
 * the rule's point: apt's {@code --no-install-recommends} and list cleanup, {@code apk --no-cache},
 * {@code pip --no-cache-dir}, and copying the manifests before a dependency install that directly
 * follows {@code COPY . .}. Anything else is left as it is.
 */
public final class Fixer {
    // Words of the same simple command: anything but a command separator, or a line continuation.
    private static final String SAME_COMMAND = "(?:[^&|;\\n]|\\\\\\n)*?";
    private static final Pattern APT_INSTALL = Pattern.compile(
            "(\\bapt(?:-get)?(?:[ \\t]+-[-\\w=:]+)*[ \\t]+install\\b)(?!" + SAME_COMMAND + "--no-install-recommends)");
    private static final Pattern APK_ADD = Pattern.compile(
            "(\\bapk(?:[ \\t]+-[-\\w=:]+)*[ \\t]+add\\b)(?!" + SAME_COMMAND + "--no-cache)");
    private static final Pattern PIP_INSTALL = Pattern.compile(
            "(\\b(?:pip3?|python3?[ \\t]+-m[ \\t]+pip)(?:[ \\t]+-[-\\w=:]+)*[ \\t]+install\\b)(?!" + SAME_COMMAND
                    + "--no-cache-dir)");

    /**
     * @param text  the rewritten Dockerfile (unchanged when nothing was fixable)
     * @param diff  a unified diff from the old text to the new, empty when unchanged
     * @param fixed how many findings were fixed
     */
    public record Result(String text, String diff, int fixed) {
    }

    private Fixer() {
    }

    public static Result fix(String text, String file, LintConfig config) {
        Dockerfile df;
        try {
            df = DockerfileParser.parse(text, file);
        } catch (DockerfileParseException e) {
            return new Result(text, "", 0);
        }
        List<Finding> findings = Linter.lint(df, text, file, config, null);
        String[] lines = text.split("\n", -1);
        Map<Integer, Instruction> byLine = new HashMap<>();
        Map<Integer, Stage> stageOf = new HashMap<>();
        for (Stage s : df.stages()) {
            for (Instruction i : s.instructions()) {
                byLine.put(i.origin().startLine(), i);
                stageOf.put(i.origin().startLine(), s);
            }
        }
        Map<Integer, String> blocks = new HashMap<>();
        int fixed = 0;
        for (Finding f : findings) {
            if (!(byLine.get(f.line()) instanceof Instruction.Run run) || !run.heredocs().isEmpty()
                    || run.command().execForm()) {
                continue;
            }
            String block = blocks.getOrDefault(f.line(), block(lines, run));
            String changed = switch (f.rule()) {
                case "AptNoInstallRecommends" -> APT_INSTALL.matcher(block).replaceAll("$1 --no-install-recommends");
                case "ApkNoCache" -> APK_ADD.matcher(block).replaceAll("$1 --no-cache");
                case "PipNoCacheDir" -> PIP_INSTALL.matcher(block).replaceAll("$1 --no-cache-dir");
                case "NoAptListsCleanup" -> block.stripTrailing().endsWith("\\") ? block
                        : block.stripTrailing() + " \\\n    && rm -rf /var/lib/apt/lists/*";
                default -> block;
            };
            if (!changed.equals(block)) {
                blocks.put(f.line(), changed);
                fixed++;
            }
        }
        // Edits by first line: [last line, replacement]; a null replacement deletes the lines.
        TreeMap<Integer, Object[]> edits = new TreeMap<>();
        blocks.forEach((line, replacement) -> edits.put(line, new Object[] {byLine.get(line).origin().endLine(),
                replacement}));
        for (Finding f : findings) {
            if (f.rule().equals("CopyBeforeInstall") && reorder(f.line(), byLine, stageOf, lines, edits)) {
                fixed++;
            }
        }
        if (fixed == 0) {
            return new Result(text, "", 0);
        }
        StringBuilder out = new StringBuilder();
        for (int l = 1; l <= lines.length; l++) {
            Object[] edit = edits.get(l);
            if (edit != null) {
                if (edit[1] != null) {
                    out.append((String) edit[1]).append('\n');
                }
                l = (int) edit[0];
                continue;
            }
            out.append(lines[l - 1]);
            if (l < lines.length) {
                out.append('\n');
            }
        }
        String result = out.toString();
        String shown = file.startsWith("/") ? file : "/" + file;
        return new Result(result, Diff.unified(text, result, "a" + shown, "b" + shown), fixed);
    }

    /** Moves an install RUN that directly follows {@code COPY . <dest>} before it, after a COPY of the manifests. */
    private static boolean reorder(int runLine, Map<Integer, Instruction> byLine, Map<Integer, Stage> stageOf,
                                   String[] lines, TreeMap<Integer, Object[]> edits) {
        if (!(byLine.get(runLine) instanceof Instruction.Run run) || !run.heredocs().isEmpty()) {
            return false;
        }
        List<Instruction> list = stageOf.get(runLine).instructions();
        int idx = list.indexOf(run);
        if (idx < 1 || !(list.get(idx - 1) instanceof Instruction.Copy copy) || !PitfallChecks.copiesWholeContext(copy)
                || copy.sources().size() != 1 || !copy.contents().isEmpty()) {
            return false;
        }
        List<ShellScript.Command> commands = PitfallChecks.commands(run);
        String manifests = null;
        for (ShellScript.Command c : commands) {
            String eco = PitfallChecks.dependencyInstall(c);
            if (eco != null) {
                manifests = manifests == null ? PitfallChecks.manifests(eco, c) : manifests;
            } else if (!(c.program().matches("npm|yarn") && c.has("cache") && c.has("clean"))) {
                return false;
            }
        }
        int copyLine = copy.origin().startLine();
        if (manifests == null || edits.containsKey(copyLine)) {
            return false;
        }
        StringBuilder flags = new StringBuilder();
        if (copy.chown() != null) {
            flags.append("--chown=").append(copy.chown()).append(' ');
        }
        if (copy.chmod() != null) {
            flags.append("--chmod=").append(copy.chmod()).append(' ');
        }
        if (copy.link()) {
            flags.append("--link ");
        }
        String dest = copy.dest().endsWith("/") ? copy.dest() : copy.dest().equals(".") ? "./" : copy.dest() + "/";
        Object[] runEdit = edits.get(runLine);
        String runBlock = runEdit != null ? (String) runEdit[1] : block(lines, run);
        String indent = leadingSpace(lines[copyLine - 1]);
        String copyBlock = block(lines, copy);
        String manifestCopy = indent + LintContext.keyword(copy) + " " + flags + manifests + " " + dest;
        edits.put(copyLine, new Object[] {copy.origin().endLine(), manifestCopy + "\n" + runBlock + "\n" + copyBlock});
        edits.put(runLine, new Object[] {run.origin().endLine(), null});
        return true;
    }

    private static String leadingSpace(String line) {
        Matcher m = Pattern.compile("^[ \\t]*").matcher(line);
        return m.find() ? m.group() : "";
    }

    private static String block(String[] lines, Instruction i) {
        StringBuilder out = new StringBuilder();
        for (int l = i.origin().startLine(); l <= i.origin().endLine() && l <= lines.length; l++) {
            out.append(l > i.origin().startLine() ? "\n" : "").append(lines[l - 1]);
        }
        return out.toString();
    }
}
