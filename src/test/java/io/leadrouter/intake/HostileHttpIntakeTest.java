package io.leadrouter.intake;

import static io.leadrouter.testing.BuyerFiles.ACCEPTED;
import static io.leadrouter.testing.JsonErrors.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.testing.BuyerFiles;
import io.leadrouter.testing.RouterUnderTest;
import io.leadrouter.testing.StubBuyer;
import io.leadrouter.testing.StubBuyer.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /leads} under hostile input, against a running router: each bad body is answered 4xx
 * in the JSON error shape naming the problem while valid leads posted at the same time are all
 * stored and delivered; the HTTP server's own answers (unknown path, wrong method, body over the
 * server's limit) have the same shape; a lead_id reused for another lead is refused with 409;
 * connections that send too slowly are closed while other clients are served.
 */
class HostileHttpIntakeTest {

    private static final String BUYER = "rcp_Host1leHttpBuyer";
    private static final int MAX_BODY_BYTES = 32_768;
    private static final int SERVER_MAX_BODY_BYTES = 131_072;
    private static final int NEIGHBOURS = 40;
    private static final int CONNECTION_TIMEOUT_MS = 1000;

    private static StubBuyer buyer;
    private static RouterUnderTest router;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ExecutorService CLIENTS = Executors.newFixedThreadPool(8);
    private static final ScheduledExecutorService TRICKLE = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void start() throws Exception {
        buyer = StubBuyer.answering(Reply.json(200, ACCEPTED));
        router = RouterUnderTest.builder()
                .property("leadrouter.intake.max-body-bytes", String.valueOf(MAX_BODY_BYTES))
                .property("camel.server.maxBodySize", String.valueOf(SERVER_MAX_BODY_BYTES))
                .property("leadrouter.http.idle-timeout-ms", String.valueOf(CONNECTION_TIMEOUT_MS))
                .property("leadrouter.http.request-read-timeout-ms", String.valueOf(CONNECTION_TIMEOUT_MS))
                .start();
        router.installBuyer("hostile.yaml", BUYER, BuyerFiles.jsonBuyer(BUYER, buyer.url("/leads")));
    }

    @AfterAll
    static void stop() {
        CLIENTS.shutdownNow();
        TRICKLE.shutdownNow();
        router.close();
        buyer.close();
    }

