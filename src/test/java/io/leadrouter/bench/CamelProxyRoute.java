package io.leadrouter.bench;

import org.apache.camel.builder.LambdaRouteBuilder;

/**
 * The whole camel-proxy: POST /leads on Camel's HTTP server (platform-http, as the router's API),
 * the lead mapped to the buyer's payload, posted to the buyer with camel-http, and the buyer's
 * answer relayed to the client once it has come. A buyer answering other than 2xx fails the
 * exchange (camel-http's default), which the client sees as a 500. A lambda, not a RouteBuilder
 * class: camel-main's package scan would find such a class when the tests start the router.
 */
final class CamelProxyRoute {

    private CamelProxyRoute() {
    }

    static LambdaRouteBuilder to(String buyerUrl) {
        return routes -> routes.from("platform-http:/leads?httpMethodRestrict=POST").routeId("camel-proxy-leads")
                // the client's request headers (and platform-http's CamelHttpPath/Uri) are not the buyer's business
                .removeHeaders("*")
                .process(new LeadToBuyerPayload())
                .to(buyerUrl + "?httpMethod=POST&connectTimeout=1000&responseTimeout=5000&followRedirects=false")
                .removeHeaders("*", "CamelHttpResponseCode", "Content-Type");
    }
}
