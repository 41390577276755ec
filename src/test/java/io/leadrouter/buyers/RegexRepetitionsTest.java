package io.leadrouter.buyers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The copies counted repetitions make, read before a filter's regex is compiled. */
class RegexRepetitionsTest {

    @Test
    void countsMultiplyWhenNested() {
        assertEquals(1, RegexRepetitions.copies("^[a-z]+@example\\.com$"));
        assertEquals(4, RegexRepetitions.copies("\\d{3}-\\d{4}"), "the larger of two counts side by side");
        assertEquals(500, RegexRepetitions.copies("(a{2}){0,250}(b){0,500}"), "groups side by side do not multiply");
        assertEquals(4, RegexRepetitions.copies("\\d{3}-\\d{2,4}"));
        assertEquals(200, RegexRepetitions.copies("(a{10}){20}"));
        assertEquals(1_000_000_000L, RegexRepetitions.copies("((a{1000}){1000}){1000}"));
        assertEquals(5, RegexRepetitions.copies("(?:ab|c){5,}"));
    }

    @Test
    void bracesThatAreNoCountAndEscapedOnesCountNothing() {
        assertEquals(1, RegexRepetitions.copies("a\\{1000}"));
        assertEquals(1, RegexRepetitions.copies("[{1000}]"));
        assertEquals(1, RegexRepetitions.copies("[]{}]x"));
        assertEquals(1, RegexRepetitions.copies("a{x}"));
        assertEquals(1, RegexRepetitions.copies("unclosed ("));
        assertEquals(1, RegexRepetitions.copies("a)"));
    }
}
