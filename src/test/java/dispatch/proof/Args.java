package dispatch.proof;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name=value} arguments of the proof's mains; unknown names stop the process. */
record Args(Map<String, String> values) {

    static Args parse(String[] args, String... known) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (kv.length != 2 || !Set.of(known).contains(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + Set.of(known));
            }
            values.put(kv[0], kv[1]);
        }
        return new Args(values);
    }

    String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing argument --" + name + "=...");
        }
        return value;
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }
}
