package dev.conveyor.email;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** What Conveyor sends to and from: one ASCII mailbox at a host name, with a display name that cannot break a header. */
class EmailAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = { "ann@example.com", "Ann Example <ann@example.com>", "first.last+tag@mail.example.co.uk",
            "x@xn--bcher-kva.example", "o'brien@example.com" })
    void accepted(String address) {
        assertThat(EmailAddresses.problem(address)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "ann", "ann@", "@example.com", "ann@@example.com", "ann@example",
            "ann@[127.0.0.1]", "ann@exämple.com", "änn@example.com", "ann@example.com\r\nBcc: eve@example.net",
            "ann@example.com\nX: y", "a@example.com, b@example.com", "team: a@example.com;",
            "\"Ann <x>\" <ann@example.com>", "Ann\u0007 <ann@example.com>", "ann @example.com",
            "ann@-example.com", "ann@example.com." })
    void refused(String address) {
        assertThat(EmailAddresses.problem(address)).as(address).isPresent();
    }

    @Test
    void lengthsAreBounded() {
        String local = "a".repeat(64);
        String domain = ("d".repeat(60) + ".").repeat(3) + "com";
        assertThat(EmailAddresses.problem(local + "@" + domain)).isEmpty();
        assertThat(EmailAddresses.problem(local + "@" + "d".repeat(60) + "." + domain))
                .contains("must be at most 254 characters without its display name");
        assertThat(EmailAddresses.problem("N".repeat(310) + " <ann@example.com>"))
                .contains("must be at most 320 characters");
    }

    @Test
    void domainIsTheMailboxDomainInLowerCase() {
        assertThat(EmailAddresses.domain("Ann <Ann@Example.COM>")).isEqualTo("example.com");
        assertThat(EmailAddresses.mailbox("Ann <Ann@Example.COM>")).isEqualTo("Ann@Example.COM");
    }

    @Test
    void onlyTheConfiguredSenderAndTheAllowListMaySend() {
        Senders senders = new Senders(Optional.of("Conveyor <noreply@example.com>"),
                List.of("Example.org", "alerts@example.net"));
        assertThat(senders.refusal(null)).isEmpty();
        assertThat(senders.refusal("NoReply@Example.com")).isEmpty();
        assertThat(senders.refusal("Billing <billing@example.org>")).isEmpty();
        assertThat(senders.refusal("alerts@example.net")).isEmpty();
        assertThat(senders.refusal("ceo@example.net")).isPresent();
        assertThat(senders.refusal("billing@sub.example.org")).as("a domain entry is that domain only").isPresent();
        assertThat(senders.refusal("ann@example.com")).as("the default sender's domain is not allowed by it").isPresent();
        assertThat(new Senders(Optional.empty(), List.of()).refusal(null)).contains(
                "is required: no default sender (conveyor.email.from) is configured");
    }
}
