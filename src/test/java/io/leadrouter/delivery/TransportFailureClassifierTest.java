package io.leadrouter.delivery;

import io.leadrouter.model.FailureReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.leadrouter.model.Buyer;
import io.leadrouter.delivery.TransportFailureClassifier.ClassifiedFailure;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

class TransportFailureClassifierTest {

    private static final Buyer.Endpoint BUYER = new Buyer.Endpoint("https://api.buyer.com/leads?api_key=s3cret", "POST", 5000, 30000);

    private final TransportFailureClassifier classifier = new TransportFailureClassifier();

    private static ClassifiedFailure failure(FailureReason reason, String details) {
        return new ClassifiedFailure(reason, details);
    }

    /** A real ConnectException: nothing listens on a port that was just freed. */
    private static ConnectException refusedConnection() throws IOException {
        int port;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = server.getLocalPort();
        }
        try (Socket socket = new Socket()) {
            return assertThrows(ConnectException.class, () -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000));
        }
    }

    @Test
    void realConnectionRefused() throws IOException {
        assertEquals(failure(FailureReason.CONNECTION_REFUSED, "connection refused by api.buyer.com:443"),
                classifier.classify(refusedConnection(), BUYER));
    }

    @Test
    void connectionRefusedWithoutEndpointNamesNoHost() throws IOException {
        assertEquals(failure(FailureReason.CONNECTION_REFUSED, "connection refused"),
                classifier.classify(refusedConnection(), 5000, 30000));
    }

    @Test
    void httpClientConnectionRefusedNamesItsHost() {
        HttpHostConnectException e = new HttpHostConnectException("Connect to https://api.buyer.com:8443 failed: Connection refused",
                new HttpHost("https", "api.buyer.com", 8443));

        assertEquals(failure(FailureReason.CONNECTION_REFUSED, "connection refused by api.buyer.com:8443"), classifier.classify(e, 5000, 30000));
    }

    @Test
    void noRouteToHost() {
        assertEquals(failure(FailureReason.CONNECTION_REFUSED, "no route to api.buyer.com:443"),
                classifier.classify(new NoRouteToHostException("No route to host"), BUYER));
    }

    @Test
    void realUnknownHost() {
        UnknownHostException e = assertThrows(UnknownHostException.class, () -> InetAddress.getByName("nope.invalid"));

        assertEquals(failure(FailureReason.DNS_FAILURE, "host not found: nope.invalid"), classifier.classify(e, 5000, 30000));
    }

    @Test
    void unknownHostPrefersTheEndpointHost() {
        assertEquals(failure(FailureReason.DNS_FAILURE, "host not found: api.buyer.com"),
                classifier.classify(new UnknownHostException("api.buyer.com: Name or service not known"), BUYER));
    }

    /** A real read timeout: the server's backlog completes the connection, nobody ever answers. */
    @Test
    void realReadTimeout() throws IOException {
        SocketTimeoutException e;
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()); Socket socket = new Socket()) {
            socket.connect(silent.getLocalSocketAddress(), 2000);
            socket.setSoTimeout(50);
            e = assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        }

        assertEquals(failure(FailureReason.TIMEOUT, "no response within 30000 ms"), classifier.classify(e, 5000, 30000));
        assertEquals(failure(FailureReason.TIMEOUT, "no response from api.buyer.com:443 within 30000 ms"), classifier.classify(e, BUYER));
    }

    @Test
    void httpClientConnectTimeout() {
        ConnectTimeoutException e = new ConnectTimeoutException("Connect to https://api.buyer.com:443 failed: Connect timed out",
                new HttpHost("https", "api.buyer.com", 443));

        assertEquals(failure(FailureReason.TIMEOUT, "could not connect to api.buyer.com:443 within 5000 ms"), classifier.classify(e, 5000, 30000));
    }

    @Test
    void plainSocketConnectTimeout() {
        assertEquals(failure(FailureReason.TIMEOUT, "could not connect within 5000 ms"),
                classifier.classify(new SocketTimeoutException("Connect timed out"), 5000, 30000));
    }

    @Test
    void unknownTimeoutSaysInTime() {
        assertEquals(failure(FailureReason.TIMEOUT, "no response in time"),
                classifier.classify(new SocketTimeoutException("Read timed out"), null));
    }

    @Test
    void tlsHandshakeFailure() {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed: unable to find valid certification path to requested target");

        assertEquals(failure(FailureReason.SSL_TLS_ERROR, "TLS handshake failed: PKIX path building failed: unable to find valid certification path to requested target"),
                classifier.classify(e, 5000, 30000));
        assertEquals(failure(FailureReason.SSL_TLS_ERROR, "TLS handshake with api.buyer.com:443 failed: PKIX path building failed: "
                + "unable to find valid certification path to requested target"), classifier.classify(e, BUYER));
    }

    @Test
    void otherTlsError() {
        assertEquals(failure(FailureReason.SSL_TLS_ERROR, "TLS error: Unsupported or unrecognized SSL message"),
                classifier.classify(new SSLException("Unsupported or unrecognized SSL message"), 5000, 30000));
    }

    @Test
    void tlsErrorWithoutMessageNamesItsType() {
        assertEquals(failure(FailureReason.SSL_TLS_ERROR, "TLS handshake failed: SSLHandshakeException"),
                classifier.classify(new SSLHandshakeException(null), 5000, 30000));
    }

    @Test
    void noHttpResponse() {
        assertEquals(failure(FailureReason.SERVER_ERROR, "api.buyer.com:443 closed the connection without answering"),
                classifier.classify(new NoHttpResponseException("api.buyer.com:443 failed to respond"), BUYER));
    }

    @Test
    void connectionReset() {
        assertEquals(failure(FailureReason.SERVER_ERROR, "connection reset"),
                classifier.classify(new SocketException("Connection reset"), 5000, 30000));
    }

    @Test
    void otherIoException() {
        assertEquals(failure(FailureReason.SERVER_ERROR, "I/O error with api.buyer.com:443: EOFException: Unexpected end of stream"),
                classifier.classify(new EOFException("Unexpected end of stream"), BUYER));
    }

    @Test
    void anythingElse() {
        assertEquals(failure(FailureReason.SERVER_ERROR, "unexpected error: IllegalStateException: boom"),
                classifier.classify(new IllegalStateException("boom"), 5000, 30000));
    }

    @Test
    void walksTheCauseChain() throws IOException {
        Throwable wrapped = new RuntimeCamelException(new IllegalStateException("wrapper", refusedConnection()));

        assertEquals(failure(FailureReason.CONNECTION_REFUSED, "connection refused by api.buyer.com:443"), classifier.classify(wrapped, BUYER));
    }

    @Test
    void outermostKnownCauseDecides() {
        SSLException tls = new SSLException("handshake aborted", new SocketTimeoutException("Read timed out"));

        assertEquals(failure(FailureReason.SSL_TLS_ERROR, "TLS error: handshake aborted"), classifier.classify(tls, 5000, 30000));
    }

    @Test
    void ioCauseOfAnUnknownWrapperIsAnIoError() {
        Throwable wrapped = new RuntimeCamelException("send failed", new IOException("Stream closed"));

        assertEquals(failure(FailureReason.SERVER_ERROR, "I/O error: IOException: Stream closed"), classifier.classify(wrapped, 5000, 30000));
    }

    @Test
    void selfReferencingCauseChainEnds() {
        IllegalStateException loop = new IllegalStateException("loop");
        IllegalStateException outer = new IllegalStateException("outer", loop);
        loop.initCause(outer);

        assertEquals(failure(FailureReason.SERVER_ERROR, "unexpected error: IllegalStateException: outer"), classifier.classify(outer, 5000, 30000));
    }

    @Test
    void detailsNeverCarryQueryStringsOrUserInfo() {
        HttpOperationFailedException e = new HttpOperationFailedException("https://user:pw@api.buyer.com/leads?api_key=s3cret&x=1", 500,
                "Server Error", null, Map.of("Authorization", "Bearer s3cret"), "{\"token\":\"s3cret\"}");

        assertEquals(failure(FailureReason.SERVER_ERROR, "unexpected error delivering to api.buyer.com:443: HttpOperationFailedException: "
                + "HTTP operation failed invoking https://api.buyer.com/leads with statusCode: 500"), classifier.classify(e, BUYER));
    }

    @Test
    void endpointWithoutPortUsesTheSchemeDefault() {
        Buyer.Endpoint plain = new Buyer.Endpoint("http://sandbox.local/leads", "POST", 1000, 2000);

        assertEquals(failure(FailureReason.CONNECTION_REFUSED, "connection refused by sandbox.local:80"),
                classifier.classify(new ConnectException("Connection refused"), plain));
    }
}
