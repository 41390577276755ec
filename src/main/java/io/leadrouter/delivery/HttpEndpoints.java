package io.leadrouter.delivery;

import io.leadrouter.model.Buyer;
import java.util.regex.Pattern;

/** The camel-http endpoint URI of a buyer, with every timeout explicit. */
public final class HttpEndpoints {

    private static final Pattern USER_INFO = Pattern.compile("^(https?://)[^/@]*@");

    private HttpEndpoints() {
    }

    public static String uriFor(Buyer buyer) {
        Buyer.Endpoint endpoint = buyer.endpoint();
        return uri(endpoint.url(), endpoint.method(), endpoint.connectTimeoutMs(), endpoint.timeoutMs());
    }

    static String uri(String url, String method, int connectTimeoutMs, int timeoutMs) {
        String separator = url.contains("?") ? "&" : "?";
        return url + separator
                + "httpMethod=" + method
                + "&throwExceptionOnFailure=false"
                + "&connectTimeout=" + connectTimeoutMs
                + "&responseTimeout=" + timeoutMs
                + "&soTimeout=" + timeoutMs
                + "&followRedirects=false";
    }

    /** The URL as shown in events: without credentials that someone may have put in the authority. */
    public static String displayUrl(Buyer buyer) {
        return USER_INFO.matcher(buyer.endpoint().url()).replaceFirst("$1");
    }
}
