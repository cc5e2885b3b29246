package dev.slipway.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code scan --compare A B}: packages and vulnerabilities only in A, only in B, in both. */
public record ScanComparison(ScanReport a, ScanReport b) {

    private static Map<String, Package> packages(ScanReport r) {
        Map<String, Package> m = new TreeMap<>();
        r.catalog().packages().forEach(p -> m.put(p.key(), p));
        return m;
    }

    private static Map<String, Finding> vulns(ScanReport r) {
        Map<String, Finding> m = new TreeMap<>();
        r.findings().forEach(f -> m.put(f.id() + " " + f.pkg().type().label() + " " + f.pkg().name(), f));
        return m;
    }

    public List<String> packagesOnlyInA() {
        return only(packages(a).keySet(), packages(b).keySet());
    }

    public List<String> packagesOnlyInB() {
        return only(packages(b).keySet(), packages(a).keySet());
    }

    public List<String> packagesInBoth() {
        return both(packages(a).keySet(), packages(b).keySet());
    }

    public List<String> vulnerabilitiesOnlyInA() {
        return only(vulns(a).keySet(), vulns(b).keySet());
    }

    public List<String> vulnerabilitiesOnlyInB() {
        return only(vulns(b).keySet(), vulns(a).keySet());
    }

    public List<String> vulnerabilitiesInBoth() {
        return both(vulns(a).keySet(), vulns(b).keySet());
    }

    private static List<String> only(java.util.Set<String> x, java.util.Set<String> y) {
        List<String> out = new ArrayList<>(x);
        out.removeAll(y);
        return out;
    }

    private static List<String> both(java.util.Set<String> x, java.util.Set<String> y) {
        List<String> out = new ArrayList<>(x);
        out.retainAll(y);
        return out;
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        String an = a.catalog().image();
        String bn = b.catalog().image();
        section(out, "Packages only in " + an, packagesOnlyInA());
        section(out, "Packages only in " + bn, packagesOnlyInB());
        section(out, "Vulnerabilities only in " + an, vulnerabilitiesOnlyInA());
        section(out, "Vulnerabilities only in " + bn, vulnerabilitiesOnlyInB());
        section(out, "Vulnerabilities in both", vulnerabilitiesInBoth());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", an, bn});
        rows.add(new String[] {"packages", String.valueOf(a.catalog().packages().size()),
            String.valueOf(b.catalog().packages().size())});
        rows.add(new String[] {"packages only here", String.valueOf(packagesOnlyInA().size()),
            String.valueOf(packagesOnlyInB().size())});
        rows.add(new String[] {"packages in both", String.valueOf(packagesInBoth().size()),
            String.valueOf(packagesInBoth().size())});
        rows.add(new String[] {"vulnerabilities", String.valueOf(a.findings().size()), String.valueOf(b.findings().size())});
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN)) {
            rows.add(new String[] {"  " + s, String.valueOf(a.totals().get(s)), String.valueOf(b.totals().get(s))});
        }
        out.append(Tables.render(rows));
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<String> items) {
        out.append(title).append(" (").append(items.size()).append(")\n");
        items.forEach(i -> out.append("  ").append(i).append('\n'));
        out.append('\n');
    }
}
