package dev.conveyor.email;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * The one place an email address is judged. jakarta.mail's strict RFC 822 parser does the grammar (it refuses CR/LF,
 * two addresses in one, a missing domain); on top of it Conveyor accepts only what every SMTP server takes without
 * extensions: one ASCII mailbox at a host name (no group, no IP literal), with an optional display name that cannot
 * confuse the header it lands in.
 */
public final class EmailAddresses {

    /** RFC 5321's limit of a forward path; the whole text (display name included) at most {@link #MAX_TEXT}. */
    static final int MAX_ADDRESS = 254;
    static final int MAX_TEXT = 320;

    private static final Pattern HOST = Pattern.compile(
            "(?i)(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern NAME_FORBIDDEN = Pattern.compile("[<>\"\\\\]");

    private EmailAddresses() {
    }

    /** Why {@code text} is not an address Conveyor sends to or from; empty when it is one. */
    public static Optional<String> problem(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of("must be an email address");
        }
        if (text.length() > MAX_TEXT) {
            return Optional.of("must be at most " + MAX_TEXT + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("must not contain line breaks or other control characters");
        }
        InternetAddress parsed;
        try {
            parsed = new InternetAddress(text, true);
            parsed.validate();
        } catch (AddressException e) {
            return Optional.of("is not a valid email address");
        }
        if (parsed.isGroup()) {
            return Optional.of("must be one address, not a group");
        }
        String address = parsed.getAddress();
        if (address.length() > MAX_ADDRESS) {
            return Optional.of("must be at most " + MAX_ADDRESS + " characters without its display name");
        }
        if (!address.chars().allMatch(c -> c > 32 && c < 127)) {
            return Optional.of("must be ASCII (write an international domain in its xn-- form)");
        }
        if (!HOST.matcher(domainOf(address)).matches()) {
            return Optional.of("must be at a host name such as example.com");
        }
        String name = parsed.getPersonal();
        if (name != null && NAME_FORBIDDEN.matcher(name).find()) {
            return Optional.of("has a display name with a quote, backslash or angle bracket");
        }
        return Optional.empty();
    }

    /** The bare address of a valid address text ({@code "Ann <ann@example.com>"} gives {@code ann@example.com}). */
    public static String mailbox(String text) {
        try {
            return new InternetAddress(text, true).getAddress();
        } catch (AddressException e) {
            throw new IllegalArgumentException("not a valid email address", e);
        }
    }

    /** The domain of a valid address text, lower case. */
    public static String domain(String text) {
        return domainOf(mailbox(text)).toLowerCase(Locale.ROOT);
    }

    private static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }
}
