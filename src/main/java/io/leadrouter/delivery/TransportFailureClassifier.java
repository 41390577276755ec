package io.leadrouter.delivery;

import io.leadrouter.model.FailureReason;
import io.leadrouter.model.Buyer;
import io.leadrouter.support.Causes;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.net.NamedEndpoint;

/**
 * Classifies a delivery that failed before an HTTP answer arrived (what camel-http threw) into the
 * failure vocabulary. The cause chain is walked from the outermost exception inwards; the first exception
 * of a known kind decides, else the first I/O exception (Server Error), else Server Error. Every reason
 * it returns is technical, hence retry-eligible.
 *
 * <p>Details name the buyer by host:port only (from the endpoint URL, else from httpclient's exception),
 * and exception messages quoted in them lose URL query strings and user-info: both may carry secrets.
 * Thread-safe.
 */
public final class TransportFailureClassifier {

    private static final int MAX_MESSAGE_CHARS = 200;
    private static final Pattern URL_QUERY_OR_FRAGMENT = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://[^\\s?#]*)[?#]\\S*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@]*@");
    private static final Pattern LOOSE_QUERY = Pattern.compile("\\?\\S*=\\S*");

    /**
     * A delivery that got no usable HTTP answer, classified.
     *
     * @param details a short sentence for {@code failure.details}
     */
    public record ClassifiedFailure(FailureReason reason, String details) {
    }

    /**
     * @param failure           what camel-http threw
     * @param connectTimeoutMs  the endpoint's connect timeout, quoted in details (0 if unknown)
     * @param responseTimeoutMs the endpoint's response timeout, quoted in details (0 if unknown)
     */
    public ClassifiedFailure classify(Throwable failure, int connectTimeoutMs, int responseTimeoutMs) {
        return classify(failure, new Buyer.Endpoint(null, null, connectTimeoutMs, responseTimeoutMs));
    }

    /**
     * Like {@link #classify(Throwable, int, int)}, and also names host:port where the exception does not
     * carry it (read timeouts, TLS errors, resets).
     *
     * @param endpoint the buyer's endpoint, for host:port and the timeouts; may be null
     */
    public ClassifiedFailure classify(Throwable failure, Buyer.Endpoint endpoint) {
        List<Throwable> chain = Causes.chain(failure);
        for (Throwable t : chain) {
            Optional<ClassifiedFailure> known = classifyKnown(t, endpoint);
            if (known.isPresent()) {
                return known.get();
            }
        }
        Optional<String> target = target(endpoint, failure);
        return chain.stream()
                .filter(IOException.class::isInstance)
                .findFirst()
                .map(io -> new ClassifiedFailure(FailureReason.SERVER_ERROR, "I/O error" + with(" with", target) + ": " + describe(io)))
                .orElseGet(() -> new ClassifiedFailure(FailureReason.SERVER_ERROR,
                        "unexpected error" + with(" delivering to", target) + ": " + describe(failure)));
    }

