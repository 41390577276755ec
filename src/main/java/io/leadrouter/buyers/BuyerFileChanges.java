package io.leadrouter.buyers;

import io.leadrouter.model.Buyer;
import java.nio.file.Path;

/** Told of every buyer file that took effect: for the audit log. */
public interface BuyerFileChanges {

    /** Nobody listening. */
    BuyerFileChanges NONE = (file, contentHash, before, after) -> {
    };

    /**
     * @param contentHash the SHA-256 of the file's content, or null when the file is gone
     * @param before      the buyer as it was, or null for a new one
     * @param after       the buyer as it is now, or null for one removed
     */
    void changed(Path file, String contentHash, Buyer before, Buyer after);
}
