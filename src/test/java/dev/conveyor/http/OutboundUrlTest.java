package dev.conveyor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** URLs as the client splits them, and as errors and logs show them. */
class OutboundUrlTest {

    @Test
    void userInfoQueryAndFragmentNeverShow() {
        OutboundUrl url = OutboundUrl.parse("https://user:pa55@api.example.com:8443/v1/hook?token=t0k3n#frag");

        assertThat(url.toString()).isEqualTo("https://api.example.com:8443/v1/hook");
        assertThat(url.requestUri()).isEqualTo("/v1/hook?token=t0k3n");
        assertThat(url.authority()).isEqualTo("api.example.com:8443");
    }

    @Test
    void aRedirectResolvesAgainstTheCurrentUrl() {
        OutboundUrl url = OutboundUrl.parse("http://a.example/x/y?q=1");

        assertThat(url.resolve("/z").toString()).isEqualTo("http://a.example/z");
        assertThat(url.resolve("https://b.example:444/w?t=2").requestUri()).isEqualTo("/w?t=2");
        assertThatThrownBy(() -> url.resolve("file:///etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyAbsoluteHttpUrlsAreAccepted() {
        for (String bad : new String[] { "ftp://x/", "/relative", "http:///nohost", "http://exa mple/", "gopher://x" }) {
            assertThatThrownBy(() -> OutboundUrl.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
