package io.leadrouter.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

/**
 * The README's Hawtio command: the console comes up, and its Connect page's proxy reaches a running
 * router's Jolokia with an operate key as the connection's password, reading the Camel routes there
 * (every buyer's route among them) as Hawtio's Camel tab does; without the key the router says 401.
 */
class HawtioTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void hawtioConnectsToTheRunningRoutersJolokiaWithAnOperateKey() throws Exception {
        try (StubBuyer buyer = StubBuyer.answering(Reply.json(200, BuyerFiles.ACCEPTED));
                RouterUnderTest router = RouterUnderTest.start()) {
            router.installBuyer("h.yaml", "rcp_hawtioBuyer", BuyerFiles.jsonBuyer("rcp_hawtioBuyer", buyer.url("/leads")));
            router.awaitCompleted(router.postLead(BuyerFiles.SAMPLE_LEAD));
            String operator = router.newKey("operate");
            Server hawtio = Hawtio.start(0);
            try {
                String console = "http://127.0.0.1:" + Hawtio.port(hawtio) + "/hawtio";
                HttpResponse<String> page = get(console + "/", null);
                assertEquals(200, page.statusCode());
                assertTrue(page.body().contains("<title>Hawtio</title>") || page.body().contains("hawtio"), page.body());

                // what the Connect page does for a connection to 127.0.0.1, the management port, path /observe/jolokia
                String jolokia = console + "/proxy/http/127.0.0.1/" + URI.create(router.managementUrl()).getPort() + "/observe/jolokia";
                HttpResponse<String> routes = get(jolokia + "/read/org.apache.camel:context=*,type=routes,name=*/RouteId,ExchangesTotal",
                        basic("operator", operator));
                assertEquals(200, routes.statusCode(), routes.body());
                assertTrue(routes.body().contains("\"RouteId\":\"deliver-rcp_hawtioBuyer\""), routes.body());
                assertTrue(routes.body().contains("\"status\":200"), routes.body());
                assertEquals(401, get(jolokia + "/version", null).statusCode(), "the router's Jolokia still wants a key");
            } finally {
                hawtio.stop();
            }
        }
    }

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
