"""What column headers mean, in the languages shops export in.

A header is folded (lower case, Latin diacritics removed, traditional Chinese characters
simplified, full-width forms narrowed), split into tokens (camelCase, snake_case, dots,
spaces, punctuation, script changes) and each token is read against a vocabulary of
*concepts* (order, customer, date, quantity, price, amount, ...), each with its words in
English, Chinese, German, French, Spanish, Italian, Portuguese, Dutch, Polish, Swedish,
Turkish, Russian, Japanese and Korean (:data:`CONCEPTS`), and in Czech, Slovak, Hungarian,
Romanian, Danish, Norwegian, Finnish, Greek, Ukrainian, Vietnamese, Thai, Indonesian/Malay,
Arabic, Hebrew, Hindi and Filipino, then Catalan, Estonian, Latvian, Lithuanian, Croatian, Bosnian,
Serbian (Latin and Cyrillic), Slovenian, Bulgarian, Persian, Urdu and Bengali (:data:`MORE_LANGUAGES`,
merged into the same concepts), plus the words the mapping's rules read in all of them
(:data:`RULE_WORDS`: a product's model, an edit date's modification words, a line total's "total",
a parcel's tracking words, e-mail). Baltic and South Slavic words are listed in the cases headers use
(nominative and genitive), the other case endings are read as stems; Persian and Urdu are folded
like Arabic (Persian yeh and keheh, Urdu heh goal and yeh barree are the Arabic letters), and a
Bengali genitive written onto its word ("পণ্যের") is read as the word's stem.

Words match a whole token, or as a stem (``bestell`` in ``Bestellnummer``) and as a part of
a compound (``nummer`` in ``Kundennummer``) when they are long enough to be unambiguous.
Words in scripts written without spaces (Chinese, Japanese, Korean, Thai) match anywhere in the
token, longest first. Words of several tokens ("don hang", Vietnamese for order; "kode pos")
match as a phrase before their tokens are read one by one. Arabic tokens are also read
without their article and its prefixes (ال, وال, بال, لل: "الطلب" is "طلب"), Hebrew ones
without the prefixes ה, ו, ל, ב, מ, ש ("ההזמנה" is "הזמנה"). So unseen combinations
("Datum der Bestellung", "注文日時", "주문일자", "Fecha del pedido", "Ngày đặt hàng",
"วันที่สั่งซื้อ", "تاريخ الطلب") read as the concepts they are made of, and
:mod:`ecom_analytics.ingest.mapping` turns concepts into canonical columns.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# ----------------------------------------------------------------------------- folding

# letters NFD does not split into a base and a mark
_LATIN_EXTRA = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe",
                              "đ": "d", "Đ": "d", "ı": "i", "ß": "ss", "þ": "th", "ð": "d", "ё": "е", "Ё": "е",
                              "°": "o", "º": "o", "№": "no"})

# traditional (and Japanese shinjitai) forms -> simplified, for the characters shop headers use
_TRADITIONAL = str.maketrans(
    "訂單號編碼數價額時間戶買賣類別國狀態貨總計會員顧稱標題購實際幣銷訊錄寶貝產歸屬區紀發運費優稅點擊瀏覽車為話門條規筆張圖據現開帳賬項細種価売単録連聯絡電郵遞應詳說説內處變動顯備註倉庫廠選擇機裝於與來網頁資碼額讀數務層級結帳項採於際屬廣戶號費貨標團齡績數碼兒稱積鋪門庫業驗證鐘時鍵爲衝閱覧単発録図検関様変価駅転択払",
    "订单号编码数价额时间户买卖类别国状态货总计会员顾称标题购实际币销讯录宝贝产归属区纪发运费优税点击浏览车为话门条规笔张图据现开帐账项细种价卖单录连联络电邮递应详说说内处变动显备注仓库厂选择机装于与来网页资码额读数务层级结帐项采于际属广户号费货标团龄绩数码儿称积铺门库业验证钟时键为冲阅览单发录图检关样变价驿转择付",
)


def fold(text: str) -> str:
    """``text`` lower-cased, full-width forms narrowed, Latin/Cyrillic diacritics removed,
    traditional Chinese simplified ("Bestell-Nr." -> "bestell-nr.", "Ürün Adı" -> "urun adi",
    "訂單編號" -> "订单编号")."""
    text = unicodedata.normalize("NFKC", str(text)).translate(_LATIN_EXTRA)
    text = unicodedata.normalize("NFD", text.casefold())
    text = "".join(ch for ch in text if not ("\u0300" <= ch <= "\u036f"))
    text = unicodedata.normalize("NFC", text).translate(_TRADITIONAL).translate(_LATIN_EXTRA)
    if any("\u0590" <= ch <= "\u06ff" for ch in text):
        text = _HEBREW_ABBREVIATION.sub("", text.translate(_ARABIC))
    return text


# Arabic (and Persian, Urdu) letters written several ways: vowel marks and the stretching tatweel go,
# alef with hamza/madda is alef, teh marbuta and Urdu heh goal are heh, alef maksura, Persian yeh and
# Urdu yeh barree are yeh, keheh is kaf
_ARABIC = str.maketrans({**{chr(c): None for c in range(0x064B, 0x0660)}, "\u0670": None, "\u0640": None,
                         "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك",
                         "ہ": "ه", "ۃ": "ه", "ۀ": "ه", "ھ": "ه", "ے": "ي", "ۓ": "ي"})
# the quote marks inside Hebrew abbreviations (מק"ט, סה״כ, מע"מ) are part of the word
_HEBREW_ABBREVIATION = re.compile("(?<=[\u05d0-\u05ea])[\"'\u05f3\u05f4](?=[\u05d0-\u05ea])")


def _is_spaceless(ch: str) -> bool:
    """A character of a script written without spaces between words (CJK, kana, Hangul, Thai, Lao,
    Myanmar, Khmer)."""
    o = ord(ch)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF
            or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F or 0xF900 <= o <= 0xFAFF or 0x31F0 <= o <= 0x31FF
            or 0x0E00 <= o <= 0x0EFF or 0x1000 <= o <= 0x109F or 0x1780 <= o <= 0x17FF)  # Thai, Lao, Myanmar, Khmer


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def tokens(header: str) -> list[str]:
    """The words of a header, folded: split at camelCase humps, at anything that is not a
    letter or digit, at letter/digit changes and where a spaceless script starts or ends
    ("orderDateTime" -> order, date, time; "items.item_id" -> items, item, id;
    "Bestell-Nr." -> bestell, nr; "商品ID" -> 商品, id)."""
    text = _CAMEL.sub(" ", unicodedata.normalize("NFKC", str(header)))
    text = fold(text)
    out: list[str] = []
    word = ""
    kind = None  # "s" spaceless, "l" letter, "d" digit
    for ch in text:
        k = "s" if _is_spaceless(ch) else "l" if ch.isalpha() else "d" if ch.isdigit() else None
        if k is None and kind == "l" and unicodedata.category(ch)[0] == "M":
            k = "l"  # a vowel sign or mark inside a word (Devanagari matras, Hebrew points)
        if k != kind and word:
            out.append(word)
            word = ""
        kind = k
        if k is not None:
            word += ch
    if word:
        out.append(word)
    return out


def normalise(header: str) -> str:
    """Letters of every script and digits only, folded ("Customer ID" -> "customerid",
    "Дата заказа" -> "датазаказа", "訂單號" -> "订单号")."""
    return "".join(tokens(header))


# ----------------------------------------------------------------------------- concepts

#: concept -> words in the 14 languages (folded: no diacritics, simplified Chinese).
#: Latin/Cyrillic words of 4+ letters also match as a stem or a part of a compound.
CONCEPTS: dict[str, list[str]] = {
    "order": ["order", "orders", "bestellung", "bestell", "auftrag", "auftrags", "commande", "pedido", "pedidos",
              "orden", "ordine", "encomenda", "bestelling", "zamowienie", "zamowienia", "zamowien", "bestallning",
              "siparis", "заказ", "购入", "заказа", "заказы", "注文", "受注", "订单", "订购", "주문", "purchase", "kauf"],
    "invoice": ["invoice", "rechnung", "rechnungs", "facture", "factura", "fattura", "fatura", "factuur", "faktura",
                "счет", "фактура", "накладная", "发票", "請求", "인보이스", "송장", "beleg", "bon", "receipt", "quittung",
                "recu", "recibo", "ricevuta", "kvitto", "fis", "чек", "收据", "小票", "영수증", "レシート"],
    "transaction": ["transaction", "txn", "transaktion", "transacao", "transaccion", "transazione", "transactie",
                    "transakcja", "islem", "транзакция", "取引", "거래", "交易", "成交", "승인"],
    "customer": ["customer", "customers", "cust", "client", "clients", "kunde", "kunden", "cliente", "clientes",
                 "klant", "klient", "klienta", "kund", "kunder", "musteri", "клиент", "клиента", "заказчик",
                 "顾客", "客户", "客人", "고객", "거래처", "partner", "member", "mitglied", "membre", "socio", "miembro", "lid", "czlonek",
                 "uye", "участник", "会员", "회원", "contact", "consumer", "shopper", "patron", "party",
                 "お客様", "得意先"],
    "buyer": ["buyer", "kaufer", "acheteur", "comprador", "acquirente", "koper", "kupujacy", "nabywca", "kopare",
              "alici", "покупатель", "покупателя", "购入者", "購入者", "구매자", "공급받는자", "买家", "买方", "购买人", "purchaser"],
    "user": ["user", "users", "usuario", "utente", "utilisateur", "benutzer", "nutzer", "gebruiker", "uzytkownik",
             "uzytkownika", "anvandare", "kullanici", "пользователь", "пользователя", "ユーザー", "ユーザ", "用户",
             "使用者", "사용자", "유저", "visitor", "besucher", "visiteur", "visitante", "visitatore", "bezoeker",
             "odwiedzajacy", "besokare", "ziyaretci", "посетитель", "访客", "访问者", "訪問者", "방문자", "pseudo",
             "username", "login", "nickname", "会员名", "用户名", "昵称", "아이디", "ユーザー名"],
    "account": ["account", "konto", "compte", "cuenta", "conta", "conto", "rekening", "hesap", "аккаунт",
                "учетная", "账号", "帐号", "账户", "帐户", "アカウント", "계정", "支付宝账号"],
    "id": ["id", "ids", "identifier", "ident", "identifiant", "identificador", "identificativo", "identificatie",
           "identyfikator", "identifierare", "kimlik", "идентификатор", "ид", "uid", "guid", "uuid", "key", "schlussel",
           "cle", "clave", "chiave", "chave", "sleutel", "klucz", "nyckel", "anahtar", "ключ", "아이디"],
    "number": ["number", "numbers", "no", "nr", "num", "nummer", "numero", "numer", "numara", "номер", "no.",
               "n", "nro", "nbr", "番号", "编号", "号", "번호", "号码", "编码", "单号"],
    "code": ["code", "codes", "kod", "kodu", "codigo", "codice", "kode", "код", "コード", "코드", "代码", "编码",
             "reference", "ref", "referenz", "referencia", "riferimento", "referentie", "referans", "货号",
             "品番", "品号", "참조"],
    "date": ["date", "dates", "datum", "fecha", "data", "tarih", "tarihi", "дата", "дате", "日期", "日付", "年月日",
             "일자", "날짜", "day", "tag", "jour", "dia", "giorno", "dag", "dzien", "gun", "день", "日", "일"],
    "time": ["time", "times", "timestamp", "datetime", "ts", "zeit", "zeitpunkt", "uhrzeit", "zeitstempel", "heure",
             "horodatage", "hora", "ora", "orario", "tijd", "tijdstip", "czas", "tid", "tidpunkt", "tidsstampel",
             "zaman", "saat", "время", "时间", "时刻", "时", "시간", "시각", "일시", "日时", "日時", "时刻", "時刻",
             "moment", "instant", "when"],
    "created": ["created", "create", "creation", "erstellt", "erstellung", "angelegt", "cree", "creee", "creado",
                "creada", "creacion", "creato", "creata", "creazione", "criado", "criada", "criacao", "aangemaakt",
                "gemaakt", "utworzenia", "utworzono", "skapad", "skapat", "olusturma", "olusturulma", "создан",
                "создано", "создания", "创建", "建立", "生成", "作成", "생성", "placed", "ordered", "purchased", "sold",
                "下单", "成立", "登録", "등록", "added", "add", "sale", "verkauf", "vente", "venta", "vendita", "venda",
                "verkoop", "sprzedazy", "forsaljning", "satis", "продажи", "销售", "販売", "판매"],
    "paid": ["paid", "payment", "payments", "pay", "bezahlt", "bezahlung", "zahlung", "zahlungs", "paye", "paiement",
             "pago", "pagado", "pagamento", "pagato", "betaling", "betaald", "platnosc", "platnosci", "zaplacono",
             "betalning", "betald", "betalt", "odeme", "odenen", "оплата", "оплаты", "оплачено", "支付", "付款", "实付",
             "实际支付", "支払", "決済", "결제", "입금", "settled"],
    "quantity": ["quantity", "quantities", "qty", "quant", "qte", "menge", "anzahl", "stuck", "stk", "stueck",
                 "quantite", "cantidad", "cant", "quantita", "quantidade", "qtd", "qtde", "aantal", "hoeveelheid",
                 "ilosc", "szt", "sztuk", "antal", "kvantitet", "mangd", "adet", "miktar", "количество", "кол", "колво",
                 "штук", "数量", "件数", "个数", "数", "購入数", "수량", "개수", "units", "pieces", "pcs", "count", "cnt", "销量",
                 "销售量", "販売数", "판매량",
                 "qtyordered"],
    "price": ["price", "prices", "stuckpreis", "styckpris", "einzelpreis", "preis", "preise", "prix", "precio", "prezzo", "preco", "prijs", "cena", "ceny",
              "pris", "fiyat", "fiyati", "цена", "цены", "стоимость", "价格", "价", "售价", "单价", "定价", "価格",
              "値段", "가격", "단가", "가", "rate", "tarif"],
    "unit": ["unit", "each", "per", "einzel", "stuckpreis", "styckpris", "unitaire", "unitario", "unitaria", "unit", "stuk",
             "jednostkowa", "jednostkowy", "jednostk", "styck", "birim", "единицы", "ед", "单", "単", "단", "个"],
    "amount": ["amount", "amounts", "amt", "total", "totals", "sum", "summe", "betrag", "gesamt", "gesamtbetrag",
               "montant", "importe", "monto", "importo", "totale", "valor", "valeur", "valore", "bedrag", "totaal",
               "kwota", "wartosc", "suma", "razem", "belopp", "summa", "totalt", "tutar", "tutari", "toplam", "сумма",
               "итого", "всего", "金额", "总价", "总额", "合计", "小计", "实付金额", "金額", "금액", "합계", "총액", "합산", "가액",
               "value", "worth", "gross", "net", "netto", "brutto", "subtotal", "grandtotal", "wert"],
    "revenue": ["revenue", "revenues", "sales", "umsatz", "erlos", "chiffre", "ventes", "ventas", "ingresos",
                "vendite", "ricavi", "vendas", "receita", "omzet", "przychod", "sprzedaz", "intakt", "forsaljning",
                "ciro", "satislar", "выручка", "продажи", "доход", "销售额", "营业额", "收入", "营收", "売上", "매출",
                "수익", "gmv", "turnover"],
    "money": ["dollar", "dollars", "usd", "eur", "euro", "euros", "gbp", "pound", "pounds", "yen", "jpy", "rmb",
              "cny", "yuan", "krw", "won", "rub", "rubl", "рубль", "рублей", "руб", "zl", "pln", "sek", "kr", "try",
              "lira", "brl", "real", "reais", "inr", "元", "円", "원", "人民币"],
    "product": ["product", "products", "produkt", "produkte", "produit", "produits", "producto", "productos",
                "prodotto", "prodotti", "produto", "produtos", "urun", "urunu", "товар", "товара", "продукт", "商品",
                "产品", "货品", "宝贝", "物品", "製品", "상품", "제품", "item", "items", "artikel", "article", "articles",
                "articulo", "articolo", "artigo", "artykul", "artykulu", "vara", "varor", "goods", "ware", "waren",
                "merchandise", "listing", "asin", "offer", "offre", "oferta", "品目", "アイテム", "품목", "아이템",
                "lineitem", "variant", "variante"],
    "sku": ["sku", "skus", "stockcode", "артикул", "ean", "gtin", "upc", "mpn", "isbn", "barcode", "jan", "货号", "条码", "条形码",
            "바코드", "품번", "sku编码", "商家编码", "规格编码", "外部编码", "外部系统编号", "kod_produktu"],
    "name": ["name", "names", "title", "titles", "bezeichnung", "benennung", "titel", "nom", "libelle", "intitule",
             "nombre", "titulo", "nome", "titolo", "naam", "nazwa", "tytul", "namn", "benamning", "ad", "adi",
             "isim", "ismi", "baslik", "название", "наименование", "имя", "名称", "名", "标题", "品名", "이름", "명",
             "제목", "タイトル", "名前", "label"],
    "description": ["description", "descriptions", "desc", "beschreibung", "descripcion", "descrizione", "designation",
                    "designacion", "designacao", "designazione",
                    "descricao", "omschrijving", "beschrijving", "opis", "beskrivning", "aciklama", "описание",
                    "描述", "说明", "説明", "설명", "details", "detail", "详情", "詳細", "상세"],
    "category": ["category", "categories", "categ", "cate", "kategorie", "kategorien", "categorie", "categoria",
                 "kategoria", "kategori", "категория", "категории", "类目", "品类", "类别", "分类", "类型", "カテゴリ",
                 "カテゴリー", "カテゴリ", "카테고리", "분류", "department", "abteilung", "rayon", "departamento",
                 "reparto", "afdeling", "dzial", "avdelning", "departman", "отдел", "部门", "部門", "warengruppe",
                 "gruppe", "familia", "famille", "famiglia", "collection", "sparte", "genre", "ジャンル"],
    "type": ["type", "types", "typ", "tipo", "tur", "turu", "tip", "тип", "类型", "种类", "種類", "유형", "타입",
             "kind", "art", "sorte", "soort", "rodzaj", "slag"],
    "country": ["country", "countries", "land", "landes", "pays", "pais", "paese", "nazione", "kraj", "kraju",
                "ulke", "ulkesi", "страна", "страны", "国家", "国", "国名", "地区", "나라", "국가", "nation", "region"],
    "status": ["status", "stati", "zustand", "statut", "estado", "stato", "situacao", "situacion", "stav", "durum",
               "durumu", "статус", "состояние", "状态", "状况", "状況", "ステータス", "상태", "state", "stan",
               "tillstand", "etat"],
    "event": ["event", "events", "ereignis", "evenement", "evento", "gebeurtenis", "zdarzenie", "zdarzenia",
              "handelse", "olay", "olayi", "событие", "события", "事件", "イベント", "이벤트", "action", "aktion",
              "accion", "azione", "acao", "actie", "akcja", "eylem", "действие", "行为", "行動", "動作", "행동",
              "behavior", "behaviour", "activity", "aktivitat", "activite", "actividad", "hit", "interaction",
              "interaktion"],
    "session": ["session", "sessions", "sitzung", "sesion", "sessione", "sessao", "sessie", "sesja", "sesji",
                "oturum", "сессия", "сессии", "сеанс", "会话", "セッション", "세션", "visit", "besuch", "visite",
                "visita", "bezoek", "wizyta", "besok", "ziyaret", "визит", "访问"],
    "brand": ["brand", "brands", "marke", "marque", "marca", "merk", "marka", "varumarke", "бренд", "марка", "品牌",
              "ブランド", "브랜드", "메이커", "manufacturer", "hersteller", "fabricant", "fabricante", "produttore",
              "fabrikant", "producent", "tillverkare", "uretici", "производитель", "厂商", "制造商", "厂家", "メーカー"],
    "email": ["email", "mail", "emails", "courriel", "correo", "邮箱", "邮件", "电子邮件", "メール", "이메일", "메일"],
    # context words: they make a money column not the line's revenue, a date not the order's ...
    "shipping": ["shipping", "ship", "shipment", "delivery", "deliver", "delivered", "versand", "lieferung",
                 "liefer", "livraison", "expedition", "envio", "spedizione", "entrega", "verzend", "verzending",
                 "levering", "wysylka", "wysylki", "dostawa", "dostawy", "frakt", "leverans", "kargo", "teslimat",
                 "доставка", "доставки", "доставку", "доставкой", "отгрузка", "运费", "邮费", "配送", "发货", "物流", "快递", "送料", "配送料",
                 "발송", "배송", "택배", "freight", "frete", "flete", "nolo", "porte", "postage", "porto", "handling", "fulfillment", "fulfilment",
                 "carrier", "tracking", "recipient", "收货", "收件", "发件", "出荷", "送付", "お届け"],
    "tax": ["tax", "taxes", "vat", "gst", "hst", "steuer", "mwst", "ust", "tva", "taxe", "impuesto", "iva", "imposta",
            "imposto", "btw", "podatek", "moms", "skatt", "kdv", "vergi", "ндс", "налог", "税", "税额", "消費税", "税金",
            "세금", "부가세", "세액", "duty", "duties"],
    "discount": ["discount", "discounts", "rabatt", "remise", "reduction", "descuento", "sconto", "desconto",
                 "korting", "rabat", "znizka", "indirim", "скидка", "скидки", "优惠", "折扣", "折让", "减免", "割引",
                 "할인", "coupon", "voucher", "gutschein", "bon", "promo", "promotion", "红包", "积分", "抵扣", "쿠폰",
                 "markdown", "savings"],
    "refund": ["refund", "refunded", "refunds", "erstattung", "erstattet", "gutschrift", "rembourse", "remboursement",
               "reembolso", "rimborso", "rimborsato", "terugbetaling", "zwrot", "aterbetalning", "iade", "возврат",
               "退款", "退货", "返金", "返品", "환불", "반품", "return", "returned", "chargeback", "cancel", "cancelled",
               "canceled", "cancellation", "storno", "annulation", "cancelacion", "annullamento", "cancelamento",
               "取消", "キャンセル", "취소"],
    # a line's profit or margin: money, but neither its revenue nor a price
    "profit": ["profit", "profits", "margin", "margins", "gewinn", "marge", "deckungsbeitrag", "benefice", "ganancia",
               "ganancias", "beneficio", "beneficios", "utilidad", "utilidades", "lucro", "profitto", "utile", "winst",
               "zysk", "marza", "vinst", "kar", "kari", "прибыль", "маржа", "利润", "毛利", "利益", "粗利", "이익", "이윤",
               "마진"],
    # an account's running balance (PayPal's Balance, a bank ledger's Saldo): money, but never a sale's amount or price
    "balance": ["balance", "balances", "saldo", "kontostand", "solde", "saldos", "bakiye", "zustatek",
                "egyenleg", "остаток", "баланс", "余额", "結餘", "残高", "잔액", "잔고", "sodu"],
    # a payment card or a payment: its number, month or method is not a product, quantity or price
    "card": ["card", "cards", "karte", "carte", "tarjeta", "cartao", "carta", "kaart", "karta", "kort", "kart",
             "карта", "卡", "信用卡", "カード", "카드"],
    "payment": ["payment", "payments", "zahlung", "zahlungsart", "paiement", "pago", "pagamento", "betaling",
                "platnosc", "betalning", "odeme", "оплата", "платеж", "支付", "付款", "支付方式", "決済", "支払",
                "결제", "gateway"],
    "fee": ["fee", "fees", "gebuhr", "gebuhren", "frais", "tarifa", "comision", "commissione", "commissie",
            "oplata", "avgift", "ucret", "ucreti", "комиссия", "сбор", "手续费", "佣金", "服务费", "手数料", "수수료",
            "commission", "cost", "costs", "kosten", "cout", "costo", "coste", "custo", "koszt", "kostnad",
            "maliyet", "себестоимость", "затраты", "成本", "费用", "原価", "원가", "charge", "charges", "surcharge",
            "tip", "deposit"],
    "inclusive": ["incl", "inkl", "including", "inclusive", "included", "ttc", "inclus", "incluido", "incluso",
                  "incluso", "inclusief", "inklusive", "wliczony", "dahil", "含税", "税込", "포함"],
    "original": ["original", "compare", "list", "regular", "msrp", "rrp", "uvp", "retail", "before", "old",
                 "ursprunglich", "originale", "lista", "lijst", "katalog", "catalog", "原价", "原価", "定価", "정가",
                 "市场价", "划线价"],
    "address": ["address", "addr", "adresse", "direccion", "indirizzo", "endereco", "adres", "adress", "адрес",
                "地址", "住所", "주소", "street", "strasse", "rue", "calle", "via", "rua", "straat", "ulica", "gata",
                "sokak", "cadde", "улица", "街道", "city", "stadt", "ort", "ville", "ciudad", "citta", "cidade",
                "stad", "miasto", "sehir", "il", "ilce", "город", "城市", "市", "都市", "도시", "zip", "zipcode",
                "postcode", "postal", "plz", "postleitzahl", "cap", "cep", "pocztowy", "postnummer", "posta",
                "индекс", "邮编", "郵便番号", "우편번호", "province", "provinz", "bundesland", "provincia",
                "provincie", "wojewodztwo", "lan", "область", "省", "州", "都道府県", "county", "district", "suburb",
                "company", "firma", "societe", "empresa", "azienda", "bedrijf", "firma", "sirket", "компания", "公司",
                "会社", "회사", "street1", "address1", "address2", "区", "县"],
    "phone": ["phone", "telephone", "tel", "mobile", "cell", "handy", "telefon", "telefono", "telefone", "telefoon",
              "telefonu", "телефон", "电话", "手机", "联系方式", "電話", "携帯", "전화", "연락처", "휴대폰", "fax"],
    "currency": ["currency", "wahrung", "devise", "moneda", "valuta", "moeda", "waluta", "para", "валюта", "币种",
                 "货币", "通貨", "통화"],
    "method": ["method", "methods", "methode", "metodo", "sposob", "metod", "yontem", "yontemi", "способ", "方式",
               "方法", "방법", "수단", "gateway", "channel", "kanal", "canal", "canale", "渠道", "source", "medium",
               "campaign", "referrer", "utm"],
    "note": ["note", "notes", "comment", "comments", "kommentar", "notiz", "bemerkung", "remarque", "nota", "notas",
             "comentario", "commento", "opmerking", "uwagi", "uwaga", "anteckning", "notlar", "комментарий",
             "примечание", "备注", "留言", "备考", "備考", "메모", "비고", "memo", "message"],
    "person": ["first", "last", "full", "given", "family", "surname", "vorname", "nachname", "prenom", "apellido",
               "apellidos", "cognome", "sobrenome", "achternaam", "voornaam", "imie", "nazwisko", "fornamn",
               "efternamn", "soyad", "soyadi", "фамилия", "отчество", "姓名", "姓", "收货人", "收件人", "联系人",
               "氏名", "성명", "받는분", "수령인", "recipient", "receiver", "contactperson"],
    "line": ["line", "lines", "row", "position", "pos", "zeile", "posten", "ligne", "linea", "riga", "regel",
             "pozycja", "rad", "satir", "строка", "позиция", "行", "明细", "明細", "행"],
    "updated": ["updated", "update", "modified", "modify", "changed", "edited", "geandert", "aktualisiert",
                "modifie", "actualizado", "actualizacion", "modificato", "aggiornato", "atualizado", "gewijzigd",
                "zmieniono", "aktualizacja", "andrad", "uppdaterad", "guncelleme", "guncellenme", "изменен",
                "изменения", "обновлен", "更新", "修改", "変更", "수정", "변경", "last_updated"],
    "lifecycle": ["birth", "birthday", "geburt", "geburts", "naissance", "nacimiento", "nascita", "nascimento",
                  "geboorte", "urodzenia", "fodelse", "dogum", "рождения", "生日", "出生", "誕生", "생년", "생일",
                  "due", "expiry", "expires", "expiration", "valid", "ablauf", "faellig", "signup", "registered",
                  "registration", "first_seen", "joined"],
    "device": ["device", "geraet", "gerat", "appareil", "dispositivo", "apparaat", "urzadzenie", "enhet", "cihaz",
               "устройство", "设备", "端末", "기기", "platform", "os", "browser", "traffic", "geo", "app", "stream",
               "mobile_brand", "screen", "language", "locale", "operating", "publisher", "publishers", "affiliate",
               "affiliates"],
    "parent": ["parent", "bundle", "sequence", "batch", "seq", "previous", "server", "offset", "bundle_sequence"],
    "store": ["store", "shop", "laden", "geschaft", "magasin", "boutique", "tienda", "negozio", "loja", "winkel",
              "sklep", "butik", "magaza", "магазин", "店铺", "店", "门店", "店舗", "상점", "매장", "공급자", "seller", "merchant",
              "verkaufer", "vendeur", "vendedor", "venditore", "verkoper", "sprzedawca", "saljare", "satici",
              "продавец", "卖家", "商家", "販売者", "판매자", "warehouse", "lager", "entrepot", "almacen", "magazzino",
              "仓库", "倉庫", "창고", "branch", "outlet", "filiale", "filialen", "sucursal", "filial", "oddzial",
              "sube", "филиал", "分店", "门市", "支店", "지점"],
    "variant": ["option", "options", "attribute", "attributes", "size", "colour", "color", "weight", "gewicht",
                "poids", "peso", "groesse", "grosse", "taille", "talla", "taglia", "tamanho", "rozmiar", "storlek",
                "beden", "размер", "尺码", "颜色", "属性", "规格", "套餐", "サイズ", "カラー", "사이즈", "색상", "옵션",
                "variation", "sku属性"],
}

#: the languages added second, each with its words per concept (folded when indexed; words of
#: several tokens are phrases). Merged into :data:`CONCEPTS` below.
MORE_LANGUAGES: dict[str, dict[str, list[str]]] = {
    "cs": {"order": ["objednavka", "objednavky", "objednavk", "zakazka"], "invoice": ["faktura", "doklad", "uctenka"],
           "customer": ["zakaznik", "zakaznika", "odberatel"], "buyer": ["kupujici"], "user": ["uzivatel", "uzivatele"],
           "number": ["cislo"], "code": ["kod"], "id": ["identifikator"], "date": ["datum"], "time": ["cas"],
           "created": ["vytvoreno", "vytvoreni"], "paid": ["zaplaceno", "platba", "uhrada"],
           "quantity": ["mnozstvi", "pocet", "ks", "kusu", "kusy"], "price": ["cena", "ceny"],
           "unit": ["kus", "jednotkova", "jednotka", "jednotku"], "amount": ["castka", "celkem", "suma", "hodnota"],
           "product": ["zbozi", "produkt", "polozka", "polozky"], "name": ["nazev", "jmeno"],
           "description": ["popis"], "category": ["kategorie"], "country": ["zeme"], "status": ["stav"],
           "shipping": ["doprava", "doruceni", "dopravne"], "tax": ["dph"], "discount": ["sleva"],
           "address": ["adresa", "mesto", "psc", "ulice"], "event": ["udalost"], "session": ["relace"],
           "brand": ["znacka", "vyrobce"], "currency": ["mena"], "note": ["poznamka"]},
    "sk": {"order": ["objednavka", "objednavky"], "customer": ["zakaznik", "zakaznika"], "buyer": ["kupujuci"],
           "user": ["pouzivatel", "pouzivatela"], "number": ["cislo"], "date": ["datum"], "time": ["cas"],
           "created": ["vytvorene"], "quantity": ["mnozstvo", "pocet", "ks"], "price": ["cena"],
           "unit": ["jednotkova", "kus"], "amount": ["suma", "celkom", "hodnota"],
           "product": ["tovar", "polozka", "produkt"], "name": ["nazov"], "description": ["popis"],
           "category": ["kategoria"], "country": ["krajina"], "status": ["stav"], "shipping": ["doprava", "dorucenie"],
           "tax": ["dph"], "discount": ["zlava"], "address": ["adresa", "mesto", "psc"], "event": ["udalost"],
           "session": ["relacia"], "brand": ["znacka"], "currency": ["mena"], "paid": ["platba", "zaplatene"]},
    "hu": {"order": ["rendeles", "megrendeles", "rendelesi"], "invoice": ["szamla", "nyugta"],
           "customer": ["ugyfel", "vevo"], "buyer": ["vasarlo"], "user": ["felhasznalo"], "number": ["szam", "sorszam"],
           "id": ["azonosito"], "code": ["kod"], "date": ["datum", "nap"], "time": ["idopont", "ido"],
           "created": ["letrehozva", "letrehozas"], "paid": ["fizetes", "fizetve"],
           "quantity": ["mennyiseg", "darab", "db"], "price": ["ar", "egysegar", "egysegara"], "unit": ["egyseg"],
           "amount": ["osszeg", "osszesen", "vegosszeg", "ertek"], "product": ["termek", "cikk", "aru"],
           "sku": ["cikkszam"], "name": ["nev", "megnevezes"], "description": ["leiras"], "category": ["kategoria"],
           "country": ["orszag"], "status": ["allapot", "statusz"], "shipping": ["szallitas", "szallitasi"],
           "tax": ["afa"], "discount": ["kedvezmeny"], "address": ["cim", "varos", "iranyitoszam"],
           "phone": ["telefonszam"], "event": ["esemeny"], "session": ["munkamenet"], "brand": ["marka", "gyarto"],
           "currency": ["penznem"], "note": ["megjegyzes"]},
    "ro": {"order": ["comanda", "comenzii", "comenzi"], "invoice": ["factura", "bon"], "customer": ["client", "clientului"],
           "buyer": ["cumparator", "cumparatorului"], "user": ["utilizator", "utilizatorului"],
           "number": ["numar", "numarul", "nr"], "code": ["cod", "codul"], "date": ["data"], "time": ["ora"],
           "created": ["creat", "creata", "plasare", "plasata"], "paid": ["plata", "platit", "achitat"],
           "quantity": ["cantitate", "cantitatea", "buc", "bucati"], "price": ["pret", "pretul"],
           "unit": ["unitar", "unitate", "bucata"], "amount": ["suma", "valoare", "valoarea", "total"],
           "product": ["produs", "produsului", "produse", "articol"], "name": ["denumire", "denumirea", "nume", "numele"],
           "description": ["descriere", "descrierea"], "category": ["categorie", "categoria"], "country": ["tara"],
           "status": ["stare", "starea", "status"], "shipping": ["livrare", "livrarii", "transport"], "tax": ["tva"],
           "discount": ["reducere", "discount"], "address": ["adresa", "oras", "judet", "cod postal"],
           "event": ["eveniment", "evenimentului"], "session": ["sesiune", "sesiunii"], "brand": ["marca", "producator"],
           "currency": ["moneda"], "note": ["observatii"]},
    "da": {"order": ["ordre", "bestilling"], "invoice": ["faktura", "kvittering"], "customer": ["kunde", "kunder"],
           "buyer": ["kober"], "user": ["bruger", "brugere"], "number": ["nummer", "nr"], "date": ["dato"],
           "time": ["tid", "tidspunkt", "klokkeslaet"], "created": ["oprettet"], "paid": ["betalt", "betaling"],
           "quantity": ["antal", "maengde", "stk"], "price": ["pris", "enhedspris", "stykpris"], "unit": ["enhed"],
           "amount": ["belob", "i alt", "total", "sum"], "product": ["vare", "varer", "produkt"],
           "name": ["navn", "varenavn"], "description": ["beskrivelse"], "category": ["kategori", "varegruppe"],
           "country": ["land"], "status": ["status"], "shipping": ["fragt", "levering", "forsendelse"],
           "tax": ["moms"], "discount": ["rabat"], "address": ["adresse", "postnummer"],
           "event": ["begivenhed", "haendelse"], "brand": ["maerke", "producent"], "currency": ["valuta"]},
    "no": {"order": ["ordre", "bestilling"], "customer": ["kunde"], "buyer": ["kjoper"], "user": ["bruker", "brukere"],
           "date": ["dato"], "created": ["opprettet"], "quantity": ["antall", "mengde"], "price": ["enhetspris"],
           "amount": ["belop", "totalt"], "product": ["vare", "varer"], "name": ["navn"],
           "description": ["beskrivelse"], "shipping": ["frakt", "levering"], "tax": ["mva"], "discount": ["rabatt"],
           "event": ["hendelse"], "brand": ["merke", "produsent"]},
    "fi": {"order": ["tilaus", "tilauksen", "tilauk", "tilausnro"], "invoice": ["lasku", "kuitti"],
           "customer": ["asiakas", "asiakkaan", "tilaaja"], "buyer": ["ostaja", "ostajan"],
           "user": ["kayttaja", "kayttajan"], "number": ["numero", "nro"], "code": ["koodi"], "id": ["tunnus", "tunniste"],
           "date": ["paivamaara", "pvm", "paiva"], "time": ["aika", "ajankohta", "aikaleima", "kellonaika"],
           "created": ["luotu", "luontiaika"], "paid": ["maksettu", "maksu"],
           "quantity": ["maara", "kpl", "kappalemaara", "lukumaara"],
           "price": ["hinta", "yksikkohinta", "kappalehinta", "a-hinta"], "unit": ["yksikko"],
           "amount": ["summa", "yhteensa", "kokonaissumma", "arvo"], "product": ["tuote", "tuotteen", "nimike"],
           "name": ["nimi", "tuotenimi"], "description": ["kuvaus"], "category": ["kategoria", "ryhma", "tuoteryhma"],
           "country": ["maa"], "status": ["tila"], "shipping": ["toimitus", "toimituksen"], "tax": ["alv"],
           "discount": ["alennus"], "fee": ["kulut", "kulu"], "address": ["osoite", "kaupunki", "postinumero"],
           "phone": ["puhelin", "puhelinnumero"], "event": ["tapahtuma"], "session": ["istunto"],
           "brand": ["merkki", "valmistaja"], "currency": ["valuutta"]},
    "el": {"order": ["παραγγελια", "παραγγελιας", "παραγγελ"], "invoice": ["τιμολογιο", "αποδειξη"],
           "customer": ["πελατης", "πελατη", "πελατ"], "buyer": ["αγοραστης", "αγοραστη"],
           "user": ["χρηστης", "χρηστη"], "number": ["αριθμος", "αριθμ", "αρ"], "code": ["κωδικος", "κωδικ"],
           "date": ["ημερομηνια", "ημερομην"], "time": ["ωρα", "χρονος"], "created": ["δημιουργια", "δημιουργηθηκε"],
           "paid": ["πληρωμη", "πληρωμης"], "quantity": ["ποσοτητα", "τεμ", "τεμαχια"], "price": ["τιμη", "τιμης"],
           "unit": ["μοναδα", "μοναδας", "ανα"], "amount": ["ποσο", "συνολο", "συνολικο", "αξια"],
           "product": ["προιον", "προιοντος", "ειδος", "ειδους"], "name": ["ονομα", "ονομασια"],
           "description": ["περιγραφη"], "category": ["κατηγορια"], "country": ["χωρα"], "status": ["κατασταση"],
           "shipping": ["μεταφορικα", "αποστολη", "αποστολης"], "tax": ["φπα"], "discount": ["εκπτωση"],
           "address": ["διευθυνση", "πολη", "ταχυδρομικος"], "phone": ["τηλεφωνο"], "event": ["συμβαν"],
           "session": ["συνεδρια"], "brand": ["μαρκα", "κατασκευαστης"], "currency": ["νομισμα"]},
    "uk": {"order": ["замовлення", "замовлен"], "invoice": ["рахунок", "накладна", "чек"],
           "customer": ["клієнт", "клієнта", "замовник"], "buyer": ["покупець", "покупця"],
           "user": ["користувач", "користувача"], "id": ["ідентифікатор"], "date": ["дата"], "time": ["час"],
           "created": ["створено", "створення"], "paid": ["оплата", "оплачено"], "quantity": ["кількість", "шт"],
           "price": ["ціна", "ціни", "вартість"], "unit": ["одиницю", "одиниці", "одиниця", "одиниц"],
           "amount": ["сума", "разом", "усього"], "product": ["товар", "товару", "продукт"], "name": ["назва", "найменування"],
           "description": ["опис"], "category": ["категорія"], "country": ["країна"], "status": ["статус", "стан"],
           "shipping": ["доставка", "доставки"], "tax": ["пдв"], "discount": ["знижка"],
           "address": ["адреса", "місто", "індекс"], "event": ["подія", "події"], "session": ["сесія", "сеанс"],
           "brand": ["бренд", "виробник"], "currency": ["валюта"]},
    "vi": {"order": ["don hang", "dat hang", "don dat hang", "don"], "invoice": ["hoa don"],
           "customer": ["khach hang", "khach", "kh"], "buyer": ["nguoi mua"], "user": ["nguoi dung", "ten dang nhap"],
           "account": ["tai khoan"], "number": ["so", "so thu tu"], "code": ["ma"], "date": ["ngay"],
           "time": ["thoi gian", "gio"], "created": ["tao", "ngay tao"], "paid": ["thanh toan"],
           "quantity": ["so luong", "sl"], "price": ["gia", "don gia", "gia ban"], "unit": ["don gia", "don vi"],
           "amount": ["thanh tien", "tong tien", "tong cong", "tong", "so tien", "tien", "gia tri"],
           "product": ["san pham", "hang hoa", "mat hang"], "name": ["ten"], "description": ["mo ta"],
           "category": ["danh muc", "nganh hang", "loai hang"], "country": ["quoc gia"], "status": ["trang thai", "tinh trang"],
           "shipping": ["van chuyen", "giao hang", "phi ship"], "tax": ["thue"], "discount": ["giam gia", "khuyen mai"],
           "original": ["gia goc"], "fee": ["phi", "hoa hong"], "address": ["dia chi", "thanh pho", "tinh thanh", "quan huyen", "phuong xa", "ma buu chinh"],
           "phone": ["dien thoai", "so dien thoai", "sdt"], "event": ["su kien"], "session": ["phien"],
           "brand": ["thuong hieu", "nhan hieu"], "currency": ["tien te"], "note": ["ghi chu"], "refund": ["hoan tien", "hoan tra"],
           "store": ["cua hang", "nguoi ban"]},
    "th": {"order": ["คำสั่งซื้อ", "ใบสั่งซื้อ", "สั่งซื้อ", "ออเดอร์"], "invoice": ["ใบแจ้งหนี้", "ใบกำกับภาษี", "ใบเสร็จ"],
           "customer": ["ลูกค้า", "สมาชิก"], "buyer": ["ผู้ซื้อ"], "user": ["ผู้ใช้", "ชื่อผู้ใช้"], "account": ["บัญชี"],
           "number": ["หมายเลข", "เลขที่", "เลข"], "code": ["รหัส", "โค้ด"], "id": ["ไอดี"], "date": ["วันที่", "วัน"],
           "time": ["เวลา"], "created": ["สร้าง"], "paid": ["ชำระเงิน", "ชำระ"], "quantity": ["จำนวน", "ชิ้น"],
           "price": ["ราคา"], "unit": ["ต่อหน่วย", "หน่วย", "ต่อชิ้น"],
           "amount": ["จำนวนเงิน", "ยอดรวม", "ยอดเงิน", "ราคารวม", "รวม", "ยอด"], "revenue": ["ยอดขาย"],
           "product": ["สินค้า", "ผลิตภัณฑ์"], "name": ["ชื่อ"], "description": ["รายละเอียด", "คำอธิบาย"],
           "category": ["หมวดหมู่", "หมวด"], "type": ["ประเภท"], "country": ["ประเทศ"], "status": ["สถานะ"],
           "shipping": ["ค่าจัดส่ง", "ค่าส่ง", "จัดส่ง", "ขนส่ง"], "tax": ["ภาษี"], "discount": ["ส่วนลด"],
           "address": ["ที่อยู่", "จังหวัด", "อำเภอ", "รหัสไปรษณีย์"], "phone": ["เบอร์โทร", "โทรศัพท์", "ติดต่อ"],
           "note": ["หมายเหตุ"], "refund": ["คืนเงิน", "ยกเลิก"], "brand": ["ยี่ห้อ", "แบรนด์"],
           "event": ["เหตุการณ์", "กิจกรรม"], "session": ["เซสชัน"], "currency": ["สกุลเงิน"], "store": ["ร้านค้า", "ผู้ขาย"],
           "fee": ["ค่าธรรมเนียม"], "variant": ["ตัวเลือก"]},
    "id": {"order": ["pesanan", "pembelian"], "invoice": ["faktur", "invoice"], "customer": ["pelanggan"],
           "buyer": ["pembeli"], "user": ["pengguna"], "account": ["akun"], "number": ["nomor", "no"], "code": ["kode"],
           "date": ["tanggal", "tgl"], "time": ["waktu", "jam"], "created": ["dibuat"],
           "paid": ["pembayaran", "dibayar", "bayar"], "quantity": ["jumlah", "kuantitas", "qty"],
           "price": ["harga"], "unit": ["satuan"], "amount": ["total", "subtotal", "nilai"],
           "product": ["produk", "barang"], "name": ["nama"], "description": ["deskripsi", "keterangan"],
           "category": ["kategori"], "country": ["negara"], "status": ["status"],
           "shipping": ["ongkir", "ongkos kirim", "pengiriman", "kirim", "kurir"], "tax": ["pajak", "ppn"],
           "discount": ["diskon", "potongan"], "address": ["alamat", "kota", "provinsi", "kecamatan", "kode pos"],
           "phone": ["telepon", "no hp", "nomor telepon"], "event": ["peristiwa", "acara"], "session": ["sesi"],
           "brand": ["merek"], "currency": ["mata uang"], "note": ["catatan"], "store": ["toko", "penjual"],
           "refund": ["pengembalian", "pembatalan", "dibatalkan"], "fee": ["biaya"]},
    "ms": {"date": ["tarikh"], "time": ["masa"], "quantity": ["kuantiti"], "amount": ["jumlah harga"],
           "description": ["penerangan"], "shipping": ["penghantaran"], "tax": ["cukai"], "brand": ["jenama"],
           "address": ["poskod"]},
    "ar": {"order": ["طلب", "طلبات", "طلبيه", "الطلبيه"], "invoice": ["فاتوره", "ايصال"], "customer": ["عميل", "عملاء", "زبون"],
           "buyer": ["مشتري"], "user": ["مستخدم"], "account": ["حساب"], "number": ["رقم"], "code": ["رمز", "كود"],
           "id": ["معرف"], "date": ["تاريخ"], "time": ["وقت", "ساعه", "توقيت"], "created": ["انشاء"],
           "paid": ["دفع", "الدفع"], "quantity": ["كميه", "عدد"], "price": ["سعر", "ثمن"], "unit": ["وحده", "للوحده"],
           "amount": ["اجمالي", "مجموع", "مبلغ", "قيمه"], "product": ["منتج", "منتجات", "صنف", "سلعه"],
           "name": ["اسم"], "description": ["وصف"], "category": ["تصنيف", "فئه", "قسم"], "country": ["دوله", "بلد"],
           "status": ["حاله"], "shipping": ["شحن", "توصيل"], "tax": ["ضريبه"], "discount": ["خصم"],
           "address": ["عنوان", "مدينه", "الرمز البريدي", "رمز بريدي"], "phone": ["هاتف", "جوال"], "event": ["حدث"],
           "session": ["جلسه"], "brand": ["ماركه", "علامه تجاريه", "العلامه التجاريه"], "currency": ["عمله"], "note": ["ملاحظات"],
           "store": ["متجر", "بائع"], "refund": ["استرداد", "مرتجع"], "fee": ["رسوم"]},
    "he": {"order": ["הזמנה", "הזמנות"], "invoice": ["חשבונית", "קבלה"], "customer": ["לקוח", "לקוחות"],
           "buyer": ["קונה"], "user": ["משתמש"], "number": ["מספר"], "code": ["קוד"], "id": ["מזהה"],
           "date": ["תאריך"], "time": ["שעה", "זמן"], "created": ["נוצר", "יצירה"], "paid": ["תשלום", "שולם"],
           "quantity": ["כמות"], "price": ["מחיר"], "unit": ["יחידה", "ליחידה"], "amount": ["סכום", "סהכ", "סך"],
           "product": ["מוצר", "מוצרים", "פריט"], "sku": ["מקט"], "name": ["שם"], "description": ["תיאור"],
           "category": ["קטגוריה"], "country": ["מדינה", "ארץ"], "status": ["סטטוס", "מצב"],
           "shipping": ["משלוח"], "tax": ["מעמ", "מס"], "discount": ["הנחה"], "address": ["כתובת", "עיר", "מיקוד"],
           "phone": ["טלפון", "נייד"], "event": ["אירוע"], "session": ["סשן"], "brand": ["מותג", "יצרן"],
           "currency": ["מטבע"], "note": ["הערות", "הערה"]},
    "hi": {"order": ["ऑर्डर", "आदेश"], "invoice": ["चालान", "बिल"], "customer": ["ग्राहक"], "buyer": ["खरीदार"],
           "user": ["उपयोगकर्ता"], "number": ["संख्या", "नंबर", "क्रमांक"], "code": ["कोड"], "id": ["आईडी"],
           "date": ["तारीख", "दिनांक", "तिथि"], "time": ["समय"], "created": ["बनाया"], "paid": ["भुगतान"],
           "quantity": ["मात्रा"], "price": ["कीमत", "मूल्य", "दर"], "unit": ["प्रति", "इकाई"],
           "amount": ["राशि", "कुल", "योग"], "product": ["उत्पाद", "वस्तु", "सामान"], "name": ["नाम"],
           "description": ["विवरण"], "category": ["श्रेणी"], "country": ["देश"], "status": ["स्थिति"],
           "shipping": ["शिपिंग", "डिलीवरी"], "tax": ["कर", "जीएसटी"], "discount": ["छूट"],
           "address": ["पता", "शहर", "पिनकोड"], "phone": ["फ़ोन", "फोन", "मोबाइल"], "event": ["घटना", "इवेंट"],
           "session": ["सत्र"], "brand": ["ब्रांड"], "currency": ["मुद्रा"]},
    "tl": {"order": ["order"], "date": ["petsa"], "time": ["oras"], "quantity": ["dami", "bilang"],
           "price": ["presyo"], "amount": ["halaga", "kabuuan"], "product": ["produkto"], "name": ["pangalan"],
           "customer": ["kostumer", "suki"], "buyer": ["mamimili"], "country": ["bansa"], "status": ["katayuan"],
           "description": ["paglalarawan"], "category": ["kategorya"]},
    # the languages added third. Baltic and South Slavic words are listed in the cases headers use
    # (nominative and genitive: "Pasūtījuma datums", "Užsakymo Nr.", "Broj narudžbe"); their stems
    # of 4+ letters also read the other endings. Left out where they would change how a word already
    # known reads: Catalan "import" (amount) is English import, Lithuanian PVM (VAT) the Finnish pvm
    # (date), Bulgarian "артикул" (item) the Russian article code, Urdu قسم (type) the Arabic department.
    "ca": {"order": ["comanda", "comandes"], "invoice": ["factura", "rebut"], "transaction": ["transaccio"],
           "customer": ["client", "clienta", "clients"], "buyer": ["comprador"], "user": ["usuari", "usuaris"],
           "number": ["numero", "num", "nre"], "code": ["codi"], "id": ["identificador"], "date": ["data"],
           "time": ["hora"], "created": ["creat", "creada", "creacio", "venda"], "paid": ["pagament", "pagat"],
           "quantity": ["quantitat", "unitats"], "price": ["preu", "preus"], "unit": ["unitari", "unitat"],
           "amount": ["total", "suma", "valor"], "revenue": ["vendes", "ingressos"],
           "product": ["producte", "productes", "article", "articles"], "name": ["nom", "titol"],
           "description": ["descripcio"], "category": ["categoria"], "type": ["tipus"], "country": ["pais"],
           "status": ["estat"], "event": ["esdeveniment"], "session": ["sessio"], "brand": ["marca", "fabricant"],
           "email": ["correu", "correu electronic"], "phone": ["telefon", "mobil"],
           "address": ["adreca", "ciutat", "poblacio", "codi postal"], "shipping": ["enviament", "lliurament"],
           "tax": ["iva", "impost"], "discount": ["descompte"], "refund": ["devolucio", "reemborsament"],
           "fee": ["comissio", "despeses"], "store": ["botiga", "venedor"], "currency": ["moneda"],
           "note": ["observacions", "comentari"], "line": ["linia"], "updated": ["actualitzat", "modificat"]},
    "et": {"order": ["tellimus", "tellimuse", "tellimused"], "invoice": ["arve"], "customer": ["klient", "kliendi"],
           "buyer": ["ostja"], "user": ["kasutaja"], "number": ["number", "nr"], "code": ["kood"], "id": ["tunnus"],
           "date": ["kuupaev", "kuupaeva"], "time": ["aeg", "kellaaeg", "aja"], "created": ["loodud", "loomise"],
           "paid": ["makse", "makstud", "tasutud"], "quantity": ["kogus", "tk", "arv"],
           "price": ["hind", "hinna", "uhikuhind"], "unit": ["uhik", "uhiku"],
           "amount": ["summa", "kokku", "maksumus", "vaartus", "kogusumma"], "revenue": ["kaive"],
           "product": ["toode", "toote", "tooted", "kaup", "kauba"], "name": ["nimi", "nimetus", "pealkiri"],
           "description": ["kirjeldus"], "category": ["kategooria"], "type": ["tuup", "liik"], "country": ["riik", "riigi"],
           "status": ["olek", "staatus"], "event": ["sundmus", "sundmuse"], "session": ["seanss", "sessioon"],
           "brand": ["kaubamark", "tootja"], "email": ["e post", "epost"], "phone": ["telefon", "telefoni"],
           "address": ["aadress", "linn", "postiindeks"], "shipping": ["tarne", "saatmine", "saatmise"],
           "tax": ["kaibemaks", "km"], "discount": ["allahindlus", "soodustus"], "refund": ["tagastus"],
           "store": ["pood", "muuja"], "currency": ["valuuta"], "note": ["markus", "markused", "kommentaar"],
           "line": ["rida"]},
    "lv": {"order": ["pasutijums", "pasutijuma", "pasutijumi", "pasutijum"], "invoice": ["rekins", "rekina"],
           "customer": ["klients", "klienta"], "buyer": ["pircejs", "pirceja"], "user": ["lietotajs", "lietotaja"],
           "number": ["numurs", "numura", "nr"], "code": ["kods", "koda"], "id": ["identifikators"],
           "date": ["datums", "datuma"], "time": ["laiks", "laika"], "created": ["izveidots", "izveides"],
           "paid": ["apmaksa", "apmaksas", "samaksats", "maksajums"], "quantity": ["daudzums", "skaits", "gab"],
           "price": ["cena", "cenas"], "unit": ["vieniba", "vienibas"],
           "amount": ["summa", "kopa", "kopsumma", "vertiba"], "revenue": ["ienemumi", "apgrozijums"],
           "product": ["produkts", "produkta", "prece", "preces"], "name": ["nosaukums", "nosaukuma", "vards"],
           "description": ["apraksts"], "category": ["kategorija", "kategorijas"], "type": ["veids", "tips"],
           "country": ["valsts"], "status": ["statuss", "stavoklis"], "event": ["notikums", "notikuma"],
           "session": ["sesija", "sesijas"], "brand": ["zimols", "razotajs"], "email": ["e pasts", "epasts"],
           "phone": ["talrunis", "telefons"], "address": ["adrese", "pilseta", "pasta indekss", "indekss"],
           "shipping": ["piegade", "piegades"], "tax": ["pvn", "nodoklis"], "discount": ["atlaide"],
           "refund": ["atmaksa", "atgriesana"], "store": ["veikals", "pardevejs"], "currency": ["valuta"],
           "note": ["piezimes", "komentars"], "line": ["rinda"]},
    "lt": {"order": ["uzsakymas", "uzsakymo", "uzsakymai", "uzsakym"], "invoice": ["saskaita", "saskaitos"],
           "customer": ["klientas", "kliento"], "buyer": ["pirkejas", "pirkejo"],
           "user": ["naudotojas", "naudotojo", "vartotojas", "vartotojo"], "number": ["numeris", "nr"],
           "code": ["kodas", "kodo"], "date": ["data", "datos"], "time": ["laikas", "laiko"],
           "created": ["sukurta", "sukurimo"], "paid": ["apmokejimas", "apmokejimo", "apmoketa", "mokejimas", "mokejimo"],
           "quantity": ["kiekis", "kiekio", "vnt"], "price": ["kaina", "kainos"], "unit": ["vieneto", "vienetas"],
           "amount": ["suma", "sumos", "is viso", "verte"], "revenue": ["pajamos", "apyvarta"],
           "product": ["produktas", "produkto", "preke", "prekes", "prekiu"], "name": ["pavadinimas", "pavadinimo", "vardas"],
           "description": ["aprasymas"], "category": ["kategorija", "kategorijos"], "type": ["tipas", "rusis"],
           "country": ["salis", "salies"], "status": ["busena", "busenos", "statusas"], "event": ["ivykis", "ivykio"],
           "session": ["sesija", "seansas"], "brand": ["prekes zenklas", "prekiu zenklas", "gamintojas"],
           "email": ["el pastas", "el pasto adresas"], "phone": ["telefonas", "telefono"],
           "address": ["adresas", "miestas", "pasto kodas"], "shipping": ["pristatymas", "pristatymo", "siuntimas", "siuntimo"],
           "tax": ["mokestis"], "discount": ["nuolaida"], "refund": ["grazinimas"],
           "store": ["parduotuve", "pardavejas"], "currency": ["valiuta"], "note": ["pastabos", "pastaba"],
           "line": ["eilute"]},
    # Croatian, Bosnian and Serbian (Latin): ijekavian and ekavian forms ("cijena", "cena")
    "hr": {"order": ["narudzba", "narudzbe", "narudzbi", "narudzbenica", "narudzbina", "narudzbine",
                     "porudzbina", "porudzbine"], "invoice": ["racun", "racuna", "faktura"],
           "customer": ["kupac", "kupca", "klijent", "klijenta"], "user": ["korisnik", "korisnika"],
           "number": ["broj", "br"], "code": ["sifra", "sifre", "kod"], "id": ["oznaka"], "date": ["datum", "datuma"],
           "time": ["vrijeme", "vreme", "vremena"], "created": ["kreirano", "kreiran", "kreirana", "stvoreno"],
           "paid": ["placanje", "placanja", "placeno", "uplata"], "quantity": ["kolicina", "kolicine", "kom", "komada"],
           "price": ["cijena", "cijene", "cena", "cene"], "unit": ["jedinicna", "jedinicu", "jedinica", "komadu"],
           "amount": ["iznos", "iznosa", "ukupno", "ukupan", "vrijednost", "vrednost"], "revenue": ["prihod", "promet"],
           "product": ["proizvod", "proizvoda", "artikl", "artikal", "artikla", "roba", "stavka"],
           "name": ["naziv", "naziva", "ime", "imena"], "description": ["opis"], "category": ["kategorija", "kategorije"],
           "type": ["vrsta", "tip"], "country": ["drzava", "drzave", "zemlja"], "status": ["status", "stanje"],
           "event": ["dogadaj", "dogadjaj", "dogadaja", "dogadjaja"], "session": ["sesija", "sesije"],
           "brand": ["marka", "brend", "proizvodac", "proizvodjac"], "email": ["e posta", "eposta"],
           "phone": ["telefon", "mobitel"], "address": ["adresa", "grad", "postanski broj"],
           "shipping": ["dostava", "dostave", "isporuka", "isporuke", "otprema"], "tax": ["pdv", "porez"],
           "discount": ["popust"], "refund": ["povrat", "storno"], "store": ["trgovina", "prodavnica", "prodavac"],
           "currency": ["valuta"], "note": ["napomena", "napomene"]},
    "bs": {"order": ["narudzba", "narudzbe"], "product": ["artikal", "artikla"], "time": ["vrijeme"]},
    "sr": {"order": ["порудзбина", "порудзбине", "поруџбина", "поруџбине", "наруџба", "наруџбе", "наруџбина"],
           "invoice": ["рачун", "рачуна", "фактура"], "customer": ["купац", "купца", "клијент", "клијента"],
           "user": ["корисник", "корисника"], "number": ["број", "бр"], "code": ["шифра", "шифре", "код"],
           "date": ["датум", "датума"], "time": ["време", "времена", "вријеме"],
           "created": ["креирано", "креиран", "креирана"], "paid": ["плаћање", "плаћено", "уплата"],
           "quantity": ["количина", "количине", "ком", "комада"], "price": ["цена", "цене", "цијена"],
           "unit": ["јединична", "јединица", "јединицу", "комаду"], "amount": ["износ", "укупно", "вредност", "вриједност"],
           "product": ["производ", "производа", "артикал", "артикла", "роба", "ставка"],
           "name": ["назив", "назива", "име"], "description": ["опис"], "category": ["категорија", "категорије"],
           "type": ["врста", "тип"], "country": ["држава", "државе", "земља"], "status": ["статус", "стање"],
           "event": ["догађај", "догађаја"], "session": ["сесија"], "brand": ["марка", "бренд", "произвођач"],
           "email": ["е пошта", "епошта"], "phone": ["телефон"], "address": ["адреса", "град", "поштански број"],
           "shipping": ["достава", "испорука", "испоруке"], "tax": ["пдв", "порез"], "discount": ["попуст"],
           "refund": ["поврат", "повраћај"], "store": ["продавница", "продавац"], "currency": ["валута"],
           "note": ["напомена"]},
    "sl": {"order": ["narocilo", "narocila", "narocil", "narocilnica"], "invoice": ["racun", "racuna"],
           "customer": ["stranka", "stranke", "kupec", "kupca"], "user": ["uporabnik", "uporabnika"],
           "number": ["stevilka", "stevilke", "st"], "code": ["koda", "sifra"], "date": ["datum"],
           "time": ["cas", "ura"], "created": ["ustvarjeno", "ustvarjen"], "paid": ["placilo", "placila", "placano"],
           "quantity": ["kolicina", "kos", "kosov"], "price": ["cena", "cene"], "unit": ["enoto", "enota", "enotna", "enote"],
           "amount": ["znesek", "zneska", "skupaj", "vrednost", "vsota"], "revenue": ["prihodki", "promet"],
           "product": ["izdelek", "izdelka", "artikel", "artikla", "blago"], "name": ["naziv", "ime", "imena"],
           "description": ["opis"], "category": ["kategorija"], "type": ["vrsta", "tip"],
           "country": ["drzava", "drzave"], "status": ["status", "stanje"], "event": ["dogodek", "dogodka"],
           "session": ["seja", "seje"], "brand": ["znamka", "proizvajalec"], "email": ["e posta"],
           "phone": ["telefon"], "address": ["naslov", "postna stevilka"], "shipping": ["dostava", "posiljanje", "postnina"],
           "tax": ["ddv", "davek"], "discount": ["popust"], "refund": ["vracilo"], "store": ["trgovina", "prodajalec"],
           "currency": ["valuta"], "note": ["opomba", "opombe"], "line": ["postavka"]},
    "bg": {"order": ["поръчка", "поръчки", "поръчката", "поръчк"], "invoice": ["фактура", "касова бележка"],
           "customer": ["клиент", "клиента", "клиентът"], "buyer": ["купувач", "купувача"],
           "user": ["потребител", "потребителя"], "number": ["номер", "номера"], "code": ["код", "кода"],
           "date": ["дата", "датата"], "time": ["час", "часът", "време"], "created": ["създадена", "създаден", "създаване"],
           "paid": ["плащане", "плащането", "платено"], "quantity": ["количество", "брой", "бройка"],
           "price": ["цена", "цената"], "unit": ["единица", "единична", "единична"],
           "amount": ["сума", "сумата", "общо", "стойност"], "revenue": ["приходи", "оборот"],
           "product": ["продукт", "продукта", "стока", "стоката"],
           "name": ["име", "наименование", "название"], "description": ["описание"], "category": ["категория"],
           "type": ["тип", "вид"], "country": ["държава", "страна"], "status": ["статус", "състояние"],
           "event": ["събитие", "събития"], "session": ["сесия", "сесията"], "brand": ["марка", "бренд", "производител"],
           "email": ["имейл", "е поща", "ел поща"], "phone": ["телефон"], "address": ["адрес", "град", "пощенски код"],
           "shipping": ["доставка", "доставката"], "tax": ["ддс", "данък"], "discount": ["отстъпка"],
           "refund": ["връщане", "възстановяване"], "store": ["магазин", "продавач"], "currency": ["валута"],
           "note": ["бележка", "бележки", "коментар"]},
    # Persian and Urdu are folded like Arabic (Persian yeh and keheh, Urdu heh goal and yeh barree)
    "fa": {"order": ["سفارش", "سفارشات"], "invoice": ["فاکتور", "صورتحساب", "رسید"], "transaction": ["تراکنش"],
           "customer": ["مشتری", "مشتریان"], "buyer": ["خریدار"], "user": ["کاربر"], "account": ["حساب"],
           "number": ["شماره"], "code": ["کد"], "id": ["شناسه"], "date": ["تاریخ"], "time": ["زمان", "ساعت"],
           "created": ["ایجاد", "ثبت"], "paid": ["پرداخت"], "quantity": ["تعداد", "مقدار"], "price": ["قیمت", "بها"],
           "unit": ["واحد"], "amount": ["مبلغ", "جمع", "مجموع", "کل"], "revenue": ["فروش", "درآمد"],
           "product": ["محصول", "محصولات", "کالا"], "name": ["نام"], "description": ["توضیحات", "شرح"],
           "category": ["دسته", "دسته بندی", "گروه"], "type": ["نوع"], "country": ["کشور"], "status": ["وضعیت"],
           "event": ["رویداد"], "session": ["نشست", "جلسه"], "brand": ["برند", "مارک"],
           "email": ["ایمیل", "پست الکترونیک"], "phone": ["تلفن", "موبایل", "شماره تماس"],
           "address": ["آدرس", "نشانی", "شهر", "استان", "کد پستی"], "shipping": ["ارسال", "حمل"], "tax": ["مالیات"],
           "discount": ["تخفیف"], "refund": ["مرجوعی", "بازگشت"], "fee": ["هزینه", "کارمزد"],
           "store": ["فروشگاه", "فروشنده"], "currency": ["واحد پول", "ارز"], "note": ["یادداشت"], "line": ["ردیف"]},
    "ur": {"order": ["آرڈر"], "invoice": ["انوائس", "بل", "رسید"], "customer": ["گاہک", "گاہکوں"], "buyer": ["خریدار"],
           "user": ["صارف"], "number": ["نمبر"], "code": ["کوڈ"], "id": ["آئی ڈی"], "date": ["تاریخ"],
           "time": ["وقت", "ٹائم"], "created": ["بنایا"], "paid": ["ادائیگی"], "quantity": ["مقدار", "تعداد"],
           "price": ["قیمت"], "unit": ["فی", "یونٹ"], "amount": ["کل رقم", "مجموعی", "ٹوٹل", "کل"],
           "revenue": ["فروخت"], "product": ["پروڈکٹ", "پراڈکٹ", "مصنوعات", "مصنوع", "اشیاء"], "name": ["نام"],
           "description": ["تفصیل"], "category": ["زمرہ", "کیٹیگری"], "country": ["ملک"],
           "status": ["حالت", "اسٹیٹس"], "event": ["واقعہ", "ایونٹ"], "session": ["سیشن"], "brand": ["برانڈ"],
           "email": ["ای میل"], "phone": ["فون", "موبائل"], "address": ["پتہ", "شہر", "پوسٹل کوڈ"],
           "shipping": ["ترسیل", "شپنگ"], "tax": ["ٹیکس"], "discount": ["رعایت", "ڈسکاؤنٹ"], "refund": ["واپسی", "ریفنڈ"],
           "store": ["دکان", "اسٹور"], "currency": ["کرنسی"], "note": ["نوٹ"]},
    # Bengali genitives are written onto the word ("পণ্যের নাম"): the common ones are listed, the
    # other endings are read as stems
    "bn": {"order": ["অর্ডার", "অর্ডারের"], "invoice": ["চালান", "রসিদ", "বিল"], "customer": ["গ্রাহক", "গ্রাহকের", "খদ্দের"],
           "buyer": ["ক্রেতা", "ক্রেতার"], "user": ["ব্যবহারকারী", "ব্যবহারকারীর"], "number": ["নম্বর", "নং", "সংখ্যা"],
           "code": ["কোড"], "id": ["আইডি"], "date": ["তারিখ"], "time": ["সময়"], "created": ["তৈরি", "বিক্রয়"],
           "paid": ["পরিশোধ", "পেমেন্ট"], "quantity": ["পরিমাণ"], "price": ["দাম", "মূল্য", "দর"],
           "unit": ["প্রতি", "একক", "প্রতিটি"], "amount": ["মোট", "সর্বমোট", "টাকা"], "revenue": ["আয়"],
           "product": ["পণ্য", "পণ্যের", "জিনিস"], "name": ["নাম"], "description": ["বিবরণ"],
           "category": ["বিভাগ", "ক্যাটাগরি", "শ্রেণী", "শ্রেণি"], "type": ["ধরন"], "country": ["দেশ", "দেশের"],
           "status": ["অবস্থা", "স্ট্যাটাস"], "event": ["ইভেন্ট", "ঘটনা"], "session": ["সেশন"], "brand": ["ব্র্যান্ড"],
           "email": ["ইমেইল", "ই-মেইল"], "phone": ["ফোন", "মোবাইল"], "address": ["ঠিকানা", "শহর", "জেলা", "পোস্ট কোড"],
           "shipping": ["ডেলিভারি", "শিপিং"], "tax": ["কর", "ভ্যাট"], "discount": ["ছাড়", "ডিসকাউন্ট"],
           "refund": ["ফেরত"], "store": ["দোকান", "বিক্রেতা"], "currency": ["মুদ্রা"], "note": ["মন্তব্য", "নোট"]},
}
#: words the mapping's rules read (:mod:`ecom_analytics.ingest.mapping`), in the languages above: a product's
#: *model* (the product-code column of shop software such as OpenCart), the *modification* words of an edit
#: date (demoted below the order date), the *added* words of a creation date, the "total" adjectives of a line
#: total ("Celková cena", "Обща цена": the amount, not the unit price), the parcel and tracking words of a
#: shipment number (never the product) and the e-mail words. Merged into :data:`CONCEPTS` below.
RULE_WORDS: dict[str, list[str]] = {
    "model": ["model", "models", "modell", "modelle", "modele", "modeles", "modelo", "modelos", "modello", "modelli",
              "modelu", "modeli", "modelis", "modelio", "modela", "modelul", "mudel", "mudeli", "malli", "mallin",
              "модель", "модели", "модел", "модела", "моделът", "μοντελο", "μοντελου", "型号", "型番", "モデル", "모델",
              "موديل", "طراز", "مدل", "ماڈل", "মডেল", "मॉडल", "דגם", "รุ่น"],
    "updated": ["modification", "modifications", "edited", "amended", "revised", "lastmodified",
                "anderung", "anderungs", "bearbeitet", "aktualisierung", "modifiee", "maj", "mis a jour", "mise a jour",
                "modificacion", "modificado", "modificada", "editado", "modifica", "aggiornamento", "atualizacao",
                "modificacao", "alterado", "alteracao", "wijziging", "bijgewerkt", "aangepast", "modyfikacji",
                "modyfikacja", "zmiany", "zmiana", "edycji", "zaktualizowano", "aktualizacji", "andrat", "andring",
                "uppdaterat", "degistirilme", "degisiklik", "duzenleme", "guncellendi", "изменено", "изменение",
                "обновления", "обновлено", "редактирования", "编辑", "变更", "編集", "업데이트", "편집",
                "zmeneno", "zmena", "zmeny", "upraveno", "aktualizovano", "zmenene", "upravene", "aktualizovane",
                "modositva", "modositas", "modositasi", "frissitve", "frissites", "modificat", "modificare",
                "modificarii", "actualizat", "actualizare", "actualizarii", "aendret", "opdateret", "redigeret",
                "aendring", "endret", "oppdatert", "endring", "muokattu", "paivitetty", "muutettu", "muokkaus", "muutos",
                "paivitys", "τροποποιηση", "τροποποιησης", "τροποποιηθηκε", "ενημερωση", "ενημερωσης", "ενημερωθηκε",
                "αλλαγη", "αλλαγης", "змінено", "зміни", "оновлено", "оновлення", "редагування", "cap nhat", "sua doi",
                "chinh sua", "แก้ไข", "อัปเดต", "ปรับปรุง", "diubah", "diperbarui", "pembaruan", "perubahan", "diedit",
                "dikemaskini", "تعديل", "تحديث", "تغيير", "עדכון", "עודכן", "שינוי", "עריכה", "संशोधित", "अपडेट",
                "binago", "modificacio", "actualitzacio", "muudetud", "muutmise", "muutmis", "uuendatud", "uuendamise",
                "mainits", "mainisanas", "atjaunots", "atjauninats", "labots", "izmainas", "izmainu", "labosanas",
                "pakeista", "pakeitimo", "atnaujinta", "atnaujinimo", "redaguota", "keitimo", "izmijenjeno",
                "izmijenjen", "izmjena", "izmjene", "izmena", "izmene", "izmenjeno", "azurirano", "azuriranja",
                "azuriranje", "promjena", "promjene", "promena", "promene", "uredeno", "измењено", "измена", "измене",
                "измјена", "измјене", "ажурирано", "ажурирања", "ажурирање", "промена", "промене", "spremenjeno",
                "sprememba", "spremembe", "posodobljeno", "posodobitve", "posodobitev", "urejeno", "променено",
                "промяна", "промени", "обновено", "актуализирано", "актуализация", "редактирано", "ویرایش",
                "بروزرسانی", "به روز رسانی", "تغییر", "اصلاح", "ترمیم", "اپ ڈیٹ", "تبدیلی", "পরিবর্তন", "হালনাগাদ",
                "আপডেট", "সম্পাদনা"],
    "created": ["ajout", "ajoute", "ajoutee", "agregado", "anadido", "aggiunto", "aggiunta", "adicionado",
                "toegevoegd", "dodania", "dodano", "tillagd", "eklenme", "eklendi", "добавлен", "добавлено",
                "добавлена", "добавления", "添加", "pridano", "pridani", "hozzaadva", "adaugat", "adaugarii",
                "adaugare", "tilfojet", "lisatty", "lisays", "προσθηκη", "προσθηκης", "προστεθηκε", "додано",
                "додавання", "ditambahkan", "afegit", "lisatud", "lisamise", "pievienots", "pievienosanas", "prideta",
                "pridejimo", "dodan", "dodavanja", "dodavanje", "додато", "додавања", "добавяне", "добавена",
                "добавен", "اضافه", "افزوده", "ngay them"],
    "amount": ["celkova", "celkovy", "celkove", "laczna", "laczny", "calkowita", "calkowity", "общая", "общий",
               "общей", "обща", "общата", "общ", "итоговая", "загальна", "загальний", "укупна", "укупан", "ukupna",
               "skupna", "skupni", "skupno", "kopeja", "kopejais", "bendra", "bendroji", "viso", "kogu", "kokonais",
               "samlet", "samlede", "sammanlagt", "συνολικη", "συνολικες", "teljes", "osszes", "complessivo"],
    "shipping": ["track", "parcel", "parcels", "waybill", "awb", "consignment", "sendung", "sendungs", "paket", "pakete",
                 "sendungsverfolgung", "colis", "suivi", "paquete", "seguimiento", "rastreo", "pacco",
                 "tracciamento", "rastreamento", "rastreio", "pakket", "zending", "przesylka", "przesylki", "paczka",
                 "paczki", "sledzenia", "kolli", "sparning", "takip", "посылка", "посылки", "отправление",
                 "отправления", "трек", "отслеживания", "运单", "运单号", "快递单", "快递单号", "物流单", "物流单号", "包裹", "追跡", "伝票", "送り状", "운송장",
                 "zasilka", "zasilky", "sledovani", "balik", "baliku", "zasielka", "sledovanie", "csomag",
                 "nyomkovetes", "nyomkovetesi", "fuvarlevel", "colet", "coletului", "urmarire", "pakke", "sporing",
                 "paketti", "lahetys", "lahetyksen", "seuranta", "δεμα", "δεματος", "εντοπισμος", "παρακολουθηση",
                 "посилка", "посилки", "відстеження", "van don", "พัสดุ", "ติดตาม", "nomor resi", "no resi", "lacak", "تتبع", "طرد",
                 "بوليصه", "מעקב", "חבילה", "ट्रैकिंग", "पार्सल", "seguiment", "paquet", "saadetis", "saadetise",
                 "jalgimis", "jalgimise", "pakk", "sutijums", "sutijuma", "izsekosanas",
                 "siunta", "siuntos", "sekimo", "siuntinys", "siuntinio", "posiljka", "posiljke", "pracenje",
                 "pracenja", "пошиљка", "пошиљке", "праћење", "праћења", "sledenje", "sledenja", "пратка", "пратката",
                 "проследяване", "товарителница", "колет", "مرسوله", "رهگیری", "پیگیری", "پارسل", "ٹریکنگ",
                 "পার্সেল", "ট্র্যাকিং"],
    "email": ["почта", "эл почта", "пошта", "ел пошта", "sahkoposti", "sposti", "epost", "e post", "ηλεκτρονικο ταχυδρομειο",
              "דואל", "אימייל", "بريد", "ايميل", "ईमेल", "อีเมล", "thu dien tu", "surel", "e mail"],
}
for _words in [*MORE_LANGUAGES.values(), RULE_WORDS]:
    for _concept, _list in _words.items():
        CONCEPTS.setdefault(_concept, [])
        CONCEPTS[_concept] = CONCEPTS[_concept] + [w for w in _list if w not in CONCEPTS[_concept]]

#: concept words read only as whole tokens (too short or too common to be a stem)
_WHOLE_ONLY_LEN = 4


@lru_cache(maxsize=1)
def _phrases() -> dict[tuple[str, ...], list[str]]:
    """Words of several tokens ("don hang", "kode pos") -> their concepts."""
    out: dict[tuple[str, ...], list[str]] = {}
    for concept, words in CONCEPTS.items():
        for w in words:
            toks = tuple(tokens(w))
            if " " in w and len(toks) > 1 and concept not in out.get(toks, []):
                out.setdefault(toks, []).append(concept)
    return out


_PHRASE_MAX = 4
#: prefixes of Arabic (the article and the conjunctions and prepositions joined to it) and of Hebrew
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
_HEBREW_PREFIXES = ("וה", "שה", "מה", "בה", "לה", "כש", "ה", "ו", "ל", "ב", "מ", "ש")


def _without_prefix(token: str) -> str | None:
    """An Arabic or Hebrew token without its article or prefix when what is left is a known word
    ("الطلب" -> "طلب", "ההזמנה" -> "הזמנה"); None otherwise."""
    whole = _index()[0]
    if "\u0620" <= token[:1] <= "\u06ff":
        prefixes = _ARABIC_PREFIXES
    elif "\u05d0" <= token[:1] <= "\u05ea":
        prefixes = _HEBREW_PREFIXES
    else:
        return None
    for p in prefixes:
        rest = token[len(p):]
        if token.startswith(p) and len(rest) >= 2 and rest in whole:
            return rest
    return None


@lru_cache(maxsize=1)
def _index() -> tuple[dict[str, set[str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """(whole word -> concepts, [(stem, concept)] longest first, [(spaceless word, concept)] longest first)."""
    whole: dict[str, set[str]] = {}
    stems: list[tuple[str, str]] = []
    spaceless: list[tuple[str, str]] = []
    for concept, words in CONCEPTS.items():
        for w in words:
            if " " in w and len(tokens(w)) > 1:
                continue  # a phrase (see _phrases)
            for f in {"".join(tokens(w)), fold(w)}:
                if not f or not all(ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M" for ch in f):
                    continue  # (vowel signs of Thai and Devanagari are marks, not \w)
                whole.setdefault(f, set()).add(concept)
                if any(_is_spaceless(c) for c in f):
                    spaceless.append((f, concept))
                elif len(f) >= _WHOLE_ONLY_LEN:
                    stems.append((f, concept))
    stems.sort(key=lambda t: -len(t[0]))
    spaceless.sort(key=lambda t: -len(t[0]))
    return whole, stems, spaceless


def _token_concepts(token: str) -> list[str]:
    """The concepts one token carries, in reading order."""
    whole, stems, spaceless = _index()
    if token in whole:
        return sorted(whole[token])
    bare = _without_prefix(token)
    if bare is not None:
        return sorted(whole[bare])
    if any(_is_spaceless(c) for c in token):
        found: list[tuple[int, str]] = []
        taken = [False] * len(token)
        for w, concept in spaceless:
            start = token.find(w)
            while start >= 0:
                if not any(taken[start:start + len(w)]):
                    for i in range(start, start + len(w)):
                        taken[i] = True
                    found.append((start, concept))
                start = token.find(w, start + 1)
        return [c for _, c in sorted(found)]
    # Latin/Cyrillic: longest known prefix, then what is left of the compound
    out: list[str] = []
    rest = token
    while rest:
        hit = None
        for w, concept in stems:
            if rest.startswith(w):
                hit = (w, concept)
                break
        if hit is None:
            if rest in whole and rest != token:
                out.extend(sorted(whole[rest]))
                break
            # a compound ending in a known word ("kundennummer" after "kunden" is "nummer")
            for w, concept in stems:
                if rest.endswith(w) and len(rest) - len(w) >= 2:
                    out.append(concept)
                    break
            break
        out.append(hit[1])
        rest = rest[len(hit[0]):]
        # linking letters of compounds: Kunde-n-nummer, Rechnung-s-datum
        if rest[:1] in ("s", "n", "e") and not any(rest.startswith(w) for w, _ in stems) \
                and any(rest[1:].startswith(w) for w, _ in stems):
            rest = rest[1:]
        if rest and rest in whole:
            out.extend(sorted(whole[rest]))
            break
    return out


@lru_cache(maxsize=4096)
def concepts(header: str) -> tuple[str, ...]:
    """The concepts a header is made of, in reading order, each once
    ("Bestell-Nr." -> order, number; "Fecha del pedido" -> date, order; "注文日時" -> order, time;
    "Mã đơn hàng" -> code, order; "رقم الطلب" -> number, order)."""
    out: list[str] = []
    toks = tokens(header)
    phrases = _phrases()
    i = 0
    while i < len(toks):
        for n in range(min(_PHRASE_MAX, len(toks) - i), 1, -1):
            if tuple(toks[i:i + n]) in phrases:
                found, i = phrases[tuple(toks[i:i + n])], i + n
                break
        else:
            found, i = _token_concepts(toks[i]), i + 1
        out.extend(c for c in found if c not in out)
    return tuple(out)
