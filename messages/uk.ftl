# The message catalogue, Ukrainian. One entry per code (`msg!("code", …)` in the Rust source); the same codes
# with the same parameters are in en.ftl (a unit test checks both ways, server/src/i18n.rs). Field errors are
# shown after the field's name ("Телефон: …"), so they start in lower case.

## General

forbidden = У вас немає права на цю дію.
internal-error = Сталася внутрішня помилка.
internal-error-with-id = Сталася внутрішня помилка (номер запиту { $request_id }).
invalid-fields = { $count ->
    [one] Одне поле заповнено неправильно.
    [few] { $count } поля заповнено неправильно.
   *[other] { $count } полів заповнено неправильно.
}
service-busy = Сервіс зараз зайнятий; спробуйте ще раз за мить.
not-found = { $what ->
    [client] Клієнта не знайдено.
    [wave] Хвилю не знайдено.
    [venue] Заклад не знайдено.
    [shopper] Таємного покупця не знайдено.
    [visit] Візит не знайдено.
    [task] Завдання не знайдено.
    [response] Відгук не знайдено.
    [payout-batch] Пакет виплат не знайдено.
    [payout-line] Рядок виплати не знайдено.
    [file] Файл не знайдено.
    [checklist] Анкету не знайдено.
    [checklist-version] Версію анкети не знайдено.
    [user] Обліковий запис не знайдено.
    [photo] Фото не знайдено.
    [oblast] Область не знайдено.
    [center] Центр не знайдено.
    [api-key] Ключ API не знайдено.
    [study] Дослідження не знайдено.
    [case] Випадок для дзвінка не знайдено.
    [call] Дзвінок не знайдено.
    [operator] Оператора не знайдено.
   *[other] Не знайдено.
}
session-expired = Ваша сесія завершилась або її відкликано; увійдіть ще раз.
login-needed = Спершу увійдіть.

## Text

text-empty = не може бути порожнім
text-too-short = { $min ->
    [one] має містити щонайменше { $min } символ
    [few] має містити щонайменше { $min } символи
   *[other] має містити щонайменше { $min } символів
}
text-too-long = { $max ->
    [one] має бути не довшим за { $max } символ
    [few] має бути не довшим за { $max } символи
   *[other] має бути не довшим за { $max } символів
}
text-control-characters = не може містити керівних символів (знайдено { $char })
text-bidi-characters = не може містити символів зміни напрямку тексту (знайдено { $char })
text-invisible-characters = не може містити невидимих символів (знайдено { $char })

## Contacts

email-invalid = не схоже на адресу електронної пошти
email-invisible-character = не схоже на адресу електронної пошти: у ній є невидимий символ { $char }
email-domain-needs-dot = не схоже на адресу електронної пошти: після @ потрібен домен із крапкою
phone-invalid = має бути в міжнародному форматі, наприклад +380501234567
phone-length = має бути в міжнародному форматі, наприклад +380501234567 (від 8 до 15 цифр)
phone-ukrainian-length = український номер має 12 цифр після +, наприклад +380501234567

## Accounts

one-of = має бути одним із: { $allowed }
password-too-short = закороткий: потрібно щонайменше { $min } символів
password-too-long = задовгий: не більше { $max } символів
password-common = надто легко вгадати: оберіть довший або менш поширений пароль
password-is-email = не може збігатися з вашою адресою електронної пошти
signal-shared-payout-account = { $others ->
    [one] Цей рахунок для виплат (IBAN) указав ще один обліковий запис таємного покупця.
    [few] Цей рахунок для виплат (IBAN) указали ще { $others } облікові записи таємних покупців.
   *[other] Цей рахунок для виплат (IBAN) указали ще { $others } облікових записів таємних покупців.
}
signal-shared-phone = { $others ->
    [one] Цей номер телефону вказав ще один обліковий запис таємного покупця.
    [few] Цей номер телефону вказали ще { $others } облікові записи таємних покупців.
   *[other] Цей номер телефону вказали ще { $others } облікових записів таємних покупців.
}
signal-shared-device = { $others ->
    [one] З цього ж телефону відмічався ще один обліковий запис таємного покупця.
    [few] З цього ж телефону відмічалися ще { $others } облікові записи таємних покупців.
   *[other] З цього ж телефону відмічалися ще { $others } облікових записів таємних покупців.
}

## Numbers, dates and places

number-range = має бути числом від { $min } до { $max }
whole-number-range = має бути цілим числом від { $min } до { $max }
not-a-number = має бути числом
km-positive = має бути більше 0 км
km-at-most = має бути не більше { $max } км

## Venues

venue-type-code = має бути кодом типу, наприклад CNAP, CNAP_BRANCH, RESTAURANT, SUPERMARKET або SHOP (латинські літери, цифри, _)
metres-range = має бути від { $min } до { $max } метрів
size-class = має бути SMALL, MEDIUM чи LARGE або порожнім
time-opens = має бути часом, наприклад 09:00
time-closes = має бути часом, наприклад 18:00 (24:00 — північ)
hours-close-after-open = час закриття має бути пізніше за час відкриття
hours-overlap = проміжки роботи перетинаються: { $day ->
    [MON] понеділок
    [TUE] вівторок
    [WED] середа
    [THU] четвер
    [FRI] пʼятниця
    [SAT] субота
   *[SUN] неділя
}
time-zone = не є назвою часового поясу з бази IANA, наприклад Europe/Kyiv

## Citizens' feedback

