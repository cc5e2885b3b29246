package example;

import com.google.gson.Gson;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints one JSON line: the runtime it runs on and the user, serialized by its one dependency. */
public final class Hello {
    public static void main(String[] args) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("app", "hello-java " + Hello.class.getPackage().getImplementationVersion());
        out.put("java", Runtime.version().toString());
        out.put("vm", System.getProperty("java.vm.name"));
        out.put("user", System.getProperty("user.name"));
        out.put("modules", ModuleLayer.boot().modules().size());
        System.out.println(new Gson().toJson(out));
    }
}
