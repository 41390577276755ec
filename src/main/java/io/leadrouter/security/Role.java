package io.leadrouter.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What an API key may do. Each API operation names the role it needs (in the REST DSL, as the
 * OpenAPI document's security scope); a key's role grants that operation when {@link #grants} says so.
 */
public enum Role {
    /** posts leads */
    INGEST,
    /** reads events, lead details, buyers, analytics and exports */
    READ,
    /** reads, and acts on deliveries: replays dead letters, pauses and resumes buyers */
    OPERATE,
    /** everything, the keys included */
    ADMIN,
    /** one buyer's own leads' events and feedback, nothing else */
    BUYER;

    /**
     * Whether a key with this role may call an operation open to {@code needed}. An operation open to
     * buyer keys lists {@code BUYER} beside the others: a buyer key is never implied, since what it
     * sees is cut down to its own buyer.
     */
    public boolean grants(Role needed) {
        return switch (this) {
            case ADMIN -> true;
            case OPERATE -> needed == OPERATE || needed == READ;
            case READ -> needed == READ;
            case INGEST -> needed == INGEST;
            case BUYER -> needed == BUYER;
        };
    }

    /** The name in keys, URLs and the OpenAPI document: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the roles there are */
    public static Role of(String id) {
        for (Role role : values()) {
            if (role.id().equals(id)) {
                return role;
            }
        }
        throw new IllegalArgumentException("no role '" + id + "': roles are "
                + Arrays.stream(values()).map(Role::id).collect(Collectors.joining(", ")));
    }
}
