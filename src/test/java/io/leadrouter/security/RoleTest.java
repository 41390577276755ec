package io.leadrouter.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoleTest {

    @Test
    void eachRoleGrantsWhatTheIssueSays() {
        assertEquals(EnumSet.allOf(Role.class), granted(Role.ADMIN));
        assertEquals(EnumSet.of(Role.OPERATE, Role.READ), granted(Role.OPERATE));
        assertEquals(EnumSet.of(Role.READ), granted(Role.READ));
        assertEquals(EnumSet.of(Role.INGEST), granted(Role.INGEST));
        assertEquals(EnumSet.of(Role.BUYER), granted(Role.BUYER));
    }

    @Test
    void rolesAreNamedInLowerCaseAndAnUnknownOneIsRefusedByName() {
        for (Role role : Role.values()) {
            assertEquals(role, Role.of(role.id()));
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Role.of("root"));
        assertTrue(refused.getMessage().contains("'root'") && refused.getMessage().contains("ingest, read, operate, admin, buyer"),
                refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Role.of("ADMIN"));
    }

    private static Set<Role> granted(Role role) {
        Set<Role> granted = EnumSet.noneOf(Role.class);
        for (Role needed : Role.values()) {
            if (role.grants(needed)) {
                granted.add(needed);
            }
        }
        return granted;
    }
}
