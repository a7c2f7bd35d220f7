"""The encoding detector on the corpus (issue #15, parts 1 and 7): exports in the encodings shops
write them in, each read as the same text as its UTF-8 twin.

Each case takes a variant of :mod:`tests.corpus.generate` in a language, puts product names (and
cities, currency signs, quotes) in that language into it, writes the same text in UTF-8 and in a
legacy or wide encoding, and reads both with :func:`ecom_analytics.ingest.readers.read_table`. A case is
right when the encoding read gives back exactly the text written (the encoding, or a superset that
decodes it the same way: gb18030 for GBK, cp950 for Big5, cp932 for Shift-JIS, cp949 for EUC-KR,
cp1252 for Latin-1), the headers come out identical to the UTF-8 twin's and the proposed mapping
equals the UTF-8 twin's.

Held out: Big5, EUC-KR and cp1250 (Polish, Czech) were written after the detector was tuned on
the others and are reported apart:

    python -m pytest tests/corpus/test_encodings.py -q -s
"""

from __future__ import annotations

import codecs
import functools
from dataclasses import dataclass

import pandas as pd
import pytest

from ecom_analytics.ingest import readers
from ecom_analytics.ingest.mapping import propose_mapping
from tests.corpus.generate import DEV_ORDERS, FORMATS, SHARED_DATA, Variant, variants

#: the share of cases read right, overall and held out (measured; the bars sit under it)
BAR_OVERALL = 0.97
BAR_HELDOUT = 0.9

#: product names as shops in each language write them (with the marks the issue names:
#: “” quotes and é in Chinese names, ¥ and £ in Chinese prices)
PRODUCTS = {
    "zh": ["“保温杯” 500ml", "茶叶礼盒", "数据线 Type-C", "Café 咖啡杯", "陶瓷马克杯", "亚麻靠垫套", "花园灯笼",
           "不锈钢水壶", "玻璃花瓶", "纯棉毛巾"],
    "zh_tw": ["保溫杯", "茶葉禮盒", "傳輸線", "陶瓷馬克杯", "亞麻抱枕套", "花園燈籠", "不鏽鋼水壺", "玻璃花瓶",
              "純棉毛巾", "「限量」燭台"],
    "ja": ["マグカップ", "保温ボトル", "緑茶セット", "リネンクッションカバー", "ガーデンランタン", "ステンレスケトル",
           "木製トレー", "ガラス花瓶", "綿タオル", "キャンドルホルダー（白）"],
    "ko": ["머그컵", "보온병", "녹차 세트", "린넨 쿠션 커버", "정원 랜턴", "스테인리스 주전자", "나무 쟁반", "유리 꽃병",
           "면 수건", "캔들 홀더"],
    "ru": ["Кружка керамическая", "Чехол для подушки", "Садовый фонарь", "Чайник стальной", "Деревянный поднос",
           "Стеклянная ваза", "Хлопковое полотенце", "Подсвечник «Ёлка»"],
    "pl": ["Kubek ceramiczny", "Poszewka lniana", "Latarnia ogrodowa", "Czajnik stalowy", "Taca drewniana",
           "Wazon szklany", "Ręcznik bawełniany", "Świecznik żółty"],
    "cs": ["Keramický hrnek", "Lněný povlak na polštář", "Zahradní lucerna", "Ocelová konvice", "Dřevěný podnos",
           "Skleněná váza", "Bavlněný ručník", "Svícen"],
    "de": ["Keramikbecher", "Leinen-Kissenbezug", "Gartenlaterne", "Wasserkocher aus Stahl", "Holztablett",
           "Glasvase", "Baumwollhandtuch", "Teelichthalter Größe M"],
    "fr": ["Tasse en céramique", "Housse de coussin en lin", "Lanterne de jardin", "Bouilloire en acier",
           "Plateau en bois", "Vase en verre", "Serviette en coton", "Bougeoir « Noël »"],
    "tr": ["Seramik kupa", "Keten yastık kılıfı", "Bahçe feneri", "Çelik çaydanlık", "Ahşap tepsi", "Cam vazo",
           "Pamuklu havlu", "Şamdan"],
    "th": ["แก้วมัคเซรามิก", "ปลอกหมอนผ้าลินิน", "โคมไฟสวน", "กาต้มน้ำสแตนเลส", "ถาดไม้", "แจกันแก้ว", "ผ้าขนหนูฝ้าย",
           "เชิงเทียน"],
    "ar": ["كوب سيراميك", "غطاء وسادة كتان", "فانوس حديقة", "غلاية ستانلس", "صينية خشبية", "مزهرية زجاجية",
           "منشفة قطنية", "حامل شموع"],
    # the Baltic languages (cp1257): the same eight products
    "lt": ["Keraminis puodelis", "Lininės pagalvėlės užvalkalas", "Sodo žibintas", "Plieninis virdulys",
           "Medinis padėklas", "Stiklinė vaza", "Medvilninis rankšluostis", "Arbatinių žvakučių žvakidė"],
    "lv": ["Keramikas krūze", "Lina spilvendrāna pārvalks", "Dārza laterna", "Tērauda tējkanna", "Koka paplāte",
           "Stikla vāze", "Kokvilnas dvielis", "Tējas sveču turētājs"],
    "et": ["Keraamiline kruus", "Linane padjapüür", "Aialatern", "Terasest veekeetja", "Puidust kandik", "Klaasvaas",
           "Puuvillane käterätik", "Teeküünla hoidja"],
    "en": ["Ceramic Mug", "Linen Cushion Cover", "Garden Lantern", "Steel Kettle", "Wooden Tray", "Glass Vase",
           "Cotton Towel", "Tea Light Holder"],
}
CITIES = {"zh": ["北京", "上海", "广州", "深圳"], "zh_tw": ["台北", "高雄", "台中"], "ja": ["東京", "大阪", "福岡"],
          "ko": ["서울", "부산", "대구"], "ru": ["Москва", "Санкт-Петербург", "Казань"],
          "pl": ["Kraków", "Łódź", "Gdańsk"], "cs": ["Praha", "Brno", "Ústí nad Labem"],
          "de": ["München", "Köln", "Düsseldorf"], "fr": ["Besançon", "Orléans", "Nîmes"],
          "tr": ["İstanbul", "İzmir", "Eskişehir"], "th": ["กรุงเทพมหานคร", "เชียงใหม่", "ภูเก็ต"],
          "ar": ["الرياض", "جدة", "الدمام"], "en": ["Leeds", "York", "Bath"],
          "lt": ["Vilnius", "Klaipėda", "Šiauliai", "Panevėžys"], "lv": ["Rīga", "Liepāja", "Jūrmala", "Daugavpils"],
          "et": ["Tallinn", "Pärnu", "Jõhvi", "Tartu"]}

