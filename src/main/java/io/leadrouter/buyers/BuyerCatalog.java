package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The buyers in force now, by id. Read by every delivery; changed only by {@link BuyerFileWatcher}. */
public final class BuyerCatalog {

    private static final Comparator<Buyer> BY_PRIORITY = Comparator.comparingInt(Buyer::priority).thenComparing(Buyer::id);

    private final Map<String, Buyer> buyers = new ConcurrentHashMap<>();
    /** The SHA-256 of the file each buyer in force was read from. */
    private final Map<String, String> contentHashes = new ConcurrentHashMap<>();

    public Optional<Buyer> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(buyers.get(id));
    }

    /** Enabled buyers, lowest priority number first (ties by id, so the order is stable). */
    public List<Buyer> enabledByPriority() {
        return buyers.values().stream().filter(Buyer::enabled).sorted(BY_PRIORITY).toList();
    }

    public List<Buyer> all() {
        return buyers.values().stream().sorted(BY_PRIORITY).toList();
    }

    /** The SHA-256 of the content of the file the buyer in force was read from (a file that broke since does not count). */
    public Optional<String> contentHash(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(contentHashes.get(id));
    }

    void put(Buyer buyer, String contentHash) {
        contentHashes.put(buyer.id(), contentHash);
        buyers.put(buyer.id(), buyer);
    }

    void remove(String id) {
        buyers.remove(id);
        contentHashes.remove(id);
    }
}