feedback-level = оберіть одну з чотирьох оцінок
feedback-unknown-service = такої послуги в цьому центрі немає
feedback-callback-name = потрібне, щоб вам передзвонили
feedback-callback-contact = щоб вам передзвонили, потрібен телефон або електронна пошта
feedback-nothing-answered = оцініть хоча б щось або дайте відповідь на останнє запитання
risk-fast-fill = форму заповнено за { $seconds } с (людям потрібно щонайменше { $min } с)
risk-token-missing = власний ключ форми відсутній або змінений
risk-proof-of-work = перевірка браузера (proof-of-work) не пройшла
risk-same-address = { $others ->
    [one] ще { $others } відгук з тієї ж адреси за останню годину
    [few] ще { $others } відгуки з тієї ж адреси за останню годину
   *[other] ще { $others } відгуків з тієї ж адреси за останню годину
}
risk-burst = сплеск: { $responses } відгуків про цей центр за 10 хвилин (зазвичай { $usual })
risk-new-device-in-burst = новий пристрій під час сплеску
risk-link = у коментарі є посилання
risk-held-by-later-burst = упродовж 10 хвилин після нього почався сплеск відгуків про цей центр (новий пристрій)

## Waves

kopiykas-range = має бути від 0 до { $max } копійок (100 000 грн)
date-format = має бути датою, наприклад 2026-12-01
wave-ends-before-start = не може бути раніше за дату початку
wave-too-long = хвиля триває щонайбільше два роки
bonus-steps-rise = кроки бонусу мають зростати і в днях, і в сумі
bonus-cap-needed = задайте межу понад 0, якщо є кроки бонусу

## Durations and distances (inside other messages)

duration-minutes = { $n } хв
duration-hours = { $n } год
duration-days = { $n ->
    [one] { $n } день
    [few] { $n } дні
   *[other] { $n } днів
}
duration-hours-minutes = { $hours } год { $minutes } хв
distance-m = { $n } м
distance-km = { $n } км

## Photos: what EXIF and the phone say

stored-text = { $text }
photo-no-exif = у фото немає даних EXIF
photo-gps-zero = GPS фото показує 0, 0: камера не мала сигналу
photo-gps-out-of-range = GPS-позиція фото поза межами можливого
photo-no-gps = у фото немає GPS-позиції
photo-gps-stale = GPS-позиція застаріла: записана за { $apart } від часу самого фото
photo-no-time = у фото немає часу
photo-taken-from-venue = зроблено за { $distance } від закладу
photo-taken-before = зроблено за { $apart } до відмітки про прихід
photo-taken-after = зроблено через { $apart } після відмітки про вихід
photo-taken-during = зроблено під час візиту
photo-note-phone-position = { $note } (позиція телефону, коли застосунок зробив фото)
photo-note-phone-clock = { $note } (годинник телефону, коли застосунок зробив фото)
capture-gps-disagrees = власний GPS фото за { $apart } від місця, де був телефон, коли застосунок зробив фото
capture-time-disagrees = власний час фото відрізняється на { $apart } від годинника телефону, коли застосунок зробив фото
offset-from-exif = OffsetTimeOriginal (зсув записаний у фото)
offset-gps-local = часовий пояс закладу ({ $zone }); час GPS без дати — це місцевий час камери
offset-gps-matches = час GPS, збігається з часовим поясом закладу ({ $zone })
offset-gps-overruled = часовий пояс закладу ({ $zone }); годинник камери відрізнявся від GPS на { $offset }, але місце важливіше
offset-from-zone = часовий пояс закладу ({ $zone }); у фото немає зсуву
offset-gps-only = дата й час GPS (у фото немає часу камери)

## Visit flags (what the shopper and the reviewer read)

photo-label = Фото { $n } ({ $question })
photo-label-receipt = Фото { $n } (чек)
conflict-with-venue = цим закладом
conflict-with-client = клієнтом «{ $client }»
conflict-with-venues-client = клієнтом цього закладу
flag-outside-geofence = Відмітка про прихід за { $distance_m } м від закладу; геозона — { $geofence_m } м.
flag-low-gps-accuracy = Позиція під час відмітки була точною лише до { $accuracy_m } м.
flag-mock-location = Телефон повідомив про підроблену (імітовану) позицію під час відмітки.
flag-outside-visiting-window = Відмітку зроблено поза годинами відвідування закладу.
flag-device-time-gap = Час відмітки на телефоні й на сервері різниться на { $apart } (візит офлайн, надісланий пізніше, або неправильний годинник).
flag-photo-note = { $photo }: { $note }
flag-capture-mismatch = { $photo }: { $note }.
flag-capture-before-token = { $photo }: зроблено камерою застосунку, але за годинником телефону — до того, як видано ключ зйомки (телефон ще не мав його, як у візиті, розпочатому офлайн, або його годинник неправильний), тож місце й час фото підтверджує лише телефон.
flag-duplicate-photo = { $photo } — той самий файл, що й фото іншого візиту.
flag-near-duplicate-photo = { $photo } майже таке саме, як фото іншого візиту (різниця { $distance } з 64).
flag-too-short = Візит тривав { $lasted } (очікувалося щонайменше { $expected }).
flag-too-long = Візит тривав { $lasted } (очікувалося щонайбільше { $expected }).
flag-late-submission = Надіслано через { $hours } год після відмітки про вихід (очікувалося протягом { $expected } год).
flag-impossible-travel = { $km } км від попереднього візиту за { $took }: швидше за { $max_kmh } км/год.
flag-conflict-of-interest = Таємний покупець заявив про конфлікт інтересів із { $what } { $date } (за київським часом).
flag-cool-off-breached = { $days_before ->
    [0] Таємний покупець оцінював цей заклад менше ніж добу тому; перерва між візитами у хвилі — { $cooloff_days } дн.
   *[other] Таємний покупець оцінював цей заклад { $days_before } дн. тому; перерва між візитами у хвилі — { $cooloff_days } дн.
}

