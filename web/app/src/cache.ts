// The data last seen, kept on the phone so every screen opens offline with what it showed last.
export function recall<T>(key: string): T | null {
  const raw = localStorage.getItem(`fieldwork.cache.${key}`);
  return raw ? (JSON.parse(raw) as T) : null;
}

export function remember<T>(key: string, value: T): T {
  localStorage.setItem(`fieldwork.cache.${key}`, JSON.stringify(value));
  return value;
}

export function forgetAll(): void {
  for (const key of Object.keys(localStorage)) if (key.startsWith("fieldwork.cache.")) localStorage.removeItem(key);
}
