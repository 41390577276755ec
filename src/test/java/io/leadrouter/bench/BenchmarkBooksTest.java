package io.leadrouter.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.testing.JavaProcess;
import io.leadrouter.testing.RouterUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark's book-keeping, checked on one small run of the router over HTTP and of its peer,
 * the camel-proxy (real PostgreSQL, Kafka, stub buyer JVM, router JVM and proxy JVM). Performance
 * itself is not asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BenchmarkBooksTest {

    private static final int LEADS = 300;

    private Report report;
    private String printed;

    @BeforeAll
    @Timeout(300) // two JVMs start cold on a shared 2-core machine
    void runTheRouterAndItsPeer() throws Exception {
        BenchOptions options = BenchOptions.fromSystemProperties()
                .withLeads(LEADS).withConcurrency(8).withScenarios(List.of(Scenario.CAMEL_PROXY, Scenario.ROUTER_HTTP));
        // the router and proxy JVMs live for seconds: started and stopped as the other tests' routers are
        // (the books are checked before the stop, and performance is not asserted)
        String given = System.getProperty("bench.routerJvm");
        System.setProperty("bench.routerJvm", Stream.concat(Stream.of(JavaProcess.SHORT_LIVED, given == null ? "" : given),
                RouterUnderTest.QUICK_STOP.entrySet().stream().map(setting -> "-D" + setting.getKey() + "=" + setting.getValue()))
                .collect(Collectors.joining(" ")));
        try {
            report = Benchmark.run(options, "test" + System.currentTimeMillis(), System.out);
        } finally {
            if (given == null) {
                System.clearProperty("bench.routerJvm");
            } else {
                System.setProperty("bench.routerJvm", given);
            }
        }
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        report.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        printed = text.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
    }

    @Test
    void theBooksOfTheRouterScenarioBalance() {
        ScenarioResult result = result("router-http");
        assertNull(result.error(), printed);
        assertEquals(LEADS, result.accepted(), printed);
        assertTrue(result.books().balanced(), printed);
        assertEquals(LEADS, result.books().terminalLeads().get("rcp_benchFast1"), printed);
        assertEquals(result.books().tableEvents(), result.books().topicEvents(), printed);
        assertEquals(LEADS, result.stubRequests().fast(), printed);
        assertTrue(report.balanced(), printed);
    }

    /** Its books check that every answer is one request at the stub buyer, with the router's payload bytes. */
    @Test
    void theCamelProxyDeliversEveryLeadAsTheRouterWould() {
        ScenarioResult result = result("camel-proxy");
        assertNull(result.error(), printed);
        assertEquals(LEADS, result.accepted(), printed);
        assertEquals(LEADS, result.stubRequests().fast(), printed);
        assertTrue(result.books().balanced(), printed);
        assertTrue(result.cpuSecondsPer1000Leads() > 0, printed);
        assertTrue(result.router().peakHeapUsedMiB() > 0, printed);
    }

    private ScenarioResult result(String scenario) {
        return report.results().stream().filter(r -> r.scenario().equals(scenario)).findFirst().orElseThrow();
    }
}
