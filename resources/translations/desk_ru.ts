<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>AccountsDialog</name>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="53"/>
        <source>Channel accounts</source>
        <translation>Учётные записи каналов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="62"/>
        <source>Account</source>
        <translation>Учётная запись</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="62"/>
        <source>Channel</source>
        <translation>Канал</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="62"/>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="71"/>
        <source>Add email account…</source>
        <translation>Добавить почтовый ящик…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="73"/>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="119"/>
        <source>A stand-in for the provider: nothing leaves this computer</source>
        <translation>Имитация сервиса: ничего не уходит с этого компьютера</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="131"/>
        <source>Switched off</source>
        <translation>Отключена</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="133"/>
        <source>Error: {0}</source>
        <translation>Ошибка: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="135"/>
        <source>Demo (simulated)</source>
        <translation>Демо (имитация)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="136"/>
        <source>Working</source>
        <translation>Работает</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="152"/>
        <source>Switch off</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/accounts_dialog.py" line="152"/>
        <source>Switch on</source>
        <translation>Включить</translation>
    </message>
</context>
<context>
    <name>Actions</name>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="21"/>
        <source>Navigate</source>
        <translation>Переход</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="22"/>
        <source>Ticket</source>
        <translation>Тикет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="23"/>
        <source>Compose</source>
        <translation>Ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="24"/>
        <source>Desk</source>
        <translation>Desk</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="41"/>
        <source>Next ticket</source>
        <translation>Следующий тикет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="44"/>
        <source>Previous ticket</source>
        <translation>Предыдущий тикет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="47"/>
        <source>Next queue</source>
        <translation>Следующая очередь</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="50"/>
        <source>Previous queue</source>
        <translation>Предыдущая очередь</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="52"/>
        <source>Search messages</source>
        <translation>Поиск по сообщениям</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="54"/>
        <source>Back to the ticket list</source>
        <translation>Назад к списку тикетов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="56"/>
        <source>Reply</source>
        <translation>Ответить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="57"/>
        <source>Private note</source>
        <translation>Приватная заметка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="59"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="63"/>
        <source>Note on the customer card</source>
        <translation>Заметка в карточке клиента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="68"/>
        <source>Insert a canned reply…</source>
        <translation>Вставить шаблон ответа…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="72"/>
        <source>Search the knowledge base</source>
        <translation>Искать в базе знаний</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="78"/>
        <source>Review duplicate customers…</source>
        <translation>Проверить дубликаты клиентов…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="82"/>
        <source>Resolve</source>
        <translation>Решить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="85"/>
        <source>Set pending (waiting on the customer)</source>
        <translation>В ожидание (ждём клиента)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="89"/>
        <source>Reopen</source>
        <translation>Открыть снова</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="90"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="91"/>
        <source>Assign to me</source>
        <translation>Назначить на себя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="94"/>
        <source>Assign to a colleague…</source>
        <translation>Назначить коллеге…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="99"/>
        <source>Priority: urgent</source>
        <translation>Приоритет: срочный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="101"/>
        <source>Priority: high</source>
        <translation>Приоритет: высокий</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="103"/>
        <source>Priority: normal</source>
        <translation>Приоритет: обычный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="105"/>
        <source>Priority: low</source>
        <translation>Приоритет: низкий</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="106"/>
        <source>Edit tags</source>
        <translation>Изменить теги</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="108"/>
        <source>Retry failed reply</source>
        <translation>Повторить неотправленный ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="111"/>
        <source>Mark in-doubt reply as sent</source>
        <translation>Отметить сомнительный ответ как отправленный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="115"/>
        <source>View message source</source>
        <translation>Исходный текст письма</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="121"/>
        <source>Open or save an attachment…</source>
        <translation>Открыть или сохранить вложение…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="127"/>
        <source>Canned replies library…</source>
        <translation>Библиотека шаблонов ответов…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="133"/>
        <source>Knowledge-base drafts to review…</source>
        <translation>Черновики базы знаний на проверку…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="137"/>
        <source>Command palette</source>
        <translation>Палитра команд</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="139"/>
        <source>Keyboard shortcuts</source>
        <translation>Горячие клавиши</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="141"/>
        <source>Settings…</source>
        <translation>Настройки…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="143"/>
        <source>Channel accounts…</source>
        <translation>Учётные записи каналов…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="147"/>
        <source>Switch light/dark theme</source>
        <translation>Светлая/тёмная тема</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="153"/>
        <source>Switch language (English/Russian)</source>
        <translation>Сменить язык (английский/русский)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/actions.py" line="157"/>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
</context>
<context>
    <name>AssignDialog</name>
    <message>
        <location filename="../../desk_app/ui/assign_dialog.py" line="19"/>
        <source>Assign to a colleague</source>
        <translation>Назначить коллеге</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/assign_dialog.py" line="24"/>
        <source>Type a name…</source>
        <translation>Введите имя…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/assign_dialog.py" line="35"/>
        <source>Nobody (unassign)</source>
        <translation>Никому (снять назначение)</translation>
    </message>
