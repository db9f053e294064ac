package dev.conveyor.http;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * Which addresses outbound requests may reach: every address except loopback, unspecified, link-local, private,
 * shared, multicast, broadcast and reserved ones (IPv4-mapped, NAT64 and 6to4 forms are judged by the IPv4 address
 * they carry), unless {@code conveyor.http.allowed-networks} re-allows them on purpose.
 */
@Singleton
public class DestinationPolicy {

    private static final Logger LOG = Logger.getLogger(DestinationPolicy.class);

    private record Blocked(Cidr range, String kind) {
    }

    private static final List<Blocked> BLOCKED = List.of(
            blocked("0.0.0.0/8", "unspecified"),
            blocked("10.0.0.0/8", "private"),
            blocked("100.64.0.0/10", "shared"),
            blocked("127.0.0.0/8", "loopback"),
            blocked("169.254.0.0/16", "link-local"),
            blocked("172.16.0.0/12", "private"),
            blocked("192.0.0.0/24", "reserved"),
            blocked("192.0.2.0/24", "documentation"),
            blocked("192.88.99.0/24", "reserved"),
            blocked("192.168.0.0/16", "private"),
            blocked("198.18.0.0/15", "reserved"),
            blocked("198.51.100.0/24", "documentation"),
            blocked("203.0.113.0/24", "documentation"),
            blocked("224.0.0.0/4", "multicast"),
            blocked("255.255.255.255/32", "broadcast"),
            blocked("240.0.0.0/4", "reserved"),
            blocked("::/128", "unspecified"),
            blocked("::1/128", "loopback"),
            blocked("64:ff9b:1::/48", "private"),
            blocked("100::/64", "reserved"),
            blocked("2001::/23", "reserved"),
            blocked("2001:db8::/32", "documentation"),
            blocked("3fff::/20", "documentation"),
            blocked("fc00::/7", "private"),
            blocked("fe80::/10", "link-local"),
            blocked("fec0::/10", "site-local"),
            blocked("ff00::/8", "multicast"));
    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private final List<Cidr> allowed;

    @Inject
    DestinationPolicy(HttpConfig config) {
        this(config.allowedNetworks().orElse(List.of()));
        if (!allowed.isEmpty()) {
            LOG.warnf("Outbound requests (http jobs) may reach these otherwise blocked networks: %s", allowed);
        }
    }

    private DestinationPolicy(List<String> allowedNetworks) {
        this.allowed = allowedNetworks.stream().filter(s -> !s.isBlank()).map(Cidr::parse).toList();
    }

    /** A policy that re-allows these CIDRs, for tests and tools. */
    public static DestinationPolicy allowing(List<String> allowedNetworks) {
        return new DestinationPolicy(allowedNetworks);
    }

    /** Why {@code address} may not be reached ("loopback", "private"...), or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (allowed.stream().anyMatch(cidr -> cidr.contains(bytes))) {
            return Optional.empty();
        }
        if (address instanceof Inet6Address) {
            Optional<byte[]> embedded = embeddedIpv4(bytes);
            if (embedded.isPresent()) {
                return refusal(ipv4(embedded.get()));
            }
        }
        for (Blocked b : BLOCKED) {
            if (b.range().contains(bytes)) {
                return Optional.of(b.kind());
            }
        }
        if (address instanceof Inet6Address && !GLOBAL_UNICAST_V6.contains(bytes)) {
            return Optional.of("reserved");
        }
        return Optional.empty();
    }

    /**
     * Why a URL may not be requested because its host is a literal blocked address (in any spelling a resolver
     * accepts), or empty: when it may, when its host is a name (checked once resolved), or when it is no URL.
     */
    public Optional<String> literalRefusal(String url) {
        OutboundUrl parsed;
        try {
            parsed = OutboundUrl.parse(url);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // no URL: the payload's own check says so
        }
        try {
            return HostLiteral.of(parsed.host()).flatMap(this::refusal)
                    .map(kind -> "must not point to a " + kind + " address");
        } catch (IllegalArgumentException e) {
            return Optional.of("must have a valid host");
        }
    }

    /** The IPv4 address an IPv4-mapped, NAT64 or 6to4 address carries. */
    private static Optional<byte[]> embeddedIpv4(byte[] v6) {
        if (isIpv4Mapped(v6) || NAT64.contains(v6)) {
            return Optional.of(Arrays.copyOfRange(v6, 12, 16));
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return Optional.of(Arrays.copyOfRange(v6, 2, 6));
        }
        return Optional.empty();
    }

    /** {@code ::ffff:0:0/96}, which Java itself mostly turns into IPv4 addresses already. */
    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Blocked blocked(String cidr, String kind) {
        return new Blocked(Cidr.parse(cidr), kind);
    }
}
