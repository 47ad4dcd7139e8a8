package io.roomgate.app.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The one summary line per part of issue 9 ("reliability: fuzz: 10000 requests, 0 5xx, ..."):
 * printed to stdout and kept in {@code app/target/reliability-summary.txt} (one line per part,
 * a later run of a part replaces its line) so the README can quote a real run.
 */
public final class Summary {

    private Summary() {
    }

    public static synchronized void line(String part, String text) {
        String line = "reliability: " + part + ": " + text;
        System.out.println(line);
        Path file = file();
        try {
            Files.createDirectories(file.getParent());
            TreeMap<String, String> lines = new TreeMap<>();
            if (Files.exists(file)) {
                for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    String[] parts = l.split(": ", 3);
                    if (parts.length == 3) {
                        lines.put(parts[1], l);
                    }
                }
            }
            lines.put(part, line);
            Files.write(file, new ArrayList<>(lines.values()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code app/target/reliability-summary.txt}, whatever the working directory of the test JVM. */
    public static Path file() {
        Path base = Path.of(System.getProperty("basedir", "."));
        if (!Files.exists(base.resolve("src/test/java/io/roomgate/app")) && Files.exists(base.resolve("app/src"))) {
            base = base.resolve("app");
        }
        return base.resolve("target").resolve("reliability-summary.txt");
    }

    public static List<String> read() throws IOException {
        return Files.exists(file()) ? Files.readAllLines(file()) : List.of();
    }
}
