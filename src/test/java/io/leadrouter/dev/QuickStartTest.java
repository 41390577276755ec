package io.leadrouter.dev;

import static io.leadrouter.testing.RouterUnderTest.ofType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadrouter.testing.FirehoseReader;
import io.leadrouter.testing.RouterUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.component.kafka.KafkaComponent;
import org.junit.jupiter.api.Test;

/**
 * What a newcomer does after cloning: the router with nothing configured (embedded PostgreSQL,
 * embedded Kafka, sandbox buyers), the sample buyer files of buyers/, and the README's sample lead.
 */
class QuickStartTest {

    @Test
    void theReadmeSampleLeadProducesDeliveredAndFailedEventsInTheApiAndOnTheTopic() throws Exception {
        int sandboxPort = RouterUnderTest.freePort();
        Path buyers = Files.createTempDirectory("sample-buyers");
        try (Stream<Path> samples = Files.list(Path.of("buyers"))) {
            for (Path sample : samples.toList()) {
                // as they are: their {{leadrouter.sandbox.url}} follows this test's sandbox port
                Files.copy(sample, buyers.resolve(sample.getFileName()));
            }
        }
        try (RouterUnderTest router = RouterUnderTest.builder().embedded().buyersDir(buyers)
                .property("leadrouter.sandbox.enabled", "auto")
                .property("leadrouter.sandbox.port", String.valueOf(sandboxPort))
                .property("leadrouter.events.kafka-topic", "recipient-events")
                .start()) {
            router.awaitBuyer("rcp_5L2nK9mR3x8B4Q7p");
            router.awaitBuyer("rcp_8Q3vT6wZ1y4D7H2k");
            router.awaitBuyer("rcp_2B7nX4cV9m1L6P3s");

            String leadId = router.postLead(readmeSampleLead());
            // premier buys, standard rejects as a duplicate, budget fails three times (503)
            JsonNode events = router.awaitOutcomes(leadId, 3);

            JsonNode delivered = ofType(events, "recipient.delivered").get(0);
            assertEquals("rcp_5L2nK9mR3x8B4Q7p", delivered.path("recipient").path("id").asText());
            // standard and budget are offered the lead together (one wave): their events interleave
            assertEquals(List.of("Duplicate Lead"), failureReasonsOf(events, "rcp_8Q3vT6wZ1y4D7H2k"));
            assertEquals(List.of("Server Error", "Server Error", "Server Error"), failureReasonsOf(events, "rcp_2B7nX4cV9m1L6P3s"));
            assertEquals(10, events.size(), "5 attempts (1 + 1 + 3) and their 5 outcomes: " + events.toPrettyString());

            String bootstrap = router.context().getComponent("kafka", KafkaComponent.class).getConfiguration().getBrokers();
            try (FirehoseReader firehose = new FirehoseReader(bootstrap, "recipient-events")) {
                List<FirehoseReader.Record> records = firehose.awaitRecordsOf(leadId, events.size());
                assertEquals(events.size(), records.size());
                assertTrue(records.stream().anyMatch(r -> r.event().path("event_type").asText().equals("recipient.delivered")));
            }
        }
    }

    private static List<String> failureReasonsOf(JsonNode events, String buyerId) {
        return ofType(events, "recipient.failed").stream()
                .filter(f -> f.path("recipient").path("id").asText().equals(buyerId))
                .map(f -> f.path("failure").path("reason").asText()).toList();
    }

    /** The sample lead of the README's quick start, so that the README cannot drift from what works. */
    private static String readmeSampleLead() throws Exception {
        Matcher curl = Pattern.compile("curl -s -X POST localhost:8080/leads .*? -d '(\\{[^']*})'").matcher(Files.readString(Path.of("README.md")));
        assertTrue(curl.find(), "README.md has the sample curl");
        return curl.group(1);
    }
}