## Check-in and photos (the shopper's app)

rules-max-minutes = має бути більше за minMinutes і не більше 1440
hours-range = має бути від { $min } до { $max } годин
kmh-range = має бути від { $min } до { $max } км/год
checkin-too-far = Ви за { $distance_m } м від закладу; відмітьтеся в межах { $geofence_m } м від нього.
checkin-inaccurate = Ваше місцеперебування визначено з точністю лише { $accuracy_m } м (потрібно не більше { $max_m } м); вийдіть надвір або зачекайте на точніший сигнал.
checkin-outside-hours = Зараз заклад поза годинами відвідування.
checkin-mock-location = Телефон повідомляє про імітоване місцеперебування; вимкніть його, щоб відмітитися.
checkin-offer-not-accepted = Спершу прийміть пропозицію, потім відмічайтеся.
checkin-already-visited = Це завдання вже має візит; продовжуйте його замість нової відмітки.
checkin-wave-not-running = { $status ->
    [DRAFT] Хвиля ще не запущена; візити зараз почати не можна.
    [PAUSED] Хвилю призупинено; візити зараз почати не можна.
   *[CLOSED] Хвилю закрито; візити зараз почати не можна.
}
question-unknown = такого запитання в цій анкеті немає
photo-not-photo-question = це не запитання з фото
photo-receipt-or-question = чек не є відповіддю на запитання: надішліть або questionCode, або receiptKopiykas
photo-which-question = укажіть, на яке запитання з фото відповідає це фото (або receiptKopiykas для чека)
photo-capture-needed = фото з камери застосунку (LIVE_CAMERA) потребує даних зйомки (ключ, позиція й час)
photo-capture-is-live = фото з даними зйомки має джерело LIVE_CAMERA
photo-live-camera-only = для цього запитання потрібне фото, зроблене камерою застосунку, а не з галереї
photo-visit-not-editable = { $state ->
    [SUBMITTED] Візит надіслано; фото можна додавати, лише поки візит триває або повернений на виправлення.
    [APPROVED] Візит схвалено; фото можна додавати, лише поки візит триває або повернений на виправлення.
   *[REJECTED] Візит відхилено; фото можна додавати, лише поки візит триває або повернений на виправлення.
}
photo-too-many = { $max ->
    [one] До візиту можна додати щонайбільше { $max } фото.
   *[other] До візиту можна додати щонайбільше { $max } фото.
}

## Checklists and answers

definition-shape = має неправильну будову ({ $detail })
checklist-no-sections = анкета потребує хоча б одного розділу
checklist-empty-section = розділ потребує хоча б одного запитання
checklist-duplicate-section = код розділу { $code } повторюється
checklist-duplicate-question = код запитання { $code } повторюється
checklist-duplicate-option = код варіанта { $code } повторюється
checklist-code = має бути від 1 до 40 латинських літер, цифр або _, і починатися з літери
checklist-label-uk = потрібен текст українською (uk)
checklist-fraction = бали — це частки від 0 до 1
checklist-scale = шкала потребує min < max (не більше 100 кроків), наприклад 1–5 або 1–10
checklist-two-options = вибір потребує щонайменше двох варіантів
checklist-max-above-min = має бути більше за min
checklist-bands-rise = межі діапазонів мають зростати
checklist-weight = має бути числом ≥ 0
checklist-weight-unscored = запитання цього типу не дає балів, тож не може мати ваги
checklist-unknown-question = посилається на невідоме запитання { $question }
checklist-self-dependent = запитання не може залежати саме від себе
checklist-cycle = умови утворюють коло: { $cycle }
checklist-no-weight = жодне запитання не має ваги, тож бал неможливий
checklist-value-not-answer = значення { $value } не може бути відповіддю на { $question }
answers-object = має бути обʼєктом «код запитання → відповідь»
answer-list-codes = у списку мають бути коди варіантів
answer-shape = не є відповіддю (true/false, число, код, список, текст або {"{"}"na": true{"}"})
answer-not-an-option = { $option } не є одним із варіантів
answer-option-twice = варіант вибрано двічі
answer-duration = має бути кількістю хвилин від 0 до максимуму запитання
answer-timestamp = має бути часом, наприклад 2026-12-01T10:15:00+02:00
answer-photos = потрібно щонайменше { $min } фото
answer-wrong-type = має неправильний тип для цього запитання
answer-hidden = це запитання приховане попередньою відповіддю
answer-required = обовʼязкове
answer-photo-needed = потрібне фото: завантажте його перед надсиланням

## Money

iban-ukrainian-length = український IBAN має 29 символів (UA, 2 контрольні цифри, 25 цифр); введено { $got }
iban-invalid = не є правильним IBAN (неправильні символи, довжина чи контрольні цифри)
iban-invalid-for-country = не є правильним IBAN для своєї країни (неправильний формат рахунку)
iban-unknown-country = не є правильним IBAN (невідомий код країни)
tax-id-digits = має містити рівно 10 цифр
tax-id-check-digit = має неправильну контрольну (останню) цифру; перевірте його ще раз
payout-left-out-iban = IBAN у профілі: { $why }
payout-positive = виплата має бути більшою за нуль
payout-currency = у валюті { $currency }, а пакет виплачує в { $batch_currency }

