package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buyer file values may use the router's properties: {@code {{leadrouter.sandbox.url}}/sandbox/accept}. */
class BuyerFilePlaceholdersTest {

    private static final String WITH_PLACEHOLDERS = """
            id: rcp_Placeholder01
            name: "{{buyer.name}}"
            endpoint:
              url: "{{leadrouter.sandbox.url}}/sandbox/accept"
            mapping:
              - from: email
                to: email
              - to: source
                value: "{{buyer.source}}"
            price: 10
            """;

    @TempDir
    Path buyers;

    private DefaultCamelContext context;
    private BuyerFileParser parser;

    @BeforeEach
    void startContext() {
        context = new DefaultCamelContext();
        Properties properties = new Properties();
        properties.setProperty("leadrouter.sandbox.host", "127.0.0.1");
        properties.setProperty("leadrouter.sandbox.port", "18089");
        // as application.properties derives it: a placeholder whose value holds placeholders
        properties.setProperty("leadrouter.sandbox.url", "http://{{leadrouter.sandbox.host}}:{{leadrouter.sandbox.port}}");
        properties.setProperty("buyer.name", "Sandbox Buyer");
        properties.setProperty("buyer.source", "lead-router");
        context.getPropertiesComponent().setInitialProperties(properties);
        context.start();
        parser = new BuyerFileParser(BuyerFilePlaceholders.of(context));
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    @Test
    void everyTextValueIsResolvedBeforeTheFileIsChecked() throws Exception {
        Buyer buyer = parser.parse(write("sandbox.yaml", WITH_PLACEHOLDERS));

        assertEquals("http://127.0.0.1:18089/sandbox/accept", buyer.endpoint().url());
        assertEquals("Sandbox Buyer", buyer.name());
        assertEquals("lead-router", buyer.mapping().get(1).value());
    }

    @Test
    void anUnknownPropertyRefusesTheFileNamingTheFieldAndTheKey() throws Exception {
        Path file = write("unknown.yaml", WITH_PLACEHOLDERS.replace("{{buyer.source}}", "{{buyer.nowhere}}"));

        BuyerFileException refused = assertThrows(BuyerFileException.class, () -> parser.parse(file));

        assertEquals(1, refused.problems().size(), refused.getMessage());
        String problem = refused.problems().get(0);
        assertEquals("mapping[1].value", problem.substring(0, problem.indexOf(':')), problem);
        assertTrue(problem.contains("buyer.nowhere"), problem);
        assertTrue(refused.getMessage().startsWith(buyers.getFileName() + "/unknown.yaml: mapping[1].value: "), refused.getMessage());
    }

    @Test
    void withoutARouterThePlaceholderIsTakenAsWrittenAndFailsTheChecks() throws Exception {
        Path file = write("unresolved.yaml", WITH_PLACEHOLDERS);

        BuyerFileException refused = assertThrows(BuyerFileException.class, () -> new BuyerFileParser().parse(file));

        assertEquals(List.of("endpoint.url: must match ^(http|https)://.*"), refused.problems());
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(buyers.resolve(name), content);
    }
}