</context>
<context>
    <name>CannedLibrary</name>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="55"/>
        <source>customer&apos;s first name</source>
        <translation>имя клиента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="56"/>
        <source>customer&apos;s full name</source>
        <translation>полное имя клиента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="57"/>
        <source>customer&apos;s city</source>
        <translation>город клиента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="58"/>
        <source>customer&apos;s plan</source>
        <translation>тариф клиента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="59"/>
        <source>customer&apos;s platform</source>
        <translation>платформа клиента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="60"/>
        <source>customer&apos;s app version</source>
        <translation>версия приложения клиента</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="61"/>
        <source>your name</source>
        <translation>ваше имя и фамилия</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="62"/>
        <source>your first name</source>
        <translation>ваше имя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="63"/>
        <source>ticket number</source>
        <translation>номер обращения</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="64"/>
        <source>ticket subject</source>
        <translation>тема обращения</translation>
    </message>
</context>
<context>
    <name>CannedLibraryDialog</name>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="257"/>
        <source>All replies</source>
        <translation>Все ответы</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="268"/>
        <source>Without a folder</source>
        <translation>Без папки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="294"/>
        <source>(no folder)</source>
        <translation>(без папки)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="310"/>
        <source>Folder “%1” created</source>
        <translation>Папка «%1» создана</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="384"/>
        <source>New reply: fill in the title and the text, then Ctrl+S</source>
        <translation>Новый ответ: заполните название и текст, затем Ctrl+S</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="410"/>
        <source>Unknown variables, Desk can never fill them: %1</source>
        <translation>Неизвестные переменные, Desk никогда их не заполнит: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="414"/>
        <source>No value on this ticket for: %1</source>
        <translation>В этом обращении нет значения для: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="449"/>
        <source>A reply needs a title</source>
        <translation>У ответа должно быть название</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="464"/>
        <source>Saved “%1”</source>
        <translation>Сохранено: «%1»</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="474"/>
        <source>Archive “%1”? Operators will no longer find it.</source>
        <translation>Отправить «%1» в архив? Операторы больше не найдут этот ответ.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="475"/>
        <source>Archive reply</source>
        <translation>Архивировать ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="480"/>
        <source>Archived “%1”</source>
        <translation>В архиве: «%1»</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="489"/>
        <source>Not saved: %1 — use “Insert variable” (Ctrl+I) for the ones Desk knows</source>
        <translation>Не сохранено: %1 — известные Desk переменные есть в списке «Вставить переменную» (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="492"/>
        <source>Not saved: this shortcut belongs to another reply (%1)</source>
        <translation>Не сохранено: это сокращение уже занято другим ответом (%1)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="497"/>
        <source>Only a team lead or an admin can change canned replies</source>
        <translation>Менять шаблоны ответов может только руководитель группы или администратор</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="503"/>
        <source>Read-only: only a team lead or an admin can change the library.</source>
        <translation>Только просмотр: менять библиотеку может руководитель группы или администратор.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="507"/>
        <source>Preview for ticket #%1</source>
        <translation>Предпросмотр для обращения №%1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="510"/>
        <source>Preview (no ticket open: variables stay empty)</source>
        <translation>Предпросмотр (обращение не открыто: переменные пустые)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="513"/>
        <source>Canned replies library</source>
        <translation>Библиотека шаблонов ответов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="514"/>
        <source>Filter by title, keyword or /shortcut… (Ctrl+F)</source>
        <translation>Фильтр по названию, ключевому слову или /сокращению… (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="515"/>
        <source>New folder…</source>
        <translation>Новая папка…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="516"/>
        <source>Ctrl+Shift+N, type a name, Enter</source>
        <translation>Ctrl+Shift+N, введите название, Enter</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="517"/>
        <source>Sort by</source>
        <translation>Сортировка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="522"/>
        <location filename="../../desk_app/ui/canned_library.py" line="531"/>
        <source>Title</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="523"/>
        <source>Uses, all time</source>
        <translation>Использования, всего</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="524"/>
        <source>Uses, last 30 days</source>
        <translation>Использования за 30 дней</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="532"/>
        <source>Folder</source>
        <translation>Папка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="533"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="534"/>
        <source>Shortcut</source>
        <translation>Сокращение</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="535"/>
        <source>Uses</source>
        <translation>Всего</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="536"/>
        <source>30 days</source>
        <translation>30 дней</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="542"/>
        <source>&amp;Title</source>
        <translation>&amp;Название</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="543"/>
        <source>F&amp;older</source>
        <translation>&amp;Папка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="544"/>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="545"/>
        <source>S&amp;hortcut</source>
        <translation>&amp;Сокращение</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="546"/>
        <source>&amp;Keywords</source>
        <translation>&amp;Ключевые слова</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="547"/>
        <source>&amp;Variables</source>
        <translation>П&amp;еременные</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="553"/>
        <source>words operators search for</source>
        <translation>слова, по которым операторы ищут ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="556"/>
        <source>Text with {customer.first_name}, [[Thanks|Many thanks]], [[!make it personal]]</source>
        <translation>Текст с {customer.first_name}, [[Спасибо|Большое спасибо]], [[!сделайте лично]]</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="560"/>
        <source>Insert variable… (Ctrl+I)</source>
        <translation>Вставить переменную… (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="563"/>
        <source>New reply</source>
        <translation>Новый ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="565"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_library.py" line="567"/>
        <source>Archive</source>
        <translation>В архив</translation>
    </message>
</context>
<context>
    <name>CannedPicker</name>
    <message numerus="yes">
        <location filename="../../desk_app/ui/canned_picker.py" line="101"/>
        <source>used %n time(s)</source>
        <translation>
            <numerusform>использован %n раз</numerusform>
            <numerusform>использован %n раза</numerusform>
            <numerusform>использован %n раз</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_picker.py" line="109"/>
        <source>Nothing found</source>
        <translation>Ничего не найдено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_picker.py" line="165"/>
        <source>Enter inserts · Ctrl+R other wording · Esc closes</source>
        <translation>Enter — вставить · Ctrl+R — другая формулировка · Esc — закрыть</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/canned_picker.py" line="170"/>
        <source>%n place(s) to fill in before sending</source>
        <translation>
            <numerusform>%n место нужно заполнить перед отправкой</numerusform>
            <numerusform>%n места нужно заполнить перед отправкой</numerusform>
            <numerusform>%n мест нужно заполнить перед отправкой</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_picker.py" line="175"/>
        <source>Canned replies</source>
        <translation>Шаблоны ответов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/canned_picker.py" line="176"/>
        <source>Keyword or /shortcut…</source>
        <translation>Ключевое слово или /сокращение…</translation>
    </message>
</context>
<context>
    <name>CheatSheet</name>
    <message>
        <location filename="../../desk_app/ui/cheatsheet.py" line="17"/>
        <source>Keyboard shortcuts</source>
        <translation>Горячие клавиши</translation>
    </message>
</context>
<context>
    <name>CommandPalette</name>
    <message>
        <location filename="../../desk_app/ui/palette.py" line="42"/>
        <source>Command palette</source>
        <translation>Палитра команд</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/palette.py" line="46"/>
        <source>Type a command…</source>
        <translation>Введите команду…</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../desk_app/ui/composer.py" line="160"/>
        <source>Reply</source>
        <translation>Ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/composer.py" line="161"/>
        <source>Private note</source>
        <translation>Приватная заметка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/composer.py" line="162"/>
        <source>Ctrl+Enter to send</source>
        <translation>Ctrl+Enter — отправить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/composer.py" line="163"/>
        <source>Add note</source>
        <translation>Добавить заметку</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/composer.py" line="163"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/composer.py" line="165"/>
        <source>Private note for colleagues. The customer never sees it.</source>
        <translation>Приватная заметка для коллег. Клиент её никогда не увидит.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/composer.py" line="167"/>
        <source>Write a reply… (R to reply, N for a private note)</source>
        <translation>Напишите ответ… (R — ответ, N — приватная заметка)</translation>
    </message>
</context>
<context>
    <name>Conversation</name>
    <message>
        <location filename="../../desk_app/ui/conversation.py" line="147"/>
        <source>Select a ticket to see the conversation.</source>
        <translation>Выберите тикет, чтобы увидеть переписку.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/conversation.py" line="191"/>
        <source>Resend</source>
        <translation>Отправить ещё раз</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/conversation.py" line="193"/>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/conversation.py" line="197"/>
        <source>Mark as sent</source>
        <translation>Отметить как отправленный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/conversation.py" line="242"/>
        <source>Private note — never sent</source>
        <translation>Приватная заметка — не отправляется</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/conversation.py" line="253"/>
        <source>automatic message</source>
        <translation>автоматическое сообщение</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/conversation.py" line="258"/>
        <source>reply</source>
        <translation>ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/conversation.py" line="265"/>
        <source>Older messages are not shown.</source>
        <translation>Более старые сообщения не показаны.</translation>
    </message>
</context>
<context>
    <name>CustomerCardView</name>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="173"/>
        <source>Customer since</source>
        <translation>Клиент с</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="174"/>
        <source>City</source>
        <translation>Город</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="175"/>
        <source>Plan</source>
        <translation>Тариф</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="176"/>
        <source>Platform</source>
        <translation>Платформа</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="177"/>
        <source>App version</source>
        <translation>Версия приложения</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="178"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="182"/>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="183"/>
        <source>Private notes</source>
        <translation>Приватные заметки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="184"/>
        <source>Add a private note about this customer…</source>
        <translation>Добавить приватную заметку о клиенте…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/customer_card.py" line="186"/>
        <source>Conversations ({0})</source>
        <translation>Обращения ({0})</translation>
    </message>
</context>
<context>
    <name>DuplicatesBadge</name>
    <message numerus="yes">
        <location filename="../../desk_app/ui/merge_dialog.py" line="380"/>
        <location filename="../../desk_app/ui/merge_dialog.py" line="389"/>
        <source>%n possible duplicate(s)</source>
        <translation>
            <numerusform>%n возможный дубликат</numerusform>
            <numerusform>%n возможных дубликата</numerusform>
            <numerusform>%n возможных дубликатов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>EmailAccountDialog</name>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="102"/>
        <source>Email account</source>
        <translation>Почтовый ящик</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="109"/>
        <source>TLS (encrypted from the start)</source>
        <translation>TLS (шифрование сразу)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="110"/>
        <source>STARTTLS (upgrade to encryption)</source>
        <translation>STARTTLS (переход на шифрование)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="111"/>
        <source>None — this computer only</source>
        <translation>Без шифрования — только этот компьютер</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="114"/>
        <source>Support mailbox</source>
        <translation>Ящик поддержки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="121"/>
        <source>Stored in the system keyring</source>
        <translation>Хранится в системной связке ключей</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="123"/>
        <source>Server</source>
        <translation>Сервер</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="123"/>
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="123"/>
        <source>Security</source>
        <translation>Защита</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="123"/>
        <source>User name</source>
        <translation>Имя пользователя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="124"/>
        <source>Incoming mail (IMAP)</source>
        <translation>Входящая почта (IMAP)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="125"/>
        <source>Outgoing mail (SMTP)</source>
        <translation>Исходящая почта (SMTP)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="126"/>
        <source>Same as IMAP</source>
        <translation>Как для IMAP</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="129"/>
        <source>Same as the IMAP password</source>
        <translation>Как пароль IMAP</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="132"/>
        <source>Mark fetched mail as read on the server</source>
        <translation>Отмечать загруженные письма прочитанными на сервере</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="137"/>
        <source>Test connection</source>
        <translation>Проверить подключение</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="157"/>
        <source>Account name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="158"/>
        <source>Email address</source>
        <translation>Адрес почты</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="159"/>
        <source>Sender name</source>
        <translation>Имя отправителя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="160"/>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="165"/>
        <source>SMTP password</source>
        <translation>Пароль SMTP</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="166"/>
        <source>Folders to fetch</source>
        <translation>Папки для загрузки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="167"/>
        <source>Sent folder</source>
        <translation>Папка «Отправленные»</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="229"/>
        <source>Connecting…</source>
        <translation>Подключение…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="237"/>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="254"/>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="297"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="254"/>
        <source>Enter the password.</source>
        <translation>Введите пароль.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="266"/>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="271"/>
        <source>No system keyring</source>
        <translation>Нет системной связки ключей</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="273"/>
        <source>Not saved</source>
        <translation>Не сохранено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="281"/>
        <source>connected</source>
        <translation>подключено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="298"/>
        <source>Server not found (DNS)</source>
        <translation>Сервер не найден (DNS)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="299"/>
        <source>Connection refused</source>
        <translation>Подключение отклонено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="300"/>
        <source>Encryption (TLS) failed</source>
        <translation>Ошибка шифрования (TLS)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="301"/>
        <source>Wrong user name or password</source>
        <translation>Неверное имя пользователя или пароль</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="302"/>
        <source>No answer (timeout)</source>
        <translation>Нет ответа (тайм-аут)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="303"/>
        <source>Network error</source>
        <translation>Ошибка сети</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/email_account_dialog.py" line="304"/>
        <source>Server error</source>
        <translation>Ошибка сервера</translation>
    </message>
</context>
<context>
    <name>FetchStatusIndicator</name>
    <message>
        <location filename="../../desk_app/ui/fetch_status.py" line="129"/>
        <source>Fetching {0}: {1} of {2} messages…</source>
        <translation>Загрузка {0}: {1} из {2} писем…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/fetch_status.py" line="133"/>
        <source>Fetching {0}: {1} messages…</source>
        <translation>Загрузка {0}: получено писем: {1}…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/fetch_status.py" line="135"/>
        <source>(+{0} more accounts)</source>
        <translation>(и ещё ящиков: {0})</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/fetch_status.py" line="138"/>
        <source>{0}: {1} new messages fetched</source>
        <translation>{0}: получено новых писем: {1}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/fetch_status.py" line="148"/>
        <source>⚠ {0}: {1}</source>
        <translation>⚠ {0}: {1}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/fetch_status.py" line="150"/>
        <source>(+{0} more accounts failing)</source>
        <translation>(и ещё ящиков с ошибкой: {0})</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/fetch_status.py" line="162"/>
        <source>{0} could not fetch: {1}</source>
        <translation>{0}: не удалось получить почту: {1}</translation>
    </message>
</context>
<context>
    <name>KbDraftsDialog</name>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="193"/>
        <source>ticket #%1</source>
        <translation>обращение №%1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="236"/>
        <source>An article needs a title</source>
        <translation>У статьи должен быть заголовок</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="252"/>
        <source>Published “%1”</source>
        <translation>Опубликовано: «%1»</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="256"/>
        <source>Saved “%1”</source>
        <translation>Сохранено: «%1»</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="271"/>
        <source>Discard “%1”? It will not be published.</source>
        <translation>Отклонить «%1»? Черновик не будет опубликован.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="273"/>
        <source>Discard draft</source>
        <translation>Отклонить черновик</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="279"/>
        <source>Discarded “%1”</source>
        <translation>Отклонено: «%1»</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="290"/>
        <source>Only a team lead or an admin can publish or change drafts here</source>
        <translation>Публиковать и править черновики здесь может только руководитель группы или администратор</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="296"/>
        <source>Read-only: a team lead or an admin reviews and publishes drafts.</source>
        <translation>Только просмотр: черновики проверяет и публикует руководитель группы или администратор.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="300"/>
        <source>Knowledge-base drafts</source>
        <translation>Черновики базы знаний</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="303"/>
        <source>Title</source>
        <translation>Заголовок</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="304"/>
        <source>Author</source>
        <translation>Автор</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="305"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="306"/>
        <source>Ticket</source>
        <translation>Обращение</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="307"/>
        <source>Updated</source>
        <translation>Изменён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="310"/>
        <source>No drafts waiting for review</source>
        <translation>Нет черновиков на проверку</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="313"/>
        <source>&amp;Title</source>
        <translation>&amp;Заголовок</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="313"/>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="313"/>
        <source>&amp;Category</source>
        <translation>&amp;Категория</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="313"/>
        <source>Source</source>
        <translation>Источник</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="317"/>
        <source>Text (&amp;Markdown)</source>
        <translation>Текст (&amp;Markdown)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="318"/>
        <source>Preview</source>
        <translation>Предпросмотр</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="319"/>
        <source>Save draft</source>
        <translation>Сохранить черновик</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="321"/>
        <source>Publish</source>
        <translation>Опубликовать</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_drafts.py" line="323"/>
        <source>Discard</source>
        <translation>Отклонить</translation>
    </message>
</context>
<context>
    <name>KbPanel</name>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="126"/>
        <source>Type to search the knowledge base</source>
        <translation>Начните вводить, чтобы искать в базе знаний</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="133"/>
        <source>Showing results for similar words: %1</source>
        <translation>Показаны результаты для похожих слов: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="137"/>
        <source>No article has every word; showing articles with some of them</source>
        <translation>Нет статьи со всеми словами; показаны статьи с некоторыми из них</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/kb_panel.py" line="139"/>
        <source>%n article(s) found</source>
        <translation>
            <numerusform>Найдена %n статья</numerusform>
            <numerusform>Найдено %n статьи</numerusform>
            <numerusform>Найдено %n статей</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="147"/>
        <source>Suggested for this ticket</source>
        <translation>Подходит к этому обращению</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="147"/>
        <source>No suggestions</source>
        <translation>Нет подсказок</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="161"/>
        <source>This article has no public link; inserting an excerpt</source>
        <translation>У статьи нет публичной ссылки — вставляем выдержку</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="179"/>
        <source>Draft saved. A team lead can publish it.</source>
        <translation>Черновик сохранён. Руководитель может его опубликовать.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="202"/>
        <source>draft</source>
        <translation>черновик</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="235"/>
        <source>Knowledge base</source>
        <translation>База знаний</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="236"/>
        <source>Search articles…</source>
        <translation>Поиск статей…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="237"/>
        <source>Insert link</source>
        <translation>Вставить ссылку</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="239"/>
        <source>Insert excerpt</source>
        <translation>Вставить выдержку</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/kb_panel.py" line="241"/>
        <source>New article from this ticket</source>
        <translation>Новая статья из обращения</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="17"/>
        <source>Email</source>
        <translation>Почта</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="18"/>
        <source>Google Play</source>
        <translation>Google Play</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="19"/>
        <source>App Store</source>
        <translation>App Store</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="20"/>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="21"/>
        <source>Facebook</source>
        <translation>Facebook</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="22"/>
        <source>YouTube</source>
        <translation>YouTube</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="23"/>
        <source>X (Twitter)</source>
        <translation>X (Twitter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="24"/>
        <source>VK</source>
        <translation>ВКонтакте</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="27"/>
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="28"/>
        <source>Open</source>
        <translation>Открыт</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="29"/>
        <source>Pending</source>
        <translation>Ожидание</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="30"/>
        <source>Resolved</source>
        <translation>Решён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="31"/>
        <source>Closed</source>
        <translation>Закрыт</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="34"/>
        <source>Urgent</source>
        <translation>Срочный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="35"/>
        <source>High</source>
        <translation>Высокий</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="36"/>
        <source>Normal</source>
        <translation>Обычный</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="37"/>
        <source>Low</source>
        <translation>Низкий</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="40"/>
        <source>My tickets</source>
        <translation>Мои тикеты</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="41"/>
        <location filename="../../desk_app/ui/labels.py" line="114"/>
        <source>Unassigned</source>
        <translation>Без исполнителя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="42"/>
        <source>All active</source>
        <translation>Все активные</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="43"/>
        <source>Overdue SLA</source>
        <translation>Просрочен SLA</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="44"/>
        <source>Resolved and closed</source>
        <translation>Решённые и закрытые</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="47"/>
        <source>queued</source>
        <translation>в очереди</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="48"/>
        <source>sending</source>
        <translation>отправляется</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="49"/>
        <source>sent</source>
        <translation>отправлено</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="50"/>
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="51"/>
        <source>in doubt</source>
        <translation>под вопросом</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="90"/>
        <source>{0}d {1}h</source>
        <translation>{0}д {1}ч</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="92"/>
        <source>{0}h {1}m</source>
        <translation>{0}ч {1}м</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="93"/>
        <source>{0}m</source>
        <translation>{0}м</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="100"/>
        <source>overdue {0}</source>
        <translation>просроч. {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="102"/>
        <source>{0} (paused)</source>
        <translation>{0} (пауза)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="108"/>
        <source>Status changed to {0}</source>
        <translation>Статус изменён: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="110"/>
        <source>Priority set to {0}</source>
        <translation>Приоритет: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="115"/>
        <source>a colleague</source>
        <translation>коллега</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/labels.py" line="116"/>
        <source>Assigned to {0}</source>
        <translation>Назначен: {0}</translation>
    </message>
</context>
<context>
    <name>LibraryDialog</name>
    <message>
        <location filename="../../desk_app/ui/library_dialog.py" line="27"/>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/library_dialog.py" line="28"/>
        <source>Unsaved changes</source>
        <translation>Несохранённые изменения</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/library_dialog.py" line="29"/>
        <source>Close without saving your changes?</source>
        <translation>Закрыть, не сохраняя изменения?</translation>
    </message>
</context>
<context>
    <name>MailFileActions</name>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="61"/>
        <source>This message has no stored source</source>
        <translation>Исходный текст этого сообщения не сохранён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="83"/>
        <source>No message with a stored source in this ticket</source>
        <translation>В этом обращении нет писем с сохранённым исходным текстом</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="102"/>
        <source>No application opens {0}</source>
        <translation>Нет приложения, чтобы открыть {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="113"/>
        <source>Saved {0}</source>
        <translation>Сохранено: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="119"/>
        <source>This file is not stored on this computer</source>
        <translation>Этот файл не хранится на этом компьютере</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="121"/>
        <source>Could not copy the file: {0}</source>
        <translation>Не удалось скопировать файл: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="129"/>
        <source>No attachments in this ticket</source>
        <translation>В этом обращении нет вложений</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="135"/>
        <source>Open {0}</source>
        <translation>Открыть {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/attachments.py" line="136"/>
        <source>Save {0}…</source>
        <translation>Сохранить {0}…</translation>
    </message>
</context>
<context>
    <name>MailParts</name>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="24"/>
        <source>automatic reply</source>
        <translation>автоответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="25"/>
        <source>delivery failure report (bounce)</source>
        <translation>отчёт о недоставке</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="26"/>
        <source>bulk or list mail</source>
        <translation>массовая рассылка</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="34"/>
        <source>{0} B</source>
        <translation>{0} Б</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="36"/>
        <source>{0} KB</source>
        <translation>{0} КБ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="38"/>
        <source>{0} MB</source>
        <translation>{0} МБ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="39"/>
        <source>{0} GB</source>
        <translation>{0} ГБ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="53"/>
        <source>automatic message</source>
        <translation>автоматическое письмо</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="83"/>
        <source>Automatic message, never answered automatically: {0}</source>
        <translation>Автоматическое письмо, автоматически не подтверждается: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="91"/>
        <source>(and {0} more)</source>
        <translation>(и ещё {0})</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="94"/>
        <source>Not everything in this message could be decoded: {0}</source>
        <translation>Не всё в этом письме удалось декодировать: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="97"/>
        <location filename="../../desk_app/ui/mail_parts.py" line="118"/>
        <source>View source</source>
        <translation>Исходный текст</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="99"/>
        <source>Attachment:</source>
        <translation>Вложение:</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="102"/>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/mail_parts.py" line="105"/>
        <source>Save…</source>
        <translation>Сохранить…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="368"/>
        <source>Operator: {0}</source>
        <translation>Оператор: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="434"/>
        <source>Search: {0}</source>
        <translation>Поиск: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="629"/>
        <location filename="../../desk_app/ui/main_window.py" line="674"/>
        <source>Select a ticket first</source>
        <translation>Сначала выберите тикет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="660"/>
        <source>Note added</source>
        <translation>Заметка добавлена</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="660"/>
        <source>Reply queued</source>
        <translation>Ответ поставлен в очередь</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="731"/>
        <source>Status changed</source>
        <translation>Статус изменён</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="763"/>
        <source>No failed reply in this ticket</source>
        <translation>В этом тикете нет неотправленных ответов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="796"/>
        <source>Error: {0}</source>
        <translation>Ошибка: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="830"/>
        <source>Training sandbox: simulated customers only, nothing is sent to real providers.</source>
        <translation>Учебная песочница: только имитация клиентов, ничего не отправляется настоящим сервисам.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="834"/>
        <source>Signed in to a team server: the team&apos;s accounts are fetched by the server, not by this desk.</source>
        <translation>Вход на сервер команды выполнен: общие учётные записи опрашивает сервер, а не это рабочее место.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="872"/>
        <source>Desk — support inbox</source>
        <translation>Desk — входящие поддержки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="874"/>
        <source>&amp;Go</source>
        <translation>&amp;Переход</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="875"/>
        <source>&amp;Ticket</source>
        <translation>&amp;Тикет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="876"/>
        <source>&amp;Compose</source>
        <translation>&amp;Ответ</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="877"/>
        <source>&amp;Desk</source>
        <translation>&amp;Desk</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="882"/>
        <source>Queues</source>
        <translation>Очереди</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/main_window.py" line="883"/>
        <source>Search all messages (Ctrl+F or /)</source>
        <translation>Поиск по всем сообщениям (Ctrl+F или /)</translation>
    </message>
</context>
<context>
    <name>Merge</name>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="43"/>
        <source>same account</source>
        <translation>тот же аккаунт</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="44"/>
        <source>same email</source>
        <translation>тот же email</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="45"/>
        <source>same phone</source>
        <translation>тот же телефон</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="46"/>
        <source>same device</source>
        <translation>то же устройство</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="47"/>
        <source>same name</source>
        <translation>то же имя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="48"/>
        <source>similar name</source>
        <translation>похожее имя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="49"/>
        <source>same first name</source>
        <translation>то же имя без фамилии</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="52"/>
        <source>different emails</source>
        <translation>разные email</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="53"/>
        <source>different phones</source>
        <translation>разные телефоны</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="54"/>
        <source>different devices</source>
        <translation>разные устройства</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="57"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="58"/>
        <source>City</source>
        <translation>Город</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="59"/>
        <source>Plan</source>
        <translation>Тариф</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="60"/>
        <source>Platform</source>
        <translation>Платформа</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="61"/>
        <source>App version</source>
        <translation>Версия приложения</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="62"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="63"/>
        <source>Favourite operator</source>
        <translation>Любимый оператор</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="64"/>
        <source>Customer since</source>
        <translation>Клиент с</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="169"/>
        <source>Looking for duplicates…</source>
        <translation>Ищем дубликаты…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/merge_dialog.py" line="179"/>
        <source>%n possible duplicate(s)</source>
        <translation>
            <numerusform>%n возможный дубликат</numerusform>
            <numerusform>%n возможных дубликата</numerusform>
            <numerusform>%n возможных дубликатов</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="189"/>
        <source>No duplicates to review</source>
        <translation>Дубликатов для проверки нет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="238"/>
        <source>Merged. Ctrl+Z undoes it.</source>
        <translation>Объединено. Ctrl+Z — отменить.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="250"/>
        <source>Merge undone: both customers are back as they were.</source>
        <translation>Объединение отменено: оба клиента снова как были.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="278"/>
        <source>Conflicting values (Space: take the other customer&apos;s value)</source>
        <translation>Разные значения (Пробел — взять значение второго клиента)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="280"/>
        <source>No conflicting values</source>
        <translation>Противоречащих значений нет</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/merge_dialog.py" line="301"/>
        <location filename="../../desk_app/ui/merge_dialog.py" line="311"/>
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n обращение</numerusform>
            <numerusform>%n обращения</numerusform>
            <numerusform>%n обращений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/merge_dialog.py" line="310"/>
        <source>%n contact(s)</source>
        <translation>
            <numerusform>%n контакт</numerusform>
            <numerusform>%n контакта</numerusform>
            <numerusform>%n контактов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/merge_dialog.py" line="312"/>
        <source>%n private note(s)</source>
        <translation>
            <numerusform>%n заметка</numerusform>
            <numerusform>%n заметки</numerusform>
            <numerusform>%n заметок</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="315"/>
        <source>Stays</source>
        <translation>Остаётся</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="315"/>
        <source>Merged into it</source>
        <translation>Присоединяется</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="317"/>
        <source>Moves</source>
        <translation>Переносится</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="318"/>
        <source>Fills empty fields</source>
        <translation>Заполнит пустые поля</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="337"/>
        <source>Nothing is deleted: losing values stay on the card; undo is possible.</source>
        <translation>Ничего не удаляется: отличающиеся значения остаются в карточке, объединение можно отменить.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="340"/>
        <source>Duplicate customers</source>
        <translation>Дубликаты клиентов</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="341"/>
        <source>Swap (S)</source>
        <translation>Поменять местами (S)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="342"/>
        <source>Merge (Ctrl+Enter)</source>
        <translation>Объединить (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="343"/>
        <source>Not the same person (Ctrl+D)</source>
        <translation>Это разные люди (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/merge_dialog.py" line="344"/>
        <source>Undo merge (Ctrl+Z)</source>
        <translation>Отменить объединение (Ctrl+Z)</translation>
    </message>
</context>
<context>
    <name>PresenceBanner</name>
    <message numerus="yes">
        <location filename="../../desk_app/ui/presence_banner.py" line="59"/>
        <source>%n colleague(s) replying: {0}</source>
        <translation>
            <numerusform>Отвечает %n коллега: {0}</numerusform>
            <numerusform>Отвечают %n коллеги: {0}</numerusform>
            <numerusform>Отвечают %n коллег: {0}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/presence_banner.py" line="62"/>
        <source>%n colleague(s) viewing: {0}</source>
        <translation>
            <numerusform>Смотрит %n коллега: {0}</numerusform>
            <numerusform>Смотрят %n коллеги: {0}</numerusform>
            <numerusform>Смотрят %n коллег: {0}</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/presence_banner.py" line="83"/>
        <source>Someone else is replying</source>
        <translation>Кто-то уже отвечает</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/presence_banner.py" line="85"/>
        <source>{0} is replying to this ticket right now. Send your reply anyway?</source>
        <translation>{0} прямо сейчас отвечает на это обращение. Всё равно отправить ваш ответ?</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/presence_banner.py" line="90"/>
        <source>Send anyway</source>
        <translation>Всё равно отправить</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/presence_banner.py" line="92"/>
        <source>Don&apos;t send</source>
        <translation>Не отправлять</translation>
    </message>
</context>
<context>
    <name>SendCheck</name>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="29"/>
        <source>Make this part personal: %1</source>
        <translation>Напишите это место сами: %1</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="30"/>
        <source>Unknown variable {%1}: replace it with text</source>
        <translation>Неизвестная переменная {%1}: замените её текстом</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="33"/>
        <source>No value for {%1} on this ticket: type it in</source>
        <translation>Для {%1} нет значения в этом обращении: впишите его</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="36"/>
        <source>Template text [[%1]] is still in the reply</source>
        <translation>В ответе остался текст шаблона [[%1]]</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="39"/>
        <source>Fill in {%1} before sending</source>
        <translation>Заполните {%1} перед отправкой</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="42"/>
        <source>Bureaucratese</source>
        <translation>Канцелярит</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="43"/>
        <source>Sounds harsh</source>
        <translation>Звучит резко</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="44"/>
        <source>Promises a release</source>
        <translation>Обещание релиза</translation>
    </message>
</context>
<context>
    <name>SendCheckDialog</name>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="110"/>
        <source>Before sending</source>
        <translation>Перед отправкой</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="111"/>
        <source>Back to the reply</source>
        <translation>Вернуться к ответу</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="112"/>
        <source>Send anyway (Ctrl+Enter)</source>
        <translation>Всё равно отправить (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="116"/>
        <source>Fill in the placeholders first: the customer must never see them.</source>
        <translation>Сначала заполните пропуски: клиент не должен их увидеть.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="122"/>
        <source>Check the tone. You can still send the reply as it is.</source>
        <translation>Проверьте тон. Ответ можно отправить и так.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/tone_warnings.py" line="123"/>
        <source>Try</source>
        <translation>Лучше</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="17"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="21"/>
        <location filename="../../desk_app/ui/settings_dialog.py" line="30"/>
        <source>Follow the system</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="31"/>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="32"/>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="45"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/settings_dialog.py" line="46"/>
        <source>Theme</source>
        <translation>Тема</translation>
    </message>
</context>
<context>
    <name>SourceDialog</name>
    <message>
        <location filename="../../desk_app/ui/source_dialog.py" line="42"/>
        <source>Save as</source>
        <translation>Сохранить как</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/source_dialog.py" line="125"/>
        <source>The source of this message is not stored on this computer.</source>
        <translation>Исходный текст этого письма не хранится на этом компьютере.</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/source_dialog.py" line="142"/>
        <source>Message source — {0}</source>
        <translation>Исходный текст письма — {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/source_dialog.py" line="143"/>
        <source>Copy all</source>
        <translation>Копировать всё</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/source_dialog.py" line="144"/>
        <source>Save as…</source>
        <translation>Сохранить как…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/source_dialog.py" line="148"/>
        <location filename="../../desk_app/ui/source_dialog.py" line="149"/>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/source_dialog.py" line="151"/>
        <source>{0}, shown as {1}</source>
        <translation>{0}, показано как {1}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/source_dialog.py" line="155"/>
        <source>(only the beginning is shown; save it to see everything)</source>
        <translation>(показано только начало; сохраните файл, чтобы увидеть всё)</translation>
    </message>
</context>
<context>
    <name>SyncStatusIndicator</name>
    <message>
        <location filename="../../desk_app/ui/sync_status.py" line="38"/>
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/sync_status.py" line="40"/>
        <source>Syncing %n change(s)</source>
        <translation>
            <numerusform>Синхронизация: %n изменение</numerusform>
            <numerusform>Синхронизация: %n изменения</numerusform>
            <numerusform>Синхронизация: %n изменений</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/sync_status.py" line="42"/>
        <source>Signed out — sign in again to sync</source>
        <translation>Сеанс завершён — войдите снова, чтобы синхронизировать</translation>
    </message>
    <message numerus="yes">
        <location filename="../../desk_app/ui/sync_status.py" line="44"/>
        <source>Offline — %n change(s) kept on this computer</source>
        <translation>
            <numerusform>Нет связи — %n изменение сохранено на этом компьютере</numerusform>
            <numerusform>Нет связи — %n изменения сохранены на этом компьютере</numerusform>
            <numerusform>Нет связи — %n изменений сохранено на этом компьютере</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/sync_status.py" line="46"/>
        <source>Offline</source>
        <translation>Нет связи</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/sync_status.py" line="50"/>
        <source>Last synced: {0}</source>
        <translation>Последняя синхронизация: {0}</translation>
    </message>
</context>
<context>
    <name>TicketBar</name>
    <message>
        <location filename="../../desk_app/ui/ticket_bar.py" line="72"/>
        <source>No ticket selected</source>
        <translation>Тикет не выбран</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_bar.py" line="81"/>
        <source>SLA: {0}</source>
        <translation>SLA: {0}</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_bar.py" line="96"/>
        <source>Unassigned</source>
        <translation>Не назначен</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_bar.py" line="120"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_bar.py" line="121"/>
        <source>Priority (Alt+1…4)</source>
        <translation>Приоритет (Alt+1…4)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_bar.py" line="122"/>
        <source>Assignee (A: me, Shift+A: a colleague)</source>
        <translation>Исполнитель (A — я, Shift+A — коллега)</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_bar.py" line="123"/>
        <source>Tags, comma-separated (T)</source>
        <translation>Теги через запятую (T)</translation>
    </message>
</context>
<context>
    <name>TicketList</name>
    <message>
        <location filename="../../desk_app/ui/ticket_model.py" line="47"/>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_model.py" line="48"/>
        <source>Subject</source>
        <translation>Тема</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_model.py" line="49"/>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_model.py" line="50"/>
        <source>SLA left</source>
        <translation>До SLA</translation>
    </message>
    <message>
        <location filename="../../desk_app/ui/ticket_model.py" line="51"/>
        <source>Assignee</source>
        <translation>Исполнитель</translation>
    </message>
</context>
</TS>
