package dev.slipway.lint;

import dev.slipway.dockerfile.Expansion;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.ParseWarning;
import dev.slipway.dockerfile.Stage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** BuildKit's build checks ({@code docker build --check}), under BuildKit's names and messages. */
final class BuildkitChecks {
    private static final Pattern FROM_AS = Pattern.compile("(?is)^\\s*(\\S+)\\s.*\\s(as)\\s+(\\S+)\\s*$");
    private static final Pattern SECRET = Pattern.compile(
            "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)");
    private static final Pattern NOT_SECRET = Pattern.compile("(?i)(?:_|^)(?:public|file|version)(?:_|$)");
    private static final Pattern REFERENCE = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");
    /** Variables that base images commonly set; the linter does not pull images to see their env. */
    static final Set<String> COMMON_IMAGE_ENV = Set.of("PATH", "HOME", "HOSTNAME", "TERM", "LANG", "LC_ALL",
            "JAVA_HOME", "JAVA_VERSION", "GOPATH", "GOLANG_VERSION", "GOROOT", "NODE_VERSION", "YARN_VERSION",
            "PYTHON_VERSION", "PYTHON_PIP_VERSION", "PIP_VERSION", "GPG_KEY", "RUBY_VERSION", "GEM_HOME",
            "BUNDLE_PATH", "BUNDLE_SILENCE_ROOT_WARNING", "BUNDLE_APP_CONFIG", "CARGO_HOME", "RUSTUP_HOME",
            "RUST_VERSION", "MAVEN_HOME", "MAVEN_CONFIG", "GRADLE_HOME", "GRADLE_VERSION", "DOTNET_VERSION",
            "ASPNETCORE_VERSION", "ASPNET_VERSION", "PHP_VERSION", "PHP_INI_DIR", "NGINX_VERSION", "USER",
            "DEBIAN_FRONTEND", "SHELL", "PWD", "UID", "GID");

    private final LintContext ctx;

    BuildkitChecks(LintContext ctx) {
        this.ctx = ctx;
    }

    void run() {
        casing();
        ctx.dockerfile.warnings().stream().filter(w -> w.rule().equals("NoEmptyContinuation"))
                .forEach((ParseWarning w) -> ctx.report("NoEmptyContinuation", w.line(), "Empty continuation line"));
        Set<String> names = new HashSet<>();
        for (Instruction.Arg arg : ctx.dockerfile.metaArgs()) {
            secrets(arg);
            definitionDescription(arg.origin().startLine(), "ARG", arg.args().get(0).name());
        }
        for (Stage stage : ctx.stages) {
            Instruction.From from = stage.from();
            int line = from.origin().startLine();
            if (stage.name() != null) {
                if (!names.add(stage.name())) {
                    ctx.report("DuplicateStageName", line,
                            "Duplicate stage name \"" + stage.name() + "\", stage names should be unique");
                }
                if (stage.name().equals("scratch") || stage.name().equals("context")) {
                    ctx.report("ReservedStageName", line,
                            "Stage name should not use the same name as reserved stage \"" + stage.name() + "\"");
                }
                Matcher m = FROM_AS.matcher(from.origin().text());
                if (m.matches()) {
                    definitionDescription(line, "stage", m.group(3));
                }
            }
            fromArgs(from);
            stageChecks(stage);
        }
    }

    private void casing() {
        List<Instruction> all = new ArrayList<>(ctx.dockerfile.metaArgs());
        for (Stage stage : ctx.stages) {
            all.add(stage.from());
            all.addAll(stage.instructions());
            Matcher m = FROM_AS.matcher(stage.from().origin().text());
            if (stage.name() != null && m.matches()) {
                String written = m.group(3);
                if (!written.equals(written.toLowerCase(Locale.ROOT))) {
                    ctx.report("StageNameCasing", stage.from().origin().startLine(),
                            "Stage name '" + written + "' should be lowercase");
                }
                String from = m.group(1);
                String as = m.group(2);
                boolean fromUpper = from.equals(from.toUpperCase(Locale.ROOT));
                boolean fromLower = from.equals(from.toLowerCase(Locale.ROOT));
                if (fromUpper && !as.equals("AS") || fromLower && !as.equals("as")) {
                    ctx.report("FromAsCasing", stage.from().origin().startLine(),
                            "'" + as + "' and '" + from + "' keywords' casing do not match");
                }
            }
        }
        int upper = 0;
        int lower = 0;
        for (Instruction i : all) {
            String k = LintContext.keyword(i);
            if (k.equals(k.toUpperCase(Locale.ROOT))) {
                upper++;
            } else if (k.equals(k.toLowerCase(Locale.ROOT))) {
                lower++;
            }
        }
        boolean majorityLower = lower > upper;
        for (Instruction i : all) {
            String k = LintContext.keyword(i);
            String wanted = majorityLower ? k.toLowerCase(Locale.ROOT) : k.toUpperCase(Locale.ROOT);
            if (!k.equals(wanted)) {
                ctx.report("ConsistentInstructionCasing", i.origin().startLine(), "Command '" + k
                        + "' should match the case of the command majority (" + (majorityLower ? "lowercase" : "uppercase")
                        + ")");
            }
        }
    }

