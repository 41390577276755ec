package io.leadrouter.delivery;

import java.net.UnknownHostException;

/**
 * A buyer's host resolved to an address inside this network that the router may not reach: the
 * HTTP client gives up on the host as if it had no address, and tries none of its others.
 */
public final class BuyerAddressRefusedException extends UnknownHostException {

    public BuyerAddressRefusedException(String host, String why) {
        super(host + " resolves to " + why);
    }
}
