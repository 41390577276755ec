package io.leadrouter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark's book-keeping, checked on a small run of its scenario 2 over HTTP (real
 * PostgreSQL, Kafka, stub buyer JVM and router JVM). Performance itself is not asserted.
 */
class BenchmarkBooksTest {

    @Test
    @Timeout(120)
    void theBooksOfTheRouterScenarioBalance() throws Exception {
        BenchOptions options = BenchOptions.fromSystemProperties()
                .withLeads(200).withConcurrency(8).withScenarios(List.of(Scenario.ROUTER_HTTP));

        Report report = Benchmark.run(options, "test" + System.currentTimeMillis(), System.out);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        report.print(new PrintStream(printed, true, StandardCharsets.UTF_8));
        String text = printed.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        ScenarioResult result = report.results().get(0);
        assertNull(result.error(), text);
        assertEquals(200, result.accepted(), text);
        assertTrue(result.books().balanced(), text);
        assertEquals(200, result.books().terminalLeads().get("rcp_benchFast1"), text);
        assertEquals(result.books().tableEvents(), result.books().topicEvents(), text);
        assertEquals(200, result.stubRequests().fast(), text);
        assertTrue(report.balanced(), text);
    }
}
