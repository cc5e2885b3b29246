package dev.slipway.lint;

import java.util.List;

/**
 * A lint rule's description: stable id, default severity, one-line summary and the longer text
 * {@code slipway lint --explain} prints.
 *
 * @param origin       {@code buildkit} for BuildKit's build checks (honouring {@code # check=}),
 *                     {@code slipway} for ours
 * @param hadolint     hadolint ids covering the same mistake; their ignore pragmas silence this rule
 * @param experimental BuildKit experimental rule: runs only when enabled
 * @param fixable      {@code --fix} can rewrite it
 */
public record Rule(String id, Severity severity, String origin, String summary, String explanation, String bad,
                   String good, List<String> hadolint, boolean experimental, boolean fixable) {

    public Rule {
        hadolint = List.copyOf(hadolint);
    }

    /** The full text of {@code --explain}. */
    public String explain() {
        StringBuilder out = new StringBuilder();
        out.append(id).append(" (").append(severity.label()).append(origin.equals("buildkit") ? ", BuildKit check" : "")
                .append(experimental ? ", experimental" : "").append(fixable ? ", fixable with --fix" : "")
                .append(")\n");
        out.append(summary).append("\n\n").append(explanation.strip()).append('\n');
        if (!hadolint.isEmpty()) {
            out.append("\nhadolint: ").append(String.join(", ", hadolint))
                    .append(" (\"# hadolint ignore=").append(hadolint.get(0)).append("\" also silences this rule)\n");
        }
        out.append("\nBad:\n").append(indent(bad)).append("\nGood:\n").append(indent(good));
        return out.toString();
    }

    private static String indent(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.strip().split("\n", -1)) {
            out.append("    ").append(line).append('\n');
        }
        return out.toString();
    }
}
