package io.leadrouter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.testing.RouterUnderTest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The command-line entry point makes, lists and revokes keys in the router's database; a running router follows at once. */
class ApiKeysCommandTest {

    private static RouterUnderTest router;

    @BeforeAll
    static void start() throws Exception {
        router = RouterUnderTest.start();
    }

    @AfterAll
    static void stop() {
        if (router != null) {
            router.close();
        }
    }

    @Test
    void aKeyMadeOnTheCommandLineWorksUntilItIsRevokedThere() {
        Run made = run("create", "read", "--name", "from the shell");
        assertEquals(0, made.exit(), made.err());
        String key = made.out().trim();
        assertTrue(ApiKeySecrets.prefixOf(key).isPresent(), made.out());
        String id = "key_" + ApiKeySecrets.prefixOf(key).orElseThrow();
        assertTrue(made.err().contains(id) && !made.err().contains(key), made.err());

        Awaitility.await("the router hears of the key").atMost(Duration.ofSeconds(5))
                .until(() -> router.call("GET", "/buyers", key, null, null).statusCode() == 200);
        Run listed = run("list");
        assertEquals(0, listed.exit(), listed.err());
        assertTrue(listed.out().lines().anyMatch(line -> line.startsWith(id) && line.contains("read") && line.contains("from the shell")),
                listed.out());
        assertTrue(!listed.out().contains(key), "the list never shows a key");

        Run revoked = run("revoke", id);
        assertEquals(0, revoked.exit(), revoked.err());
        Awaitility.await("the router refuses the revoked key").atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5))
                .until(() -> router.call("GET", "/buyers", key, null, null).statusCode() == 401);
        assertEquals(1, run("revoke", id).exit());
    }

    @Test
    void aCommandNotUnderstoodSaysHowItIsUsed() {
        for (String[] wrong : new String[][] {{}, {"delete"}, {"create"}, {"create", "root"}, {"create", "buyer"},
                {"create", "read", "--name"}}) {
            Run run = run(wrong);
            assertEquals(2, run.exit(), String.join(" ", wrong) + ": " + run.err());
            assertTrue(run.err().contains("usage: ApiKeysCommand"), run.err());
        }
        Run noRecipient = run("create", "buyer");
        assertTrue(noRecipient.err().startsWith("a buyer key needs the recipient_id of its buyer"), noRecipient.err());
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Map<String, String> settings = Map.of("leadrouter.datasource.url", router.jdbcUrl());
        int exit = ApiKeysCommand.run(args, settings::get, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
