package dev.conveyor.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The address a URL host names literally, read the way a system resolver reads it: besides {@code 127.0.0.1} and
 * {@code [::1]}, the {@code inet_aton} forms {@code 127.1}, {@code 2130706433}, {@code 0x7f000001} and
 * {@code 0177.0.0.1}, and a trailing dot. Anything else is a host name, for DNS.
 */
final class HostLiteral {

    private HostLiteral() {
    }

    /** The literal address of {@code host} (as in a URL, IPv6 in brackets), empty for a host name. */
    static Optional<InetAddress> of(String host) {
        try {
            if (host.startsWith("[") && host.endsWith("]")) {
                return Optional.of(InetAddress.getByName(host.substring(1, host.length() - 1)));
            }
            String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
            byte[] ipv4 = inetAton(name);
            return ipv4 == null ? Optional.empty() : Optional.of(InetAddress.getByAddress(ipv4));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + host, e);
        }
    }

    /** One to four numbers (decimal, 0x hex or 0 octal), the last filling the bytes left; null if not that form. */
    private static byte[] inetAton(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] numbers = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long n = number(parts[i]);
            if (n == null || (i < parts.length - 1 && n > 0xff)) {
                return null;
            }
            numbers[i] = n;
        }
        int lastBytes = 5 - parts.length;
        if (numbers[parts.length - 1] >= 1L << (8 * lastBytes)) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            value |= numbers[i] << (8 * (3 - i));
        }
        value |= numbers[parts.length - 1];
        return new byte[] { (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value };
    }

    private static Long number(String part) {
        int radix = 10;
        String digits = part;
        if (part.length() > 1 && (part.startsWith("0x") || part.startsWith("0X"))) {
            radix = 16;
            digits = part.substring(2);
        } else if (part.length() > 1 && part.startsWith("0")) {
            radix = 8;
            digits = part.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 11) {
            return null;
        }
        for (char c : digits.toCharArray()) {
            if (Character.digit(c, radix) < 0) {
                return null;
            }
        }
        return Long.parseLong(digits, radix);
    }
}
