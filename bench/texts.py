"""Message texts for the generated benchmark profile, in Russian and English.

Templates with slots (goods, cities, order and tracking numbers, versions, devices), so the
full-text index sees what a real support inbox gives it: a few words in most messages
("здравствуйте", "order"), a long tail of goods and places, and identifiers that occur once.
"""

from __future__ import annotations

import random
from collections.abc import Callable


def words(text: str) -> tuple[str, ...]:
    """A word list written as one string: entries separated by ``|``."""
    return tuple(w.strip() for w in text.split("|"))


ITEMS_RU = words(
    "велосипед|коляска|диван|холодильник|ноутбук|смартфон|iPhone|куртка|пуховик|кроссовки|"
    "телевизор|стиральная машина|шкаф|кровать|стол|стулья|самокат|гитара|пианино|фотоаппарат|"
    "объектив|наушники|часы|сумка|рюкзак|шины|диски|автокресло|манеж|комод|матрас|люстра|"
    "ковёр|микроволновка|пылесос|кофемашина|планшет|монитор|принтер|палатка|лыжи|сноуборд|"
    "коньки|беговая дорожка|гантели|аквариум|клетка|когтеточка|щенок|котёнок|сервиз|ваза|"
    "картина|книги|конструктор|кукла|железная дорога|приставка|джойстик|видеокарта|процессор|"
    "роутер|кондиционер|обогреватель|дрель|перфоратор|бензопила|газонокосилка|мангал|лодка|"
    "мотоцикл|скутер|квартира|комната|дача|гараж"
)
ITEMS_EN = words(
    "bike|stroller|sofa|fridge|laptop|phone|iPhone|jacket|sneakers|TV|washer|wardrobe|bed|"
    "table|chairs|scooter|guitar|piano|camera|lens|headphones|watch|bag|backpack|tyres|rims|"
    "car seat|playpen|dresser|mattress|lamp|rug|microwave|vacuum|coffee machine|tablet|monitor|"
    "printer|tent|skis|snowboard|skates|treadmill|dumbbells|aquarium|puppy|kitten|vase|"
    "painting|books|lego|doll|console|gamepad|GPU|router|heater|drill|chainsaw|mower|grill|"
    "boat|motorbike|apartment|room|garage"
)
CITIES = words(
    "Москва|Санкт-Петербург|Казань|Новосибирск|Екатеринбург|Самара|Омск|Ростов|Уфа|Пермь|"
    "Воронеж|Краснодар|Тверь|Тула|Ярославль|Калуга|Курск|Челябинск|Владивосток|Иркутск|Томск|"
    "Барнаул|Тюмень|Саратов|Оренбург|Пенза|Рязань|Липецк|Киров|Астрахань|Almaty|Astana|Minsk|"
    "Brest|Tashkent|Bishkek"
)
DEVICES = words(
    "Redmi Note 10|Samsung Galaxy A52|Samsung Galaxy A12|Pixel 6|Pixel 7|Honor 50|Realme 9|"
    "iPhone 11|iPhone 12|iPhone 13|iPhone 14|iPhone 15 Pro|iPad Air|Xiaomi 12|OnePlus 9|"
    "Galaxy S9|Galaxy S21|Motorola Edge 30|Poco X3|Huawei P30"
)
SCREENS_RU = ("чата", "объявления", "корзины", "профиля", "фильтров", "карты", "оплаты")
SCREENS_EN = ("chat", "listing", "cart", "profile", "filters", "map", "checkout")
FILTERS_RU = ("Только с доставкой", "Рядом со мной", "Цена", "Район", "С фото", "Новые")
ERRORS = ("too many attempts", "account not found", "ошибка платежа", "сессия истекла", "500")
NAMES_RU = words(
    "Иван|Мария|Анна|Алексей|Сергей|Елена|Ольга|Дмитрий|Наталья|Павел|Татьяна|Андрей|Юлия|"
    "Михаил|Екатерина|Николай|Светлана|Артём|Ирина|Владимир"
)
NAMES_EN = words("John|Emma|David|Sarah|Mike|Grace|Lucas|Peter|Olivia|Tom|Anna|James|Helen|Ben")
SURNAMES_RU = words(
    "Иванов|Петров|Смирнов|Кузнецов|Попов|Соколов|Лебедев|Козлов|Новиков|Морозов|Волков|"
    "Соловьёв|Васильев|Зайцев|Павлов|Семёнов|Голубев|Виноградов|Богданов|Воробьёв"
)
SURNAMES_EN = words("Miller|Smith|Brown|Johnson|Lee|Chen|Walker|Martin|Silva|Novak|Harris|Park")