    private void fromArgs(Instruction.From from) {
        int line = from.origin().startLine();
        Map<String, String> declared = ctx.globalArgs;
        for (String word : new String[] {from.image(), from.platform()}) {
            if (word == null) {
                continue;
            }
            Expansion e = ctx.expansion(word, declared::get);
            if (e == null) {
                continue;
            }
            for (String name : e.unset()) {
                ctx.report("UndefinedArgInFrom", line, "FROM argument '" + name + "' is not declared"
                        + suggestion(name, declared.keySet()));
            }
        }
        if (from.image().contains("$")) {
            String expanded = ctx.expandOrNull(from.image(), declared::get);
            if (expanded != null && (expanded.isEmpty() || !expanded.equals("scratch")
                    && !ctx.stageByName.containsKey(expanded.toLowerCase(Locale.ROOT))
                    && !REFERENCE.matcher(expanded).matches())) {
                ctx.report("InvalidDefaultArgInFrom", line, "Default value for ARG " + from.image()
                        + " results in empty or invalid base image name");
            }
        }
        String platform = from.platform();
        if (platform != null) {
            if (platform.equals("$TARGETPLATFORM") || platform.equals("${TARGETPLATFORM}")) {
                ctx.report("RedundantTargetPlatform", line, "Setting platform to predefined " + platform
                        + " in FROM is redundant as this is the default behavior");
            } else if (!platform.contains("$")) {
                String name = from.stageName() == null ? "" : from.stageName();
                boolean named = false;
                for (String part : platform.toLowerCase(Locale.ROOT).split("/")) {
                    named |= !part.isEmpty() && name.contains(part);
                }
                if (!named) {
                    ctx.report("FromPlatformFlagConstDisallowed", line,
                            "FROM --platform flag should not use constant value \"" + platform + "\"");
                }
            }
        }
    }

    private void stageChecks(Stage stage) {
        Map<String, List<Instruction>> repeated = new LinkedHashMap<>();
        boolean shell = false;
        boolean absoluteWorkdir = false;
        for (Stage s : ctx.chain(stage.index())) {
            if (s == stage) {
                break;
            }
            for (Instruction i : s.instructions()) {
                shell |= i instanceof Instruction.Shell;
                absoluteWorkdir |= i instanceof Instruction.Workdir w && w.path().startsWith("/");
            }
        }
        Set<String> defined = definedBefore(stage);
        for (Instruction i : stage.instructions()) {
            int line = i.origin().startLine();
            undefinedVars(i, defined);
            if (i instanceof Instruction.Cmd c) {
                repeated.computeIfAbsent("CMD", k -> new ArrayList<>()).add(c);
                jsonArgs("CMD", c.command(), shell, line);
            } else if (i instanceof Instruction.Entrypoint e) {
                repeated.computeIfAbsent("ENTRYPOINT", k -> new ArrayList<>()).add(e);
                jsonArgs("ENTRYPOINT", e.command(), shell, line);
            } else if (i instanceof Instruction.Healthcheck h) {
                repeated.computeIfAbsent("HEALTHCHECK", k -> new ArrayList<>()).add(h);
            } else if (i instanceof Instruction.Shell) {
                shell = true;
            } else if (i instanceof Instruction.Maintainer) {
                ctx.report("MaintainerDeprecated", line, "Maintainer instruction is deprecated in favor of using label");
            } else if (i instanceof Instruction.Env e) {
                if (e.legacyForm()) {
                    ctx.report("LegacyKeyValueFormat", line,
                            "\"ENV key=value\" should be used instead of legacy \"ENV key value\" format");
                }
                secrets(e);
            } else if (i instanceof Instruction.Label l) {
                if (l.legacyForm()) {
                    ctx.report("LegacyKeyValueFormat", line,
                            "\"LABEL key=value\" should be used instead of legacy \"LABEL key value\" format");
                }
            } else if (i instanceof Instruction.Arg a) {
                secrets(a);
                definitionDescription(line, "ARG", a.args().get(0).name());
            } else if (i instanceof Instruction.Workdir w) {
                if (!absoluteWorkdir) {
                    String path = ctx.expandOrNull(w.path(), name -> null);
                    if (path != null && !w.path().startsWith("$") && !path.startsWith("/")
                            && !path.matches("[A-Za-z]:[\\\\/].*")) {
                        ctx.report("WorkdirRelativePath", line, "Relative workdir \"" + w.path()
                                + "\" can have unexpected results if the base image changes");
                    }
                    absoluteWorkdir = true;
                }
            } else if (i instanceof Instruction.Expose e) {
                expose(e, line);
            } else if (i instanceof Instruction.Copy c) {
                if (c.from() == null) {
                    copyIgnored(c.sources(), line, "Copy");
                }
            } else if (i instanceof Instruction.Add a) {
                copyIgnored(a.sources(), line, "Add");
            }
        }
        repeated.forEach((kind, list) -> {
            for (int k = 0; k < list.size() - 1; k++) {
                ctx.report("MultipleInstructionsDisallowed", list.get(k).origin().startLine(), "Multiple " + kind
                        + " instructions should not be used in the same stage because only the last one will be used");
            }
        });
    }

