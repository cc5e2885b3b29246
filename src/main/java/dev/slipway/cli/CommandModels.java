package dev.slipway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.zip.CRC32;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Range;

/**
 * picocli's models of the commands, written once at build time and read back without reflection
 * on annotations. Reading the {@code @Command}, {@code @Option} and {@code @Parameters}
 * annotations made the JDK generate a proxy class per annotation type and parse every annotated
 * member on each start (JDK 17's class-data sharing cannot keep those proxies): about a third of
 * the CPU of a short command such as {@code save} or {@code images}.
 *
 * <p>The build (after compiling, see pom.xml and {@link CommandModelClasses}) builds each command
 * from its annotations as picocli does and writes every attribute of its options and parameters,
 * as picocli resolved them, as the strings of a class of its own ({@link #className}); {@link
 * #commandLine} builds the same model with picocli's programmatic API, binding each option to its
 * field. Classes rather than resources in the jar: the launcher's archive holds them, so a command
 * whose classes all come from the archive never opens the jar (reading its central directory of
 * thousands of entries, then a resource, costs a start several milliseconds). A command the model
 * cannot describe (nested subcommands, argument groups, a mixin with injected specs, custom
 * converters) is left out and built from its annotations, as is every command when its model is
 * missing or does not match the classes: each model records a CRC-32 of the class files it was
 * made from (the command, its superclasses and mixins, SlipwayCommand), so a class compiled again
 * without the models being written (an IDE's build, {@code mvn compile}) is read from its
 * annotations. A class packed in the same jar as the model is not read for that: one build made
 * both (the models are written before the jar is packed), and reading it would open the jar.
 */
final class CommandModels {
    /** The package of the models' classes. */
    static final String PACKAGE = "dev.slipway.cli.models";
    /** The static method of a model's class that returns its keys and values, alternately. */
    static final String METHOD = "keysAndValues";
    static final String ROOT = "slipway";
    /** Between the strings of a list. */
    private static final String SEPARATOR = "\n";
    private static final String UNSPECIFIED = "__unspecified__";

    /** A command's model by name, null when it has none. */
    private final Function<String, Model> source;
    /** The models read so far, each key prefixed with its command's name. */
    private final Properties models = new Properties();
    /** The jar the models read so far were packed in (as a URL), null when not all in one jar. */
    private String jar;

    /** A command's model (with the root's) and the jar it was packed in, null when it was not read from a jar. */
    record Model(Properties keys, String jar) {
    }

    private CommandModels(Function<String, Model> source) {
        this.source = source;
    }

    /** The models of the root command and of every subcommand that can be described, by name. */
    static Map<String, Properties> describeAll() {
        Map<String, Properties> all = new LinkedHashMap<>();
        Properties root = new Properties();
        if (describe(root, ROOT, new CommandLine(new SlipwayCommand()).getCommandSpec())) {
            all.put(ROOT, root);
        }
        SlipwayCommand.COMMANDS.forEach((name, type) -> {
            Properties one = new Properties();
            if (type != CommandLine.HelpCommand.class && !root.isEmpty()
                    && describe(one, name, new CommandLine(type).getCommandSpec())) {
                // With the root's model: a start reads one file.
                one.putAll(root);
                all.put(name, one);
            }
        });
        return all;
    }

    /** The models in the jar (or class directory); a command without one is built from its annotations. */
    static CommandModels load() {
        // A class, not a lambda: linking a lambda's call site costs a start more than this does.
        return new CommandModels(new Function<>() {
            @Override
            public Model apply(String name) {
                return compiled(name);
            }
        });
    }

    /** The class of the command's model: {@code export-oci}'s is {@value #PACKAGE}{@code .Model_export_oci}. */
    static String className(String command) {
        return PACKAGE + ".Model_" + command.replace('-', '_');
    }