CUSTOMER_RU = (
    "Не приходит код подтверждения по SMS на номер +7 9{n3} {n3}-{n2}-{n2}.",
    "Заказал {item} через Лавка Доставку, трек {track}, статус не меняется уже {n} дней.",
    "После обновления до {version} приложение вылетает при открытии {screen_ru}.",
    "Деньги за {item} списались дважды, заказ {order}. Верните, пожалуйста.",
    "Продавец не отвечает в чате, а я оплатил {item} через Безопасную сделку.",
    "Не работает фильтр «{filter_ru}», показывает всё подряд.",
    "Объявление «{item}» отклонила модерация, не понимаю почему.",
    "Не могу войти в аккаунт, пишет «{error}».",
    "Верните деньги за поднятие объявления «{item}», {amount} ₽.",
    "Курьер не приехал, город {city}, посылка {track}.",
    "Как подключить пакет «Про»? У меня {n3} объявлений.",
    "Мне звонят от имени Лавки и просят назвать код из SMS. Это вы?",
    "Посылка пришла повреждённой: {item}, заказ {order}. Фото есть.",
    "Не приходят уведомления о новых сообщениях на {device}.",
    "Android, {version}. У подруги есть фильтры, у меня нет.",
    "Покупатель из города {city} хочет {item}, а кнопка Безопасной сделки неактивна.",
)
CUSTOMER_EN = (
    "I was charged twice for the promotion of my {item_en} listing, order {order}.",
    "The app crashes when I open the {screen_en} screen since {version}. {device}.",
    "My package {track} hasn't moved in {n} days. Where is it?",
    "I can't log in, the app says '{error}'.",
    "The seller of the {item_en} doesn't answer and I paid via Safe Deal.",
    "How do I report a fake listing? Someone sells a {item_en} for a third of the price.",
    "The delivery filter doesn't work in {city}.",
    "Please refund the commission for order {order}.",
    "Notifications don't arrive on my {device}.",
)
FOLLOWUP_RU = (
    "Спасибо, всё работает!",
    "Не помогло, всё так же.",
    "Прошло {n} дня, денег нет.",
    "Поняла, спасибо.",
    "А когда примерно?",
    "Обновил до {version}, теперь нормально.",
)
FOLLOWUP_EN = ("Thanks, works now!", "Still broken.", "Ok, thank you.", "Any news?")
AGENT_RU = (
    "{name}, здравствуйте! Проверили заказ {order}: деньги вернутся на карту в течение "
    "5 рабочих дней.",
    "{name}, спасибо, что написали! Обновите, пожалуйста, приложение до версии 141.2 — там это "
    "исправлено.",
    "{name}, блокировку отправки кода сняли, запросите код ещё раз.",
    "{name}, посылка {track} в сортировочном центре, ожидаемая дата доставки — через {n} дня.",
    "{name}, фильтры сохраняются вместе с поиском: нажмите «Сохранить поиск».",
    "{name}, это мошенники: сотрудники Лавки никогда не спрашивают коды из SMS.",
    "{name}, объявление «{item}» отклонено, потому что в описании указан телефон. Уберите его и "
    "отправьте на проверку.",
    "{name}, откройте, пожалуйста, спор в заказе {order} и приложите фото товара.",
    "{name}, Безопасная сделка включается после привязки карты для выплат: Профиль → Кошелёк.",
)
AGENT_EN = (
    "Hi {name_en}, I've refunded the duplicate payment for order {order}; allow 3–5 business days.",
    "Hi {name_en}, please update Lavka to 141.2 — this is fixed there.",
    "Hi {name_en}, your package {track} is at the sorting centre and should arrive in {n} days.",
    "Hi {name_en}, the limit resets after 30 minutes; I've reset it for you now.",
    "Hi {name_en}, please open a dispute in order {order} and attach photos.",
)
NOTES = (
    "BUG-{n4}: воспроизводится на {device}, версия {version}.",
    "Refund REF-{n4} issued in the billing panel.",
    "Номер передан в службу безопасности (SEC-{n3}).",
    "Клиент просит, чтобы отвечала та же коллега.",
)
SUBJECTS_RU = (
    "Не приходит код",
    "Вопрос по доставке",
    "Возврат денег",
    "Не работает фильтр",
    "Объявление отклонено",
    "Двойное списание",
    "Вылетает приложение",
    "Не могу войти",
)
SUBJECTS_EN = ("Charged twice", "App crashes", "Where is my package", "Can't log in", "Refund")


