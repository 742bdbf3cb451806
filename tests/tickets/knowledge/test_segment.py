"""Word segmentation for the knowledge base: whole words, no punctuation or function words."""

from tickets.knowledge.segment import (
    MAX_TERM_LENGTH,
    query_terms,
    snippet,
    term_weights,
    tokenizer,
    words,
)


def test_search_mode_yields_the_dictionary_words_inside_a_compound() -> None:
    terms = words("住房公积金提取条件")
    assert {"住房", "公积金", "提取", "条件"} <= set(terms)


def test_a_substring_that_is_not_a_word_is_not_a_term() -> None:
    assert "金提" not in words("住房公积金提取条件")
    assert "金" not in words("住房公积金提取条件")


def test_punctuation_and_function_words_are_dropped() -> None:
    terms = words("请问，怎么提取公积金？我的公积金呢！")
    assert {"提取", "公积金"} <= set(terms)
    assert not {"请问", "怎么", "我", "的", "呢", "，", "？", "！"} & set(terms)


def test_latin_words_and_digits_are_kept_lower_case_and_half_width() -> None:
    terms = words("ＥＴＣ办理请拨打１２３４５或 12345 热线 ETC")
    assert terms.count("etc") == 2
    assert terms.count("12345") == 2
    assert "办理" in terms


def test_blank_and_punctuation_only_text_has_no_words() -> None:
    assert words("") == []
    assert words("  ，。？！…… ") == []


def test_overlong_tokens_are_dropped() -> None:
    assert words("x" * (MAX_TERM_LENGTH + 1)) == []
    assert words("x" * MAX_TERM_LENGTH) == ["x" * MAX_TERM_LENGTH]


def test_query_terms_are_distinct_in_the_order_first_seen() -> None:
    assert query_terms("提取 公积金 提取") == [
        term for term in dict.fromkeys(words("提取 公积金 提取"))
    ]
    assert query_terms("提取 公积金 提取")[0] == "提取"
    assert len(query_terms("提取 提取 提取")) == 1


def test_a_word_in_the_title_counts_twice() -> None:
    weights = term_weights("公积金", "公积金 提取")
    assert weights["公积金"] == 3.0
    assert weights["提取"] == 1.0


def test_the_tokenizer_is_built_once() -> None:
    assert tokenizer() is tokenizer()


def test_snippet_starts_near_the_first_matched_word() -> None:
    body = "前言" * 100 + "住房公积金提取需要身份证" + "结尾" * 100
    text = snippet(body, ["提取"], width=40)
    assert "提取" in text
    assert text.startswith("…") and text.endswith("…")


def test_snippet_of_a_short_text_is_the_whole_text() -> None:
    assert snippet("办理时间：周一至周五", ["周一"]) == "办理时间：周一至周五"
