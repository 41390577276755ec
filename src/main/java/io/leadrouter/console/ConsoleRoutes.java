package io.leadrouter.console;

import io.leadrouter.support.JsonResponses;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The console at {@code /console/}: its page, scripts, styles and uPlot, served from the jar
 * ({@link ConsoleFiles}). These files are the only paths of the API's server open without a key
 * ({@link #servesWithoutKey}); they hold no data: every figure the console shows is an API call with
 * the key the user gives it. Not REST DSL operations, so they stay out of the OpenAPI document.
 */
public final class ConsoleRoutes extends RouteBuilder {

    /** Where the console is. */
    public static final String PATH = "/console";
    /**
     * What every console file answers with: only the router's own scripts, styles, images and API
     * (no inline script or style, no other origin), never inside a frame, never sniffed as another type.
     */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final ConsoleFiles files = new ConsoleFiles(ConsoleRoutes.class.getClassLoader());

    /** Whether a request for this (normalized) path is one of the console's files, which need no key. */
    public static boolean servesWithoutKey(String path) {
        return path != null && (path.equals(PATH) || path.startsWith(PATH + "/"));
    }

    @Override
    public void configure() {
        PlatformHttpEndpoint console = endpoint("platform-http:" + PATH + "?matchOnUriPrefix=true&httpMethodRestrict=GET,HEAD",
                PlatformHttpEndpoint.class);
        // Camel's HTTP header filter drops Cache-Control from answers: the console's files set it
        HttpHeaderFilterStrategy headers = new HttpHeaderFilterStrategy();
        headers.getOutFilter().remove("cache-control");
        console.setHeaderFilterStrategy(headers);
        from(console).routeId("console")
                .choice().id("console-path")
                    .when(header(Exchange.HTTP_PATH).isEqualTo(PATH))
                        .process(ConsoleRoutes::redirectToFolder).id("redirect-to-console-folder")
                    .otherwise()
                        .process(this::serve).id("serve-console-file")
                .end();
    }

    /** {@code /console} to {@code /console/}, so that the page's relative addresses resolve below it. */
    private static void redirectToFolder(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 308);
        message.setHeader("Location", PATH + "/");
        message.setBody(null);
    }

    /** A file below {@code /console/}; the route also sees {@code /consolefoo}, which is no file of the console. */
    private void serve(Exchange exchange) {
        Message message = exchange.getMessage();
        String path = message.getHeader(Exchange.HTTP_PATH, "", String.class);
        String ifNoneMatch = message.getHeader("If-None-Match", String.class);
        Optional<ConsoleFiles.File> file = path.startsWith(PATH + "/")
                ? files.find(path.substring(PATH.length() + 1)) : Optional.empty();
        if (file.isEmpty()) {
            JsonResponses.error(exchange, 404, "no such resource: GET " + path);
            return;
        }
        message.removeHeaders("*");
        message.setHeader(Exchange.CONTENT_TYPE, file.get().contentType());
        message.setHeader("ETag", file.get().etag());
        // revalidated at every use (a new jar may bring new files), answered 304 when unchanged
        message.setHeader("Cache-Control", "no-cache");
        message.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        message.setHeader("X-Content-Type-Options", "nosniff");
        message.setHeader("Referrer-Policy", "no-referrer");
        message.setHeader("X-Frame-Options", "DENY");
        if (file.get().etag().equals(ifNoneMatch)) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            message.setBody(null);
        } else {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            message.setBody(file.get().content());
        }
    }
}
