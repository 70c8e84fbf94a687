package dispatch.autoreply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebFormTest {

    @Test
    void theFeedbackAddressIsTheRequesterAndObserversAreCopiedInOrder() {
        String body = """
                Новая заявка с сайта.
                {"Имя": "Иван", "E-mail для обратной связи": "Ivanov@Client.example",
                 "E-mail наблюдателя по заявке 1": "petrov@client.example",
                 "E-mail наблюдателя по заявке 2": "",
                 "E-mail наблюдателя по заявке 3": "sidorov@client.example",
                 "Описание": "Нет связи на опоре 50123-01"}
                """;

        assertThat(WebForm.in(body))
                .contains(new WebForm(
                        "Ivanov@Client.example", java.util.List.of("petrov@client.example", "sidorov@client.example")));
    }

    @Test
    void aMailWithoutTheFormOrWithAnUnusableAddressIsNotAForm() {
        assertThat(WebForm.in("Нет связи {на опоре} 50123-01")).isEmpty();
        assertThat(WebForm.in("{\"E-mail для обратной связи\": \"not an address\"}"))
                .isEmpty();
        assertThat(WebForm.in("{\"E-mail для обратной связи\": \"ivanov@client.example\""))
                .isEmpty();
        assertThat(WebForm.in(null)).isEmpty();
    }

    @Test
    void theFirstObjectWithAFeedbackAddressCounts() {
        String body = "{\"ticket\": 17} текст {\"E-mail для обратной связи\": \"a@client.example\"}"
                + " {\"E-mail для обратной связи\": \"b@client.example\"}";

        assertThat(WebForm.in(body).map(WebForm::requester)).contains("a@client.example");
    }
}