## Importing venues

import-unreadable = { $what }; збережіть його як «CSV UTF-8 (розділювач — кома)» (Excel: Файл → Зберегти як; LibreOffice: Текст CSV, кодування Юнікод (UTF-8))
import-not-utf8 = не є правильним текстом UTF-8 (байт { $byte })
import-bad-after-mark = починається як текст { $encoding }, але далі не є правильним { $encoding }
import-utf16-without-mark = схоже на UTF-16 («Текст у Юнікоді») без позначки порядку байтів
import-not-readable-as = не читається як текст { $encoding }
import-nul = містить символи NUL, тож це не текстова таблиця (файл електронної таблиці чи UTF-16?)
import-too-many-rows = має понад { $max } рядків; розділіть його
import-code-twice = зовнішній код { $code } трапляється у файлі двічі
import-no-header = не має рядка заголовків, який можна прочитати ({ $detail })
import-column-missing = стовпця { $column } у файлі немає (його стовпці: { $columns })
import-row-unreadable = рядок { $row } не читається ({ $detail })
import-not-json = не є правильним JSON ({ $detail })
import-not-geojson = не є GeoJSON FeatureCollection (немає масиву features)
import-not-a-number = «{ $value }» не є числом
import-type-empty = порожнє, а тип за замовчуванням не вказано
import-whole-metres = має бути цілою кількістю метрів
import-row-invalid = рядок неправильний
period-to-before-from = не може бути раніше за початок періоду
payout-nobody-owed = За цей період ні в кого немає доступного залишку щонайменше { $min } { $currency } з правильним IBAN.
payout-batch-cancelled = Пакет скасовано.
payout-four-eyes = Пакет затверджує не та людина, яка його створила (принцип чотирьох очей).
payout-batch-decided-meanwhile = Тим часом щодо цього пакета вже вирішив хтось інший.
payout-line-owed-less = Рядок { $seq }: таємному покупцеві тепер належить лише { $owed } (після повернення чи коригування, зробленого вже після створення пакета); скасуйте цей пакет і створіть новий.
payout-approved-immutable = Затверджений пакет не можна змінити; позначте його рядки як сплачені чи невдалі.
payout-shoppers-taken-meanwhile = Тим часом частину цих таємних покупців забрав інший пакет; спробуйте ще раз.
payout-line-already-marked = { $state ->
    [PAID] Рядок { $seq } уже позначено як сплачений.
   *[FAILED] Рядок { $seq } уже позначено як невдалий.
}
payout-failure-reason-needed = укажіть, чому банк відмовив у платежі
payout-line-batch-not-approved = Пакет цього рядка не затверджено.
payout-batch-not-approved = Платежі для позначення є лише в затвердженому пакеті.
status-not-csv = не є файлом CSV ({ $detail })
status-header = потребує рядка заголовків зі стовпцями end_to_end_id, status і (для невдалих) reason
status-value = має бути PAID або FAILED, а не «{ $value }»
status-reason-needed = невдалий платіж потребує причини від банку
status-twice = трапляється у файлі двічі
status-no-rows = не має рядків
status-not-in-batch = не є платежем цього пакета

## Accounts and sessions

staff-role-not-shopper = таємні покупці реєструються в застосунку; тут створюють лише облікові записи працівників
email-taken = обліковий запис із цією адресою вже існує
viewer-needs-client = переглядач клієнта має належати клієнтові
no-such-client = такого клієнта немає
only-viewers-have-client = до клієнта належать лише переглядачі клієнта
own-status = Ви не можете змінити стан власного облікового запису.
suspend-reason-needed = укажіть, чому обліковий запис призупинено
login-email-needed = уведіть адресу, з якою ви реєструвалися
login-wrong = Неправильна адреса електронної пошти або пароль.
account-suspended = Цей обліковий запис призупинено; зверніться до свого координатора.
current-password-wrong = не є вашим поточним паролем
login-too-many = { $from ->
    [network] Забагато невдалих входів із вашої мережі; спробуйте через { $seconds } с або змініть пароль.
   *[account] Забагато невдалих входів до цього облікового запису; спробуйте через { $seconds } с або змініть пароль.
}
email-sent-recently = Лист надіслано менш як хвилину тому; перевірте поштову скриньку або спробуйте трохи згодом.
link-invalid = це посилання недійсне; попросіть нове
link-expired = строк дії посилання минув; попросіть нове
link-used = це посилання вже використано; попросіть нове
code-of-conduct-needed = щоб зареєструватися, потрібно прийняти кодекс поведінки
tax-id-taken = цей РНОКПП уже зареєстровано: одна людина може мати один обліковий запис (якщо він ваш, увійдіть у нього або зверніться до підтримки)
staff-verified-on-creation = Облікові записи працівників підтверджуються під час створення.
email-already-verified = Вашу адресу вже підтверджено.

## Review

