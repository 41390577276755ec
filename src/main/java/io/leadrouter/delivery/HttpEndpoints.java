package io.leadrouter.delivery;

import io.leadrouter.model.Buyer;

/** The camel-http endpoint URI of a buyer, with every timeout explicit. */
public final class HttpEndpoints {

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
        return buyer.endpoint().url().replaceFirst("^(https?://)[^/@]*@", "$1");
    }
}