#: A Czech layout (not in the mapper's vocabulary: the check is that it reads as its UTF-8 twin does)
CZECH = {"headers": {"order_id": "Číslo objednávky", "customer_id": "Číslo zákazníka", "timestamp": "Datum objednávky",
                     "product_id": "Kód produktu", "product_name": "Název produktu", "quantity": "Množství",
                     "unit_price": "Cena za kus", "amount": "Celkem", "country": "Země", "status": "Stav objednávky"},
         "extras": [("Poštovné", "money"), ("Město", "city")]}


@dataclass
class Case:
    """One export written in one encoding, and the text it holds."""

    name: str
    variant: Variant
    lang: str
    encoding: str
    text: str
    bom: bool = False
    heldout: bool = False
    group: str = ""

    def data(self) -> bytes:
        if self.bom and self.encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            return "\ufeff".encode(self.encoding) + self.text.encode(self.encoding)
        return self.text.encode(self.encoding)


def _localised_text(v: Variant, lang: str, money_signs: tuple[str, ...] = ()) -> str | None:
    """The variant's file as text, with product names and cities in ``lang`` (and, for Chinese,
    prices carrying ¥ or £)."""
    frame = v.frame()
    if frame is None:
        return None
    frame = frame.copy()
    headers = v.layout["headers"]
    names = PRODUCTS.get(lang, PRODUCTS["en"])
    if headers.get("product_name") in frame.columns:
        col = headers["product_name"]
        codes = pd.factorize(frame[col])[0]
        frame[col] = [names[c % len(names)] for c in codes]
    for header, filler in v.layout.get("extras", []):
        if filler == "city" and header in frame.columns:
            cities = CITIES.get(lang, CITIES["en"])
            frame[header] = [cities[i % len(cities)] for i in range(len(frame))]
    if money_signs and headers.get("unit_price") in frame.columns:
        col = headers["unit_price"]
        frame[col] = [f"{money_signs[i % len(money_signs)]}{x}" for i, x in enumerate(frame[col])]
    if not v.header:
        frame.columns = [f"column_{i + 1}" for i in range(frame.shape[1])]
    return frame.to_csv(sep=v.delimiter, index=False, header=v.header, lineterminator="\n")


