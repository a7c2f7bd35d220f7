"""Held-out layouts: written before the mapper's vocabulary, and never used to tune it.

Languages held out: Swedish, Turkish, Korean, Polish (orders and events).
Platforms held out: Shopware, PrestaShop, BigCommerce, Lazada, JD (京东).

Each layout: canonical column -> header as the export writes it; ``extras`` are columns the
mapper must leave unmapped (shipping fees, taxes, cities, zip codes ...), as (header, filler).
The mapper's share on these is reported apart from the layouts its vocabulary was written with.
"""

from __future__ import annotations

HELDOUT_ORDERS: dict[str, dict] = {
    "sv": {"headers": {"order_id": "Ordernummer", "customer_id": "Kundnummer", "timestamp": "Orderdatum",
                       "product_id": "Artikelnummer", "product_name": "Produktnamn", "quantity": "Antal",
                       "unit_price": "Styckpris", "amount": "Totalbelopp", "country": "Land",
                       "status": "Orderstatus"},
           "extras": [("Fraktkostnad", "money"), ("Moms", "money"), ("Postnummer", "zip"), ("Stad", "city")]},
    "tr": {"headers": {"order_id": "Sipariş No", "customer_id": "Müşteri No", "timestamp": "Sipariş Tarihi",
                       "product_id": "Ürün Kodu", "product_name": "Ürün Adı", "quantity": "Adet",
                       "unit_price": "Birim Fiyat", "amount": "Tutar", "country": "Ülke",
                       "status": "Sipariş Durumu"},
           "extras": [("Kargo Ücreti", "money"), ("KDV", "money"), ("Şehir", "city"), ("Telefon", "phone")]},
    "ko": {"headers": {"order_id": "주문번호", "customer_id": "회원ID", "timestamp": "주문일시",
                       "product_id": "상품코드", "product_name": "상품명", "quantity": "수량",
                       "unit_price": "판매가", "amount": "결제금액", "country": "국가", "status": "주문상태"},
           "extras": [("배송비", "money"), ("우편번호", "zip"), ("연락처", "phone")]},
    "pl": {"headers": {"order_id": "Numer zamówienia", "customer_id": "ID klienta",
                       "timestamp": "Data zamówienia", "product_id": "Kod produktu",
                       "product_name": "Nazwa produktu", "quantity": "Ilość", "unit_price": "Cena jednostkowa",
                       "amount": "Wartość", "country": "Kraj", "status": "Status zamówienia"},
           "extras": [("Koszt dostawy", "money"), ("Kod pocztowy", "zip"), ("Miasto", "city")]},
    "shopware": {"headers": {"order_id": "ordernumber", "timestamp": "ordertime", "customer_id": "customernumber",
                             "product_id": "articleordernumber", "product_name": "articlename",
                             "quantity": "quantity", "unit_price": "price", "country": "billingCountry",
                             "status": "orderStatus"},
                 "extras": [("invoice_shipping", "money"), ("paymentMethod", "word"), ("billing_zipcode", "zip"),
                            ("billing_city", "city")]},
    "prestashop": {"headers": {"order_id": "id_order", "customer_id": "id_customer", "timestamp": "date_add",
                               "product_id": "product_id", "product_name": "product_name",
                               "quantity": "product_quantity", "unit_price": "unit_price_tax_incl",
                               "amount": "total_price_tax_incl", "country": "country", "status": "current_state"},
                   "extras": [("total_shipping", "money"), ("payment", "word"), ("postcode", "zip")]},
    "bigcommerce": {"headers": {"order_id": "Order ID", "customer_id": "Customer ID", "timestamp": "Order Date",
                                "status": "Order Status", "product_id": "Product SKU", "product_name": "Product Name",
                                "quantity": "Product Qty", "unit_price": "Product Unit Price",
                                "amount": "Product Total Price", "country": "Billing Country"},
                    "extras": [("Shipping Cost", "money"), ("Billing Zip", "zip"), ("Payment Method", "word")]},
    "lazada": {"headers": {"order_id": "Order Number", "timestamp": "Created at", "product_id": "Seller SKU",
                           "product_name": "Item Name", "unit_price": "Unit Price", "amount": "Paid Price",
                           "status": "Status", "country": "Shipping Country", "customer_id": "Customer Email"},
               "extras": [("Shipping Fee", "money"), ("Shipping City", "city")],
               "one_per_line": True},
    "jd": {"headers": {"order_id": "订单号", "timestamp": "下单时间", "product_id": "商品ID", "product_name": "商品名称",
                       "quantity": "订购数量", "unit_price": "京东价", "customer_id": "下单帐号", "status": "订单状态"},
           "extras": [("运费金额", "money"), ("收货地址", "city")]},
}

HELDOUT_EVENTS: dict[str, dict] = {
    "ko": {"headers": {"user_id": "사용자ID", "timestamp": "이벤트시간", "event_type": "이벤트유형",
                       "product_id": "상품ID", "category": "카테고리", "brand": "브랜드", "price": "가격",
                       "session_id": "세션ID"}},
    "tr": {"headers": {"user_id": "Kullanıcı ID", "timestamp": "Olay Zamanı", "event_type": "Olay Türü",
                       "product_id": "Ürün ID", "category": "Kategori", "brand": "Marka", "price": "Fiyat",
                       "session_id": "Oturum ID"}},
    "pl": {"headers": {"user_id": "Identyfikator użytkownika", "timestamp": "Czas zdarzenia",
                       "event_type": "Typ zdarzenia", "product_id": "Identyfikator produktu", "category": "Kategoria",
                       "brand": "Marka", "price": "Cena", "session_id": "Sesja"}},
}
