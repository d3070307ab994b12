from desk_app.domain.templates import (
    MARK_CLOSE,
    MARK_OPEN,
    SpanKind,
    TemplateContext,
    first_name_of,
    render,
    unknown_variables,
    unresolved_spans,
)

VALUES = TemplateContext(
    customer_name="Иван Петров",
    customer_platform="Android",
    customer_app_version="134",
    agent_name="Анна Смирнова",
    ticket_number=1042,
).values()


def test_variables_are_filled_on_insert() -> None:
    text = render(
        "{customer.first_name}, обновите приложение на {customer.platform} "
        "(у вас {customer.app_version}). Обращение №{ticket.number}. {agent.first_name}",
        VALUES,
    )
    assert text.text == "Иван, обновите приложение на Android (у вас 134). Обращение №1042. Анна"
    assert text.complete


def test_empty_and_unknown_variables_stay_visible_and_are_reported() -> None:
    result = render("Hi {customer.first_name}, your city {customer.city}, {customer.shoe_size}", {})
    assert (
        result.text == "Hi {customer.first_name}, your city {customer.city}, {customer.shoe_size}"
    )
    kinds = [(s.kind, s.name) for s in result.spans]
    assert kinds == [
        (SpanKind.EMPTY_VARIABLE, "customer.first_name"),
        (SpanKind.EMPTY_VARIABLE, "customer.city"),
        (SpanKind.UNKNOWN_VARIABLE, "customer.shoe_size"),
    ]
    for span in result.spans:
        assert result.text[span.start : span.end] == "{" + span.name + "}"
    assert "Unknown variable" in result.spans[2].describe()


def test_alternatives_rotate_so_consecutive_uses_differ() -> None:
    template = "[[Спасибо|Огромное спасибо|Благодарим]] за отзыв!"
    texts = [render(template, {}, rotation=n).text for n in range(3)]
    assert texts == ["Спасибо за отзыв!", "Огромное спасибо за отзыв!", "Благодарим за отзыв!"]
    chosen = render(template, {}, choices=(2,))
    assert chosen.text == "Благодарим за отзыв!"
    assert chosen.alternative_counts == (3,)


def test_personalise_marks_are_inserted_visibly_and_block_send() -> None:
    result = render("Спасибо! [[!что именно понравилось]] Ждём снова.", {})
    assert result.text == f"Спасибо! {MARK_OPEN}что именно понравилось{MARK_CLOSE} Ждём снова."
    assert result.spans[0].kind is SpanKind.PERSONALISE
    assert not result.complete


def test_nothing_raw_reaches_a_customer() -> None:
    text = f"Привет, {{customer.first_name}}! {MARK_OPEN}добавьте деталь{MARK_CLOSE} [[a|b]]"
    kinds = [s.kind for s in unresolved_spans(text)]
    assert kinds == [SpanKind.PLACEHOLDER, SpanKind.PERSONALISE, SpanKind.RAW_SYNTAX]
    assert unresolved_spans("Здравствуйте, Иван! Код {404} и {JSON} не переменные.") == []


def test_first_name_only_when_it_is_a_name() -> None:
    assert first_name_of("иван петров") == "Иван"
    assert first_name_of("ivan.petrov@mail.ru") is None
    assert first_name_of("A Google user") is None
    assert first_name_of("@ivan_p") is None
    assert first_name_of(None) is None


def test_library_authors_see_unknown_variables() -> None:
    assert unknown_variables("{customer.first_name} {ticket.numbr}") == ["ticket.numbr"]