review-reject-reason = обовʼязкова, щоб відхилити візит
review-return-what = укажіть, що виправити: причину або коментарі до запитань
review-not-submitted = { $state ->
    [IN_PROGRESS] Візит ще триває; розглядають лише надіслані візити.
    [RETURNED] Візит повернено на виправлення; розглядають лише надіслані візити.
    [APPROVED] Візит уже схвалено; розглядають лише надіслані візити.
   *[REJECTED] Візит уже відхилено; розглядають лише надіслані візити.
}
review-decided-meanwhile = Тим часом інший рецензент уже ухвалив рішення; перезавантажте візит.
review-revoke-not-approved = Скасувати схвалення можна лише для схваленого візиту.

## Files, phones and waves

file-unreadable = не вдається прочитати ({ $detail })
photo-too-big = має { $size_mb } МБ; приймаємо фото до { $max_mb } МБ
client-id-format = має містити 8–100 латинських літер, цифр, «-» або «_» (UUID, створений на телефоні)
implausible-time = не схоже на правдивий час (годинник телефону неправильний)
wave-not-draft = Змінювати налаштування можна лише в чернетці хвилі; натомість продовжте, призупиніть або закрийте її.
wave-launched-meanwhile = Тим часом хвилю запустили.
wave-checklist-draft = це чернетка; опублікуйте її, перш ніж використовувати у хвилі
wave-checklist-other-client = не є версією анкети цього клієнта
venue-other-client = не є закладом цього клієнта

## Ledger

ledger-already-reversed = Цю операцію вже сторновано.
ledger-currency = Рахунок { $account } ведеться в { $currency }, а не в { $posted }.
amount-not-zero = не може дорівнювати нулю
adjustment-too-big = не більше 1 000 000 грн за одне коригування
not-a-shopper = не є таємним покупцем
idempotency-key-reused = цей ключ ідемпотентності вже використано для іншого коригування
query-not-utf8 = має бути текстом UTF-8
query-hidden-characters = не може містити керівних символів чи символів зміни напрямку тексту
query-invalid = неправильний параметр запиту ({ $detail })

## Taking tasks (eligibility)

eligibility-not-verified = Спершу підтвердіть адресу електронної пошти (див. посилання в листі від нас).
eligibility-suspended = Ваш обліковий запис призупинено; зверніться до свого координатора.
eligibility-too-far = Цей заклад за { $distance_km } км від вашого дому, далі за ваш радіус поїздок { $radius_km } км.
eligibility-conflict-venue = Ви заявили про конфлікт інтересів із цим закладом.
eligibility-conflict-client = Ви заявили про конфлікт інтересів із цим клієнтом.
eligibility-conflict-employer = Ви вказали роботодавця «{ $employer }», і це збігається з цим закладом.
eligibility-visited-recently = Ви були в цьому закладі { $days_ago } дн. тому; той самий таємний покупець може повернутися лише через { $cooloff_days } дн.
eligibility-holds-venue = У вас уже є завдання в цьому закладі.
eligibility-wave-limit = У вас уже найбільша дозволена в цій хвилі кількість завдань ({ $max }).
eligibility-global-limit = { $max ->
    [one] У вас уже { $max } завдання; спершу завершіть його або відмовтеся від нього.
   *[other] У вас уже { $max } завдань; спершу завершіть одне з них або відмовтеся від нього.
}
auto-assign-shopper-gone = таємний покупець більше не активний або не підтверджений

## Tasks, waves, reads and the rest

