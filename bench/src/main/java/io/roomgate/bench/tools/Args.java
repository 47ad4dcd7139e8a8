package io.roomgate.bench.tools;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} arguments with defaults. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value at " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    String str(String name, String def) {
        return values.getOrDefault(name, def);
    }

    int integer(String name, int def) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : def;
    }

    long lng(String name, long def) {
        return values.containsKey(name) ? Long.parseLong(values.get(name).replace("_", "")) : def;
    }
}
