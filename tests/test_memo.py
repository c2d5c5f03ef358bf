from rasd.text.memo import lookup_all


def test_each_new_word_is_computed_once_and_known_words_come_from_the_memo() -> None:
    calls: list[str] = []

    def length(word: str) -> int:
        calls.append(word)
        return len(word)

    memo: dict[str, int] = {"قصف": 3}
    assert lookup_all(memo, ["قصف", "ادلب", "ادلب", "في", "قصف"], length, 100) == [3, 4, 4, 2, 3]
    assert calls == ["ادلب", "في"]
    assert lookup_all(memo, ["في", "ادلب"], length, 100) == [2, 4] and calls == ["ادلب", "في"]


def test_falsy_answers_are_kept_and_the_memo_stays_within_its_bound() -> None:
    memo: dict[str, bool] = {}
    words = [f"w{i}" for i in range(25)]
    assert lookup_all(memo, words, lambda w: w.endswith("0"), 10) == [w.endswith("0") for w in words]
    assert 0 < len(memo) <= 10  # a long corpus run: emptied at the bound, then filled again
