package io.leadrouter.delivery;

import io.leadrouter.support.AddressPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

/**
 * The connections to buyers: one pool for every buyer endpoint (camel-http's http and https
 * components share it), whose name resolution refuses addresses inside this network unless the
 * {@link AddressPolicy} allows them. The addresses a connection is made to are the ones checked, at
 * every connection: a name that resolved outside when the buyer file was loaded and inside later
 * (DNS rebinding) is refused then. Redirects are not followed (camel-http's default, kept).
 */
public final class BuyerConnections {

    private BuyerConnections() {
    }

    public static HttpClientConnectionManager pool(AddressPolicy policy, int maxTotal, int maxPerRoute) {
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(guarded(policy))
                .setMaxConnTotal(maxTotal)
                .setMaxConnPerRoute(maxPerRoute)
                .build();
    }

    static DnsResolver guarded(AddressPolicy policy) {
        return new DnsResolver() {
            @Override
            public InetAddress[] resolve(String host) throws UnknownHostException {
                InetAddress[] addresses = SystemDefaultDnsResolver.INSTANCE.resolve(host);
                for (InetAddress address : addresses) {
                    Optional<String> refusal = policy.refusal(address);
                    if (refusal.isPresent()) {
                        throw new BuyerAddressRefusedException(host, refusal.get());
                    }
                }
                return addresses;
            }

            @Override
            public String resolveCanonicalHostname(String host) throws UnknownHostException {
                return SystemDefaultDnsResolver.INSTANCE.resolveCanonicalHostname(host);
            }
        };
    }
}
