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

    /**
     * Like {@link #assertAbsent}, for a short value or one made of digits only (a state, a zip, a phone
     * number): it counts only where no letter or digit touches it, so that a random id or number in the
     * text that happens to contain it (a temporary folder's name, a port, a key id) is not taken for it.
     */
    public static void assertTokenAbsent(String digits, String text, String where) {
        java.util.regex.Matcher found = java.util.regex.Pattern.compile("(?<![0-9A-Za-z])" + java.util.regex.Pattern.quote(digits)
                + "(?![0-9A-Za-z])").matcher(text);
        if (found.find()) {
            int at = found.start();
            assertTrue(false, digits + " found in " + where + ": …" + text.substring(Math.max(0, at - 200), Math.min(text.length(), at + 200)) + "…");
        }
    }
}