idempotency-key-other-request = цей ключ ідемпотентності вже використано для іншого запиту
idempotency-key-format = має містити від 1 до 100 друкованих символів ASCII
checklist-name-taken = у цього клієнта вже є анкета з такою назвою
checklist-published-immutable = Опубліковані версії анкет не змінюються; щоб редагувати, створіть нову чернетку.
service-busy-passwords = Сервіс зараз зайнятий перевіркою паролів; спробуйте ще раз за мить.
account-no-client = Цей обліковий запис не повʼязаний із клієнтом.
whole-number-1-720 = має бути від 1 до 720
period-format = має бути місяцем (2026-11) або кварталом (2026-Q4)
moderation-no-comment = У цьому відгуку немає коментаря для модерації.
service-code-format = має містити від 1 до 40 латинських літер, цифр або _
whole-number-0-9999 = має бути від 0 до 9999
cursor-invalid = не є курсором цього списку
to-before-from = не може бути раніше за початок
positive = має бути більше 0
signals-coordinators-only = Сигнали щодо облікових записів бачать лише координатори.
bank-details-private = Банківські реквізити бачать лише сам таємний покупець і команда виплат.
shopper-identity-private = Хто таємний покупець, бачать лише координатори.
selection-list-empty = укажіть хоча б один заклад
selection-not-list = заклади перелічують лише у виборі LIST
radius-range = має бути більше 0 і не більше 500
import-format-needed = укажіть CSV або GEOJSON (з назви файлу цього не видно)
venue-not-in-use = Заклад не використовується.
text-too-long-100 = має бути не довшим за 100 символів
task-not-held = Це завдання ніхто не тримає.
task-taken = Уже зайнято: це завдання тримає інший таємний покупець.
task-not-yours = Це завдання не ваше.
conflict-exactly-one = укажіть рівно одне з: venueId, clientId або employer
no-such-venue = такого закладу немає
offer-not-yours = Це завдання вам не пропонували.
offer-lapsed = Строк цієї пропозиції минув.
wave-paused = Хвилю призупинено; її завдання зараз узяти не можна.
wave-closed = Хвилю закрито.
wave-not-started = Хвиля ще не почалася.
wave-ended = Хвиля вже закінчилася.
year-range = має бути від 2000 до 2100
payout-export-not-approved = Експортувати можна лише затверджений пакет.
payout-debtor-missing = Рахунок платника не налаштовано (payouts.debtor_iban).
venue-validation-lost = перевірка втратила поле
client-name-taken = клієнт із такою назвою вже існує
venue-code-taken = у цього клієнта вже є заклад із таким кодом
wave-changed-meanwhile = Тим часом хвиля змінилася; перезавантажте її.
wave-closed-no-extend = Закриту хвилю продовжити не можна.
selection-empty = не вибирає жодного активного закладу цього клієнта
answer-photo-question = це запитання з фото: завантажте для нього фото
visit-not-in-progress = Візит уже не триває.
before-check-in = раніше за відмітку про прихід
capture-visit-not-editable = Фотографувати можна лише, поки візит триває або повернений на виправлення.
capture-token-used = уже використано для іншого фото; кожне фото потребує власного
submit-check-out-first = Перш ніж надсилати, відмітьте вихід із закладу.
visit-changed-meanwhile = Тим часом візит змінився; перезавантажте його.
task-changed-meanwhile = Тим часом завдання змінилося; перезавантажте його.
file-empty = порожній (0 байтів)
photo-heic = це фото HEIC/HEIF, яке сервер не може прочитати (він зібраний без libheif); увімкніть у камері «Найсумісніший» (JPEG) і зробіть фото знову
photo-not-image = не є зображенням JPEG, PNG чи WebP
photo-unreadable = не читається як зображення ({ $detail })
photo-too-many-pixels = має { $width } × { $height } пікселів; приймаємо зображення до { $max } мегапікселів
photo-truncated = не декодується: файл пошкоджений або неповний (закінчується раніше за зображення)
photo-damaged = не декодується: файл пошкоджений або неповний ({ $detail })
photo-reencode-failed = не вдалося перекодувати ({ $detail })
capture-token-unknown = не є ключем зйомки: попросіть у застосунку новий
capture-token-other-visit = належить іншому візиту
capture-token-expired = строк дії минув; зробіть фото ще раз
answers-visit-not-editable = { $state ->
    [SUBMITTED] Візит надіслано; відповіді можна змінювати, лише поки візит триває або повернений на виправлення.
    [APPROVED] Візит схвалено; відповіді можна змінювати, лише поки візит триває або повернений на виправлення.
   *[REJECTED] Візит відхилено; відповіді можна змінювати, лише поки візит триває або повернений на виправлення.
}
wave-extend-after = має бути пізніше за поточне завершення, { $ends_on }
auto-assign-wave-state = { $status ->
    [DRAFT] Чернетку хвилі не можна розподілити автоматично.
    [PAUSED] Призупинену хвилю не можна розподілити автоматично.
   *[CLOSED] Закриту хвилю не можна розподілити автоматично.
}
assign-task-state = { $state ->
    [CLAIMED] Завдання вже взяте; його не можна призначити.
    [ASSIGNED] Завдання вже призначене; його не можна призначити ще раз.
    [OFFERED] Завдання вже запропоноване; його не можна призначити.
    [VISITED] Завдання вже виконане; його не можна призначити.
    [DONE] Завдання вже завершене; його не можна призначити.
   *[other] У цьому стані завдання не можна призначити ({ $state }).
}
moderation-decided = { $state ->
    [PUBLISHED] Щодо коментаря вже вирішено: опубліковано.
   *[REJECTED] Щодо коментаря вже вирішено: відхилено.
}
too-many-from-network = { $what ->
    [feedback] Забагато відгуків із вашої мережі; спробуйте через { $minutes } хв.
    [sign-ups] Забагато реєстрацій із вашої мережі; спробуйте через { $minutes } хв.
   *[other] Забагато спроб із вашої мережі; спробуйте через { $minutes } хв.
}
wave-move-refused = { $action ->
    [launch] Хвилю в стані { $status } не можна запустити.
    [pause] Хвилю в стані { $status } не можна призупинити.
    [resume] Хвилю в стані { $status } не можна відновити.
   *[close] Хвилю в стані { $status } не можна закрити.
}
wave-status-name = { $status ->
    [DRAFT] «чернетка»
    [LAUNCHED] «запущена»
    [PAUSED] «призупинена»
   *[CLOSED] «закрита»
}
auto-assign-taken-meanwhile = тим часом завдання взяли

## Field names (a field error reads "<name>: <why>"; a field not named here shows its API path)

field-file = Файл
field-reason = Причина
field-iban = IBAN
field-email = Електронна пошта
field-password = Пароль
field-fullName = Імʼя та прізвище
field-clientId = Клієнт
field-taxId = РНОКПП
field-phone = Телефон
field-token = Посилання
field-name = Назва
field-comment = Коментар
field-questionCode = Запитання
field-startsOn = Дата початку
field-endsOn = Дата завершення
field-contactPhone = Телефон
field-contactName = Імʼя
field-contactEmail = Електронна пошта
field-role = Роль
field-radiusKm = Радіус, км
field-newPassword = Новий пароль
field-currentPassword = Поточний пароль
field-format = Формат
field-checklistVersionId = Версія анкети
field-answers = Відповіді
field-amountKopiykas = Сума, коп.
field-accountHolder = Власник рахунку
field-year = Рік
field-venueId = Заклад
field-scenario = Сценарій
field-search = Пошук
field-q = Пошук
field-recommend = Готовність порекомендувати
field-premises = Приміщення
field-service = Послуга
field-period = Період
field-periodFrom = Початок періоду
field-periodTo = Кінець періоду
field-overrideReason = Причина винятку
field-employer = Роботодавець
field-mapping = Відповідність стовпців
field-externalCode = Зовнішній код
field-address = Адреса
field-oblast = Область
field-geofenceM = Геозона, м
field-feeKopiykas = Винагорода, коп.
field-acceptCodeOfConduct = Кодекс поведінки
field-homeLocation-lat = Широта дому
field-homeLocation-lon = Довгота дому
field-travelRadiusKm = Радіус поїздок, км
field-location-lat = Широта
field-location-lon = Довгота
field-receiptKopiykas = Сума чека, коп.
field-idempotencyKey = Ключ ідемпотентності
field-selection = Вибір закладів
field-capture-token = Ключ зйомки
field-deviceTime = Час на телефоні
field-comments = Коментарі
field-code = Код
field-position = Порядок
field-nameUk = Назва українською
field-nameEn = Назва англійською