def _czech_variant(base: str) -> Variant:
    delim, dec, fmt = FORMATS["pl"]
    return Variant(f"orders-cs-{base}", "orders", base, CZECH, delim, dec, fmt, group="language:cs")


@functools.lru_cache(maxsize=None)
def cases() -> tuple[Case, ...]:
    by_name = {v.name: v for v in variants()}
    out: list[Case] = []

    def add(vname: str, lang: str, encodings: list[str], *, heldout: bool = False, signs: tuple[str, ...] = (),
            variant: Variant | None = None) -> None:
        v = variant or by_name[vname]
        text = _localised_text(v, lang, signs)
        if text is None:
            return
        for enc in encodings:
            bom = enc.endswith("+bom")
            codec = enc.removesuffix("+bom")
            out.append(Case(f"{v.name}@{enc}", v, lang, codec, text, bom=bom, heldout=heldout,
                            group=codecs.lookup(codec).name + ("+bom" if bom else "")))

    for base in ("synthetic", "online_retail"):
        # the issue's GB18030 export: ¥ and £ (four-byte sequences) in the price, “” and é in names
        add(f"orders-zh-{base}", "zh", ["gb18030"], signs=("¥", "£"))
        add(f"orders-zh-{base}", "zh", ["gbk"], signs=("￥",))  # GBK has the full-width sign only
        add(f"orders-zh-{base}", "zh", ["utf-16-le", "utf-16-be", "utf-16-le+bom", "utf-16-be+bom", "utf-32-le",
                                        "utf-32-le+bom", "utf-8-sig"])
        add(f"platform-taobao-{base}", "zh", ["gb18030", "utf-16-le"], signs=("¥",))
        add(f"platform-jd-{base}", "zh", ["gbk"])
        add(f"orders-ja-{base}", "ja", ["shift_jis", "utf-16-le", "utf-8-sig"])
        add(f"orders-ru-{base}", "ru", ["cp1251", "utf-16-be"])
        add(f"orders-de-{base}", "de", ["cp1252", "latin-1", "utf-16-le"])
        add(f"orders-de_issue-{base}", "de", ["cp1252", "utf-32-be"])
        add(f"orders-fr-{base}", "fr", ["cp1252", "latin-1"])
        add(f"orders-es-{base}", "en", ["cp1252"])
        add(f"orders-tr-{base}", "tr", ["cp1254"])
        add(f"quirk-pipe-fr-{base}", "fr", ["cp1252"])
        add(f"quirk-currency-marks-{base}", "en", ["cp1252", "latin-1"])
        add(f"orders-en-{base}", "en", ["utf-16-le", "utf-16-be", "utf-32-le"])
        # held out: written after the detector was tuned on the cases above
        add(f"orders-zh_tw-{base}", "zh_tw", ["big5"], heldout=True)
        add(f"platform-shopee_tw-{base}", "zh_tw", ["big5"], heldout=True)
        add(f"orders-ko-{base}", "ko", ["euc_kr"], heldout=True)
        add(f"orders-pl-{base}", "pl", ["cp1250"], heldout=True)
        add("", "cs", ["cp1250"], heldout=True, variant=_czech_variant(base))
        # Thai and Arabic single-byte encodings (added with the second round of languages; the detector
        # was checked on the lead's cp874/cp1256 files, so these are not held out)
        add(f"orders2-th-{base}", "th", ["cp874"])
        add(f"orders2-vi-{base}", "en", ["utf-8-sig"])
        add(f"orders2-ar-{base}", "ar", ["cp1256"])
        # Baltic Windows (cp1257): Lithuanian, Latvian, Estonian (added with cp1257; not held out)
        add(f"orders3-lt-{base}", "lt", ["cp1257"])
        add(f"orders3-lv-{base}", "lv", ["cp1257"])
        add(f"orders3-et-{base}", "et", ["cp1257"])
    for base in ("synthetic_events", "rees46"):
        add(f"events-zh-{base}", "zh", ["gb18030", "utf-16-le"])
        add(f"events-ja-{base}", "ja", ["shift_jis"])
        add(f"events-ru-{base}", "ru", ["cp1251"])
        add(f"events-fr-{base}", "fr", ["cp1252"])
        add(f"events-ko-{base}", "ko", ["euc_kr"], heldout=True)
        add(f"events-pl-{base}", "pl", ["cp1250"], heldout=True)
    add("headerless-orders-synthetic-;", "de", ["cp1252"])
    return tuple(out)


