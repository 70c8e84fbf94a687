package dispatch.incident;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SubjectsTest {

    @Test
    void replyAndForwardPrefixesAreRemovedInAnyLanguageAndCase() {
        assertThat(Subjects.clean("Re: Fwd: RE[2]: Отв: ПЕРЕСЛ: AW:WG :Авария на опоре 12345-01"))
                .isEqualTo("Авария на опоре 12345-01");
    }

    @Test
    void aWordThatOnlyStartsLikeAPrefixIsKept() {
        assertThat(Subjects.clean("Reboot: БС 690123 не работает")).isEqualTo("Reboot: БС 690123 не работает");
        assertThat(Subjects.clean("Ответственный: Иванов")).isEqualTo("Ответственный: Иванов");
    }

    @Test
    void aSubjectOfNothingButPrefixesHasNoSummary() {
        assertThat(Subjects.clean(null)).isNull();
        assertThat(Subjects.clean("   ")).isNull();
        assertThat(Subjects.clean("Re: Fwd: ")).isNull();
    }

    @Test
    void thousandsOfPrefixesAreRemovedWithoutOverflowingTheStack() {
        assertThat(Subjects.clean("Re: ".repeat(200_000) + "Нет питания")).isEqualTo("Нет питания");
    }

    @Test
    void aLongSubjectIsCutToTheSummaryColumn() {
        assertThat(Subjects.clean("Авария ".repeat(1000))).hasSize(1000);
    }

    @Test
    void generatedSubjectsLoseExactlyTheirLeadingPrefixes() {
        List<String> prefixes = List.of("Re:", "re :", "FW:", "Fwd[12]:", "AW: ", "Отв:", "Ответ :", "ПЕРЕСЛ:", " wg:");
        String alphabet = "0123456789 абвгдRe:Fw[]-\t";
        Random random = new Random(20);
        for (int i = 0; i < 2_000; i++) {
            StringBuilder subject = new StringBuilder();
            int count = random.nextInt(6);
            for (int p = 0; p < count; p++) {
                subject.append(prefixes.get(random.nextInt(prefixes.size()))).append(" ".repeat(random.nextInt(3)));
            }
            // The rest starts with a digit, so it cannot itself begin with a prefix.
            StringBuilder rest = new StringBuilder().append(random.nextInt(10));
            for (int c = random.nextInt(40); c > 0; c--) {
                rest.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            subject.append(rest);

            assertThat(Subjects.clean(subject.toString()))
                    .as("subject %s", subject)
                    .isEqualTo(rest.toString().strip());
        }
    }
}
