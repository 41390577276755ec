package io.leadrouter.buyers;

import java.nio.file.Path;
import java.util.List;
import org.apache.camel.model.RouteDefinition;

/**
 * The routes of one buyer's route file ({@code integration: route}), read and checked, with their ids
 * prefixed by the buyer's id, ready to be added to Camel.
 *
 * @param text the file as read, kept so that this version can be loaded again should its successor fail to start
 * @param hash the file's content hash, which the buyer file watcher folds into the buyer file's own
 */
public record BuyerRoutes(String buyerId, Path file, String text, String hash, List<RouteDefinition> routes) {

    /** The route the attempt calls: {@code direct:buyer-<buyer id>}. */
    public static String entryPoint(String buyerId) {
        return "direct:buyer-" + buyerId;
    }

    /** What every route id (and step id) of the buyer's file is prefixed with, so that buyers' ids never clash. */
    public static String idPrefix(String buyerId) {
        return buyerId + "-";
    }

    public List<String> routeIds() {
        return routes.stream().map(RouteDefinition::getRouteId).toList();
    }
}