    private void expose(Instruction.Expose e, int line) {
        for (String port : e.ports()) {
            int slash = port.indexOf('/');
            String proto = slash < 0 ? "" : port.substring(slash + 1);
            String number = slash < 0 ? port : port.substring(0, slash);
            if (!proto.equals(proto.toLowerCase(Locale.ROOT))) {
                ctx.report("ExposeProtoCasing", line,
                        "Defined protocol '" + port + "' in EXPOSE instruction should be lowercase");
            }
            if (number.contains(":")) {
                ctx.report("ExposeInvalidFormat", line, "EXPOSE instruction should not define an IP "
                        + "address or host-port mapping, found '" + port + "'");
            }
        }
    }

    private void jsonArgs(String kind, Instruction.CommandLine command, boolean shell, int line) {
        if (!command.execForm() && !shell) {
            ctx.report("JSONArgsRecommended", line, "JSON arguments recommended for " + kind
                    + " to prevent unintended behavior related to OS signals");
        }
    }

    /** Names defined when a stage starts: ARGs and ENVs of the stages it is built on. */
    private Set<String> definedBefore(Stage stage) {
        Set<String> defined = new HashSet<>(COMMON_IMAGE_ENV);
        for (Stage s : ctx.chain(stage.index())) {
            if (s == stage) {
                break;
            }
            for (Instruction i : s.instructions()) {
                if (i instanceof Instruction.Env e) {
                    e.vars().forEach(kv -> defined.add(kv.key()));
                } else if (i instanceof Instruction.Arg a) {
                    a.args().forEach(d -> defined.add(d.name()));
                }
            }
        }
        return defined;
    }

    private void undefinedVars(Instruction i, Set<String> defined) {
        List<String> words = new ArrayList<>();
        if (i instanceof Instruction.Copy c) {
            words.addAll(c.sources());
            words.add(c.dest());
            words.add(c.chown());
            words.add(c.chmod());
        } else if (i instanceof Instruction.Add a) {
            words.addAll(a.sources());
            words.add(a.dest());
            words.add(a.chown());
            words.add(a.chmod());
        } else if (i instanceof Instruction.Env e) {
            e.vars().forEach(kv -> words.add(kv.value()));
        } else if (i instanceof Instruction.Label l) {
            l.labels().forEach(kv -> {
                words.add(kv.key());
                words.add(kv.value());
            });
        } else if (i instanceof Instruction.Workdir w) {
            words.add(w.path());
        } else if (i instanceof Instruction.User u) {
            words.add(u.user());
        } else if (i instanceof Instruction.Expose e) {
            words.addAll(e.ports());
        } else if (i instanceof Instruction.Volume v) {
            words.addAll(v.paths());
        } else if (i instanceof Instruction.Stopsignal s) {
            words.add(s.signal());
        } else if (i instanceof Instruction.Arg a) {
            a.args().forEach(d -> words.add(d.defaultValue()));
        }
        int line = i.origin().startLine();
        Set<String> reported = new HashSet<>();
        for (String word : words) {
            if (word == null || !word.contains("$")) {
                continue;
            }
            Expansion e = ctx.expansion(word, name -> defined.contains(name) || LintContext.isGlobalBuiltin(name)
                    ? "x" : null);
            if (e == null) {
                continue;
            }
            for (String name : e.unset()) {
                if (reported.add(name)) {
                    ctx.report("UndefinedVar", line, "Usage of undefined variable '$" + name + "'"
                            + suggestion(name, defined));
                }
            }
        }
        if (i instanceof Instruction.Env e) {
            e.vars().forEach(kv -> defined.add(kv.key()));
        } else if (i instanceof Instruction.Arg a) {
            a.args().forEach(d -> defined.add(d.name()));
        }
    }

