package io.leadrouter.bench;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The benchmark's peer ({@code camel-proxy}): the smallest Camel application that does the
 * router's delivery of a lead to one buyer, without a database or Kafka. Started by
 * {@link CamelProxyProcess} in a JVM of its own with {@code -Dcamel.proxy.port} and
 * {@code -Dcamel.proxy.buyerUrl}; prints {@value #READY}{@code <port>} once it takes requests.
 */
public final class CamelProxy {

    static final String READY = "CAMEL-PROXY LISTENING ";

    private CamelProxy() {
    }

    public static void main(String[] args) throws Exception {
        String port = System.getProperty("camel.proxy.port");
        String buyerUrl = System.getProperty("camel.proxy.buyerUrl");
        Main main = new Main();
        // the router's application.properties is on this class path too; the proxy has none
        main.setDefaultPropertyPlaceholderLocation("false");
        main.addInitialProperty("camel.main.name", "camel-proxy");
        main.addInitialProperty("camel.main.shutdown-timeout", "5");
        main.addInitialProperty("camel.server.enabled", "true");
        main.addInitialProperty("camel.server.host", "127.0.0.1");
        main.addInitialProperty("camel.server.port", port);
        // the router's camel-http pool and retry settings, so neither side waits on a smaller pool
        main.addInitialProperty("camel.component.http.automatic-retries-disabled", "true");
        main.addInitialProperty("camel.component.http.connection-request-timeout", "10000");
        main.addInitialProperty("camel.component.http.max-total-connections", "400");
        main.addInitialProperty("camel.component.http.connections-per-route", "50");
        main.configure().addLambdaRouteBuilder(CamelProxyRoute.to(buyerUrl));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterStart(BaseMainSupport started) {
                System.out.println(READY + port);
                System.out.flush();
            }
        });
        main.run(args);
    }
}
