package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void dropsNulsAndReplacesLoneSurrogatesButKeepsPairs() {
        String pair = "\uD835\uDC00";

        assertThat(SafeText.clean("a\u0000b")).isEqualTo("ab");
        assertThat(SafeText.clean("x\uD835y\uDC00" + pair)).isEqualTo("x\uFFFDy\uFFFD" + pair);
        assertThat(SafeText.clean("plain")).isSameAs("plain");
    }

    @Test
    void truncatesWithoutSplittingAPair() {
        assertThat(SafeText.truncate("ab\uD835\uDC00", 3)).isEqualTo("ab");
        assertThat(SafeText.truncate("abc", 5)).isEqualTo("abc");
    }

    @Test
    void overLongIdsBecomeTheSameHashWhereverTheyAppear() {
        String id = "l".repeat(3000) + "@x.test";

        String asMessageId = MessageIds.first("<" + id + ">");
        assertThat(asMessageId).hasSizeLessThanOrEqualTo(MessageIds.MAX_LENGTH).endsWith("@long-id.dispatch");
        assertThat(MessageIds.parse("<a@b> (" + "(".repeat(5000) + ")".repeat(5000) + ") <" + id + ">"))
                .containsExactly("a@b", asMessageId);
        assertThat(MessageIds.first("<short@x.test>")).isEqualTo("short@x.test");
    }
}