    private static Optional<ClassifiedFailure> classifyKnown(Throwable t, Buyer.Endpoint endpoint) {
        Optional<String> target = target(endpoint, t);
        if (t instanceof SSLHandshakeException) {
            return failure(FailureReason.SSL_TLS_ERROR, "TLS handshake" + with(" with", target) + " failed: " + messageOrType(t));
        }
        if (t instanceof SSLException) {
            return failure(FailureReason.SSL_TLS_ERROR, "TLS error" + with(" with", target) + ": " + messageOrType(t));
        }
        if (t instanceof BuyerAddressRefusedException) {
            return failure(FailureReason.DNS_FAILURE, "not connected: " + t.getMessage());
        }
        if (t instanceof UnknownHostException) {
            return failure(FailureReason.DNS_FAILURE, "host not found: " + hostName(endpoint, t));
        }
        if (t instanceof SocketTimeoutException) {
            return isConnectTimeout(t)
                    ? failure(FailureReason.TIMEOUT, "could not connect" + with(" to", target) + within(endpoint == null ? 0 : endpoint.connectTimeoutMs()))
                    : failure(FailureReason.TIMEOUT, "no response" + with(" from", target) + within(endpoint == null ? 0 : endpoint.timeoutMs()));
        }
        if (t instanceof ConnectionRequestTimeoutException) {
            return failure(FailureReason.TIMEOUT, "no free connection" + with(" to", target) + " in the pool in time");
        }
        if (t instanceof NoRouteToHostException) {
            return failure(FailureReason.CONNECTION_REFUSED, "no route to " + target.orElse("host"));
        }
        if (t instanceof ConnectException) {
            return failure(FailureReason.CONNECTION_REFUSED, "connection refused" + with(" by", target));
        }
        if (t instanceof NoHttpResponseException) {
            return failure(FailureReason.SERVER_ERROR, target.orElse("the buyer") + " closed the connection without answering");
        }
        if (t instanceof SocketException && t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("connection reset")) {
            return failure(FailureReason.SERVER_ERROR, "connection reset" + with(" by", target));
        }
        return Optional.empty();
    }

    private static Optional<ClassifiedFailure> failure(FailureReason reason, String details) {
        return Optional.of(new ClassifiedFailure(reason, details));
    }

    // httpclient5 throws ConnectTimeoutException; a plain Socket.connect says "Connect timed out".
    private static boolean isConnectTimeout(Throwable t) {
        return t instanceof ConnectTimeoutException
                || (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).startsWith("connect timed out"));
    }

    private static String within(int timeoutMs) {
        return timeoutMs > 0 ? " within " + timeoutMs + " ms" : " in time";
    }

    private static String with(String preposition, Optional<String> target) {
        return target.map(t -> preposition + " " + t).orElse("");
    }

    /** host:port of the buyer: from the endpoint's URL, else from httpclient's exception. */
    private static Optional<String> target(Buyer.Endpoint endpoint, Throwable t) {
        Optional<String> fromUrl = endpointUri(endpoint).filter(uri -> uri.getHost() != null)
                .map(uri -> uri.getHost() + ":" + port(uri));
        if (fromUrl.isPresent()) {
            return fromUrl;
        }
        NamedEndpoint host = t instanceof HttpHostConnectException e ? e.getHost()
                : t instanceof ConnectTimeoutException e ? e.getHost() : null;
        if (host == null || host.getHostName() == null) {
            return Optional.empty();
        }
        return Optional.of(host.getPort() > 0 ? host.getHostName() + ":" + host.getPort() : host.getHostName());
    }

    // UnknownHostException's message is the host name, sometimes followed by ": Name or service not known".
    private static String hostName(Buyer.Endpoint endpoint, Throwable t) {
        return endpointUri(endpoint).map(URI::getHost)
                .or(() -> Optional.ofNullable(t.getMessage()).map(m -> m.split(":", 2)[0].strip()).filter(h -> !h.isEmpty()))
                .orElse("unknown host");
    }

    private static Optional<URI> endpointUri(Buyer.Endpoint endpoint) {
        if (endpoint == null || endpoint.url() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(endpoint.url().strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }

    private static String describe(Throwable t) {
        String message = message(t);
        return message.isEmpty() ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + message;
    }

    private static String messageOrType(Throwable t) {
        String message = message(t);
        return message.isEmpty() ? t.getClass().getSimpleName() : message;
    }

    /** The exception's first message line, without secrets a URL may carry, cut to a sensible length. */
    private static String message(Throwable t) {
        String message = t.getMessage() == null ? "" : t.getMessage().strip().lines().findFirst().orElse("");
        message = URL_QUERY_OR_FRAGMENT.matcher(message).replaceAll("$1");
        message = URL_USER_INFO.matcher(message).replaceAll("$1");
        message = LOOSE_QUERY.matcher(message).replaceAll("");
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
    }
}
