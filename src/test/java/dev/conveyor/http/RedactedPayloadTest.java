package dev.conveyor.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What views show of a payload's headers. */
class RedactedPayloadTest {

    @Test
    void credentialHeadersAreReplacedAndOthersKept() {
        String shown = RedactedPayload.of("""
                {"url":"https://x/","headers":{"Authorization":"Bearer a","X-API-KEY":"b","cookie":"c",
                 "Set-Cookie":"d","x-auth-token":"e","X-Client-Secret":"f","x-source":"conveyor",
                 "authorization-ref":{"secret":"crm"}}}""");

        assertThat(shown).doesNotContain("Bearer a", "\"b\"", "\"c\"", "\"d\"", "\"e\"", "\"f\"")
                .contains("\"x-source\":\"conveyor\"", "{\"secret\":\"crm\"}", "\"Authorization\":\"[redacted]\"");
    }

    @Test
    void aPayloadWithoutHeadersIsTheSameString() {
        String payload = "{\"ms\":5}";

        assertThat(RedactedPayload.of(payload)).isSameAs(payload);
        assertThat(RedactedPayload.of(null)).isNull();
    }
}
