package dev.slipway.lint;

import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.RunMount;
import dev.slipway.dockerfile.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The size, cache and security pitfalls: the rules no other linter covers well, and hadolint's overlaps. */
final class PitfallChecks {
    private static final Pattern ARCHIVE = Pattern.compile(
            "(?i).*\\.(tar|tar\\.gz|tgz|tar\\.bz2|tbz2?|tar\\.xz|txz|gz|bz2|xz|zst|tzst|lz|lzma|tlz|z)$");
    private static final Pattern DEV_REQUIREMENTS = Pattern.compile("(?i).*(dev|test|lint|doc)[^/]*\\.(txt|in)$"
            + "|(?i).*requirements/(dev|test|local)[^/]*$");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "zsh", "ash", "dash", "ksh", "python", "python3",
            "perl", "ruby", "node");
    private static final Set<String> NATIVE_TOOLCHAIN_PACKAGES = Set.of("build-essential", "gcc", "g++", "clang",
            "default-jdk", "default-jdk-headless", "openjdk-8-jdk", "openjdk-11-jdk", "openjdk-17-jdk", "openjdk-21-jdk",
            "openjdk-17-jdk-headless", "openjdk-21-jdk-headless", "openjdk11", "openjdk17", "openjdk21", "maven",
            "gradle", "golang", "golang-go", "go", "rustc", "cargo", "build-base", "alpine-sdk", "python3-dev",
            "libc6-dev", "musl-dev", "java-17-openjdk-devel", "java-21-openjdk-devel", "gcc-c++");

    private final LintContext ctx;

    PitfallChecks(LintContext ctx) {
        this.ctx = ctx;
    }

    void run() {
        images();
        int last = ctx.finalStage();
        toolchain(last);
        rootUser(last);
        scratchCertificates(last);
        for (Stage stage : ctx.stages) {
            copyBeforeInstall(stage);
            copyFrom(stage);
            if (ctx.reachesFinal[stage.index()]) {
                packageCaches(stage);
                devDependencies(stage);
                consecutiveRuns(stage);
            }
            for (Instruction i : stage.instructions()) {
                if (i instanceof Instruction.Add add) {
                    addInsteadOfCopy(add);
                } else if (i instanceof Instruction.Run run) {
                    curlPipe(run);
                }
            }
        }
        deletedLater(last);
        sourceInFinalImage(last);
    }

    private void images() {
        for (Stage stage : ctx.stages) {
            String image = ctx.baseImage[stage.index()];
            int line = stage.from().origin().startLine();
            if (image != null && !image.equals("scratch") && !stage.from().image().contains("$")) {
                ImageName name = ImageName.parse(image);
                if (!name.digest() && name.tag() == null) {
                    ctx.report("ImageUntagged", line, "Image \"" + image + "\" has no tag: pin a version, e.g. "
                            + name.shortName() + ":<version>");
                } else if (!name.digest() && "latest".equals(name.tag())) {
                    ctx.report("ImageLatestTag", line, "Image \"" + image + "\" uses :latest: pin a version");
                }
            }
            if (image != null && !image.equals("scratch")) {
                trusted(image, line);
            }
            for (Instruction i : stage.instructions()) {
                if (i instanceof Instruction.Copy c && c.from() != null && ctx.stageRef(c.from(), stage.index()) < 0
                        && !c.from().contains("$") && (c.from().contains("/") || c.from().contains(":"))) {
                    trusted(c.from(), i.origin().startLine());
                } else if (i instanceof Instruction.Run r) {
                    for (RunMount m : r.mounts()) {
                        if (m.from() != null && ctx.stageRef(m.from(), stage.index()) < 0
                                && (m.from().contains("/") || m.from().contains(":"))) {
                            trusted(m.from(), i.origin().startLine());
                        }
                    }
                }
            }
        }
    }

    private void trusted(String image, int line) {
        List<String> trusted = ctx.config.trustedRegistries();
        if (trusted.isEmpty()) {
            return;
        }
        String registry = ImageName.parse(image).registry();
        for (String t : trusted) {
            String p = t.toLowerCase(Locale.ROOT);
            if (p.equals("*") || p.equals(registry) || p.startsWith("*.") && registry.endsWith(p.substring(1))
                    || (p.equals("docker.io") || p.equals("index.docker.io")) && registry.equals("docker.io")) {
                return;
            }
        }
        ctx.report("UntrustedRegistry", line, "Image \"" + image + "\" comes from registry " + registry
                + ", which is not in the trusted registries " + trusted);
    }

    private void toolchain(int last) {
        String root = ctx.rootImage(last);
        if (root != null && !root.equals("scratch") && !root.contains("$")) {
            String why = ImageName.parse(root).toolchain();
            if (why != null) {
                Stage base = ctx.chain(last).get(0);
                ctx.report("ToolchainFinalImage", base.from().origin().startLine(), "The final image is built on "
                        + root + " (" + why + "); build in a separate stage and copy the result into a slim runtime image");
            }
        }
        for (Stage stage : ctx.chain(last)) {
            for (Instruction i : stage.instructions()) {
                if (i instanceof Instruction.Run run) {
                    for (ShellScript.Command c : commands(run)) {
                        if (isPackageInstall(c)) {
                            for (String pkg : c.operands()) {
                                if (NATIVE_TOOLCHAIN_PACKAGES.contains(pkg.split("[=:]")[0])) {
                                    ctx.report("ToolchainFinalImage", i.origin().startLine(), "Package " + pkg
                                            + " installs a build toolchain into the final image; install it in a build stage");
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean isPackageInstall(ShellScript.Command c) {
        return c.is("apt-get", "install") || c.is("apt", "install") || c.is("apk", "add")
                || c.is("yum", "install") || c.is("dnf", "install") || c.is("microdnf", "install")
                || c.is("zypper", "install", "in");
    }

    private void rootUser(int last) {
        Instruction.User user = null;
        for (Stage stage : ctx.chain(last)) {
            for (Instruction i : stage.instructions()) {
                if (i instanceof Instruction.User u) {
                    user = u;
                }
            }
        }
        if (user == null) {
            ctx.report("RootUser", ctx.stages.get(last).from().origin().startLine(),
                    "The final stage has no USER instruction, so the container runs as root");
            return;
        }
        String name = user.user().split(":", 2)[0];
        if (name.equals("root") || name.equals("0")) {
            ctx.report("RootUser", user.origin().startLine(), "The last USER of the final stage is root");
        }
    }

    private void scratchCertificates(int last) {
        if (!"scratch".equals(ctx.rootImage(last))) {
            return;
        }
        boolean copies = false;
        for (Stage stage : ctx.chain(last)) {
            for (Instruction i : stage.instructions()) {
                List<String> words = new ArrayList<>();
                if (i instanceof Instruction.Copy c) {
                    words.addAll(c.sources());
                    words.add(c.dest());
                } else if (i instanceof Instruction.Add a) {
                    words.addAll(a.sources());
                    words.add(a.dest());
                } else {
                    continue;
                }
                copies = true;
                for (String w : words) {
                    if (w.contains("ca-certificates") || w.contains("/etc/ssl") || w.contains("cacert")
                            || w.contains("/etc/pki")) {
                        return;
                    }
                }
            }
        }
        if (copies) {
            Stage base = ctx.chain(last).get(0);
            ctx.report("ScratchWithoutCaCertificates", base.from().origin().startLine(),
                    "The final image is FROM scratch without CA certificates: HTTPS calls from it will fail");
        }
    }

    /** Install commands that read only manifests (what may move before {@code COPY . .}). */
    static String dependencyInstall(ShellScript.Command c) {
        if ((c.is("npm", "ci") || c.is("npm", "install", "i")) && c.operands().size() == 1) {
            return "npm";
        }
        if (c.is("yarn", "install") || c.program().equals("yarn") && c.operands().isEmpty()) {
            return "yarn";
        }
        if (c.is("pnpm", "install", "i")) {
            return "pnpm";
        }
        if (c.isPip()
                && c.has("install") && (c.has("-r") || c.hasPrefix("--requirement") || c.hasPrefix("-r"))) {
            return "pip";
        }
        if (c.is("go", "mod") && c.has("download")) {
            return "go";
        }
        if ((c.program().equals("mvn") || c.program().equals("mvnw"))
                && c.words().stream().anyMatch(w -> w.startsWith("dependency:"))) {
            return "maven";
        }
        if ((c.program().equals("gradle") || c.program().equals("gradlew")) && c.has("dependencies")) {
            return "gradle";
        }
        if (c.is("bundle", "install") || c.is("composer", "install") || c.is("cargo", "fetch")
                || c.is("poetry", "install") || c.is("pipenv", "install") || c.is("uv", "sync")) {
            return c.program();
        }
        return null;
    }

    /** Manifests to copy before installing, for --fix; null when unknown. */
    static String manifests(String ecosystem, ShellScript.Command c) {
        switch (ecosystem) {
            case "npm":
                return "package*.json";
            case "yarn":
                return "package.json yarn.lock*";
            case "go":
                return "go.mod go.sum*";
            case "maven":
                return "pom.xml";
            case "pip":
                for (int k = 0; k < c.words().size() - 1; k++) {
                    if (c.words().get(k).equals("-r") || c.words().get(k).equals("--requirement")) {
                        String file = c.words().get(k + 1);
                        return file.contains("$") || file.startsWith("/") ? null : file;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    static boolean copiesWholeContext(Instruction i) {
        List<String> sources;
        if (i instanceof Instruction.Copy c && c.from() == null) {
            sources = c.sources();
        } else if (i instanceof Instruction.Add a) {
            sources = a.sources();
        } else {
            return false;
        }
        return sources.stream().anyMatch(s -> s.equals(".") || s.equals("./") || s.equals("/") || s.equals("*"));
    }

    private void copyBeforeInstall(Stage stage) {
        Instruction wholeCopy = null;
        for (Instruction i : stage.instructions()) {
            if (wholeCopy == null && copiesWholeContext(i)) {
                wholeCopy = i;
            } else if (wholeCopy != null && i instanceof Instruction.Run run) {
                for (ShellScript.Command c : commands(run)) {
                    String eco = dependencyInstall(c);
                    if (eco != null) {
                        ctx.report("CopyBeforeInstall", i.origin().startLine(), "\"" + c.text()
                                + "\" runs after the whole context is copied (line " + wholeCopy.origin().startLine()
                                + "), so every source change re-installs dependencies; copy the manifests first,"
                                + " install, then copy the rest");
                        break;
                    }
                }
            }
        }
    }

    private void sourceInFinalImage(int last) {
        Instruction wholeCopy = null;
        for (Instruction i : ctx.stages.get(last).instructions()) {
            if (wholeCopy == null && copiesWholeContext(i)) {
                wholeCopy = i;
            } else if (wholeCopy != null && i instanceof Instruction.Run run) {
                for (ShellScript.Command c : commands(run)) {
                    if (isBuild(c)) {
                        ctx.report("SourceInFinalImage", wholeCopy.origin().startLine(), "The final stage copies the "
                                + "whole context and builds it (\"" + c.text() + "\", line " + i.origin().startLine()
                                + "): sources and build tools ship in the image; build in a separate stage");
                        return;
                    }
                }
            }
        }
    }

    private static boolean isBuild(ShellScript.Command c) {
        return c.is("npm", "run", "run-script") && c.operands().size() > 1 && c.operands().get(1).startsWith("build")
                || c.is("yarn", "build") || c.is("yarn", "run") && c.operands().size() > 1
                && c.operands().get(1).startsWith("build")
                || c.is("go", "build", "install") || c.is("cargo", "build") || c.is("dotnet", "publish", "build")
                || (c.program().equals("mvn") || c.program().equals("mvnw"))
                && (c.has("package") || c.has("install") || c.has("verify"))
                || (c.program().equals("gradle") || c.program().equals("gradlew"))
                && (c.has("build") || c.has("assemble") || c.has("bootJar") || c.has("jar"))
                || c.program().equals("make") || c.program().equals("tsc") || c.program().equals("gcc")
                || c.program().equals("g++") || c.program().equals("javac");
    }

    private void copyFrom(Stage stage) {
        boolean finalReach = ctx.reachesFinal[stage.index()];
        for (Instruction i : stage.instructions()) {
            if (!(i instanceof Instruction.Copy c) || c.from() == null) {
                continue;
            }
            int src = ctx.stageRef(c.from(), stage.index());
            int line = i.origin().startLine();
            if (finalReach) {
                String workdir = src >= 0 ? workdir(src) : null;
                for (String source : c.sources()) {
                    String path = "/" + LintContext.stripSlash(source.replaceFirst("^\\./?", "").replaceFirst("^/+", ""));
                    path = path.equals("//") ? "/" : LintContext.stripSlash(path);
                    if (path.equals("/")) {
                        ctx.report("BroadCopyFrom", line, "COPY --from=" + c.from() + " copies the whole filesystem"
                                + " of " + c.from() + "; copy only the files the final image needs");
                    } else if (workdir != null && !workdir.equals("/") && path.equals(workdir)) {
                        ctx.report("BroadCopyFrom", line, "COPY --from=" + c.from() + " " + source + " copies the"
                                + " whole build directory of stage " + c.from() + " (sources, dependencies, caches);"
                                + " copy the build output instead");
                    }
                }
            }
            if (src >= 0) {
                libc(stage, src, c, line);
            }
        }
    }

    /** The last absolute WORKDIR in a stage's chain, or null. */
    private String workdir(int stage) {
        String dir = null;
        for (Stage s : ctx.chain(stage)) {
            for (Instruction i : s.instructions()) {
                if (i instanceof Instruction.Workdir w && !w.path().contains("$")) {
                    dir = w.path().startsWith("/") ? LintContext.stripSlash(w.path())
                            : dir == null ? null : dir + "/" + LintContext.stripSlash(w.path());
                }
            }
        }
        return dir;
    }

    private void libc(Stage dest, int src, Instruction.Copy copy, int line) {
        String destRoot = ctx.rootImage(dest.index());
        String srcRoot = ctx.rootImage(src);
        if (destRoot == null || srcRoot == null || srcRoot.equals("scratch") || srcRoot.contains("$")) {
            return;
        }
        ImageName d = ImageName.parse(destRoot);
        ImageName s = ImageName.parse(srcRoot);
        boolean cgoOff = false;
        String goBuild = null;
        String nativeBuild = null;
        for (Stage st : ctx.chain(src)) {
            for (Instruction i : st.instructions()) {
                if (i instanceof Instruction.Env e) {
                    for (Instruction.KeyValue kv : e.vars()) {
                        if (kv.key().equals("CGO_ENABLED")) {
                            cgoOff = kv.value().equals("0");
                        }
                    }
                } else if (i instanceof Instruction.Run run) {
                    for (ShellScript.Command c : commands(run)) {
                        boolean inlineOff = c.env().contains("CGO_ENABLED=0")
                                || c.words().stream().anyMatch(w -> w.contains("CGO_ENABLED=0"));
                        if (c.is("go", "build", "install") && !cgoOff && !inlineOff
                                && !c.words().stream().anyMatch(w -> w.contains("-extldflags") && w.contains("static"))) {
                            goBuild = c.text();
                        } else if (c.is("cargo", "build") && !c.words().stream().anyMatch(w -> w.contains("musl"))
                                || c.program().equals("gcc") || c.program().equals("g++") || c.program().equals("make")
                                || c.program().equals("cmake")) {
                            nativeBuild = c.text();
                        }
                    }
                }
            }
        }
        String build = goBuild != null ? goBuild : nativeBuild;
        if (build == null) {
            return;
        }
        if (d.isAlpine() && !s.isAlpine()) {
            ctx.report("LibcMismatch", line, "A program built on glibc (" + srcRoot + ", \"" + build
                    + "\") is copied into the musl image " + destRoot + "; build on Alpine or build statically"
                    + (goBuild != null ? " (CGO_ENABLED=0)" : ""));
        } else if (goBuild != null && d.isScratchLike()) {
            ctx.report("LibcMismatch", line, "A Go build with cgo enabled (\"" + goBuild + "\") is copied into "
                    + destRoot + ", which has no C library; set CGO_ENABLED=0");
        }
    }

    private void packageCaches(Stage stage) {
        boolean pipNoCache = false;
        for (Stage s : ctx.chain(stage.index())) {
            for (Instruction i : s.instructions()) {
                if (i instanceof Instruction.Env e) {
                    for (Instruction.KeyValue kv : e.vars()) {
                        if (kv.key().equals("PIP_NO_CACHE_DIR")) {
                            pipNoCache = truthy(kv.value());
                        }
                    }
                }
            }
            if (s == stage) {
                break;
            }
        }
        boolean pipEnvBefore = false;
        for (Instruction i : stage.instructions()) {
            if (i instanceof Instruction.Env e) {
                for (Instruction.KeyValue kv : e.vars()) {
                    if (kv.key().equals("PIP_NO_CACHE_DIR")) {
                        pipEnvBefore = truthy(kv.value());
                    }
                }
            }
            if (!(i instanceof Instruction.Run run)) {
                continue;
            }
            int line = i.origin().startLine();
            List<ShellScript.Command> cmds = commands(run);
            boolean aptUpdate = false;
            boolean aptListsRemoved = false;
            boolean recommendsMissing = false;
            boolean apkNoCache = false;
            boolean pip = false;
            String npm = null;
            Map<String, Boolean> cleaned = new LinkedHashMap<>();
            for (ShellScript.Command c : cmds) {
                String prog = c.program();
                if ((prog.equals("apt-get") || prog.equals("apt") || prog.equals("aptitude")) && c.is(prog, "update")) {
                    aptUpdate = true;
                }
                if ((c.is("apt-get", "install") || c.is("apt", "install")) && !c.has("--no-install-recommends")
                        && !c.words().stream().anyMatch(w -> w.contains("Install-Recommends=false")
                        || w.contains("Install-Recommends=0"))) {
                    recommendsMissing = true;
                }
                if (prog.equals("rm") && c.words().stream().anyMatch(w -> w.startsWith("/var/lib/apt/lists"))) {
                    aptListsRemoved = true;
                }
                if (c.is("apk", "add") && !c.has("--no-cache")) {
                    apkNoCache = true;
                }
                if (c.isPip()
                        && c.has("install") && !c.has("--no-cache-dir")
                        && !c.env().stream().anyMatch(v -> v.startsWith("PIP_NO_CACHE_DIR=")
                        && truthy(v.substring(17)))) {
                    pip = true;
                }
                if (c.is("npm", "ci", "install", "i")) {
                    npm = npm == null ? c.text() : npm;
                }
                if (c.is("npm", "cache") && c.has("clean") && npm != null) {
                    cleaned.put("npm", true);
                }
                tracked(c, cleaned, "yarn", c.is("yarn", "install") || prog.equals("yarn") && c.operands().isEmpty()
                        || c.is("yarn", "add"), c.is("yarn", "cache") && c.has("clean"));
                tracked(c, cleaned, "yum", c.is("yum", "install", "groupinstall", "localinstall"),
                        c.is("yum", "clean") && c.has("all")
                        || prog.equals("rm") && c.words().stream().anyMatch(w -> w.startsWith("/var/cache/yum")));
                tracked(c, cleaned, "dnf", c.is("dnf", "install", "groupinstall") || c.is("microdnf", "install"),
                        (c.is("dnf", "clean") || c.is("microdnf", "clean")) && c.has("all")
                        || prog.equals("rm") && c.words().stream().anyMatch(w -> w.startsWith("/var/cache/dnf")
                        || w.startsWith("/var/cache/libdnf5") || w.startsWith("/var/cache/yum")));
                tracked(c, cleaned, "zypper", c.is("zypper", "install", "in", "source-install", "si", "patch"),
                        c.is("zypper", "clean", "cc"));
            }
            if (aptUpdate && !aptListsRemoved && !LintContext.cacheMounted(run, "/var/lib/apt/lists", "/var/lib/apt")) {
                ctx.report("NoAptListsCleanup", line, "apt-get update without rm -rf /var/lib/apt/lists/* in the same"
                        + " RUN leaves the package lists in the layer");
            }
            if (recommendsMissing) {
                ctx.report("AptNoInstallRecommends", line,
                        "Avoid additional packages by specifying --no-install-recommends");
            }
            if (apkNoCache && !LintContext.cacheMounted(run, "/var/cache/apk", "/etc/apk/cache")) {
                ctx.report("ApkNoCache", line, "Use apk add --no-cache to keep the package index out of the layer");
            }
            if (pip && !pipNoCache && !pipEnvBefore && !LintContext.cacheMounted(run, "/root/.cache/pip", "/root/.cache",
                    ".cache/pip*")) {
                ctx.report("PipNoCacheDir", line, "Use pip install --no-cache-dir to keep downloaded wheels out of the layer");
            }
            if (npm != null && !cleaned.getOrDefault("npm", false)
                    && !LintContext.cacheMounted(run, "/root/.npm", "/.npm*", "/root/.cache")) {
                ctx.report("NpmCacheNotCleaned", line, "\"" + npm + "\" leaves the npm cache in the layer; add "
                        + "\"&& npm cache clean --force\" or use a cache mount on /root/.npm");
            }
            cacheRule(run, cleaned, "yarn", "YarnCacheNotCleaned", "yarn cache clean",
                    "/usr/local/share/.cache/yarn", ".cache/yarn*", "/root/.yarn");
            cacheRule(run, cleaned, "yum", "YumCacheNotCleaned", "yum clean all", "/var/cache/yum");
            cacheRule(run, cleaned, "dnf", "DnfCacheNotCleaned", "dnf clean all", "/var/cache/dnf", "/var/cache/libdnf5");
            cacheRule(run, cleaned, "zypper", "ZypperCacheNotCleaned", "zypper clean", "/var/cache/zypp");
        }
    }

    /** Records an install (false: not yet cleaned) and a later clean (true); a clean before the install does not count. */
    private static void tracked(ShellScript.Command c, Map<String, Boolean> state, String tool, boolean install,
                                boolean clean) {
        if (install) {
            state.put(tool, false);
        } else if (clean && state.containsKey(tool)) {
            state.put(tool, true);
        }
    }

    private void cacheRule(Instruction.Run run, Map<String, Boolean> state, String tool, String rule, String clean,
                           String... dirs) {
        if (Boolean.FALSE.equals(state.get(tool)) && !LintContext.cacheMounted(run, dirs)) {
            ctx.report(rule, run.origin().startLine(), tool + " install without \"" + clean
                    + "\" after it in the same RUN leaves its cache in the layer");
        }
    }

    private static boolean truthy(String v) {
        return Set.of("1", "true", "on", "yes").contains(v.toLowerCase(Locale.ROOT));
    }

    private void devDependencies(Stage stage) {
        boolean production = false;
        for (Stage s : ctx.chain(stage.index())) {
            for (Instruction i : s.instructions()) {
                if (i instanceof Instruction.Env e) {
                    for (Instruction.KeyValue kv : e.vars()) {
                        if (kv.key().equals("NODE_ENV")) {
                            production = kv.value().equals("production");
                        }
                    }
                } else if (i instanceof Instruction.Arg a && s == stage) {
                    for (Instruction.ArgDef d : a.args()) {
                        if (d.name().equals("NODE_ENV") && "production".equals(d.defaultValue())) {
                            production = true;
                        }
                    }
                } else if (s == stage && i instanceof Instruction.Run run) {
                    for (ShellScript.Command c : commands(run)) {
                        String why = devInstall(c, production);
                        if (why != null) {
                            ctx.report("DevDependenciesInFinalStage", i.origin().startLine(), "\"" + c.text() + "\" "
                                    + why + " in a stage that reaches the final image");
                        }
                    }
                }
            }
        }
    }

    private static String devInstall(ShellScript.Command c, boolean nodeProduction) {
        boolean inlineProduction = c.env().contains("NODE_ENV=production");
        if ((c.is("npm", "ci") || c.is("npm", "install", "i")) && c.operands().size() == 1 && !nodeProduction
                && !inlineProduction && !c.hasPrefix("--omit=dev") && !c.hasPrefix("--only=prod")
                && !c.has("--production") && !c.hasPrefix("--production=true") && !c.has("-g") && !c.has("--global")) {
            return "installs devDependencies (add --omit=dev)";
        }
        if ((c.is("yarn", "install") || c.program().equals("yarn") && c.operands().isEmpty()) && !nodeProduction
                && !inlineProduction && !c.has("--production") && !c.has("--prod") && !c.hasPrefix("--production=true")) {
            return "installs devDependencies (add --production)";
        }
        if (c.isPip()
                && c.has("install")) {
            for (int k = 0; k < c.words().size() - 1; k++) {
                String w = c.words().get(k);
                if ((w.equals("-r") || w.equals("--requirement")) && DEV_REQUIREMENTS.matcher(c.words().get(k + 1)).matches()) {
                    return "installs development requirements";
                }
            }
        }
        if (c.is("poetry", "install") && !c.has("--no-dev") && !c.hasPrefix("--only") && !c.hasPrefix("--without")) {
            return "installs the dev dependency group (add --only main)";
        }
        if (c.is("pipenv", "install") && c.has("--dev")) {
            return "installs dev packages";
        }
        if (c.is("composer", "install") && !c.has("--no-dev")) {
            return "installs require-dev packages (add --no-dev)";
        }
        return null;
    }

    private void consecutiveRuns(Stage stage) {
        List<Instruction> all = stage.instructions();
        int k = 0;
        while (k < all.size()) {
            int end = k;
            while (end < all.size() && shortRun(all.get(end)) && mounts(all.get(end)).equals(mounts(all.get(k)))) {
                end++;
            }
            if (end - k >= 3) {
                ctx.report("ConsecutiveRuns", all.get(k).origin().startLine(), (end - k) + " consecutive RUN "
                        + "instructions (lines " + all.get(k).origin().startLine() + "-"
                        + all.get(end - 1).origin().startLine() + ") could be one");
            }
            k = Math.max(end, k + 1);
        }
    }

    private static boolean shortRun(Instruction i) {
        return i instanceof Instruction.Run run && run.heredocs().isEmpty() && commands(run).size() <= 2;
    }

    private static List<String> mounts(Instruction i) {
        return ((Instruction.Run) i).mounts().stream().map(RunMount::spec).toList();
    }

    private void addInsteadOfCopy(Instruction.Add add) {
        if (add.checksum() != null || add.keepGitDir() || !add.contents().isEmpty()) {
            return;
        }
        for (String s : add.sources()) {
            if (s.contains("://") || s.startsWith("git@") || s.endsWith(".git") || ARCHIVE.matcher(s).matches()
                    || s.contains("$")) {
                return;
            }
        }
        ctx.report("AddInsteadOfCopy", add.origin().startLine(), "Use COPY instead of ADD for files and folders");
    }

    private void curlPipe(Instruction.Run run) {
        List<ShellScript.Command> cmds = commands(run);
        for (int k = 1; k < cmds.size(); k++) {
            ShellScript.Command c = cmds.get(k);
            String prev = cmds.get(k - 1).program();
            if (c.pipedFrom() && SHELLS.contains(c.program()) && (prev.equals("curl") || prev.equals("wget"))) {
                ctx.report("CurlPipeShell", run.origin().startLine(), "A script downloaded with " + prev
                        + " is piped into " + c.program() + " without verification");
                return;
            }
        }
    }

    private void deletedLater(int last) {
        Map<String, Integer> added = new LinkedHashMap<>();
        for (Stage stage : ctx.chain(last)) {
            String workdir = "/";
            for (Instruction i : stage.instructions()) {
                int line = i.origin().startLine();
                if (i instanceof Instruction.Workdir w && !w.path().contains("$")) {
                    workdir = resolve(workdir, w.path());
                } else if (i instanceof Instruction.Copy || i instanceof Instruction.Add) {
                    List<String> sources = i instanceof Instruction.Copy c ? c.sources() : ((Instruction.Add) i).sources();
                    String dest = i instanceof Instruction.Copy c ? c.dest() : ((Instruction.Add) i).dest();
                    if (dest.contains("$")) {
                        continue;
                    }
                    String target = resolve(workdir, dest);
                    if (dest.endsWith("/") || sources.size() > 1 || dest.equals(".")) {
                        for (String s : sources) {
                            String base = LintContext.stripSlash(s);
                            base = base.substring(base.lastIndexOf('/') + 1);
                            if (base.isEmpty() || base.equals(".")) {
                                added.put(target, line);
                            } else if (!base.contains("*")) {
                                added.put(resolve(target, base), line);
                            }
                        }
                    } else {
                        added.put(target, line);
                    }
                } else if (i instanceof Instruction.Run run) {
                    for (ShellScript.Command c : commands(run)) {
                        if (c.program().equals("rm")) {
                            for (String arg : c.operands()) {
                                if (arg.contains("$")) {
                                    continue;
                                }
                                String path = resolve(workdir, arg.endsWith("/*") ? arg.substring(0, arg.length() - 2) : arg);
                                for (Map.Entry<String, Integer> e : added.entrySet()) {
                                    if (e.getValue() < line && (e.getKey().equals(path)
                                            || e.getKey().startsWith(path.equals("/") ? "/" : path + "/"))) {
                                        ctx.report("DeletedInLaterLayer", line, "\"" + e.getKey() + "\" was added at"
                                                + " line " + e.getValue() + " and is deleted here; its bytes stay in"
                                                + " the layer of line " + e.getValue());
                                        break;
                                    }
                                }
                            }
                        }
                    }
                    for (ShellScript.Command c : commands(run)) {
                        String out = downloadTarget(c);
                        if (out != null && !out.contains("$")) {
                            added.put(resolve(workdir, out), line);
                        }
                    }
                }
            }
        }
    }

    private static String downloadTarget(ShellScript.Command c) {
        List<String> w = c.words();
        for (int k = 0; k < w.size() - 1; k++) {
            if (c.program().equals("curl") && (w.get(k).equals("-o") || w.get(k).equals("--output")
                    || w.get(k).matches("-[a-zA-Z]*o")) || c.program().equals("wget") && w.get(k).equals("-O")) {
                String out = w.get(k + 1);
                return out.equals("-") || out.startsWith("/dev/") ? null : out;
            }
        }
        return null;
    }

    private static String resolve(String dir, String path) {
        String p = path.startsWith("/") ? path : (dir.endsWith("/") ? dir : dir + "/") + path;
        List<String> parts = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
            } else {
                parts.add(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static final Map<Instruction.Run, List<ShellScript.Command>> CACHE =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The RUN's simple commands (cached: several rules read each RUN). */
    static List<ShellScript.Command> commands(Instruction.Run run) {
        List<ShellScript.Command> cached = CACHE.get(run);
        if (cached == null) {
            String script = LintContext.script(run);
            cached = script == null ? List.of() : ShellScript.parse(script).commands();
            CACHE.put(run, cached);
        }
        return cached;
    }
}
