package io.leadrouter.security;

import static io.leadrouter.testing.JsonErrors.assertJsonError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.leadrouter.testing.LogCapture;
import io.leadrouter.testing.RouterUnderTest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.junit.jupiter.api.Test;

/**
 * The quick start's key: a router on a database with no key makes an admin key, writes it to a file
 * only its user can read, logs where (never the key), and makes no other on later starts; the API
 * listens on this machine only unless told otherwise; an address that keeps presenting bad keys is
 * slowed down while good keys from it still pass.
 */
class FirstAdminKeyTest {

    @Test
    void theFirstStartMakesAnAdminKeyInAFileOnlyItsUserReads() throws Exception {
        List<String> log;
        String key;
        Path file;
        try (LogCapture capture = new LogCapture(); RouterUnderTest router = RouterUnderTest.start()) {
            key = router.adminKey();
            file = keyFile(router);
            log = capture.lines();

            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals(200, router.get("/api-keys").statusCode(), "the key is an admin key in force");
            assertEquals(1, router.count("select count(*) from api_keys where role = 'admin' and revoked_at is null"));

            try (RouterUnderTest restarted = RouterUnderTest.builder().sameStorageAs(router).start()) {
                assertEquals(key, Files.readString(file).trim(), "a later start leaves the key as it is");
                assertEquals(1, restarted.count("select count(*) from api_keys"), "and makes no other");
                assertEquals(200, restarted.get("/buyers").statusCode());
            }
        }
        assertTrue(log.stream().anyMatch(line -> line.contains(file.toAbsolutePath().toString())), "the log says where the key is");
        assertFalse(log.stream().anyMatch(line -> line.contains(key) || line.contains(key.substring(14))), "and never the key");
    }

    @Test
    void theApiListensOnThisMachineOnlyByDefault() throws Exception {
        try (RouterUnderTest router = RouterUnderTest.start()) {
            MainHttpServer server = router.context().hasService(MainHttpServer.class);
            assertEquals("127.0.0.1", server.getHost());
            Optional<InetAddress> outward = NetworkInterface.networkInterfaces()
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                    .findFirst();
            if (outward.isPresent()) {
                int port = Integer.parseInt(router.baseUrl().substring(router.baseUrl().lastIndexOf(':') + 1));
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(outward.get(), port), 2000);
                    throw new AssertionError("the API answered on " + outward.get());
                } catch (java.io.IOException refused) {
                    // refused (or unreachable): not listening there
                }
            }
        }
    }

    @Test
    void anAddressThatKeepsFailingIsSlowedDownWhileGoodKeysFromItPass() throws Exception {
        try (RouterUnderTest router = RouterUnderTest.builder()
                .property("leadrouter.api.max-failed-keys", "3")
                .property("leadrouter.api.failed-keys-window-seconds", "60")
                .start()) {
            String wrong = ApiKeySecrets.newKey();
            for (int i = 0; i < 3; i++) {
                assertEquals(401, router.call("GET", "/buyers", wrong, null, null).statusCode());
            }
            var slowed = router.call("GET", "/buyers", wrong, null, null);
            assertJsonError(slowed, 429, "too many requests without a valid API key from this address; try again in "
                    + slowed.headers().firstValue("Retry-After").orElse("?") + " s");
            long retryAfter = Long.parseLong(slowed.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(retryAfter > 0 && retryAfter <= 60, "Retry-After " + retryAfter);
            assertEquals(429, router.call("GET", "/buyers", null, null, null).statusCode(), "no key at all is a failure too");
            assertEquals(200, router.get("/buyers").statusCode(), "a key in force still passes");
        }
    }

    private static Path keyFile(RouterUnderTest router) {
        return Path.of(router.context().getPropertiesComponent().resolveProperty("leadrouter.api.admin-key-file").orElseThrow());
    }
}
