package io.leadrouter.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {

    private static final AddressPolicy NOTHING_INSIDE = AddressPolicy.allowing("");

    @Test
    void everyKindOfInsideAddressIsRefusedAndNamed() throws Exception {
        String[][] inside = {
                {"127.0.0.1", "loopback"}, {"127.8.9.10", "loopback"}, {"::1", "loopback"},
                {"169.254.169.254", "link-local"}, {"fe80::1", "link-local"},
                {"10.1.2.3", "private"}, {"172.16.0.1", "private"}, {"172.31.255.255", "private"}, {"192.168.1.1", "private"},
                {"fd12:3456::1", "private"}, {"100.64.0.1", "carrier-grade NAT"}, {"100.127.255.255", "carrier-grade NAT"},
                {"0.0.0.0", "unspecified"}, {"::", "unspecified"}, {"0.1.2.3", "unspecified"}, {"224.0.0.1", "multicast"},
                {"::ffff:10.0.0.1", "private"}};
        for (String[] address : inside) {
            Optional<String> refusal = NOTHING_INSIDE.refusal(InetAddress.getByName(address[0]));
            assertTrue(refusal.isPresent() && refusal.get().contains("is a " + address[1] + " address"), address[0] + ": " + refusal);
        }
    }

    @Test
    void addressesOutsideArePassed() throws Exception {
        for (String address : new String[] {"8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2001:4860:4860::8888", "11.0.0.1"}) {
            assertEquals(Optional.empty(), NOTHING_INSIDE.refusal(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void theAllowListOpensExactlyItsNetworks() throws Exception {
        AddressPolicy policy = AddressPolicy.allowing("10.20.0.0/16, 127.0.0.1/32,fd00::/8");

        assertEquals(Optional.empty(), policy.refusal(InetAddress.getByName("10.20.255.1")));
        assertTrue(policy.refusal(InetAddress.getByName("10.21.0.1")).isPresent());
        assertEquals(Optional.empty(), policy.refusal(InetAddress.getByName("127.0.0.1")));
        assertTrue(policy.refusal(InetAddress.getByName("127.0.0.2")).isPresent());
        assertEquals(Optional.empty(), policy.refusal(InetAddress.getByName("fd99::1")));
        assertTrue(AddressPolicy.allowing("10.0.0.0/9").refusal(InetAddress.getByName("10.128.0.1")).isPresent(),
                "a prefix length that is not a whole number of bytes");
    }

    @Test
    void aNetworkThatIsNotCidrIsRefusedByName() {
        for (String wrong : new String[] {"example.com/8", "10.0.0.0/33", "10.0.0.0/x", "::1/129"}) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> AddressPolicy.allowing(wrong));
            assertTrue(refused.getMessage().contains("'" + wrong + "' is not a network in CIDR notation"), refused.getMessage());
        }
    }
}
