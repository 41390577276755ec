package io.leadrouter.monitoring;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;

/**
 * Jolokia, as camel-platform-http-jolokia serves it, answers every request it cannot parse (an
 * unknown command, a body that is not a Jolokia request, a malformed MBean name) with 500 and the
 * error in its JSON body. Those are the caller's errors, and a 5xx would page whoever watches the
 * management server: they are answered 400, the body unchanged. Jolokia runs none of the router's
 * own code, so no fault of the router is hidden this way.
 */
public final class JolokiaClientErrors implements StartupListener {

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        ManagementHttpServer server = context.hasService(ManagementHttpServer.class);
        if (server == null || !server.isJolokiaEnabled() || server.getRouter() == null) {
            return;
        }
        server.getRouter().route(server.getJolokiaPath() + "/*").order(-1000).handler(ctx -> {
            ctx.addHeadersEndHandler(ended -> {
                if (ctx.response().getStatusCode() == 500) {
                    ctx.response().setStatusCode(400);
                }
            });
            ctx.next();
        });
    }
}
