package io.roomgate.bench.tools;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Summarises a JFR recording's CPU samples (jdk.ExecutionSample): the share of samples whose
 * top frame is a method ("self"), and the share of samples with a method anywhere on the stack
 * ("total", each method counted once per sample), optionally only for threads whose name
 * contains {@code --thread}.
 * Samples with a frame containing {@code --exclude} (e.g. a benchmark's set-up) are dropped.
 * <pre>JfrTop FILE [--top N] [--thread http-nio] [--match io.roomgate,org.h2,com.nimbusds] [--exclude setUp]</pre>
 */
public final class JfrTop {

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 1);
        int top = a.integer("top", 25);
        String thread = a.str("thread", "");
        List<String> match = List.of(a.str("match", "").split(","));
        String exclude = a.str("exclude", "");
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(Path.of(argv[0]))) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            var t = e.getThread("sampledThread");
            String name = t == null ? "" : String.valueOf(t.getJavaName());
            if (!name.contains(thread)) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            List<RecordedFrame> frames = st.getFrames();
            if (!exclude.isEmpty() && frames.stream().anyMatch(f -> method(f).contains(exclude))) {
                continue;
            }
            samples++;
            self.merge(method(frames.get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : frames) {
                String m = method(f);
                if (seen.add(m)) {
                    total.merge(m, 1, Integer::sum);
                }
            }
        }
        System.out.printf("JFR %s: %d execution samples%s%n", argv[0], samples, thread.isEmpty() ? "" : " on threads *" + thread + "*");
        print("self (top frame)", self, samples, top, List.of(""));
        print("total (on stack), filtered to " + match, total, samples, top, match);
    }

    private static void print(String title, Map<String, Integer> counts, int samples, int top, List<String> match) {
        System.out.println("-- " + title);
        counts.entrySet().stream()
                .filter(e -> match.stream().anyMatch(m -> e.getKey().startsWith(m)))
                .sorted((x, y) -> y.getValue() - x.getValue()).limit(top)
                .forEach(e -> System.out.printf("%6.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()));
    }

    private static String method(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }
}