    private void secrets(Instruction i) {
        List<String> keys = new ArrayList<>();
        String kind;
        if (i instanceof Instruction.Arg a) {
            a.args().forEach(d -> keys.add(d.name()));
            kind = "ARG";
        } else if (i instanceof Instruction.Env e) {
            e.vars().forEach(kv -> keys.add(kv.key()));
            kind = "ENV";
        } else {
            return;
        }
        for (String key : keys) {
            if (SECRET.matcher(key).find() && !NOT_SECRET.matcher(key).find()) {
                ctx.report("SecretsUsedInArgOrEnv", i.origin().startLine(),
                        "Do not use ARG or ENV instructions for sensitive data (" + kind + " \"" + key + "\")");
            }
        }
    }

    private void copyIgnored(List<String> sources, int line, String verb) {
        if (ctx.dockerIgnore == null || ctx.dockerIgnore.hasExceptions()) {
            return;
        }
        for (String source : sources) {
            if (source.contains("$") || source.contains("://") || source.startsWith("git@")) {
                continue;
            }
            String path = source;
            while (path.startsWith("./") || path.startsWith("/")) {
                path = path.substring(path.startsWith("./") ? 2 : 1);
            }
            path = LintContext.stripSlash(path);
            boolean whole = path.isEmpty() || path.equals(".");
            boolean ignored;
            if (whole) {
                ignored = ctx.dockerIgnore.rules().stream().anyMatch(r -> !r.exception()
                        && (r.pattern().equals("*") || r.pattern().equals("**") || r.pattern().equals("**/*")));
            } else {
                ignored = false;
                for (String p = path; p != null && !ignored; p = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : null) {
                    ignored = ctx.dockerIgnore.excludes(p);
                }
            }
            if (ignored) {
                ctx.report("CopyIgnoredFile", line,
                        "Attempting to " + verb + " file \"" + source + "\" that is excluded by .dockerignore");
            }
        }
    }

    private void definitionDescription(int line, String kind, String name) {
        boolean enabled = ctx.config.experimental().contains("InvalidDefinitionDescription")
                || experimentalDirective().contains("InvalidDefinitionDescription")
                || experimentalDirective().contains("all");
        if (!enabled || line < 2 || line - 2 >= ctx.lines.length) {
            return;
        }
        int l = line - 2;
        if (!ctx.lines[l].stripLeading().startsWith("#")) {
            return;
        }
        int first = l;
        while (first > 0 && ctx.lines[first - 1].stripLeading().startsWith("#")) {
            first--;
        }
        for (int k = first; k <= l; k++) {
            int lineNo = k + 1;
            if (ctx.dockerfile.directives().stream().anyMatch(d -> d.line() == lineNo)) {
                return;
            }
        }
        String comment = ctx.lines[first].stripLeading().substring(1).strip();
        String firstWord = comment.split("\\s+", 2)[0];
        if (!firstWord.equals(name)) {
            ctx.report("InvalidDefinitionDescription", line, "Comment for " + kind
                    + " should follow the format: `# " + name + " <description>`");
        }
    }

    private Set<String> experimentalDirective() {
        Set<String> out = new HashSet<>();
        ctx.dockerfile.directive("check").ifPresent(value -> {
            for (String part : value.split(";")) {
                String[] kv = part.split("=", 2);
                if (kv.length == 2 && kv[0].strip().equals("experimental")) {
                    for (String id : kv[1].split(",")) {
                        out.add(id.strip());
                    }
                }
            }
        });
        return out;
    }

    /** " (did you mean $X?)" when a defined name is close to the undefined one. */
    private static String suggestion(String name, Set<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        Map<String, Integer> seen = new HashMap<>();
        for (String c : candidates) {
            int d = seen.computeIfAbsent(c, x -> distance(name.toLowerCase(Locale.ROOT), x.toLowerCase(Locale.ROOT)));
            if (d < bestDistance || d == bestDistance && best != null && c.compareTo(best) < 0) {
                best = c;
                bestDistance = d;
            }
        }
        return best != null && bestDistance <= Math.max(1, name.length() / 4) && !best.equals(name)
                ? " (did you mean $" + best + "?)" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
