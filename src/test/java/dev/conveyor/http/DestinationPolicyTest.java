package dev.conveyor.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The address rules on their own: addresses only, nothing is sent anywhere. */
class DestinationPolicyTest {

    private final DestinationPolicy defaults = DestinationPolicy.allowing(List.of());

    @ParameterizedTest
    @CsvSource({ "127.0.0.1, loopback", "127.255.255.254, loopback", "::1, loopback", "0.0.0.0, unspecified",
            ":: , unspecified", "169.254.169.254, link-local", "fe80::1, link-local", "10.1.2.3, private",
            "172.31.255.255, private", "192.168.0.1, private", "fc00::1, private", "fd12:3456::1, private",
            "100.64.0.1, shared", "100.127.255.254, shared", "224.0.0.251, multicast", "ff02::1, multicast",
            "255.255.255.255, broadcast", "240.0.0.1, reserved", "192.0.2.10, documentation",
            "2001:db8::1, documentation", "198.18.0.1, reserved", "::ffff:127.0.0.1, loopback",
            "::ffff:169.254.169.254, link-local", "64:ff9b::a9fe:a9fe, link-local", "64:ff9b::a00:1, private",
            "64:ff9b:1::1, private", "2002:7f00:1::, loopback", "2002:c0a8:101::, private", "2001::1, reserved",
            "::127.0.0.1, reserved", "fec0::1, site-local", "4000::1, reserved" })
    void specialAddressesAreRefusedWithTheirKind(String address, String kind) throws UnknownHostException {
        assertThat(defaults.refusal(InetAddress.getByName(address))).contains(kind);
    }

    @ParameterizedTest
    @ValueSource(strings = { "93.184.215.14", "1.1.1.1", "100.128.0.1", "172.32.0.1", "2606:4700::1111",
            "64:ff9b::5db8:d70e", "2002:5db8:d70e::1" })
    void publicAddressesAreAllowed(String address) throws UnknownHostException {
        assertThat(defaults.refusal(InetAddress.getByName(address))).isEmpty();
    }

    @Test
    void allowedNetworksReallowOnlyTheirRange() throws UnknownHostException {
        DestinationPolicy policy = DestinationPolicy.allowing(List.of("10.20.0.0/16", "::1/128", " 127.0.0.1 "));

        assertThat(policy.refusal(InetAddress.getByName("10.20.30.40"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("::1"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("127.0.0.1"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("64:ff9b::a14:1e28"))).isEmpty();
        assertThat(policy.refusal(InetAddress.getByName("10.21.0.1"))).contains("private");
        assertThat(policy.refusal(InetAddress.getByName("127.0.0.2"))).contains("loopback");
    }

    @ParameterizedTest
    @CsvSource({ "http://127.1/, loopback", "http://2130706433/, loopback", "http://0x7f000001/, loopback",
            "http://0X7F.0.0.1/, loopback", "http://0177.0.0.01/, loopback", "http://127.0.1/, loopback",
            "http://127.0.0.1./, loopback", "http://[::ffff:127.0.0.1]:8080/, loopback", "http://[0:0:0:0:0:0:0:1]/, loopback",
            "http://0/, unspecified", "http://0xa9.0xfe.0xa9.0xfe/, link-local", "http://2852039166/, link-local",
            "https://u:p@10.0.0.1/?q=1, private" })
    void literalHostsAreReadTheWayAResolverReadsThem(String url, String kind) {
        assertThat(defaults.literalRefusal(url)).contains("must not point to a " + kind + " address");
    }

    @Test
    void anUnreadableAddressIsRefused() {
        assertThat(defaults.literalRefusal("http://[fe80::1%25nosuchinterface0]/")).contains("must have a valid host");
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://example.com/", "http://1.2.3.4.5/", "http://127.0.0.1.example.com/",
            "http://0x7f000001x/", "http://256.0.0.1/", "not a url" })
    void hostNamesAndNonUrlsAreNotLiteralRefusals(String url) {
        assertThat(defaults.literalRefusal(url)).isEmpty();
    }
}
