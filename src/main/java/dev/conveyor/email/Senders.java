package dev.conveyor.email;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Which senders a job may use. A client that could set any {@code From} could send mail in the organisation's name
 * from any of its addresses, so only the configured sender and the allow-list ({@code conveyor.email.allowed-from}:
 * addresses, or whole domains) are accepted.
 */
@Singleton
public class Senders {

    private final Optional<String> defaultFrom;
    private final List<String> allowed;

    @Inject
    Senders(EmailConfig config) {
        this(config.from(), config.allowedFrom().orElse(List.of()));
    }

    Senders(Optional<String> defaultFrom, List<String> allowed) {
        this.defaultFrom = defaultFrom.filter(from -> !from.isBlank());
        this.allowed = allowed.stream().map(String::trim).filter(entry -> !entry.isEmpty())
                .map(entry -> entry.toLowerCase(Locale.ROOT)).toList();
    }

    /** The sender of a job that names none. */
    public Optional<String> defaultFrom() {
        return defaultFrom;
    }

    /** Why this job may not send from {@code from} (an address already found valid); empty when it may. */
    public Optional<String> refusal(String from) {
        if (from == null) {
            return defaultFrom.isPresent() ? Optional.empty()
                    : Optional.of("is required: no default sender (conveyor.email.from) is configured");
        }
        String mailbox = EmailAddresses.mailbox(from).toLowerCase(Locale.ROOT);
        String domain = EmailAddresses.domain(from);
        boolean isDefault = defaultFrom.map(d -> EmailAddresses.mailbox(d).equalsIgnoreCase(mailbox)).orElse(false);
        if (isDefault || allowed.contains(mailbox) || allowed.contains(domain)) {
            return Optional.empty();
        }
        return Optional.of("is not an allowed sender (conveyor.email.from, conveyor.email.allowed-from)");
    }
}