@functools.lru_cache(maxsize=None)
def outcome(name: str) -> dict:
    case = next(c for c in cases() if c.name == name)
    data = case.data()
    twin = readers.read_table(case.text.encode("utf-8"), f"{case.variant.name}.csv")
    twin_mapping = propose_mapping(twin.frame, has_header=twin.has_header)
    out = {"case": case, "twin": twin, "error": None}
    try:
        raw = readers.read_table(data, f"{case.variant.name}.csv")
    except Exception as exc:  # a refusal is a wrong reading, reported as such
        out["error"] = f"{type(exc).__name__}: {exc}"
        out.update(text_right=False, headers_right=False, mapping_right=False, right=False)
        return out
    mapping = propose_mapping(raw.frame, has_header=raw.has_header)
    decoded = data.decode(raw.encoding)
    text_right = decoded.lstrip("\ufeff") == case.text
    headers_right = list(raw.frame.columns) == list(twin.frame.columns)
    mapping_right = mapping.as_dict() == twin_mapping.as_dict() and mapping.kind == twin_mapping.kind
    out.update(raw=raw, text_right=text_right, headers_right=headers_right, mapping_right=mapping_right,
               right=text_right and headers_right and mapping_right)
    return out


@pytest.mark.parametrize("name", [c.name for c in cases()])
def test_case_is_read_as_its_utf8_twin(name):
    out = outcome(name)
    case = out["case"]
    if case.heldout:
        pytest.skip("held out: counted in the share, not asserted one by one")
    assert out["error"] is None, out["error"]
    assert out["text_right"], f"{name}: read as {out['raw'].encoding}"
    assert out["headers_right"], list(out["raw"].frame.columns)
    assert out["mapping_right"]


def test_share_of_encodings_read_right():
    rows = [outcome(c.name) for c in cases()]
    dev = [r for r in rows if not r["case"].heldout]
    held = [r for r in rows if r["case"].heldout]
    share = sum(r["right"] for r in rows) / len(rows)
    dev_share = sum(r["right"] for r in dev) / len(dev)
    held_share = sum(r["right"] for r in held) / max(1, len(held))
    print(f"\nencodings: {len(rows)} cases, read right {sum(r['right'] for r in rows)}/{len(rows)} = {share:.1%}; "
          f"tuned on {sum(r['right'] for r in dev)}/{len(dev)} = {dev_share:.1%}; "
          f"held out (Big5, EUC-KR, cp1250) {sum(r['right'] for r in held)}/{len(held)} = {held_share:.1%}")
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r["case"].group, []).append(r)
    for g, rs in sorted(groups.items()):
        low = [r["raw"].encoding_confidence for r in rs if "raw" in r]
        print(f"  {g:14s} {sum(r['right'] for r in rs)}/{len(rs)}  lowest confidence "
              f"{min(low) if low else float('nan'):.2f}")
    for r in rows:
        if not r["right"]:
            got = r["error"] or f"read as {r['raw'].encoding} ({r['raw'].encoding_confidence}); text " \
                                f"{r['text_right']}, headers {r['headers_right']}, mapping {r['mapping_right']}"
            print(f"  WRONG {r['case'].name}: {got}")
    # 60 cases or more with ../shared/data (the real files add their variants); without it only the
    # synthetic shops' (48 when this was written), and the shares are asserted on those
    assert len(rows) >= (60 if (SHARED_DATA / "online_retail.csv.gz").exists() else 40)
    assert share >= BAR_OVERALL
    assert held_share >= BAR_HELDOUT


def test_the_issue_gb18030_export_keeps_its_chinese_headers():
    case = next(c for c in cases() if c.name == "orders-zh-synthetic@gb18030")
    raw = outcome(case.name)["raw"]
    assert raw.encoding == "gb18030"
    assert list(raw.frame.columns)[:3] == list(pd.read_csv(pd.io.common.StringIO(case.text), sep=",", dtype=str,
                                                           nrows=1).columns)[:3]
    assert raw.encoding_confidence >= readers.LOW_CONFIDENCE
    assert not any("confidence" in n.english() for n in raw.notes)
    assert set(DEV_ORDERS["zh"]["headers"].values()) <= set(raw.frame.columns)
