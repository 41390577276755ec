package io.leadrouter.buyers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leadrouter.model.Buyer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A buyer's route file is read with Camel's YAML DSL loader and refused, naming the file and the problem, when it cannot serve its buyer. */
class BuyerRouteFileReaderTest {

    private static final String BUYER = "rcp_R0uteFile01";
    private static DefaultCamelContext camel;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterAll
    static void stop() {
        camel.stop();
    }

    @Test
    void routeAndStepIdsArePrefixedWithTheBuyerId() throws Exception {
        BuyerRoutes routes = read("""
                - route:
                    id: call
                    from:
                      uri: direct:buyer-rcp_R0uteFile01
                      steps:
                        - to:
                            id: post
                            uri: direct:buyer-rcp_R0uteFile01-post
                - route:
                    id: post
                    from:
                      uri: direct:buyer-rcp_R0uteFile01-post
                      steps:
                        - setBody:
                            constant: ok
                """);
        assertEquals(List.of("rcp_R0uteFile01-call", "rcp_R0uteFile01-post"), routes.routeIds());
        assertEquals("rcp_R0uteFile01-post", routes.routes().get(0).getOutputs().get(0).getId());
    }

    @Test
    void brokenYamlIsRefusedWithItsLine() {
        assertEquals("dir/acme.camel.yaml: not valid YAML: ", problem("- route:\n    id: [call\n").substring(0, 37));
    }

    @Test
    void aRouteWithoutIdIsRefused() {
        assertEquals("dir/acme.camel.yaml: routes[0]: has no id (every route of a buyer's route file needs one)",
                problem("- route:\n    from:\n      uri: direct:buyer-rcp_R0uteFile01\n      steps:\n        - log: hi\n"));
    }

    @Test
    void aFileWithoutTheEntryPointIsRefused() {
        assertEquals("dir/acme.camel.yaml: routes[0].from: direct:somewhere is not allowed; a buyer's routes consume"
                        + " direct:buyer-rcp_R0uteFile01 (the entry point) or direct:buyer-rcp_R0uteFile01-<name>;"
                        + " no route consumes direct:buyer-rcp_R0uteFile01 (the entry point the router calls for buyer rcp_R0uteFile01)",
                problem("- route:\n    id: call\n    from:\n      uri: direct:somewhere\n      steps:\n        - log: hi\n"));
    }

    @Test
    void routeIdsUsedTwiceAreRefused() {
        assertEquals("dir/acme.camel.yaml: routes[1].id: call is used twice in this file",
                problem("""
                        - route:
                            id: call
                            from:
                              uri: direct:buyer-rcp_R0uteFile01
                              steps:
                                - log: hi
                        - route:
                            id: call
                            from:
                              uri: direct:buyer-rcp_R0uteFile01-other
                              steps:
                                - log: hi
                        """));
    }

    @Test
    void anErrorHandlerOfTheRoutesOwnIsRefused() {
        assertEquals("dir/acme.camel.yaml: routes[0].errorHandler: not allowed; the router retries and dead-letters a buyer's failures",
                problem("""
                        - route:
                            id: call
                            errorHandler:
                              defaultErrorHandler: {}
                            from:
                              uri: direct:buyer-rcp_R0uteFile01
                              steps:
                                - log: hi
                        """));
    }

    @Test
    void beansAndTemplatesAreRefused() {
        assertEquals("dir/acme.camel.yaml: [0]: only route entries are allowed in a buyer's route file (found beans)",
                problem("- beans:\n    - name: x\n      type: java.lang.Object\n"));
    }

    @Test
    void aMissingFileIsRefused() {
        BuyerFileException refused = assertThrows(BuyerFileException.class, () -> new BuyerRouteFileReader(camel).read(buyer()));
        assertEquals("dir/acme.camel.yaml: cannot be read: no such file (named by the buyer file's route.file)", refused.getMessage()
                .replace(dir.getFileName().toString(), "dir"));
    }

    private BuyerRoutes read(String yaml) throws Exception {
        Files.writeString(dir.resolve("acme.camel.yaml"), yaml);
        return new BuyerRouteFileReader(camel).read(buyer());
    }

    private String problem(String yaml) {
        BuyerFileException refused = assertThrows(BuyerFileException.class, () -> read(yaml));
        return refused.getMessage().replace(dir.getFileName().toString(), "dir");
    }

    private Buyer buyer() {
        return new Buyer(BUYER, "Route file", "buyer", "standard", true, Buyer.ROUTE_INTEGRATION,
                new Buyer.RouteIntegration(dir.resolve("acme.camel.yaml"), BigDecimal.TEN), null, Buyer.PayloadFormat.JSON, null,
                null, List.of(), null, List.of(), BigDecimal.TEN, false, 1, io.leadrouter.model.RoutingRules.NONE, null, null, null, null, null,
                Buyer.RateLimit.NONE, dir.resolve("acme.yaml"));
    }
}
