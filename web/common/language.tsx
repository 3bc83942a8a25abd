// The language switch of every face (Ukrainian first, English), remembered on this device under the face's key.
export type Lang = "uk" | "en";

export function LanguageSwitch(props: { label: string; lang: Lang; storageKey: string; setLang: (l: Lang) => void }) {
  return (
    <label class="lang">
      {props.label}{" "}
      <select
        value={props.lang}
        onChange={(e) => {
          const next = (e.target as HTMLSelectElement).value as Lang;
          localStorage.setItem(props.storageKey, next);
          document.documentElement.lang = next;
          props.setLang(next);
        }}
      >
        <option value="uk">Українська</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
