"""What operators type into search in the benchmarks: common, rare and prefix words, several
words, identifiers, both languages, and a query with no hit."""

FIXED_SEARCHES = (
    "доставка", "достав", "здравствуйте", "коляска", "велосипед", "не приходит код", "вылетает",
    "безопасную сделку", "модерация", "верните деньги", "фильтр", "фил", "Казань", "Тверь",
    "refund", "charged twice", "package", "crash", "iphone", "redmi note", "BUG", "ошибка платежа",
    "notifications", "zzzqxj", "спам", "у подруги есть фильтры", "order", "Москва курьер",
)  # fmt: skip
