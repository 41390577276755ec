package io.leadrouter.buyers;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many copies of its innermost atom a regular expression's counted repetitions make, read
 * before it is compiled: RE2/J compiles {@code ((a{1000}){1000}){1000}} into a program of a billion
 * instructions and runs out of memory doing it, so such a pattern must be refused unread. Nested
 * counts multiply ({@code (a{10}){20}} is 200 copies); an uncounted {@code *}, {@code +} or {@code ?}
 * makes no copies.
 */
final class RegexRepetitions {

    private static final Pattern COUNT = Pattern.compile("\\{(\\d{1,9})(,(\\d{0,9}))?}");

    private RegexRepetitions() {
    }

    /** The largest number of copies any atom of the pattern is repeated into. */
    static long copies(String regex) {
        Deque<long[]> groups = new ArrayDeque<>();
        groups.push(new long[] {1});
        long lastAtom = 1;
        long largest = 1;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            switch (c) {
                case '\\' -> {
                    i++;
                    lastAtom = 1;
                }
                case '[' -> {
                    i = endOfClass(regex, i);
                    lastAtom = 1;
                }
                case '(' -> {
                    groups.push(new long[] {1});
                    lastAtom = 1;
                }
                case ')' -> lastAtom = groups.size() > 1 ? groups.pop()[0] : 1;
                case '{' -> {
                    Matcher count = COUNT.matcher(regex).region(i, regex.length());
                    if (count.lookingAt()) {
                        long times = Math.max(Long.parseLong(count.group(1)),
                                count.group(3) == null || count.group(3).isEmpty() ? 0 : Long.parseLong(count.group(3)));
                        lastAtom = Math.min(lastAtom * Math.max(times, 1), Long.MAX_VALUE / 1_000_000_000L);
                        i = count.end() - 1;
                    } else {
                        lastAtom = 1;
                    }
                }
                default -> lastAtom = 1;
            }
            long[] group = groups.peek();
            group[0] = Math.max(group[0], lastAtom);
            largest = Math.max(largest, lastAtom);
        }
        return largest;
    }

    /** The index of the ] that closes the class opened at {@code start} (a ] first in the class is a literal). */
    private static int endOfClass(String regex, int start) {
        int i = start + 1;
        if (i < regex.length() && regex.charAt(i) == '^') {
            i++;
        }
        if (i < regex.length() && regex.charAt(i) == ']') {
            i++;
        }
        for (; i < regex.length(); i++) {
            if (regex.charAt(i) == '\\') {
                i++;
            } else if (regex.charAt(i) == ']') {
                return i;
            }
        }
        return regex.length() - 1;
    }
}