class TextMaker:
    """Fills templates fast: one call per message, randomness from the caller's generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        r = rng
        self._slots: dict[str, Callable[[], str]] = {
            "item": lambda: r.choice(ITEMS_RU),
            "item_en": lambda: r.choice(ITEMS_EN),
            "city": lambda: r.choice(CITIES),
            "device": lambda: r.choice(DEVICES),
            "screen_ru": lambda: r.choice(SCREENS_RU),
            "screen_en": lambda: r.choice(SCREENS_EN),
            "filter_ru": lambda: r.choice(FILTERS_RU),
            "error": lambda: r.choice(ERRORS),
            "name": lambda: r.choice(NAMES_RU),
            "name_en": lambda: r.choice(NAMES_EN),
            "version": lambda: f"{r.randint(130, 141)}.{r.randint(0, 3)}",
            "track": lambda: f"LV-{r.randint(1_000_000, 9_999_999)}",
            "order": lambda: f"{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
            "amount": lambda: str(r.choice((49, 99, 149, 299, 499, 990))),
            "n": lambda: str(r.randint(2, 14)),
            "n2": lambda: f"{r.randint(0, 99):02d}",
            "n3": lambda: str(r.randint(100, 999)),
            "n4": lambda: str(r.randint(1000, 9999)),
        }
        self._fields = {t: _fields(t) for group in _ALL for t in group}

    def fill(self, template: str) -> str:
        return template.format(**{k: self._slots[k]() for k in self._fields[template]})

    def customer_first(self, english: bool) -> str:
        if english:
            return self.fill(self.rng.choice(CUSTOMER_EN))
        greeting = self.rng.choice(("Здравствуйте! ", "Добрый день! ", "Привет. ", ""))
        return greeting + self.fill(self.rng.choice(CUSTOMER_RU))

    def customer_followup(self, english: bool) -> str:
        return self.fill(self.rng.choice(FOLLOWUP_EN if english else FOLLOWUP_RU))

    def agent_reply(self, english: bool) -> str:
        return self.fill(self.rng.choice(AGENT_EN if english else AGENT_RU))

    def note(self) -> str:
        return self.fill(self.rng.choice(NOTES))

    def subject(self, english: bool) -> str:
        return self.rng.choice(SUBJECTS_EN if english else SUBJECTS_RU)


_ALL = (CUSTOMER_RU, CUSTOMER_EN, FOLLOWUP_RU, FOLLOWUP_EN, AGENT_RU, AGENT_EN, NOTES)


def _fields(template: str) -> tuple[str, ...]:
    import string

    return tuple({f for _, f, _, _ in string.Formatter().parse(template) if f})
