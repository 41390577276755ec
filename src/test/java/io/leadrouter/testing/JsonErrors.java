package io.leadrouter.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;

/** The API's one error shape, {@code {"error": "...", "status": N}} as application/json, asserted. */
public final class JsonErrors {

    private JsonErrors() {
    }

    public static void assertJsonError(HttpResponse<String> response, int status, String problem) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonNode error = RouterUnderTest.read(response.body());
        assertEquals(problem, error.path("error").asText(), response.body());
        assertEquals(status, error.path("status").asInt(), response.body());
    }
}
