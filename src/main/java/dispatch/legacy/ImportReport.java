package dispatch.legacy;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What an import read, wrote and could not map: counts by table, and each unmapped reason with examples. */
final class ImportReport {

    private static final int EXAMPLES = 10;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, List<String>> unmapped = new TreeMap<>();
    private final Map<String, Long> unmappedCounts = new TreeMap<>();

    void count(String what, long n) {
        counts.merge(what, n, Long::sum);
    }

    long count(String what) {
        return counts.getOrDefault(what, 0L);
    }

    /** Something kept without a value it had in the old database (or not kept), e.g. an unknown pole code. */
    void unmapped(String reason, String example) {
        unmappedCounts.merge(reason, 1L, Long::sum);
        List<String> examples = unmapped.computeIfAbsent(reason, r -> new ArrayList<>());
        if (examples.size() < EXAMPLES) examples.add(example);
    }

    Map<String, Long> unmappedCounts() {
        return unmappedCounts;
    }

    void print(PrintStream out, boolean dryRun) {
        out.println(dryRun ? "legacy-import (dry run: nothing was written)" : "legacy-import");
        counts.forEach((what, n) -> out.printf("  %-34s %,d%n", what, n));
        if (unmapped.isEmpty()) {
            out.println("Everything was mapped.");
            return;
        }
        out.println("Not mapped (kept without the value, or not imported):");
        unmapped.forEach((reason, examples) ->
                out.printf("  %,d × %s; e.g. %s%n", unmappedCounts.get(reason), reason, String.join(", ", examples)));
    }
}
