from desk_app.domain.duplicates import (
    THRESHOLD,
    Conflict,
    CustomerFacts,
    Evidence,
    blocking_keys,
    candidates_for,
    decode_facts,
    encode_facts,
    find_candidates,
    normalize_email,
    normalize_phone,
    score_pair,
)


def facts(id: str, name: str, **contacts: list[str]) -> CustomerFacts:
    return CustomerFacts.build(id, name, **contacts)


def test_email_normalisation_folds_case_tags_and_gmail_dots() -> None:
    assert normalize_email(" Ivan.Ivanov+market@GMail.com ") == "ivanivanov@gmail.com"
    assert normalize_email("ivan.ivanov@mail.ru") == "ivan.ivanov@mail.ru"
    assert normalize_email("not an address") is None


def test_phone_normalisation_understands_russian_forms() -> None:
    assert normalize_phone("8 (916) 123-45-67") == "+79161234567"
    assert normalize_phone("+7 916 123 45 67") == "+79161234567"
    assert normalize_phone("916 123 45 67") == "+79161234567"
    assert normalize_phone("12-34") is None


def test_same_name_across_scripts_on_different_channels_is_a_candidate() -> None:
    telegram = facts("t", "Иван Иванов")
    play = facts("p", "Ivan Ivanov")
    result = score_pair(telegram, play)
    assert result.is_candidate
    assert Evidence.SAME_NAME in result.evidence


def test_two_real_ivan_ivanovs_with_different_emails_stay_below_threshold() -> None:
    one = facts("1", "Иван Иванов", emails=["ivanov@mail.ru"])
    other = facts("2", "Ivan Ivanov", emails=["i.ivanov@yandex.ru"])
    result = score_pair(one, other)
    assert result.score < THRESHOLD
    assert Conflict.DIFFERENT_EMAILS in result.conflicts


def test_namesakes_with_different_phones_stay_below_threshold() -> None:
    one = facts("1", "Мария Петрова", phones=["+7 916 000 00 01"])
    other = facts("2", "Maria Petrova", phones=["+7 926 000 00 02"])
    assert not score_pair(one, other).is_candidate


def test_same_email_wins_even_with_different_names() -> None:
    one = facts("1", "Иван", emails=["Ivan.Petrov@gmail.com"])
    other = facts("2", "petrov_shop", emails=["ivanpetrov@gmail.com"])
    result = score_pair(one, other)
    assert result.score >= 0.9
    assert result.evidence == (Evidence.SAME_EMAIL,)


def test_same_phone_with_different_emails_is_still_a_candidate() -> None:
    one = facts("1", "Oleg S", emails=["oleg@work.ru"], phones=["89161234567"])
    other = facts("2", "Олег Соколов", emails=["oleg@home.ru"], phones=["+79161234567"])
    assert score_pair(one, other).is_candidate


def test_same_device_is_evidence() -> None:
    one = facts("1", "Anna", devices=["A1B2-C3"])
    other = facts("2", "Аня К.", devices=["a1b2-c3"])
    assert Evidence.SAME_DEVICE in score_pair(one, other).evidence
    assert score_pair(one, other).is_candidate


def test_lone_first_names_and_generic_names_are_not_enough() -> None:
    assert not score_pair(facts("1", "Иван"), facts("2", "Ivan")).is_candidate
    assert not score_pair(facts("1", "A Google user"), facts("2", "A Google user")).is_candidate
    assert score_pair(facts("1", "Гость"), facts("2", "гость")).score == 0


def test_similar_spelling_of_full_name_counts() -> None:
    result = score_pair(facts("1", "Alexander Petrov"), facts("2", "Александр Петров"))
    assert result.evidence == (Evidence.SIMILAR_NAME,)
    assert result.is_candidate


def test_blocking_keys_cover_every_contact_and_the_name() -> None:
    keys = blocking_keys(
        facts("1", "Иван Иванов", emails=["a@b.ru"], phones=["89160000000"], devices=["d1"])
    )
    assert keys == {"e:a@b.ru", "p:+79160000000", "d:d1", "n:ivn ivnv"}
    assert blocking_keys(facts("2", "Иван")) == set()


def test_facts_survive_the_index_encoding() -> None:
    full = CustomerFacts(
        "7",
        "ivan ivanov",
        frozenset({"a@b.ru", "c@d.ru"}),
        frozenset({"+79160000000"}),
        frozenset({"d1"}),
        frozenset({"telegram:42"}),
    )
    assert decode_facts("7", encode_facts(full)) == full
    bare = facts("8", "Гость")  # no name key, no contacts
    assert decode_facts("8", encode_facts(bare)) == bare


def test_scan_finds_the_four_ivan_ivanovs_but_not_namesakes_with_other_emails() -> None:
    people = [
        facts("a", "Иван Иванов"),
        facts("b", "Ivan Ivanov", emails=["ivan@mail.ru"]),
        facts("c", "ivanov ivan"),
        facts("d", "ИВАН ИВАНОВ"),
        facts("e", "Иван Иванов", emails=["other.ivan@yandex.ru"]),  # a different Ivan
        facts("f", "Пётр Сидоров", emails=["IVAN@mail.ru"]),  # shares b's address
        facts("g", "Ольга Смирнова"),
    ]
    result = find_candidates(people)
    pairs = {(c.a_id, c.b_id) for c in result.candidates}
    assert {("a", "b"), ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")} <= pairs
    assert ("b", "f") in pairs
    assert ("b", "e") not in pairs  # two emails that differ: namesakes
    assert not any("g" in pair for pair in pairs)
    assert result.candidates[0].score >= result.candidates[-1].score


def test_scan_skips_dismissed_pairs_and_oversized_blocks() -> None:
    people = [facts(str(i), "Иван Иванов") for i in range(5)]
    assert find_candidates(people, max_block=4).candidates == []
    assert find_candidates(people, max_block=4).oversized_blocks == ["n:ivn ivnv"]
    result = find_candidates(people[:2], skip_pairs=frozenset({("0", "1")}))
    assert result.candidates == []


def test_candidates_for_one_customer_are_sorted_best_first() -> None:
    target = facts("t", "Иван Иванов", emails=["ivan@mail.ru"])
    others = [facts("x", "Ivan Ivanov"), facts("y", "Someone", emails=["ivan@mail.ru"]), target]
    found = candidates_for(target, others)
    assert [c.other("t") for c in found] == ["y", "x"]
