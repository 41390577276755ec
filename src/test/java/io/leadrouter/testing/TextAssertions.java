package io.leadrouter.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Assertions on what a log, a table or a topic holds. */
public final class TextAssertions {

    private TextAssertions() {
    }

    /** Fails showing where {@code value} appears in {@code text}, and some of what surrounds it. */
    public static void assertAbsent(String value, String text, String where) {
        int at = text.indexOf(value);
        assertTrue(at < 0, value + " found in " + where + ": …" + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 200)) + "…");
    }
}
