package dev.slipway.dockerfile;

import java.util.List;

/**
 * One instruction as BuildKit's low-level parser sees it, before typing and validation.
 *
 * @param instruction lower-case instruction name as written (unknown names are kept)
 * @param flags       the leading {@code --flag[=value]} words, quotes and escapes removed
 * @param args        the arguments as the instruction's line parser split them (ENV/LABEL: key, value,
 *                    separator triples; exec form: the JSON elements); never expanded
 * @param json        the arguments were given in exec (JSON array) form
 * @param child       ONBUILD's trigger instruction, else null
 * @param heredocs    here-documents read after the instruction, in order
 * @param original    the instruction's text with continuations joined
 * @param startLine   first physical line (1-based)
 * @param endLine     last physical line consumed, heredoc bodies included
 * @param comments    comment lines directly above the instruction
 */
public record Node(String instruction, List<String> flags, List<String> args, boolean json, Node child,
                   List<Heredoc> heredocs, String original, int startLine, int endLine, List<String> comments) {

    public Node {
        flags = List.copyOf(flags);
        args = List.copyOf(args);
        heredocs = List.copyOf(heredocs);
        comments = List.copyOf(comments);
    }

    /** BuildKit's {@code Node.Dump()} for this instruction, e.g. {@code copy ["--from=a"] "x" "/y"}. */
    public String dump() {
        StringBuilder out = new StringBuilder(instruction);
        if (!flags.isEmpty()) {
            out.append(" [");
            for (int i = 0; i < flags.size(); i++) {
                out.append(i == 0 ? "" : " ").append(GoText.quote(flags.get(i)));
            }
            out.append(']');
        }
        if (child != null) {
            out.append(" (").append(child.dump()).append(')');
        }
        for (String arg : args) {
            out.append(' ').append(GoText.quote(arg));
        }
        return GoText.trimSpace(out.toString());
    }

    Node withPosition(List<Heredoc> docs, int start, int end, List<String> above) {
        return new Node(instruction, flags, args, json, child, docs, original, start, end, above);
    }
}
