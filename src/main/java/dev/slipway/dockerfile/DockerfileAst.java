package dev.slipway.dockerfile;

import java.util.List;

/**
 * The result of the low-level parse: instructions in file order, the parser directives found at the
 * top, the escape character in force and the warnings BuildKit's parser would print.
 */
public record DockerfileAst(List<Node> nodes, List<Directive> directives, char escapeToken,
                            List<ParseWarning> warnings) {

    public DockerfileAst {
        nodes = List.copyOf(nodes);
        directives = List.copyOf(directives);
        warnings = List.copyOf(warnings);
    }

    /** BuildKit's root {@code Node.Dump()}: one parenthesised instruction per line, no final newline. */
    public String dump() {
        StringBuilder out = new StringBuilder();
        for (Node node : nodes) {
            out.append('(').append(node.dump()).append(")\n");
        }
        return GoText.trimSpace(out.toString());
    }

    public int startLine() {
        return nodes.get(0).startLine();
    }

    public int endLine() {
        return nodes.get(nodes.size() - 1).endLine();
    }
}
