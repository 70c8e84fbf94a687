package dispatch.towerstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CellsTest {

    @Test
    void russianPhonesInEveryUsualFormBecomePlusSevenAndTenDigits() {
        List<String> rejected = new ArrayList<>();

        List<String> phones = Cells.phones(
                "+7 912 000-01-01, 8 (912) 000-04-01; 89120000201/+79120000301\n+7 (912) 000-05-01", rejected::add);

        assertThat(phones)
                .containsExactly("+79120000101", "+79120000401", "+79120000201", "+79120000301", "+79120000501");
        assertThat(phones).allMatch(p -> p.length() == 12);
        assertThat(rejected).isEmpty();
    }

    @Test
    void tenDigitsGetTheRussianPrefixForeignNumbersKeepTheirsAndFragmentsAreRejected() {
        List<String> rejected = new ArrayList<>();

        List<String> phones = Cells.phones("9120000601, +375 29 123-45-67, 123, доб. 45", rejected::add);

        assertThat(phones).containsExactly("+79120000601", "+375291234567");
        assertThat(rejected).containsExactly("123", "доб. 45");
    }

    @Test
    void phonesSeparatedOnlyBySpacesAreStillTwoNumbers() {
        assertThat(Cells.phones("89120000201 89120000202", r -> {})).containsExactly("+79120000201", "+79120000202");
    }

    @Test
    void duplicatePhonesAreKeptOnce() {
        assertThat(Cells.phones("+79120000101, 8 912 000-01-01", r -> {})).containsExactly("+79120000101");
        assertThat(Cells.phones(null, r -> {})).isEmpty();
    }

    @Test
    void emailsAreSplitValidatedAndLowerCased() {
        List<String> rejected = new ArrayList<>();

        List<String> emails = Cells.emails(
                " AVR@Example.test; noc@example.test,\tops@example.test  bad-address, x@, avr@example.test",
                rejected::add);

        assertThat(emails).containsExactly("avr@example.test", "noc@example.test", "ops@example.test");
        assertThat(rejected).containsExactly("bad-address", "x@");
    }

    @Test
    void emptyEmailCellGivesNoAddresses() {
        assertThat(Cells.emails(null, r -> {})).isEmpty();
        assertThat(Cells.emails("  ", r -> {})).isEmpty();
    }

    @Test
    void coordinatesThatAreNotFiniteNumbersInRangeAreUnknown() {
        assertThat(Cells.number("55.75", -90, 90)).isEqualTo(55.75);
        assertThat(Cells.number("55,75", -90, 90)).isEqualTo(55.75);
        assertThat(Cells.number("NaN", -90, 90)).isNull();
        assertThat(Cells.number("Infinity", -90, 90)).isNull();
        assertThat(Cells.number("", -90, 90)).isNull();
        assertThat(Cells.number(null, -90, 90)).isNull();
        assertThat(Cells.number("север", -90, 90)).isNull();
        assertThat(Cells.number("95", -90, 90)).isNull();
    }

    @Test
    void siteIdsAreWholePositiveNumbersEvenWhenWrittenAsFloats() {
        assertThat(Cells.siteId("100101")).isEqualTo(100101L);
        assertThat(Cells.siteId("100101.0")).isEqualTo(100101L);
        assertThat(Cells.siteId("100101.5")).isNull();
        assertThat(Cells.siteId("abc")).isNull();
        assertThat(Cells.siteId("0")).isNull();
        assertThat(Cells.siteId(null)).isNull();
    }

    @Test
    void emptyExclusionMeansNotExcludedAndUnknownWordsAreNotGuessed() {
        assertThat(Cells.excluded(null)).isFalse();
        assertThat(Cells.excluded("")).isFalse();
        assertThat(Cells.excluded("нет")).isFalse();
        assertThat(Cells.excluded("Нет")).isFalse();
        assertThat(Cells.excluded("нет ")).isFalse();
        assertThat(Cells.excluded("да")).isTrue();
        assertThat(Cells.excluded("Да")).isTrue();
        assertThat(Cells.excluded("может быть")).isNull();
    }
}