## Mails

mail-verify-subject = Підтвердіть свою електронну адресу
mail-verify-body =
    Вітаємо, { $name }!

    Дякуємо за реєстрацію таємним покупцем. Щоб підтвердити адресу, відкрийте посилання:

    { $link }

    Посилання діє { $hours } год і спрацьовує один раз. Якщо ви не реєструвалися, просто ігноруйте цей лист.
mail-reset-subject = Зміна пароля
mail-reset-body =
    Хтось (сподіваємося, ви) попросив змінити пароль. Щоб задати новий пароль, відкрийте посилання:

    { $link }

    Посилання діє { $minutes } хв і спрацьовує один раз. Якщо це були не ви, ігноруйте цей лист: пароль не зміниться.
mail-invitation-subject = Запрошення до Fieldwork
mail-invitation-body =
    Для вас створено обліковий запис ({ $role }). Задайте пароль за посиланням (діє { $hours } год):

    { $link }
mail-claim-expired-subject = Завдання повернуто на дошку
mail-claim-expired-body = Час на візит до «{ $venue }» (хвиля «{ $wave }») минув, тож завдання знову доступне іншим таємним покупцям. Якщо ви ще хочете його виконати, візьміть його знову, поки воно вільне.
mail-payout-failed-subject = Виплату не здійснено
mail-payout-failed-body =
    Банк не зарахував вашу виплату { $amount } { $currency }. Причина: { $reason }.

    Гроші повернулися на ваш баланс і будуть у наступній виплаті. Перевірте, будь ласка, IBAN і імʼя власника рахунку у своєму профілі.
field-conflictDeclaration = Заява про конфлікт інтересів

## The faces' own failures (web/common/api.ts)

network-offline = Немає зʼєднання з мережею.
http-failure = Сервер не зміг відповісти (HTTP { $status }); спробуйте пізніше.
checkin-not-accepted = Відмітку про прихід для цього візиту не прийнято.
photo-heic-phone = це фото HEIC/HEIF, яке цей телефон не може перетворити на JPEG; увімкніть у камері «Найсумісніший» (iPhone: Параметри → Камера → Формати) чи JPEG (Android: налаштування камери) і зробіть фото знову
photo-not-decodable = цей телефон не може відкрити файл як зображення (файл пошкоджений чи неповний); виберіть інше фото

## Flag names (the review queue and its filter)

flag-name = { $code ->
    [OUTSIDE_GEOFENCE] поза геозоною
    [LOW_GPS_ACCURACY] низька точність GPS
    [MOCK_LOCATION] імітоване місцеперебування
    [OUTSIDE_VISITING_WINDOW] поза годинами відвідування
    [DEVICE_TIME_GAP] розбіжність годинників
    [PHOTO_GPS_MISSING] фото без GPS
    [PHOTO_GPS_OUTSIDE] фото не з закладу
    [PHOTO_TIME_MISSING] фото без часу
    [PHOTO_TIME_OUTSIDE] фото не під час візиту
    [DUPLICATE_PHOTO] повторне фото
    [NEAR_DUPLICATE_PHOTO] майже однакове фото
    [TOO_SHORT] закороткий візит
    [TOO_LONG] задовгий візит
    [IMPOSSIBLE_TRAVEL] неможлива поїздка
    [LATE_SUBMISSION] надіслано із запізненням
    [CONFLICT_OF_INTEREST] конфлікт інтересів
    [COOL_OFF_BREACHED] замалий проміжок між візитами
    [CAPTURE_MISMATCH] фото суперечить зйомці
   *[CAPTURE_BEFORE_TOKEN] зйомка до ключа
}

## Ledger memos (a shopper's money history)

memo-visit-approved = Візит схвалено: «{ $venue }», хвиля «{ $wave }»
memo-approval-revoked = Схвалення візиту скасовано: { $reason }
memo-payout = Виплата за { $period }
memo-payment-failed = Виплата не пройшла: { $reason }

## Requests refused as a whole

request-repeats = { $limit ->
    [one] може трапитися в одному запиті лише раз (трапляється { $count })
   *[other] може трапитися в одному запиті щонайбільше { $limit } разів (трапляється { $count })
}
request-root-fields = Запит може вибирати щонайбільше { $max } кореневих полів (цей вибирає { $count }); розділіть його.
request-too-deep = Запит має завелику вкладеність ({ $depth } рівнів; щонайбільше { $max }).
body-too-large = Запит завеликий: щонайбільше { $max_mb } МБ.
request-too-complex = Запит заскладний: попросіть менше рядків або полів за раз.
request-invalid = Запит неправильний: { $detail }

