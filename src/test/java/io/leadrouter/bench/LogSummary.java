package io.leadrouter.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a router log says about a run: how many ERROR and WARN lines, and the most frequent
 * messages (with lead ids and numbers blanked out, so that one problem counts once).
 */
record LogSummary(int errors, int warnings, int exceptions, List<String> topMessages) {

    static LogSummary of(List<String> lines) {
        int errors = 0;
        int warnings = 0;
        int exceptions = 0;
        Map<String, Integer> messages = new LinkedHashMap<>();
        for (String line : lines) {
            boolean error = line.contains(" ERROR ");
            boolean warning = line.contains(" WARN ");
            if (error) {
                errors++;
            }
            if (warning) {
                warnings++;
            }
            if (line.startsWith("Caused by:") || line.matches("^[a-zA-Z0-9_.$]+(Exception|Error)(: .*)?$")) {
                exceptions++;
            }
            if (error || warning) {
                messages.merge(normalise(line), 1, Integer::sum);
            }
        }
        List<String> top = new ArrayList<>();
        messages.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
                .limit(5)
                .forEach(e -> top.add(e.getValue() + "x " + e.getKey()));
        return new LogSummary(errors, warnings, exceptions, top);
    }

    /** Drops the timestamp and thread, and blanks ids and numbers. */
    private static String normalise(String line) {
        String text = line.replaceFirst("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ", "").replaceFirst("\\[[^\\]]*\\] ", "");
        text = text.replaceAll("lead_[A-Za-z0-9]{16}", "lead_…").replaceAll("\\d+", "N");
        return text.length() > 220 ? text.substring(0, 220) + "…" : text;
    }

    String brief() {
        return errors + " ERROR, " + warnings + " WARN" + (exceptions > 0 ? ", " + exceptions + " exception lines" : "");
    }
}
