package io.leadrouter.routing;

import org.apache.camel.builder.RouteBuilder;

/**
 * The routing rules' sweep, every leadrouter.rules.sweep-ms: offers the leads held for buyers' hours to
 * the buyers that are open now, and settles what gone instances reserved ({@link OfferReservations#sweep()}).
 * And the buyers' suppression files, read again whenever one changes ({@link SuppressionFiles}).
 */
public final class BuyerRulesRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:buyer-rules-sweep?delay={{leadrouter.rules.sweep-ms}}&period={{leadrouter.rules.sweep-ms}}")
                .routeId("buyer-rules-sweep")
                .bean("offerReservations", "sweep").id("settle-abandoned-reservations")
                .bean("scheduledRelease", "releaseOpenBuyers").id("release-leads-held-for-hours")
                .bean("suppressionFiles", "forgetRemovedFiles").id("forget-removed-suppression-files");

        // noop: the operator's files stay as they are; a file is read again when its size or time changes.
        // The first poll at once: until a polling consumer has polled, Camel's readiness check says DOWN.
        // Not created when missing: an operator makes the folder when a buyer has a suppression file
        from("file:{{leadrouter.suppressions.dir}}?noop=true&include=rcp_[A-Za-z0-9]{4,32}\\.txt"
                + "&idempotentKey=${file:name}-${file:size}-${file:modified}&readLock=changed&readLockCheckInterval=250"
                + "&autoCreate=false&initialDelay=0&delay={{leadrouter.suppressions.scan-interval-ms}}&charset=UTF-8")
                .routeId("suppression-files")
                .bean("suppressionFiles", "load").id("load-suppression-file");
    }
}