## Task history (the service's own reasons)

task-offer-lapsed = пропозицію не прийняли вчасно
task-hold-lapsed = час на візит минув

## Integrations: API keys and service events

api-key-scope-unknown = невідомий дозвіл «{ $scope }»; можливі: events:write
api-key-scopes-empty = потрібен щонайменше один дозвіл
api-key-expiry-range = від 1 до { $max } днів
api-key-grace-range = від 0 до { $max } годин
api-key-oblast-unknown = у центрів цього клієнта немає такої області (напишіть її так, як у списку закладів)
api-key-needs-client = оберіть клієнта: ключ для звітів про послуги діє для одного клієнта
api-key-scope-missing = Цей ключ API не має дозволу { $scope }.
api-key-not-active = Цей ключ API уже відкликано або строк його дії минув.
api-key-already-rotated = Цей ключ уже замінено новим; замініть новий.
api-key-not-a-user = Ключ API не може виконувати дії користувачів; увійдіть як користувач.
api-key-other-client = Цей ключ API діє для іншого клієнта.
api-key-needed = Потрібен ключ API (заголовок Authorization: Bearer fwk_…).
api-key-invalid = Ключ API невідомий, відкликаний або строк його дії минув.
citizen-phone-invalid = не схоже на номер мобільного телефону
phone-not-mobile = на цей номер не можна надіслати повідомлення (це не мобільний номер)
messenger-unknown = має бути VIBER або SMS
event-time-format = має бути датою й часом у форматі RFC 3339, наприклад 2026-12-07T10:15:00+02:00
event-time-future = ще не настав
event-time-too-old = { $days ->
    [one] давніший за { $days } день; про таку послугу вже не питають
    [few] давніший за { $days } дні; про таку послугу вже не питають
   *[other] давніший за { $days } днів; про таку послугу вже не питають
}
events-batch-size = від 1 до { $max } подій за раз
event-center-unknown = центру з таким кодом у цього клієнта немає
event-center-inactive = центр не працює (вимкнений у списку закладів)
event-center-outside-key = центр поза областю, для якої видано ключ API
event-service-unknown = такої послуги немає в переліку послуг цього центру
event-id-reused = цей ідентифікатор уже використано для іншої послуги
events-body-json = надсилайте події як application/json
events-body-shape = тіло запиту має бути обʼєктом {"{"} "events": [ … ] {"}"}
event-field-type = має неправильний тип
event-consent-words = має бути «так» або «ні»
events-file-empty = у файлі немає жодного рядка з подією
field-externalId = Ідентифікатор події
field-center = Центр
field-completedAt = Час надання послуги
field-messenger = Месенджер
field-consent = Згода
field-scopes = Дозволи
field-expiresInDays = Строк дії, днів
field-graceHours = Перехідний період, годин
field-events = Події
field-event = Подія
field-body = Тіло запиту

## Invitations to rate a service (SMS and Viber). One SMS segment holds 70 Cyrillic characters: keep the text short.
invitation-text = Оцініть послугу: { $link }
policy-share = частка — число від 0 до 1
policy-window = вікно надсилання має починатися раніше, ніж закінчується
policy-cooldown = від 0 до 365 днів
policy-delay = від 0 до 1440 хвилин
policy-max-wait = від 1 до 168 годин
field-windowStart = Початок вікна надсилання
field-cooldownDays = Не частіше ніж раз на, днів
field-delayMinutes = Затримка після послуги, хвилин
field-maxWaitHours = Найдовше очікування, годин
field-share = Частка
field-dailyBudget = Денний бюджет, повідомлень
policy-time-format = має бути часом ГГ:ХХ, наприклад 09:00
policy-budget = не може бути від'ємним
span-too-long = кінець має бути не раніше за початок і не далі ніж за { $days } днів від нього

## Phone interviews (CATI)
cati-period-order = кінець періоду має бути не раніше за початок і не далі ніж за рік від нього
cati-stratum-name = назва страти (область, код центру або послуги) — від 1 до 200 символів
cati-rules-invalid = години дзвінків мають починатися раніше, ніж закінчуються; спроб — від 1 до 30; затримки не від'ємні
cati-study-drawn = вибірку цього дослідження вже витягнуто: список більше не можна змінити, а вибірку — витягнути вдруге
cati-study-not-open = дослідження не відкрите для дзвінків (вибірку ще не витягнуто або його закрито)
cati-phone-erased = номер цього респондента вже видалено за строком зберігання
cati-call-recorded = цей дзвінок уже завершено з іншим результатом
cati-case-taken = цей випадок уже перейшов до іншого оператора: ваш екран довго не відповідав. Візьміть наступний випадок
cati-appointment-needed = укажіть дату й час домовленості
cati-appointment-format = має бути датою й часом респондента, наприклад 2026-12-09T14:30
cati-appointment-past = час домовленості вже минув
cati-appointment-far = не далі ніж за { $days } днів
cati-appointment-hours = поза годинами дзвінків у часовому поясі респондента
field-appointmentAt = Домовлений час
field-samplePerStratum = Вибірка на страту
field-targetPerStratum = Ціль інтерв'ю на страту
field-quotas = Квоти
field-rules = Правила дзвінків
field-seed = Зерно вибірки
field-note = Нотатка
field-staff = Персонал
field-waiting = Очікування
field-result = Результат
