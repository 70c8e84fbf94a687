package dispatch.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/** Pole and base station from mail text, against the dev sample TowerStore data. */
@DispatchIntegrationTest
class LocationExtractorIntegrationTest {

    @Autowired
    LocationExtractor extractor;

    @Autowired
    TowerStoreImport towerStoreImport;

    @Autowired
    TowerStore towerStore;

    @BeforeEach
    void importSampleData() {
        if (towerStore.polesByCode("50123-01").isEmpty()) {
            towerStoreImport.importAll();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "Авария по питанию на опоре 50123-01                 | 50123-01   | -",
                "Не работает БС TW_0077_Bereg с утра                 | 69077-02   | TW_0077_Bereg",
                "Авария на опоре 77-0412-01 / БС 50-7412             | 77-0412-01 | 50-7412",
                "БС MO0123 (опора 50123-01) без питания              | 50123-01   | MO0123",
                "Прошу проверить MO0562, шум в эфире                 | 50562-03   | MO0562",
                "Звонить +7 912 000-01-01 или 8 (912) 000-04-01      | -          | -",
                "С 17.11.2026 10:15 нет связи, адрес 10.50.123.1     | -          | -",
                "Пишите на avr-50123@remsvyazmontazh.example.test    | -          | -",
                "Заявка 2026 года, счёт 12345                        | -          | -",
            })
    void findsWhatTheMailIsAbout(String text, String pole, String baseStation) {
        LocationExtractor.Location location = extractor.find(text, null);

        assertThat(location.poleId() == null ? null : poleCode(location.poleId()))
                .isEqualTo(pole);
        assertThat(location.baseStationId() == null ? null : bsName(text, location.baseStationId()))
                .isEqualTo(baseStation);
    }

    @Test
    void aPoleCodeOnTwoTowerStoreRowsIsReportedAsAmbiguousNotGuessed() {
        LocationExtractor.Location location = extractor.find("Авария на опоре 50417-01", null);

        assertThat(location.poleId()).isNull();
        assertThat(location.note()).contains("ambiguous").contains("50417-01");
    }

    @Test
    void subjectWinsOverBody() {
        LocationExtractor.Location location =
                extractor.find("Авария на опоре 50123-01", "соседняя опора 69012-01 в порядке");

        assertThat(poleCode(location.poleId())).isEqualTo("50123-01");
    }

    private String poleCode(long poleId) {
        return towerStore.polesByCode("50123-01").stream().anyMatch(p -> p.id() == poleId)
                ? "50123-01"
                : java.util.stream.Stream.of("69077-02", "77-0412-01", "50562-03")
                        .filter(code -> towerStore.polesByCode(code).stream().anyMatch(p -> p.id() == poleId))
                        .findFirst()
                        .orElse("pole#" + poleId);
    }

    private String bsName(String text, long baseStationId) {
        for (String token : LocationExtractor.tokens(text)) {
            for (TowerStore.BaseStation bs : towerStore.baseStationsByName(token)) {
                if (bs.id() == baseStationId) return bs.name();
            }
        }
        return "bs#" + baseStationId;
    }
}
