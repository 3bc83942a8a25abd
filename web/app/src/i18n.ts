// Every string the app shows, in Ukrainian (first) and English.
export type Lang = "uk" | "en";

const strings = {
  uk: {
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
