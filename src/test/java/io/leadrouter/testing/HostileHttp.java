package io.leadrouter.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Sending what the hostile-input properties make: any method, path, key, content type and body, answered within a bound. */
public final class HostileHttp {

    private HostileHttp() {
    }

    /** @param contentType and {@code authorization} are left out when empty */
    public static HttpResponse<String> send(HttpClient http, String method, String url, String authorization, String contentType,
            String body, Duration answerWithin) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(answerWithin)
                .method(method, method.equals("GET") || method.equals("DELETE") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (!contentType.isEmpty()) {
            request.header("Content-Type", contentType);
        }
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new AssertionError(method + " " + url + " not answered within " + answerWithin, e);
        } catch (Exception e) {
            throw new AssertionError(method + " " + url + " failed: " + e, e);
        }
    }

    /** Every byte but the unreserved ones and {@code literal} percent-encoded: any text becomes a valid path or query part. */
    public static String encode(String text, String literal) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.~".indexOf(c) >= 0 || literal.indexOf(c) >= 0) {
                encoded.append(c);
            } else {
                encoded.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return encoded.toString();
    }
}
