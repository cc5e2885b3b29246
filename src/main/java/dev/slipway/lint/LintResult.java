package dev.slipway.lint;

import java.util.List;

/**
 * The findings for one Dockerfile, sorted by line then rule.
 *
 * @param file the path as given
 */
public record LintResult(String file, List<Finding> findings) {
    public LintResult {
        findings = List.copyOf(findings);
    }

    /** Whether any finding is at least as severe as the threshold. */
    public boolean fails(Severity threshold) {
        return findings.stream().anyMatch(f -> f.severity().meets(threshold));
    }
}
