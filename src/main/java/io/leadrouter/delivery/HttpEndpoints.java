package io.leadrouter.delivery;

import io.leadrouter.model.Buyer;

/** The camel-http endpoint URI of a buyer, with every timeout explicit. */
public final class HttpEndpoints {

    private HttpEndpoints() {
    }

    public static String uriFor(Buyer buyer) {
        Buyer.Endpoint endpoint = buyer.endpoint();
        String url = endpoint.url();
        String separator = url.contains("?") ? "&" : "?";
        return url + separator
                + "httpMethod=" + endpoint.method()
                + "&throwExceptionOnFailure=false"
                + "&connectTimeout=" + endpoint.connectTimeoutMs()
                + "&responseTimeout=" + endpoint.timeoutMs()
                + "&soTimeout=" + endpoint.timeoutMs()
                + "&followRedirects=false";
    }

    /** The URL as shown in events: without credentials that someone may have put in the authority. */
    public static String displayUrl(Buyer buyer) {
        return buyer.endpoint().url().replaceFirst("^(https?://)[^/@]*@", "$1");
    }
}
