"""Readers: every input format becomes records with the metadata a corpus run needs; bad input is recorded."""

from __future__ import annotations

import gzip
import io
import json
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from rasd.io.readers import count_records, read_path

AR = ("قتل خمسة مدنيين وأصيب عشرة آخرون في غارة جوية استهدفت مدينة إدلب يوم الخميس، بحسب المرصد السوري "
      "لحقوق الإنسان.")
EN = ("Five civilians were killed and ten wounded in an air strike on the city of Idlib on Thursday, the "
      "Syrian Observatory for Human Rights said. ") * 2

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>وكالة الاختبار</title><link>https://news.example/</link>
<item><title>غارة على إدلب</title><link>https://news.example/a1</link><guid>news-a1</guid>
<pubDate>Thu, 16 Jan 2020 10:00:00 GMT</pubDate><description><![CDATA[<p>{AR}</p>]]></description></item>
<item><title>Strike on Idlib</title><link>https://news.example/en1</link>
<pubDate>Thu, 16 Jan 2020 11:00:00 GMT</pubDate><description>{EN}</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>موقع أتوم</title><id>urn:feed</id>
<updated>2020-01-17T00:00:00Z</updated>
<entry><title>خبر</title><id>urn:entry:1</id><link href="https://atom.example/1"/>
<updated>2020-01-17T08:30:00Z</updated><summary>موجز قصير</summary>
<content type="html">&lt;p&gt;{AR}&lt;/p&gt;</content></entry></feed>"""


def test_rss_items_carry_title_url_date_outlet_and_english_items_are_skipped(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(RSS, encoding="utf-8")
    recs = list(read_path(str(path)))
    assert len(recs) == 2
    ar, en = recs
    assert ar["id"] == "news-a1" and ar["url"] == "https://news.example/a1"
    assert ar["title"] == "غارة على إدلب" and ar["published"] == "2020-01-16" and ar["outlet"] == "وكالة الاختبار"
    assert "إدلب" in ar["text"] and "<p>" not in ar["text"] and not ar.get("error")
    assert en["skipped"] == "not_arabic" and "not Arabic" in en["error"]


def test_atom_entry_prefers_full_content_over_summary(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(ATOM, encoding="utf-8")
    [rec] = list(read_path(str(path)))
    assert rec["id"] == "urn:entry:1" and rec["published"] == "2020-01-17" and rec["outlet"] == "موقع أتوم"
    assert "المرصد السوري" in rec["text"]


def _warc(path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = (f"<html><head><title>غارة جوية على إدلب</title><meta charset='utf-8'></head><body>"
            f"<nav>الرئيسية أخبار رياضة</nav><article><h1>غارة جوية على إدلب</h1><p>{AR}</p><p>{AR}</p>"
            f"</article><footer>جميع الحقوق محفوظة</footer></body></html>").encode()
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        get = StatusAndHeaders("GET /news/1 HTTP/1.1", [("Host", "site.example")], is_http_request=True)
        req = writer.create_warc_record("https://site.example/news/1", "request", payload=io.BytesIO(b""),
                                        http_headers=get, warc_headers_dict={"WARC-Date": "2020-01-16T12:00:00Z"})
        writer.write_record(req)
        for url, ctype, body in (("https://site.example/news/1", "text/html; charset=utf-8", page),
                                 ("https://site.example/logo.png", "image/png", b"\x89PNG....")):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                            warc_headers_dict={"WARC-Date": "2020-01-16T12:00:00Z"})
            writer.write_record(rec)


def test_warc_html_responses_become_records_and_other_records_are_passed_over(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _warc(path)
    [rec] = list(read_path(str(path)))
    assert rec["url"] == rec["id"] == "https://site.example/news/1"
    assert rec["title"] == "غارة جوية على إدلب" and rec["published"] == "2020-01-16"
    assert rec["outlet"] == "site.example"
    assert "المرصد السوري" in rec["text"] and "جميع الحقوق محفوظة" not in rec["text"]


def test_parquet_rows_map_common_column_names(tmp_path):
    path = tmp_path / "articles.parquet"
    pq.write_table(pa.table({
        "article_id": ["p1", "p2"], "content": [AR, EN], "date": [datetime(2020, 1, 16, 9), datetime(2020, 1, 17)],
        "source": ["وكالة", "wire"], "link": ["https://p.example/1", None], "headline": ["عنوان", "title"],
    }), path)
    p1, p2 = list(read_path(str(path)))
    assert (p1["id"], p1["published"], p1["outlet"], p1["url"], p1["title"]) == (
        "p1", "2020-01-16", "وكالة", "https://p.example/1", "عنوان")
    assert p1["text"] == AR and not p1.get("error")
    assert p2["skipped"] == "not_arabic"


def test_gzip_jsonl_with_a_malformed_line_keeps_going(tmp_path):
    path = tmp_path / "a.jsonl.gz"
    lines = [json.dumps({"id": "j1", "text": AR, "published": "2020-01-16T08:00:00"}, ensure_ascii=False),
             '{"id": "broken", "text": ', json.dumps({"id": "j3", "text": AR}, ensure_ascii=False)]
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    recs = list(read_path(str(path)))
    assert [r["id"] for r in recs] == ["j1", "a.jsonl.gz:2", "j3"]
    assert recs[0]["published"] == "2020-01-16T08:00:00" and "malformed JSON on line 2" in recs[1]["error"]
    assert count_records([str(path)]) == 3


def test_truncated_gzip_ends_with_an_error_record_not_an_exception(tmp_path):
    path = tmp_path / "cut.jsonl.gz"
    data = gzip.compress((json.dumps({"id": "x", "text": AR}, ensure_ascii=False) + "\n").encode() * 50)
    path.write_bytes(data[: len(data) // 2])
    recs = list(read_path(str(path)))
    assert recs[-1]["error"].startswith("cannot read cut.jsonl.gz")


def test_cp1256_text_file_is_decoded(tmp_path):
    path = tmp_path / "old-site.txt"
    path.write_bytes(AR.encode("cp1256"))
    [rec] = list(read_path(str(path)))
    assert rec["text"] == AR and rec["id"] == "old-site"
    assert any("cp1256" in n for n in rec["notes"])


def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.html").write_text(f"<html><body><p>{AR}</p></body></html>", encoding="utf-8")
    (tmp_path / "sub" / "a.txt").write_text(AR, encoding="utf-8")
    (tmp_path / "english.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignored", encoding="utf-8")
    recs = list(read_path(str(tmp_path)))
    assert [r["id"] for r in recs] == ["b", "english", "a"]
    assert recs[0]["text"] == AR and recs[1]["skipped"] == "not_arabic" and not recs[2].get("error")


def test_language_check_keeps_every_real_arabic_article():
    from conftest import DEV_ARTICLES, need

    recs = list(read_path(str(need(DEV_ARTICLES))))
    assert len(recs) == 280 and not [r["id"] for r in recs if r.get("skipped")]


def test_arabic_article_with_scraped_page_code_is_kept_but_english_page_is_skipped(tmp_path):
    code = "$(function(){ var chart = jQuery.jqplot('chart', data, { legend: { show: false } }); });" * 4
    (tmp_path / "ar.txt").write_text(AR * 3 + code, encoding="utf-8")
    (tmp_path / "en.txt").write_text(EN * 3 + AR, encoding="utf-8")
    ar, en = list(read_path(str(tmp_path)))
    assert not ar.get("error") and en["skipped"] == "not_arabic"
