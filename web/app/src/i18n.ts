// Every string the app shows, in Ukrainian (first) and English.
export type Lang = "uk" | "en";

const strings = {
  uk: {
    signUp: "Реєстрація",
    haveAccount: "Вже маєте обліковий запис? Увійти",
    newHere: "Вперше тут? Зареєструватися",
    fullName: "Ім'я та прізвище",
    phone: "Телефон (+380…)",
    homeLat: "Домашня адреса: широта",
    homeLon: "Домашня адреса: довгота",
    radius: "Готові їздити, км",
    iban: "IBAN для виплат",
    accountHolder: "Власник рахунку",
    taxId: "РНОКПП (ІПН)",
    codeOfConduct: "Я приймаю кодекс поведінки таємного покупця",
    submitSignUp: "Зареєструватися",
    checkMail: (email: string) => `Ми надіслали лист на ${email}. Відкрийте посилання в ньому, щоб підтвердити адресу, а потім увійдіть.`,
    appName: "Fieldwork",
    language: "Мова",
    signIn: "Вхід",
    email: "Електронна пошта",
    password: "Пароль",
    submitSignIn: "Увійти",
    signingIn: "Входимо…",
    signOut: "Вийти",
    board: "Доступні завдання",
    noTasks: "Поблизу немає відкритих завдань.",
    claim: "Взяти завдання",
    queued: "Чекає на мережу",
    claimed: "Завдання ваше",
    fee: "Оплата",
    bonus: "бонус",
    km: "км",
    deadline: "Виконати до",
    offline: "Немає з'єднання: дії збережено й буде надіслано, щойно мережа повернеться.",
    pending: (n: number) => `Очікують надсилання: ${n}`,
    errorRequired: "Заповніть це поле",
    errorGeneric: "Не вдалося: спробуйте ще раз.",
  },
  en: {
    signUp: "Sign up",
    haveAccount: "Already have an account? Sign in",
    newHere: "New here? Sign up",
    fullName: "Full name",
    phone: "Phone (+380…)",
    homeLat: "Home: latitude",
    homeLon: "Home: longitude",
    radius: "How far you will travel, km",
    iban: "IBAN for payouts",
    accountHolder: "Account holder",
    taxId: "Taxpayer number (РНОКПП)",
    codeOfConduct: "I accept the mystery shopper's code of conduct",
    submitSignUp: "Sign up",
    checkMail: (email: string) => `We sent a message to ${email}. Open the link in it to confirm the address, then sign in.`,
    appName: "Fieldwork",
    language: "Language",
    signIn: "Sign in",
    email: "Email",
    password: "Password",
    submitSignIn: "Sign in",
    signingIn: "Signing in…",
    signOut: "Sign out",
    board: "Available tasks",
    noTasks: "No open tasks nearby.",
    claim: "Take this task",
    queued: "Waiting for the network",
    claimed: "The task is yours",
    fee: "Fee",
    bonus: "bonus",
    km: "km",
    deadline: "Do it by",
    offline: "You are offline: what you do is kept and sent as soon as the network is back.",
    pending: (n: number) => `Waiting to be sent: ${n}`,
    errorRequired: "Fill in this field",
    errorGeneric: "That did not work: please try again.",
  },
};

export type Strings = (typeof strings)["uk"];

export function initialLang(): Lang {
  const saved = localStorage.getItem("fieldwork.lang");
  if (saved === "uk" || saved === "en") return saved;
  return "uk";
}

export function t(lang: Lang): Strings {
  return strings[lang];
}

/// Kopiykas as hryvnias, e.g. 40000 → "400,00 ₴".
export function money(kopiykas: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === "uk" ? "uk-UA" : "en-GB", { style: "currency", currency: "UAH" }).format(
    kopiykas / 100,
  );
}
