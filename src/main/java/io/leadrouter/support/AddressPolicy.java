package io.leadrouter.support;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a buyer URL may reach: anything outside this network, and inside it only what
 * {@code leadrouter.buyers.allowed-networks} lists. Inside means loopback, link-local (the cloud
 * metadata service at 169.254.169.254 included), private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * carrier-grade NAT (100.64/10), unspecified (0.0.0.0, ::) and multicast. Checked when a buyer file
 * is loaded and again on every connection (DNS can change between the two).
 */
public final class AddressPolicy {

    /** A network in CIDR notation, e.g. {@code 10.1.0.0/16} or {@code 127.0.0.1/32}. */
    public record Network(byte[] prefix, int bits) {

        /** @throws IllegalArgumentException naming the text that is not a CIDR */
        public static Network parse(String cidr) {
            String[] parts = cidr.trim().split("/", 2);
            try {
                if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException("not an address");
                }
                byte[] address = InetAddress.getByName(parts[0]).getAddress(); // a literal: no lookup
                int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
                if (bits < 0 || bits > address.length * 8) {
                    throw new IllegalArgumentException("prefix length " + bits + " out of range");
                }
                return new Network(address, bits);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + cidr.trim() + "' is not a network in CIDR notation (e.g. 10.0.0.0/8)", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || ((bytes[full] ^ prefix[full]) & (0xff << (8 - rest))) == 0;
        }
    }

    private final List<Network> allowed;

    public AddressPolicy(List<Network> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** From a comma-separated list of CIDRs; empty or blank allows nothing inside. */
    public static AddressPolicy allowing(String cidrs) {
        List<Network> networks = new ArrayList<>();
        if (cidrs != null) {
            Arrays.stream(cidrs.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Network::parse).forEach(networks::add);
        }
        return new AddressPolicy(networks);
    }

    /** This policy with one more network allowed. */
    public AddressPolicy alsoAllowing(Network network) {
        List<Network> networks = new ArrayList<>(allowed);
        networks.add(network);
        return new AddressPolicy(networks);
    }

    /** Why the address may not be reached, or empty if it may. */
    public Optional<String> refusal(InetAddress address) {
        Optional<String> inside = insideKind(address);
        if (inside.isEmpty() || allowed.stream().anyMatch(network -> network.contains(address))) {
            return Optional.empty();
        }
        return Optional.of(address.getHostAddress() + " is a " + inside.get() + " address, inside this network"
                + " (leadrouter.buyers.allowed-networks does not list it)");
    }

    /** The kind of inside address this is, or empty for an address outside. */
    static Optional<String> insideKind(InetAddress address) {
        if (address instanceof Inet6Address v6 && isIpv4Mapped(v6)) {
            try {
                return insideKind(InetAddress.getByAddress(Arrays.copyOfRange(v6.getAddress(), 12, 16)));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        if (address.isLoopbackAddress()) {
            return Optional.of("loopback");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("link-local");
        }
        if (address.isSiteLocalAddress() || isUniqueLocal(address)) {
            return Optional.of("private");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("unspecified");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("multicast");
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return Optional.of("carrier-grade NAT");
        }
        if (address instanceof Inet4Address && (b[0] & 0xff) == 0) {
            return Optional.of("unspecified");
        }
        return Optional.empty();
    }

    private static boolean isUniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static boolean isIpv4Mapped(Inet6Address address) {
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }
}
