package dev.conveyor.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A handler's file name never breaks out of the Content-Disposition header, and arrives whole in filename*. */
class ContentDispositionTest {

    @Test
    void aPlainNameIsQuotedAndEncoded() {
        assertThat(ContentDisposition.attachment("sales 2026.pdf"))
                .isEqualTo("attachment; filename=\"sales 2026.pdf\"; filename*=UTF-8''sales%202026.pdf");
    }

    @Test
    void unicodeHasAnAsciiStandInAndTheExactNameInFilenameStar() {
        assertThat(ContentDisposition.attachment("Umsätze – 北京.csv")).isEqualTo("attachment; "
                + "filename=\"Ums_tze _ __.csv\"; filename*=UTF-8''Ums%C3%A4tze%20%E2%80%93%20%E5%8C%97%E4%BA%AC.csv");
    }

    @Test
    void quotesPathsAndLineBreaksNeverReachTheHeader() {
        String header = ContentDisposition.attachment("../a\"b\\c\r\nSet-Cookie: x=1;.pdf");

        assertThat(header).isEqualTo("attachment; filename=\".._a_b_c__Set-Cookie: x=1;.pdf\"; "
                + "filename*=UTF-8''.._a_b_c__Set-Cookie%3A%20x%3D1%3B.pdf");
        assertThat(header).doesNotContain("\r", "\n", "/", "\\");
        assertThat(ContentDisposition.attachment("..")).contains("filename=\"artifact\"");
    }
}
