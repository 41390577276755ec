package io.leadrouter.delivery;

import io.leadrouter.model.Buyer;
import io.leadrouter.model.DeliveryAttempt;
import io.leadrouter.support.Json;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * What the router hands a buyer's own route ({@code integration: route}) besides the request it built
 * (body and headers, as a generic_http buyer would be sent them): exchange properties named for route
 * authors, documented in the README ("Buyers as YAML routes"). The route may set {@link #DECLINED} to end
 * the attempt as the buyer's refusal without an HTTP answer of its own (a ping/post buyer's low bid).
 */
public final class BuyerRouteInput {

    /** The buyer's endpoint.url as written in its file. */
    public static final String URL = "buyerUrl";
    /** camel-http options with the buyer's timeouts, for {@code toD: "${exchangeProperty.buyerUrl}/path?${exchangeProperty.buyerHttpOptions}"}. */
    public static final String HTTP_OPTIONS = "buyerHttpOptions";
    /** The lead's fields after the buyer file's mapping (a Map; credentials are not in it, only in the request). */
    public static final String FIELDS = "buyerFields";
    /** The lead as it came in (a Map). */
    public static final String LEAD = "buyerLead";
    /** The buyer's price (BigDecimal). */
    public static final String PRICE = "buyerPrice";
    /** The buyer's floor (BigDecimal): route.floor, else the price. */
    public static final String FLOOR = "buyerFloor";
    /** Set by the route: why the buyer declined the lead; the attempt ends as a refusal with this text. */
    public static final String DECLINED = "buyerDeclined";

    private static final List<String> ALL = List.of(URL, HTTP_OPTIONS, FIELDS, LEAD, PRICE, FLOOR, DECLINED);

    private final LeadMapper mapper = new LeadMapper();

    /** Puts the properties on the exchange, and names the buyer's entry point for the attempt route. */
    void prepare(Exchange exchange, DeliveryAttempt attempt) {
        Buyer buyer = attempt.buyer();
        forget(exchange);
        Buyer.Endpoint endpoint = buyer.endpoint();
        exchange.setProperty(URL, endpoint.url());
        exchange.setProperty(HTTP_OPTIONS, "connectTimeout=" + endpoint.connectTimeoutMs() + "&responseTimeout=" + endpoint.timeoutMs()
                + "&soTimeout=" + endpoint.timeoutMs() + "&followRedirects=false");
        exchange.setProperty(FIELDS, mapper.map(buyer.mapping(), attempt.lead().payload()));
        exchange.setProperty(LEAD, Json.MAPPER.convertValue(attempt.lead().payload(), Map.class));
        exchange.setProperty(PRICE, buyer.price());
        exchange.setProperty(FLOOR, buyer.route().floor());
        // camel-http's method follows the body and query otherwise: the buyer file says which
        exchange.getMessage().setHeader(Exchange.HTTP_METHOD, endpoint.method());
        exchange.setProperty(ExchangeKeys.BUYER_ROUTE, "direct:buyer-" + buyer.id());
    }

    /** Step {@code forget-route-input}: the next buyer of the lead, or the next attempt, starts without them. */
    public static void forget(Exchange exchange) {
        ALL.forEach(exchange::removeProperty);
        exchange.removeProperty(ExchangeKeys.BUYER_ROUTE);
    }

    /** What the route said when the buyer declined, or null. */
    static String declined(Exchange exchange) {
        return exchange.getProperty(DECLINED, String.class);
    }
}