    /** Whether the name can be a command's: lower-case letters, digits and dashes, as {@link #className} expects. */
    static boolean commandName(String name) {
        if (name.isEmpty() || name.charAt(0) < 'a' || name.charAt(0) > 'z') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** The model the build compiled for the command, null when there is none. */
    static Model compiled(String name) {
        if (!commandName(name)) {
            return null;
        }
        try {
            Class<?> type = Class.forName(className(name), true, CommandModels.class.getClassLoader());
            String[] pairs = (String[]) type.getMethod(METHOD).invoke(null);
            Properties keys = new Properties();
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                keys.setProperty(pairs[i], pairs[i + 1]);
            }
            String location = location(type);
            return new Model(keys, location != null && location.endsWith(".jar") ? location : null);
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null;
        }
    }

    /** Where the class was loaded from (a jar or a directory, as a URL), null when that is not known. */
    static String location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        return url == null ? null : url.toExternalForm();
    }

    /** Models given by the caller: how the tests check a model that does not match its classes. */
    static CommandModels of(Map<String, Properties> models) {
        return new CommandModels(new Function<>() {
            @Override
            public Model apply(String name) {
                Properties keys = models.get(name);
                return keys == null ? null : new Model(keys, null);
            }
        });
    }

    private boolean read(String name) {
        Model model = source.apply(name);
        if (model == null) {
            return false;
        }
        models.putAll(model.keys());
        jar = model.jar();
        return true;
    }

    /**
     * The root command with the named subcommand (none for null), or null when either model does
     * not match its class: the caller then builds them from the annotations.
     */
    CommandLine commandLine(String subcommand) {
        try {
            if (!read(subcommand == null ? ROOT : subcommand)) {
                return null;
            }
            SlipwayCommand root = new SlipwayCommand();
            CommandSpec rootSpec = build(ROOT, root);
            if (rootSpec == null) {
                return null;
            }
            CommandLine cl = new CommandLine(rootSpec);
            if (subcommand != null) {
                Class<?> type = SlipwayCommand.COMMANDS.get(subcommand);
                if (type == null) {
                    return null;
                }
                Object command = construct(type);
                CommandSpec spec = build(subcommand, command);
                if (spec == null) {
                    return null;
                }
                String parent = models.getProperty(subcommand + ".parent");
                if (!parent.isEmpty()) {
                    field(type, parent).set(command, root);
                }
                cl.addSubcommand(subcommand, new CommandLine(spec));
            }
            return cl;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private CommandSpec build(String name, Object command) throws ReflectiveOperationException {
        Class<?> type = command.getClass();
        if (!type.getName().equals(models.getProperty(name + ".class")) || !unchanged(models.getProperty(name + ".crc"), jar)) {
            return null;
        }
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(name);
        String description = models.getProperty(name + ".description");
        if (!description.isEmpty()) {
            spec.usageMessage().description(strings(description));
        }
        String version = models.getProperty(name + ".version");
        if (!version.isEmpty()) {
            spec.versionProvider((CommandLine.IVersionProvider) construct(Class.forName(version)));
        }
        String specField = models.getProperty(name + ".spec");
        if (!specField.isEmpty()) {
            field(type, specField).set(command, spec);
        }
        int args = Integer.parseInt(models.getProperty(name + ".args"));
        for (int i = 0; i < args; i++) {
            String key = name + ".a." + i + ".";
            Accessor accessor = accessor(command, models.getProperty(key + "field"));
            if (accessor == null) {
                return null;
            }
            if (models.getProperty(key + "kind").equals("option")) {
                spec.addOption(option(key, accessor));
            } else {
                spec.addPositional(positional(key, accessor));
            }
        }
        return spec;
    }

    // OptionSpec.Builder and PositionalParamSpec.Builder share their setters through a class
    // picocli does not make public, so each is set here in full.
    private OptionSpec option(String key, Accessor accessor) throws ClassNotFoundException {
        if (accessor.field == null && type(get(key, "type")) == boolean.class) {
            accessor.value = Boolean.FALSE;
        }
        OptionSpec.Builder b = OptionSpec.builder(strings(get(key, "names")))
                .arity(range(get(key, "arity")))
                .required(bool(key, "required"))
                .interactive(bool(key, "interactive"))
                .echo(bool(key, "echo"))
                .prompt(models.getProperty(key + "prompt"))
                .paramLabel(get(key, "paramLabel"))
                .hideParamSyntax(bool(key, "hideParamSyntax"))
                .description(strings(get(key, "description")))
                .descriptionKey(models.getProperty(key + "descriptionKey"))
                .splitRegex(get(key, "split"))
                .splitRegexSynopsisLabel(get(key, "splitLabel"))
                .hidden(bool(key, "hidden"))
                .defaultValue(models.getProperty(key + "defaultValue"))
                .showDefaultValue(CommandLine.Help.Visibility.valueOf(get(key, "showDefault")))
                .scopeType(CommandLine.ScopeType.valueOf(get(key, "scope")))
                .type(type(get(key, "type")))
                .auxiliaryTypes(types(get(key, "aux")))
                .withToString(get(key, "toString"))
                .getter(accessor)
                .setter(accessor)
                .help(bool(key, "help"))
                .usageHelp(bool(key, "usageHelp"))
                .versionHelp(bool(key, "versionHelp"))
                .negatable(bool(key, "negatable"))
                .fallbackValue(get(key, "fallbackValue"))
                .order(Integer.parseInt(get(key, "order")));
        b.hasInitialValue(true).initialValue(accessor.get());
        return b.build();
    }

    private PositionalParamSpec positional(String key, Accessor accessor) throws ClassNotFoundException {
        PositionalParamSpec.Builder b = PositionalParamSpec.builder()
                .arity(range(get(key, "arity")))
                .required(bool(key, "required"))
                .interactive(bool(key, "interactive"))
                .echo(bool(key, "echo"))
                .prompt(models.getProperty(key + "prompt"))
                .paramLabel(get(key, "paramLabel"))
                .hideParamSyntax(bool(key, "hideParamSyntax"))
                .description(strings(get(key, "description")))
                .descriptionKey(models.getProperty(key + "descriptionKey"))
                .splitRegex(get(key, "split"))
                .splitRegexSynopsisLabel(get(key, "splitLabel"))
                .hidden(bool(key, "hidden"))
                .defaultValue(models.getProperty(key + "defaultValue"))
                .showDefaultValue(CommandLine.Help.Visibility.valueOf(get(key, "showDefault")))
                .scopeType(CommandLine.ScopeType.valueOf(get(key, "scope")))
                .type(type(get(key, "type")))
                .auxiliaryTypes(types(get(key, "aux")))
                .withToString(get(key, "toString"))
                .getter(accessor)
                .setter(accessor)
                .index(range(get(key, "index")));
        b.hasInitialValue(true).initialValue(accessor.get());
        return b.build();
    }

    private String get(String key, String attribute) {
        String value = models.getProperty(key + attribute);
        if (value == null) {
            throw new IllegalStateException("no " + key + attribute);
        }
        return value;
    }

    private boolean bool(String key, String attribute) {
        return Boolean.parseBoolean(get(key, attribute));
    }

    private static Class<?>[] types(String joined) throws ClassNotFoundException {
        String[] names = strings(joined);
        Class<?>[] types = new Class<?>[names.length];
        for (int i = 0; i < names.length; i++) {
            types[i] = type(names[i]);
        }
        return types;
    }

    /** Reads and writes one field of the command (or of a mixin the command holds), or a value of its own. */
    private static final class Accessor implements IGetter, ISetter {
        private final Field field;
        private final Object target;
        private Object value;

        Accessor(Field field, Object target) {
            this.field = field;
            this.target = target;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            try {
                return (T) (field == null ? value : field.get(target));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public <T> T set(T newValue) {
            T old = get();
            if (field == null) {
                value = newValue;
                return old;
            }
            try {
                field.set(target, newValue);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            return old;
        }
    }

    /** The accessor for "" (no field), "FIELD" or "MIXIN.FIELD"; null when a field is missing. */
    private static Accessor accessor(Object command, String path) throws ReflectiveOperationException {
        if (path.isEmpty()) {
            return new Accessor(null, null);
        }
        int dot = path.indexOf('.');
        if (dot < 0) {
            return new Accessor(field(command.getClass(), path), command);
        }
        Field holder = field(command.getClass(), path.substring(0, dot));
        Object mixin = holder.get(command);
        if (mixin == null) {
            mixin = construct(holder.getType());
            holder.set(command, mixin);
        }
        return new Accessor(field(mixin.getClass(), path.substring(dot + 1)), mixin);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }

    private static Object construct(Class<?> type) throws ReflectiveOperationException {
        var constructor = type.getDeclaredConstructor();
        constructor.setAccessible(true);
        return constructor.newInstance();
    }

    private static Class<?> type(String name) throws ClassNotFoundException {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "double" -> double.class;
            default -> Class.forName(name, false, CommandModels.class.getClassLoader());
        };
    }

    private static Range range(String text) {
        String[] p = text.split(SEPARATOR, -1);
        return new Range(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Boolean.parseBoolean(p[2]),
                Boolean.parseBoolean(p[3]), p.length > 4 ? p[4] : null);
    }

    private static String[] strings(String joined) {
        return joined.isEmpty() ? new String[0] : joined.split(SEPARATOR, -1);
    }

    /**
     * Whether each class file of "CLASS=CRC" lines still has that CRC-32; a class packed in the
     * given jar (a URL, or null) is taken as unchanged without reading it.
     */
    static boolean unchanged(String recorded, String jar) {
        if (recorded == null || recorded.isEmpty()) {
            return false;
        }
        for (String entry : strings(recorded)) {
            int eq = entry.indexOf('=');
            if (eq < 0) {
                return false;
            }
            String className = entry.substring(0, eq);
            if (jar != null && jar.equals(location(className))) {
                continue;
            }
            if (!entry.substring(eq + 1).equals(Long.toString(crc(className)))) {
                return false;
            }
        }
        return true;
    }

    /** Where the named class was loaded from, null when it cannot be loaded or that is not known. */
    private static String location(String className) {
        try {
            return location(Class.forName(className, false, CommandModels.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /** The CRC-32 of the class's class file, -1 when it cannot be read. */
    private static long crc(String className) {
        try (InputStream in = CommandModels.class.getModule().getResourceAsStream(className.replace('.', '/') + ".class")) {
            if (in == null) {
                return -1;
            }
            CRC32 crc = new CRC32();
            crc.update(in.readAllBytes());
            return crc.getValue();
        } catch (IOException e) {
            return -1;
        }
    }


    // ---- writing: what picocli built from the annotations ----

    /** Adds the command's model to {@code out}; false (and nothing usable) when it cannot be described. */
    static boolean describe(Properties out, String name, CommandSpec spec) {
        Class<?> type = spec.userObject().getClass();
        if (!spec.subcommands().isEmpty() || !spec.argGroups().isEmpty() || !spec.unmatchedArgsBindings().isEmpty()
                || !defaultSettings(spec) || interpolated(type.getAnnotation(CommandLine.Command.class))) {
            return false;
        }
        out.setProperty(name + ".class", type.getName());
        List<Class<?>> sources = new ArrayList<>();
        sources.add(type);
        out.setProperty(name + ".description", join(spec.usageMessage().description()));
        out.setProperty(name + ".version", spec.versionProvider() == null ? "" : spec.versionProvider().getClass().getName());
        String specField = "";
        String parentField = "";
        for (Field f : type.getDeclaredFields()) {
            if (f.isAnnotationPresent(CommandLine.Spec.class)) {
                specField = f.getName();
            } else if (f.isAnnotationPresent(CommandLine.ParentCommand.class)) {
                parentField = f.getName();
            } else if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                if (!simpleMixin(f.getType())) {
                    return false;
                }
                sources.add(f.getType());
            }
        }
        StringBuilder crcs = new StringBuilder();
        for (Class<?> source : sources) {
            for (Class<?> c = source; c != null && c != Object.class; c = c.getSuperclass()) {
                long crc = crc(c.getName());
                if (crc < 0) {
                    return false;
                }
                crcs.append(crcs.length() == 0 ? "" : SEPARATOR).append(c.getName()).append('=').append(crc);
            }
        }
        out.setProperty(name + ".crc", crcs.toString());
        out.setProperty(name + ".spec", specField);
        out.setProperty(name + ".parent", parentField);
        List<ArgSpec> args = spec.args();
        out.setProperty(name + ".args", Integer.toString(args.size()));
        for (int i = 0; i < args.size(); i++) {
            if (!describe(out, name + ".a." + i + ".", args.get(i), type)) {
                return false;
            }
        }
        return true;
    }

    /** Settings of a command that its model does not carry. */
    private static final Set<String> CARRIED = Set.of("name", "qualifiedName", "description", "mixinStandardHelpOptions",
            "mixins", "mixinAnnotatedElements", "optionsMap", "posixOptionsMap", "negatedOptionsMap", "version", "toString", "hashCode",
            "sectionMap", "sectionKeys");

    /** Whether the command's settings that the model does not carry are picocli's defaults. */
    private static boolean defaultSettings(CommandSpec spec) {
        CommandSpec plain = CommandSpec.create();
        // The version is carried as its provider's class.
        return (spec.versionProvider() != null || spec.version().length == 0)
                && spec.defaultValueProvider() == null && spec.resourceBundle() == null
                && spec.usageMessage().messages() == null
                && spec.preprocessor().getClass().getName().equals("picocli.CommandLine$NoOpParameterPreprocessor")
                && settings(spec).equals(settings(plain))
                && settings(spec.usageMessage()).equals(settings(plain.usageMessage()))
                && settings(spec.parser()).equals(settings(plain.parser()));
    }

    /** The values of the object's getters of plain values. */
    static Map<String, Object> settings(Object o) {
        Map<String, Object> values = new TreeMap<>();
        for (Method m : o.getClass().getMethods()) {
            Class<?> r = m.getReturnType();
            if (m.getParameterCount() != 0 || m.getDeclaringClass() != o.getClass() || CARRIED.contains(m.getName())
                    || !(r.isPrimitive() && r != void.class || r == String.class || r == String[].class || r.isEnum()
                    || r == Character.class || r == Integer.class || r == Boolean.class || Map.class.isAssignableFrom(r))) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                values.put(m.getName(), v instanceof String[] a ? List.of(a) : v);
            } catch (ReflectiveOperationException e) {
                values.put(m.getName(), e.toString());
            }
        }
        return values;
    }

    /** Help-time variables picocli expands when it prints usage, from what the model carries. */
    private static final String[] HELP_VARIABLES = {"${DEFAULT-VALUE}", "${COMPLETION-CANDIDATES}", "${FALLBACK-VALUE}",
            "${MAP-FALLBACK-VALUE}"};

    /**
     * Whether a string of the annotation has a variable picocli expands when it builds the command
     * (a system property, an environment variable): the model would carry its value at build time.
     */
    static boolean interpolated(Annotation annotation) {
        if (annotation == null) {
            return false;
        }
        for (Method m : annotation.annotationType().getDeclaredMethods()) {
            Object value;
            try {
                value = m.invoke(annotation);
            } catch (ReflectiveOperationException e) {
                return true;
            }
            String[] texts = value instanceof String one ? new String[] {one} : value instanceof String[] many ? many : new String[0];
            for (String text : texts) {
                for (String v : HELP_VARIABLES) {
                    text = text.replace(v, "");
                }
                if (text.contains("${")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean simpleMixin(Class<?> mixin) {
        for (Field f : mixin.getDeclaredFields()) {
            if (f.isAnnotationPresent(CommandLine.Spec.class) || f.isAnnotationPresent(CommandLine.ParentCommand.class)
                    || f.isAnnotationPresent(CommandLine.Mixin.class) || f.isAnnotationPresent(CommandLine.ArgGroup.class)) {
                return false;
            }
        }
        return true;
    }

    private static boolean describe(Properties out, String key, ArgSpec arg, Class<?> command) {
        // What the model does not carry (none of Slipway's commands uses it): those commands keep
        // their annotations.
        if (arg.converters().length > 0 || arg.parameterConsumer() != null
                || !arg.preprocessor().getClass().getName().equals("picocli.CommandLine$NoOpParameterPreprocessor")
                || (arg.completionCandidates() != null && !arg.typeInfo().isEnum()) || arg.inherited()
                || arg.mapFallbackValue() == null || !UNSPECIFIED.equals(arg.mapFallbackValue())
                || (arg instanceof OptionSpec o && o.fallbackValue() == null)
                // picocli prompts for an interactive value; the second parse of a usage error would prompt again.
                || arg.interactive()) {
            return false;
        }
        // picocli's own help options name themselves with ${picocli.help.name.0:--h}...: a system
        // property no one sets for Slipway, frozen in the model like the rest of picocli's defaults.
        if (arg.userObject() instanceof Field f && !f.getDeclaringClass().getName().startsWith("picocli.")
                && (interpolated(f.getAnnotation(CommandLine.Option.class))
                || interpolated(f.getAnnotation(CommandLine.Parameters.class)))) {
            return false;
        }
        String path = fieldPath(arg, command);
        if (path == null) {
            return false;
        }
        out.setProperty(key + "field", path);
        if (arg instanceof OptionSpec o) {
            out.setProperty(key + "kind", "option");
            out.setProperty(key + "names", join(o.names()));
            out.setProperty(key + "help", Boolean.toString(o.help()));
            out.setProperty(key + "usageHelp", Boolean.toString(o.usageHelp()));
            out.setProperty(key + "versionHelp", Boolean.toString(o.versionHelp()));
            out.setProperty(key + "negatable", Boolean.toString(o.negatable()));
            out.setProperty(key + "fallbackValue", o.fallbackValue());
            out.setProperty(key + "order", Integer.toString(o.order()));
        } else {
            out.setProperty(key + "kind", "positional");
            out.setProperty(key + "index", range(((PositionalParamSpec) arg).index()));
        }
        out.setProperty(key + "arity", range(arg.arity()));
        out.setProperty(key + "required", Boolean.toString(arg.required()));
        out.setProperty(key + "interactive", Boolean.toString(arg.interactive()));
        out.setProperty(key + "echo", Boolean.toString(arg.echo()));
        put(out, key + "prompt", arg.prompt());
        out.setProperty(key + "paramLabel", arg.paramLabel());
        out.setProperty(key + "hideParamSyntax", Boolean.toString(arg.hideParamSyntax()));
        out.setProperty(key + "description", join(arg.description()));
        put(out, key + "descriptionKey", arg.descriptionKey());
        out.setProperty(key + "split", arg.splitRegex());
        out.setProperty(key + "splitLabel", arg.splitRegexSynopsisLabel());
        out.setProperty(key + "hidden", Boolean.toString(arg.hidden()));
        put(out, key + "defaultValue", arg.defaultValue());
        out.setProperty(key + "showDefault", arg.showDefaultValue().name());
        out.setProperty(key + "scope", arg.scopeType().name());
        out.setProperty(key + "type", arg.type().getName());
        StringBuilder aux = new StringBuilder();
        for (Class<?> c : arg.auxiliaryTypes()) {
            aux.append(aux.length() == 0 ? "" : SEPARATOR).append(c.getName());
        }
        out.setProperty(key + "aux", aux.toString());
        out.setProperty(key + "toString", arg.toString());
        return true;
    }

    /** "FIELD", "MIXIN.FIELD", "" for picocli's own help options; null for anything else. */
    private static String fieldPath(ArgSpec arg, Class<?> command) {
        if (!(arg.userObject() instanceof Field f)) {
            return null;
        }
        if (f.getDeclaringClass() == command) {
            return f.getName();
        }
        if (arg instanceof OptionSpec o && (o.usageHelp() || o.versionHelp())
                && f.getDeclaringClass().getName().startsWith("picocli.")) {
            return "";
        }
        for (Field holder : command.getDeclaredFields()) {
            if (holder.getType() == f.getDeclaringClass() && holder.isAnnotationPresent(CommandLine.Mixin.class)) {
                return holder.getName() + "." + f.getName();
            }
        }
        return null;
    }

    private static String range(Range r) {
        return r.min() + SEPARATOR + r.max() + SEPARATOR + r.isVariable() + SEPARATOR + r.isUnspecified()
                + (r.originalValue() == null ? "" : SEPARATOR + r.originalValue());
    }

    private static String join(String[] strings) {
        return strings == null ? "" : String.join(SEPARATOR, strings);
    }

    /** Null values are left out. */
    private static void put(Properties out, String key, String value) {
        if (value != null) {
            out.setProperty(key, value);
        }
    }
}