    static Stream<Arguments> hostileBodies() {
        return Stream.of(
                Arguments.of("nested 10,000 levels deep", utf8("[".repeat(10_000) + "]".repeat(10_000)), 400,
                        "lead is over a limit: Document nesting depth (33) exceeds the maximum allowed (32, leadrouter.intake.max-depth)"),
                Arguments.of("a 1,001-digit number", utf8("{\"n\":" + "7".repeat(1001) + "}"), 400,
                        "lead has a number longer than the limit of 40 digits before and after its decimal point (leadrouter.intake.max-number-digits)"),
                Arguments.of("a huge exponent", utf8("{\"n\":1e99999999}"), 400,
                        "n: number 1E+99999999 has more than 40 digits before or after its decimal point"),
                Arguments.of("a huge cost", utf8("{\"first_name\":\"Ann\",\"cost\":\"1e99999999\"}"), 400,
                        "cost: must be at most 1000000 (cost must be an amount from 0 to 1000000 with at most 4 decimals)"),
                Arguments.of("a score that is not a number", utf8("{\"score\":\"high\"}"), 400,
                        "score: must be a number from -1000000 to 1000000, got \"high\""),
                Arguments.of("\\u0000 in a string", utf8("{\"first_name\":\"A\\u0000nn\"}"), 400,
                        "first_name: text must not contain the character \\u0000"),
                Arguments.of("\\u0000 in a field name", utf8("{\"a\\u0000\":1}"), 400,
                        "a field name in the lead: text must not contain the character \\u0000"),
                Arguments.of("a lone surrogate", utf8("{\"notes\":[\"\\ud800\"]}"), 400,
                        "notes[0]: text has a lone surrogate \\ud800, which is not a Unicode character"),
                Arguments.of("invalid UTF-8", bytes("{\"first_name\":\"", new byte[] {(byte) 0xC3, (byte) 0x28}, "\"}"), 400,
                        "body is not valid UTF-8: bad byte sequence at byte 15"),
                Arguments.of("over the lead limit", padded(MAX_BODY_BYTES + 1), 413,
                        "lead is " + (MAX_BODY_BYTES + 1) + " bytes, more than the limit of " + MAX_BODY_BYTES + " bytes"),
                Arguments.of("over the server's limit", utf8("{\"notes\":\"" + "x".repeat(SERVER_MAX_BODY_BYTES * 2) + "\"}"), 413,
                        "request body is larger than the server accepts (camel.server.maxBodySize)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void aHostileBodyIsRefusedAloneAndItsNeighboursAreStoredAndDelivered(String what, byte[] body, int status, String problem)
            throws Exception {
        long leadsBefore = router.count("select count(*) from leads");
        List<CompletableFuture<HttpResponse<String>>> neighbours = new ArrayList<>();
        for (int i = 0; i < NEIGHBOURS / 2; i++) {
            neighbours.add(CompletableFuture.supplyAsync(() -> post(utf8(BuyerFiles.SAMPLE_LEAD)), CLIENTS));
        }
        CompletableFuture<HttpResponse<String>> hostile = CompletableFuture.supplyAsync(() -> post(body), CLIENTS);
        for (int i = NEIGHBOURS / 2; i < NEIGHBOURS; i++) {
            neighbours.add(CompletableFuture.supplyAsync(() -> post(utf8(BuyerFiles.SAMPLE_LEAD)), CLIENTS));
        }

        assertJsonError(hostile.get(), status, problem);
        List<String> accepted = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> neighbour : neighbours) {
            HttpResponse<String> response = neighbour.get();
            assertEquals(202, response.statusCode(), response.body());
            accepted.add(RouterUnderTest.read(response.body()).path("lead_id").asText());
        }
        String ids = accepted.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        Awaitility.await("every neighbour delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                router.count("select count(*) from recipient_events where event_type = 'recipient.delivered' and lead_id in (" + ids + ")")
                        == NEIGHBOURS);
        // the neighbours, and nothing of the hostile body
        assertEquals(leadsBefore + NEIGHBOURS, router.count("select count(*) from leads"));
    }

    @Test
    void aLeadIdReusedForAnotherLeadIsRefusedWith409AndTheFirstLeadIsKept() {
        String leadId = LeadIds.next();
        String first = "{\"lead_id\":\"" + leadId + "\",\"first_name\":\"Ann\",\"state\":\"tx\"}";
        String second = "{\"lead_id\":\"" + leadId + "\",\"first_name\":\"Bob\",\"state\":\"ca\"}";
        assertEquals(202, post(utf8(first)).statusCode());
        router.awaitCompleted(leadId);

        assertJsonError(post(utf8(second)), 409, "lead_id " + leadId
                + " was already used for a different lead, which is kept; send this lead with a new lead_id (or none)");
        // the same lead again, with its fields in another order, is a harmless retry
        HttpResponse<String> retry = post(utf8("{\"state\":\"tx\",\"first_name\":\"Ann\",\"lead_id\":\"" + leadId + "\"}"));
        assertEquals(202, retry.statusCode(), retry.body());
        assertEquals(leadId, RouterUnderTest.read(retry.body()).path("lead_id").asText());

        assertEquals(1, router.count("select count(*) from leads where lead_id = '" + leadId + "' and payload->>'first_name' = 'Ann'"));
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertEquals(1, buyer.requests().stream().filter(r -> r.body().contains("Ann") || r.body().contains("Bob"))
                        .filter(r -> r.header("Idempotency-Key").equals(io.leadrouter.model.DeliveryAttempt.idempotencyKey(leadId, BUYER)))
                        .count()));
    }

    @Test
    void unknownPathsAndMethodsAnswerTheJsonErrorShape() throws Exception {
        assertJsonError(send(HttpRequest.newBuilder(uri("/nowhere")).GET()), 404, "no such resource: GET /nowhere");
        assertJsonError(send(HttpRequest.newBuilder(uri("/leads")).GET()), 405, "method GET is not allowed on /leads");
        assertJsonError(send(HttpRequest.newBuilder(uri("/leads")).DELETE()), 405, "method DELETE is not allowed on /leads");
        assertJsonError(send(HttpRequest.newBuilder(uri("/dead-letters")).PUT(HttpRequest.BodyPublishers.ofString("{}"))), 405,
                "method PUT is not allowed on /dead-letters");
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        try (Socket idle = new Socket("127.0.0.1", port())) {
            assertClosedByTheServer(idle);
        }
    }

    @Test
    void aSlowlorisIsCutOffWhileOtherClientsAreServed() throws Exception {
        long leadsBefore = router.count("select count(*) from leads");
        try (Socket slowHead = new Socket("127.0.0.1", port()); Socket slowBody = new Socket("127.0.0.1", port())) {
            String lead = BuyerFiles.SAMPLE_LEAD;
            // a request head that never ends, and a body that never arrives in full
            slowHead.getOutputStream().write(("POST /leads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + router.adminKey() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            slowBody.getOutputStream().write(("POST /leads HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + router.adminKey() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + lead.length() + "\r\n\r\n" + lead.substring(0, 10)).getBytes(StandardCharsets.US_ASCII));
            // one byte every 200 ms on each: never idle, never done
            ScheduledFuture<?> trickle = TRICKLE.scheduleAtFixedRate(() -> {
                writeQuietly(slowHead, 'X');
                writeQuietly(slowBody, ' ');
            }, 200, 200, TimeUnit.MILLISECONDS);

            String leadId = RouterUnderTest.read(post(utf8(lead)).body()).path("lead_id").asText();
            router.awaitCompleted(leadId);

            assertClosedByTheServer(slowHead);
            assertClosedByTheServer(slowBody);
            trickle.cancel(true);
        }
        // the served lead only: nothing of the half-sent one
        assertEquals(leadsBefore + 1, router.count("select count(*) from leads"));
    }

    // ---- helpers ----

    private static void writeQuietly(Socket socket, int b) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(b);
            out.flush();
        } catch (IOException closed) {
            // the server closed the connection: what the test expects
        }
    }

    /** Reads until the server closes the connection; it must do so within a few of its timeouts. */
    private static void assertClosedByTheServer(Socket socket) throws IOException {
        socket.setSoTimeout(CONNECTION_TIMEOUT_MS * 10);
        InputStream in = socket.getInputStream();
        try {
            while (in.read() != -1) {
                // the server may say something before it closes; what matters is that it closes
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + CONNECTION_TIMEOUT_MS * 10 + " ms", e);
        } catch (IOException reset) {
            // closed with a reset: closed all the same
        }
    }

    private static HttpResponse<String> post(byte[] body) {
        return send(HttpRequest.newBuilder(uri("/leads")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + router.adminKey()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static URI uri(String path) {
        return URI.create(router.baseUrl() + path);
    }

    private static int port() {
        return URI.create(router.baseUrl()).getPort();
    }

    /** A lead of exactly this many bytes. */
    private static byte[] padded(int bytes) {
        String head = "{\"notes\":\"";
        return utf8(head + "x".repeat(bytes - head.length() - 2) + "\"}");
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String head, byte[] middle, String tail) {
        byte[] start = utf8(head);
        byte[] end = utf8(tail);
        byte[] all = new byte[start.length + middle.length + end.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(middle, 0, all, start.length, middle.length);
        System.arraycopy(end, 0, all, start.length + middle.length, end.length);
        return all;
    }
}
